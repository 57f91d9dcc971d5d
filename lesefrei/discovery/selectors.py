"""Reads of discovery: search, the articles of feeds, sitemaps and the read API."""

import hashlib
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import overload

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.search.query import And, PlainText

from lesefrei.cache import CONTENT, cached_value, key
from lesefrei.content.models import (
    ArticleAuthor,
    ArticlePage,
    AuthorPage,
    SectionPage,
    Topic,
    public,
)
from lesefrei.content.selectors import published_articles, topics_in_use, with_authors

from . import search_backend
from .text import SearchQuery, article_text, highlight, snippet

logger = logging.getLogger(__name__)

# Relevance is re-weighted by recency over this many best hits; a reader who needs more
# than that refines the query.
SEARCH_RESULT_LIMIT = 200
# PostgreSQL ranks at most this many newest matches plus this many newest headline
# matches (search_backend.py), looked for among the SEARCH_WINDOW newest articles first;
# rarer words are looked up in the whole archive (the newest SEARCH_ARCHIVE_CANDIDATES).
SEARCH_CANDIDATES = 200
SEARCH_WINDOW = 2000
SEARCH_ARCHIVE_CANDIDATES = 300
# A ranking is kept this long (and until the next publication): the recency boost moves.
SEARCH_CACHE_SECONDS = 600


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


class SearchResults(Sequence[SearchHit]):
    """The ranked hits of one search: ids and scores, the articles loaded only for the
    slice that is shown (a page of ten, not all two hundred)."""

    def __init__(
        self,
        ranking: list[tuple[int, float]],
        terms: list[str],
        loaded: dict[int, ArticlePage] | None = None,
    ) -> None:
        self.ranking = ranking
        self.terms = terms
        self.loaded = loaded or {}

    def __len__(self) -> int:
        return len(self.ranking)

    @overload
    def __getitem__(self, index: int) -> SearchHit: ...
    @overload
    def __getitem__(self, index: slice) -> list[SearchHit]: ...
    def __getitem__(self, index: int | slice) -> SearchHit | list[SearchHit]:
        if isinstance(index, int):
            hits = self[index : index + 1 or None]
            if not hits:
                raise IndexError(index)
            return hits[0]
        wanted = self.ranking[index]
        missing = [pk for pk, _ in wanted if pk not in self.loaded]
        if missing:
            articles = public(ArticlePage.objects.live()).select_related("lead_image")
            self.loaded.update(articles.in_bulk(missing))
        # An article unpublished since the ranking was kept is left out.
        return [
            SearchHit(article=self.loaded[pk], score=score, terms=self.terms)
            for pk, score in wanted
            if pk in self.loaded
        ]

    def __iter__(self) -> Iterator[SearchHit]:
        return iter(self[:])


def search_articles(query: SearchQuery, filters: SearchFilters | None = None) -> SearchResults:
    """Published articles matching every word of `query`, best first (at most
    SEARCH_RESULT_LIMIT).

    The backend ranks by relevance (headline, kicker and teaser weigh more than body,
    authors and topics); the ranking is then multiplied by a recency boost, so that of
    two equally good hits the newer one comes first. The ranking (ids and scores) is
    kept in the cache under the content version, so a repeated search costs one cache
    read until something is published or unpublished.
    """
    if query.is_empty:
        return SearchResults([], [])
    filters = filters or SearchFilters()
    if connection.vendor != "postgresql":
        loaded: dict[int, ArticlePage] = {}
        ranking = backend_ranking(query, filters, loaded)
        return SearchResults(ranking, query.terms, loaded)
    asked = hashlib.sha256(
        repr(
            (
                [term.casefold() for term in query.terms],
                filters.section.pk if filters.section else None,
                filters.author.pk if filters.author else None,
                filters.date_from,
                filters.date_to,
            )
        ).encode()
    ).hexdigest()
    ranking = cached_value(
        key(None, "search", [CONTENT], asked),
        lambda: postgres_ranking(query, filters),
        SEARCH_CACHE_SECONDS,
    )
    return SearchResults(ranking, query.terms)


def backend_ranking(
    query: SearchQuery, filters: SearchFilters, loaded: dict[int, ArticlePage]
) -> list[tuple[int, float]]:
    """Wagtail's search backend ranks every match (SQLite's FTS5 does this quickly
    enough for the archives SQLite is meant for); the recency boost is applied here."""
    terms = [PlainText(term) for term in query.terms]
    search_query = terms[0] if len(terms) == 1 else And(terms)
    results = (
        filtered_articles(filters)
        .search(search_query, operator="and")
        .annotate_score("search_score")
    )
    now = timezone.now()
    scored = []
    for article in results[:SEARCH_RESULT_LIMIT]:
        loaded[article.pk] = article
        # SQLite's bm25() is better the lower (negative); the others the higher.
        score = abs(article.search_score or 0.0) * recency_boost(article.date_published, now)
        scored.append((score, article.date_published or now, article.pk))
    scored.sort(reverse=True)
    logger.info("search: %d terms, %d hits", len(query.terms), len(scored))
    return [(pk, score) for score, _, pk in scored]


def postgres_ranking(query: SearchQuery, filters: SearchFilters) -> list[tuple[int, float]]:
    """The best SEARCH_RESULT_LIMIT of a bounded set of candidates (search_backend.py):
    the newest SEARCH_CANDIDATES matches and the newest SEARCH_CANDIDATES headline
    matches, ranked by PostgreSQL with the recency boost."""
    config = settings.WAGTAILSEARCH_BACKENDS["default"].get("SEARCH_CONFIG") or "simple"
    words = search_backend.PostgresQuery(config, query.terms)
    # Articles and their page types (a live ticker is an article), each indexed under its own.
    content_type = get_descendants_content_types_pks(ArticlePage)
    window = (
        filtered_articles(filters)
        .order_by("-published_at")
        .values_list("pk", "published_at")[:SEARCH_WINDOW]
    )
    base_sql, base_params = window.query.sql_with_params()
    newest = search_backend.newest_matches(
        base_sql, list(base_params), words, content_type, SEARCH_CANDIDATES
    )
    candidates = set(newest)
    others: list[int] = []
    if len(newest) < SEARCH_CANDIDATES:
        # Fewer matches than wanted among the newest articles: rare words, which the
        # GIN indexes find quickly in the whole archive.
        others += search_backend.indexed_matches(words, content_type, SEARCH_ARCHIVE_CANDIDATES)
    others += search_backend.indexed_matches(
        words, content_type, SEARCH_CANDIDATES, headline_only=True
    )
    others = [pk for pk in dict.fromkeys(others) if pk not in candidates]
    if others:
        # The archive searches do not know the filters (live, public, section, author,
        # dates): only candidates that pass them stay.
        passing = filtered_articles(filters).filter(pk__in=others)
        candidates.update(passing.values_list("pk", flat=True))
    half_life = settings.LESEFREI_SEARCH_RECENCY_HALF_LIFE_DAYS or 0
    ranking = search_backend.ranked(
        words, content_type, sorted(candidates), SEARCH_RESULT_LIMIT, timezone.now(), half_life
    )
    logger.info(
        "search: %d terms, %d candidates, %d hits", len(query.terms), len(candidates), len(ranking)
    )
    return ranking


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


def public_topic(slug: str) -> Topic | None:
    """The topic `slug` if a live public article has it (topics_in_use), else None."""
    return topics_in_use().filter(slug=slug).first()


def recent_articles(hours: int = 48) -> QuerySet[ArticlePage]:
    """Published articles of the last `hours`, for the news sitemap."""
    since = timezone.now() - timedelta(hours=hours)
    return (
        public(ArticlePage.objects.live())
        .filter(published_at__gte=since)
        .prefetch_related("topics")
        .order_by("-published_at", "-pk")
    )
