"""Reads of discovery: search, the articles of feeds, sitemaps and the read API."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString
from wagtail.search.query import And, PlainText

from lesefrei.content.models import (
    ArticleAuthor,
    ArticlePage,
    AuthorPage,
    SectionPage,
    Topic,
    public,
)
from lesefrei.content.selectors import published_articles, with_authors

from .text import SearchQuery, article_text, highlight, snippet

logger = logging.getLogger(__name__)

# Relevance is re-weighted by recency over this many best hits; a reader who needs more
# than that refines the query.
SEARCH_RESULT_LIMIT = 200


@dataclass
class SearchFilters:
    section: SectionPage | None = None
    author: AuthorPage | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class SearchHit:
    article: ArticlePage
    score: float
    terms: list[str]

    @property
    def headline(self) -> SafeString:
        return highlight(self.article.title, self.terms)

    @property
    def kicker(self) -> SafeString:
        return highlight(self.article.kicker, self.terms)

    @property
    def snippet(self) -> SafeString:
        return snippet(article_text(self.article), self.terms)


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_articles(filters: SearchFilters) -> QuerySet[ArticlePage]:
    """Live, public articles restricted by the filters, using only fields the search
    index can filter on (path, id, published_at): the database backend cannot follow
    relations inside a search query."""
    articles = public(ArticlePage.objects.live()).select_related("lead_image")
    if filters.section is not None:
        articles = articles.descendant_of(filters.section)
    if filters.author is not None:
        # A list, not a subquery: OpenSearch/Elasticsearch need the ids themselves.
        written = ArticleAuthor.objects.filter(author=filters.author)
        articles = articles.filter(pk__in=list(written.values_list("article_id", flat=True)))
    if filters.date_from is not None:
        articles = articles.filter(published_at__gte=start_of_day(filters.date_from))
    if filters.date_to is not None:
        articles = articles.filter(published_at__lt=start_of_day(filters.date_to + timedelta(1)))
    return articles


def recency_boost(published: datetime | None, now: datetime) -> float:
    """1 for old articles, up to 2 for today's: halves every configured half-life."""
    half_life = settings.LESEFREI_SEARCH_RECENCY_HALF_LIFE_DAYS
    if not half_life or published is None:
        return 1.0
    age_days = max((now - published).total_seconds() / 86400, 0)
    return 1.0 + 0.5 ** (age_days / half_life)


def search_articles(query: SearchQuery, filters: SearchFilters | None = None) -> list[SearchHit]:
    """Published articles matching every word of `query`, best first.

    The backend ranks by relevance (headline, kicker and teaser weigh more than body,
    authors and topics); the ranking is then multiplied by a recency boost, so that of
    two equally good hits the newer one comes first.
    """
    if query.is_empty:
        return []
    terms = [PlainText(term) for term in query.terms]
    search_query = terms[0] if len(terms) == 1 else And(terms)
    results = (
        filtered_articles(filters or SearchFilters())
        .search(search_query, operator="and")
        .annotate_score("search_score")
    )
    now = timezone.now()
    hits = [
        SearchHit(
            article=article,
            # SQLite's bm25() is better the lower (negative); the others the higher.
            score=abs(article.search_score or 0.0) * recency_boost(article.date_published, now),
            terms=query.terms,
        )
        for article in results[:SEARCH_RESULT_LIMIT]
    ]
    hits.sort(key=lambda hit: (hit.score, hit.article.date_published or now), reverse=True)
    logger.info("search: %d terms, %d hits", len(query.terms), len(hits))
    return hits


def feed_articles(
    *,
    section: SectionPage | None = None,
    author: AuthorPage | None = None,
    topic: Topic | None = None,
) -> QuerySet[ArticlePage]:
    """The newest published articles of the site or of one section, author or topic."""
    articles = with_authors(published_articles()).prefetch_related("topics")
    if section is not None:
        articles = articles.child_of(section)
    if author is not None:
        articles = articles.filter(article_authors__author=author)
    if topic is not None:
        articles = articles.filter(tagged_items__tag=topic)
    return articles[: settings.LESEFREI_FEED_ITEMS]


def recent_articles(hours: int = 48) -> QuerySet[ArticlePage]:
    """Published articles of the last `hours`, for the news sitemap."""
    since = timezone.now() - timedelta(hours=hours)
    return (
        public(ArticlePage.objects.live())
        .filter(published_at__gte=since)
        .prefetch_related("topics")
        .order_by("-published_at", "-pk")
    )
