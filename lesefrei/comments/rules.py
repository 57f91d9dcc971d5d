"""The rules a comment's text must follow, as plain functions of the text.

Refusals raise CommentRefused with the German message the reader sees; findings that
only send a comment to the queue are returned as reasons for the moderators.
"""

import re
import unicodedata

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# What Django's urlize turns into a link: scheme URLs, www. addresses, bare domains.
LINK_PATTERN = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|de|at|ch|eu|info|io|ly|me|ru)\b",
    re.IGNORECASE,
)
# Control characters other than line breaks and tabs (C1 too: NEL, CSI, … are as
# invisible as ESC), and the invisible bidirectional overrides that let a text read
# differently from what it contains.
FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
REPLACEMENT_CHARACTER = "\ufffd"
CONFUSABLE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK"}


class CommentRefused(Exception):
    """A comment (or report) that is not stored; `message` says why, in German."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def normalise_text(text: str) -> str:
    """NFC, Unix line breaks, no trailing spaces, at most one empty line in a row."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def count_links(text: str) -> int:
    return len(LINK_PATTERN.findall(text))


def check_characters(text: str) -> None:
    """CommentRefused when the text carries what no reader can see or read: an
    encoding error's replacement character, control characters, bidi overrides."""
    if REPLACEMENT_CHARACTER in text:
        raise CommentRefused(
            _(
                "Der Text enthält Zeichen, die nicht gelesen werden können. "
                "Bitte schreiben oder kopieren Sie ihn noch einmal."
            ),
            "unreadable",
        )
    if FORBIDDEN_CHARACTERS.search(text):
        raise CommentRefused(
            _(
                "Der Text enthält unsichtbare Steuerzeichen. Bitte entfernen Sie sie "
                "(oft hilft es, den Text neu zu tippen statt ihn einzufügen)."
            ),
            "control_characters",
        )


def clean_comment_text(text: str) -> str:
    """The text as it will be stored, or CommentRefused when it cannot be."""
    check_characters(text)
    text = normalise_text(text)
    if not text:
        raise CommentRefused(_("Bitte schreiben Sie zuerst Ihren Kommentar."), "empty")
    limit = settings.COMMENTS_MAX_LENGTH
    if len(text) > limit:
        raise CommentRefused(
            _(
                "Ihr Kommentar ist %(length)s Zeichen lang, erlaubt sind höchstens "
                "%(limit)s. Bitte kürzen Sie ihn um %(over)s Zeichen."
            )
            % {"length": len(text), "limit": limit, "over": len(text) - limit},
            "too_long",
        )
    links = count_links(text)
    if links > settings.COMMENTS_MAX_LINKS:
        raise CommentRefused(
            ngettext(
                "Ihr Kommentar enthält %(links)s Links, erlaubt ist höchstens %(limit)s.",
                "Ihr Kommentar enthält %(links)s Links, erlaubt sind höchstens %(limit)s.",
                settings.COMMENTS_MAX_LINKS,
            )
            % {"links": links, "limit": settings.COMMENTS_MAX_LINKS},
            "too_many_links",
        )
    return text


def _script(character: str) -> str | None:
    if not character.isalpha():
        return None
    name = unicodedata.name(character, "")
    return name.split(" ", 1)[0] if name else None


def mixed_script_words(text: str) -> list[str]:
    """Words that mix Latin, Cyrillic or Greek letters ("Ρaypal" with a Greek Rho):
    legitimate text rarely does, spoofing often does."""
    found = []
    for word in re.findall(r"\w{2,}", text):
        scripts = {_script(char) for char in word} & CONFUSABLE_SCRIPTS
        if len(scripts) > 1:
            found.append(word)
    return found


def banned_words_in(text: str, banned: list[str]) -> list[str]:
    folded = text.casefold()
    hits = []
    for word in banned:
        pattern = r"(?<!\w)" + re.escape(word.casefold()) + r"(?!\w)"
        if re.search(pattern, folded):
            hits.append(word)
    return hits


def queue_reasons(text: str, banned: list[str]) -> list[str]:
    """Why this text must be seen by a moderator before it is shown, if at all."""
    reasons = []
    hits = banned_words_in(text, banned)
    if hits:
        reasons.append(_("Verbotene Wörter: %(words)s") % {"words": ", ".join(hits)})
    links = count_links(text)
    if links > settings.COMMENTS_LINK_LIMIT:
        reasons.append(
            _("%(links)s Links (Grenze: %(limit)s)")
            % {"links": links, "limit": settings.COMMENTS_LINK_LIMIT}
        )
    mixed = mixed_script_words(text)
    if mixed:
        reasons.append(_("Wörter in gemischter Schrift: %(words)s") % {"words": ", ".join(mixed)})
    return reasons
