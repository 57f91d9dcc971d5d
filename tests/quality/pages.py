"""The public pages and states the reader-experience checks visit, with the demo loaded.

`prepare_states()` adds what the demo lacks (an article with exactly three comments, one
with 200, a pledge with its signed self-service link) and returns every page reached by
GET. States reached by a form (an invalid IBAN, a comment waiting for moderation …) are
driven through the real forms in tests/browser/test_reader_states.py and, with Django's
test client, in test_html_validity.py. Extend these lists when a feature adds a page or a
state readers see.

Two kinds of page: *reading pages* (reading, searching, the first step of the support
form, the error pages) set no cookie at all for an anonymous reader; *form pages* carry a
POST form and may set Django's CSRF cookie, and nothing else, for an anonymous reader.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock

from lesefrei.comments import selectors as comment_selectors
from lesefrei.comments import services as comment_services
from lesefrei.comments.models import ArticleCommentStats
from lesefrei.content.models import (
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    SectionPage,
    TopicIndexPage,
)
from lesefrei.live.models import LiveTickerPage
from lesefrei.pages.models import CorrectionsPage, LegalPage

MANY_COMMENTS = 200
CSRF_COOKIE = "csrftoken"


@dataclass(frozen=True)
class ReaderPage:
    name: str
    path: str
    status: int = 200
    reading: bool = True  # a reading page sets no cookie; a form page only the CSRF cookie


@dataclass(frozen=True)
class States:
    """What prepare_states() made: the pages, and the articles the checks look at."""

    pages: list[ReaderPage]
    article_without_comments: ArticlePage
    article_with_three: ArticlePage
    article_with_many: ArticlePage

    def path(self, name: str) -> str:
        return next(page.path for page in self.pages if page.name == name)


def _article_with_image() -> ArticlePage:
    return (
        ArticlePage.objects.live()
        .filter(lead_image__isnull=False)
        .order_by("-published_at")
        .first()
    )


def _articles_without_comments() -> list[ArticlePage]:
    commented = ArticleCommentStats.objects.filter(approved_count__gt=0).values("article_id")
    return list(
        ArticlePage.objects.live()
        .exclude(pk__in=commented)
        .filter(lead_image__isnull=False)
        .order_by("-published_at")
    )


def add_comments(article: ArticlePage, number: int) -> None:
    """`number` approved comments by a handful of readers, every fifth one a reply, each
    posted and approved through the services the site uses."""
    from lesefrei.accounts.services import create_reader

    readers = [
        create_reader(
            f"diskussion{article.pk}-{n}@example.org",
            f"Diskutantin {article.pk}-{n}",
            "geheim-123",
            verified=True,
        )
        for n in range(1, 6)
    ]
    previous = None
    for n in range(number):
        text = (
            f"Beitrag {n + 1}: Ein sachlicher Gedanke zum Artikel, der auf einen "
            "Bildschirm passt und zeigt, wie sich eine lange Diskussion liest."
        )
        parent = previous if n % 5 == 4 else None
        result = comment_services.post_comment(
            readers[n % len(readers)], article, text, parent=parent, rate_limited=False
        )
        comment_services.approve_comment(result.comment, None)
        if parent is None:
            previous = result.comment


def _manage_path() -> str:
    from lesefrei.support import links
    from lesefrei.support.tests.factories import pledge

    return links.manage_path(pledge("10", "monthly", email="selbst.verwaltet@example.org"))


def prepare_states() -> States:
    """Add the discussions and the pledge to the loaded demo; return every GET page."""
    without, three, many, *_ = _articles_without_comments()
    add_comments(three, 3)
    add_comments(many, MANY_COMMENTS)
    correction = ArticlePage.objects.live().exclude(correction="").first()
    pages = [
        ReaderPage("home", "/"),
        ReaderPage("section", SectionPage.objects.live().first().url),
        ReaderPage("article", _article_with_image().url),
        ReaderPage("article-correction", correction.url),
        ReaderPage("article-no-comments", without.url),
        ReaderPage("article-3-comments", three.url),
        ReaderPage("article-200-comments", many.url),
        ReaderPage("comments-page", f"/kommentare/{many.pk}/"),
        ReaderPage("comments-page-last", f"/kommentare/{many.pk}/?sortierung=neueste&seite=7"),
        ReaderPage("authors", AuthorIndexPage.objects.live().first().url),
        ReaderPage("author", AuthorPage.objects.live().first().url),
        ReaderPage("topics", TopicIndexPage.objects.live().first().url),
        ReaderPage("topic", "/themen/klimaschutz/"),
        ReaderPage("live-ticker", LiveTickerPage.objects.live().first().url),
        ReaderPage("imprint", LegalPage.objects.live().get(kind=LegalPage.Kind.IMPRINT).url),
        ReaderPage("privacy", LegalPage.objects.live().get(kind=LegalPage.Kind.PRIVACY).url),
        ReaderPage(
            "contact",
            LegalPage.objects.live().get(kind=LegalPage.Kind.CONTACT).url,
            reading=False,
        ),
        ReaderPage("corrections-log", CorrectionsPage.objects.live().first().url),
        ReaderPage("search", "/suche/?q=Klima"),
        ReaderPage("search-empty", "/suche/"),
        ReaderPage("search-no-results", "/suche/?q=Xylophonorchester"),
        ReaderPage("support-choice", "/unterstuetzen/"),
        ReaderPage("support-form", "/unterstuetzen/?betrag=10&intervall=monatlich", reading=False),
        ReaderPage("signup", "/konto/signup/", reading=False),
        ReaderPage("login", "/konto/login/", reading=False),
        ReaderPage("password-reset", "/konto/password/reset/", reading=False),
        ReaderPage("supporter-self-service", _manage_path(), reading=False),
        ReaderPage("not-found", "/diese-seite-gibt-es-nicht/", status=404),
    ]
    return States(pages, without, three, many)


@contextmanager
def failing_view(article: ArticlePage) -> Iterator[ReaderPage]:
    """The comments page of `article` raises as an unexpected bug would, so Django's own
    500 handler answers (DEBUG is off in tests); yields that page."""
    with mock.patch.object(
        comment_selectors, "comment_page", side_effect=RuntimeError("Absichtlicher Fehler")
    ):
        yield ReaderPage("server-error", f"/kommentare/{article.pk}/", status=500)
