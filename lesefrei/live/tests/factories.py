"""Builders for ticker tests: pages through Wagtail's own calls, entries through the
services the admin uses."""

from itertools import count
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group

from lesefrei.content.services import unique_child_slug
from lesefrei.content.slugs import german_slug
from lesefrei.live.models import LiveTickerPage
from tests import factories

_sequence = count(1)


def ticker(headline: str | None = None, *, publish: bool = True, **fields: Any) -> LiveTickerPage:
    factories.index_pages()
    section = factories.section()
    headline = headline or f"Wahlabend im Landtag {next(_sequence)}"
    page = LiveTickerPage(
        title=headline,
        slug=unique_child_slug(section, german_slug(headline)),
        kicker=fields.pop("kicker", "Landtagswahl"),
        teaser=fields.pop("teaser", "Wir berichten laufend vom Wahlabend."),
        body=fields.pop("body", [("paragraph", "<p>Die Lage in Kürze.</p>")]),
        live=False,
        **fields,
    )
    section.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def editor() -> AbstractBaseUser:
    user = get_user_model().objects.create_user(
        username=f"redaktion{next(_sequence)}", password="geheim-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def reader() -> AbstractBaseUser:
    return get_user_model().objects.create_user(
        username=f"leserin{next(_sequence)}", password="geheim-123"
    )
