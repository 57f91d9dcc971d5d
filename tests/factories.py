"""Small builders for the page tree. Each returns saved, published pages made through
the same services the CMS, the importers and the demo use."""

from collections.abc import Sequence
from datetime import datetime
from itertools import count
from typing import Any

from lesefrei.content.models import (
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    CreditedImage,
    HomePage,
    SectionPage,
    TopicIndexPage,
)
from lesefrei.content.services import create_article, german_slug
from lesefrei.demo.images import demo_image, draw_landscape

_sequence = count(1)


def home_page() -> HomePage:
    return HomePage.objects.get()


def index_pages() -> tuple[AuthorIndexPage, TopicIndexPage]:
    home = home_page()
    authors = AuthorIndexPage.objects.first()
    if authors is None:
        authors = AuthorIndexPage(title="Autorinnen und Autoren", slug="autorinnen")
        home.add_child(instance=authors)
    topics = TopicIndexPage.objects.first()
    if topics is None:
        topics = TopicIndexPage(title="Themen", slug="themen")
        home.add_child(instance=topics)
    return authors, topics


def section(title: str = "Politik", **fields: Any) -> SectionPage:
    home = home_page()
    slug = german_slug(title)
    existing = SectionPage.objects.filter(slug=slug).first()
    if existing:
        return existing
    page = SectionPage(title=title, slug=slug, show_in_menus=True, **fields)
    home.add_child(instance=page)
    return page


def author(name: str | None = None, **fields: Any) -> AuthorPage:
    authors_index, _ = index_pages()
    name = name or f"Autorin {next(_sequence)}"
    page = AuthorPage(title=name, slug=german_slug(name), **fields)
    authors_index.add_child(instance=page)
    return page


DEFAULT_BODY: Sequence[tuple[str, Any]] = (
    ("paragraph", "<p>Der erste Absatz erzählt, was geschehen ist, und zwar ausführlich.</p>"),
    ("subheading", "Was jetzt geschieht"),
    ("paragraph", "<p>„Wir bleiben dran“, sagt die Sprecherin der Initiative.</p>"),
    ("quote", {"text": "Das ist erst der Anfang.", "attribution": "Jana Oberländer"}),
)


def article(
    in_section: SectionPage | None = None,
    *,
    headline: str | None = None,
    kicker: str = "Debatte um die Rente",
    teaser: str = "Ein Satz, der den Text eröffnet.",
    authors: Sequence[AuthorPage] = (),
    topics: Sequence[str] = (),
    body: Sequence[tuple[str, Any]] = DEFAULT_BODY,
    published_at: datetime | None = None,
    publish: bool = True,
    **fields: Any,
) -> ArticlePage:
    index_pages()
    return create_article(
        in_section or section(),
        headline=headline or f"Mithalten im Wandel der Zeit {next(_sequence)}",
        teaser=teaser,
        kicker=kicker,
        body=body,
        authors=authors,
        topics=topics,
        published_at=published_at,
        publish=publish,
        **fields,
    )


def image(title: str, key: str, description: str) -> CreditedImage:
    """A small landscape image credited like the demo's ("lesefrei-Grafik")."""
    return demo_image(title, key, draw_landscape(key, 320, 180), description)
