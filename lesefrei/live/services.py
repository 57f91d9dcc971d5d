"""Every change of a ticker's entries, one function each.

Each function checks the editor's permission, validates, changes the rows in its own
transaction, writes Wagtail's audit log and announces the change after commit
(caching.entries_changed: the ticker's tag `live:<id>`, lesefrei/cache/), so
the page, its feed, its JSON-LD and the "new entries" answer show it within two seconds
through nginx. None of them creates a revision of the ticker page: entries are not part
of the article's revisions. The admin (wagtail_hooks.py), the demo and the benchmark
change entries only through here.

Invariants: at most one entry of a ticker is pinned; `updated_at` is set only by a
correction of what readers see (not by pinning); a ticker that has ended takes no new
entries (corrections stay possible).
"""

import logging
import re
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from lesefrei.content.characters import control_character_problem, strings_in
from lesefrei.content.models import AuthorPage

from .caching import entries_changed
from .models import LiveEntry, LiveTickerPage

logger = logging.getLogger(__name__)

MAX_TEXT = 5000  # characters of plain text: an entry is a paragraph or three, not an article
UNCHANGED: Any = object()


class EntryRefused(ValueError):
    """A change an editor asked for that cannot be made; the message says why (German)."""


def _require(user: AbstractBaseUser | None, action: str) -> None:
    """`user` None is the system itself (demo, management commands)."""
    if user is None:
        return
    if not (user.is_active and user.has_perm(f"live.{action}_liveentry")):
        raise EntryRefused(_("Sie haben keine Berechtigung, Liveticker-Einträge zu ändern."))


def _refuse_control_characters(field: str, value: Any) -> None:
    """Feeds, JSON-LD and the ticker's JSON carry every entry: refuse what XML cannot."""
    if hasattr(value, "get_prep_value"):  # a StreamValue
        value = value.get_prep_value()
    for _path, text in strings_in(value):
        problem = control_character_problem(text)
        if problem:
            raise EntryRefused(
                _("%(field)s: Der Text %(problem)s") % {"field": field, "problem": problem}
            )


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    _refuse_control_characters(_("Text"), text)
    plain = strip_tags(text).strip()
    if not plain:
        raise EntryRefused(_("Ein Eintrag braucht einen Text."))
    if len(plain) > MAX_TEXT:
        raise EntryRefused(
            _("Der Text ist zu lang (%(length)d Zeichen, höchstens %(max)d).")
            % {"length": len(plain), "max": MAX_TEXT}
        )
    return text


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    _refuse_control_characters(_("Überschrift"), title)
    if len(title) > 200:
        raise EntryRefused(_("Die Überschrift ist zu lang (höchstens 200 Zeichen)."))
    return title


def _clean_media(media: Any) -> Any:
    if media is None:
        return []
    if len(media) > 1:
        raise EntryRefused(_("Ein Eintrag kann höchstens ein Bild, Zitat oder Element haben."))
    _refuse_control_characters(_("Bild, Zitat oder Element"), media)
    return media


def _locked(entry: LiveEntry) -> LiveEntry:
    try:
        return LiveEntry.objects.select_for_update().get(pk=entry.pk)
    except LiveEntry.DoesNotExist:
        raise EntryRefused(_("Diesen Eintrag gibt es nicht mehr.")) from None


def add_entry(
    ticker: LiveTickerPage,
    *,
    text: str,
    title: str = "",
    media: Sequence[tuple[str, Any]] | Any = (),
    author: AuthorPage | None = None,
    pinned: bool = False,
    user: AbstractBaseUser | None = None,
) -> LiveEntry:
    """A new entry on top of the ticker, stamped now. `media` is at most one
    (block type, value) pair of EntryMediaBlock (image, quote, embed)."""
    _require(user, "add")
    if not isinstance(ticker, LiveTickerPage):
        raise EntryRefused(_("Einträge gibt es nur in einem Liveticker."))
    if ticker.state == LiveTickerPage.State.ENDED:
        raise EntryRefused(
            _(
                "Der Liveticker ist beendet. Setzen Sie seinen Status auf „läuft“, um "
                "weitere Einträge zu schreiben."
            )
        )
    entry = LiveEntry(
        ticker=ticker,
        title=_clean_title(title),
        text=_clean_text(text),
        media=list(_clean_media(media)),
        author=author,
        pinned=pinned,
        created_at=timezone.now(),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    with transaction.atomic():
        if pinned:
            LiveEntry.objects.filter(ticker_id=ticker.pk, pinned=True).update(pinned=False)
        entry.save()
        log(instance=entry, action="wagtail.create", user=user)
        entries_changed(ticker.pk)
    logger.info("live entry %s added to ticker %s", entry.pk, ticker.pk)
    return entry


def correct_entry(
    entry: LiveEntry,
    *,
    text: str = UNCHANGED,
    title: str = UNCHANGED,
    media: Any = UNCHANGED,
    author: AuthorPage | None = UNCHANGED,
    user: AbstractBaseUser | None = None,
) -> LiveEntry:
    """Change what an entry says; readers see "aktualisiert HH:MM" beside its time.
    Arguments left out stay as they are; nothing changes when nothing differs."""
    _require(user, "change")
    changes: dict[str, Any] = {}
    if text is not UNCHANGED:
        changes["text"] = _clean_text(text)
    if title is not UNCHANGED:
        changes["title"] = _clean_title(title)
    if media is not UNCHANGED:
        changes["media"] = _clean_media(media)
    if author is not UNCHANGED:
        changes["author"] = author
    with transaction.atomic():
        current = _locked(entry)
        changed = {
            name: value
            for name, value in changes.items()
            if _comparable(getattr(current, name)) != _comparable(value)
        }
        if not changed:
            return current
        for name, value in changed.items():
            setattr(current, name, value)
        current.updated_at = timezone.now()
        current.save(update_fields=[*changed, "updated_at"])
        log(instance=current, action="wagtail.edit", user=user, data={"fields": sorted(changed)})
        entries_changed(current.ticker_id)
    logger.info("live entry %s corrected (%s)", current.pk, ", ".join(sorted(changed)))
    return current


# Draftail gives each paragraph a new key when text comes in from elsewhere: not a change.
BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        return BLOCK_KEY.sub("", value)
    if hasattr(value, "get_prep_value"):  # a StreamValue
        return [(block["type"], block["value"]) for block in value.get_prep_value()]
    if isinstance(value, list | tuple) and all(isinstance(v, tuple) for v in value):
        return [(name, v) for name, v in value]
    return value


def pin_entry(
    entry: LiveEntry, *, pinned: bool = True, user: AbstractBaseUser | None = None
) -> LiveEntry:
    """Pin the entry on top of its ticker (releasing any other pinned one), or release it."""
    _require(user, "change")
    with transaction.atomic():
        current = _locked(entry)
        if current.pinned == pinned:
            return current
        if pinned:
            LiveEntry.objects.filter(ticker_id=current.ticker_id, pinned=True).exclude(
                pk=current.pk
            ).update(pinned=False)
        current.pinned = pinned
        current.save(update_fields=["pinned"])
        log(instance=current, action="wagtail.edit", user=user, data={"pinned": pinned})
        entries_changed(current.ticker_id)
    logger.info("live entry %s %s", current.pk, "pinned" if pinned else "released")
    return current


def delete_entry(entry: LiveEntry, *, user: AbstractBaseUser | None = None) -> None:
    """Remove an entry from the ticker (readers no longer see it)."""
    _require(user, "delete")
    with transaction.atomic():
        current = _locked(entry)
        ticker_id, pk = current.ticker_id, current.pk
        log(instance=current, action="wagtail.delete", user=user)
        current.delete()
        entries_changed(ticker_id)
    logger.info("live entry %s deleted from ticker %s", pk, ticker_id)
