"""The public pages and states the reader-experience checks visit, with the demo loaded.

Each entry: a name (for screenshots and messages) and a function returning the path.
Extend this list when a feature adds a page or a state readers see.
"""

from collections.abc import Callable

from lesefrei.content.models import (
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    SectionPage,
    TopicIndexPage,
)


def _article_with_image() -> str:
    return (
        ArticlePage.objects.live()
        .filter(lead_image__isnull=False)
        .order_by("-published_at")
        .first()
        .url
    )


def _article_with_correction() -> str:
    return ArticlePage.objects.live().exclude(correction="").first().url


READER_PAGES: list[tuple[str, Callable[[], str]]] = [
    ("home", lambda: "/"),
    ("section", lambda: SectionPage.objects.live().first().url),
    ("article", _article_with_image),
    ("article-correction", _article_with_correction),
    ("authors", lambda: AuthorIndexPage.objects.live().first().url),
    ("author", lambda: AuthorPage.objects.live().first().url),
    ("topics", lambda: TopicIndexPage.objects.live().first().url),
    ("topic", lambda: "/themen/klimaschutz/"),
    ("search", lambda: "/suche/?q=Klima"),
    ("search-empty", lambda: "/suche/"),
    ("search-no-results", lambda: "/suche/?q=Xylophonorchester"),
    ("not-found", lambda: "/diese-seite-gibt-es-nicht/"),
]
