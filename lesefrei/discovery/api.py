"""The public read API, version 1 (django-ninja): published articles for apps and
syndication partners. Read-only, no login, rate-limited per client address, cacheable.

The OpenAPI schema is generated from the type hints and schemas below and served at
/api/v1/openapi.json (interactive docs at /api/v1/docs); the tests validate it.
"""

from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.decorators import decorator_from_middleware
from django.utils.http import http_date
from django.views.decorators.cache import cache_control
from django.views.decorators.csp import csp_override
from ninja import Field, FilterSchema, NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from ninja.pagination import CursorPagination, paginate
from ninja.throttling import AnonRateThrottle
from pydantic import ValidationError as PydanticValidationError
from pydantic import field_validator
from wagtail.rich_text import expand_db_html

from lesefrei.content.models import ArticlePage, SectionPage
from lesefrei.content.selectors import published_articles, with_authors

from .ninjs import article_to_ninjs
from .rendering import absolute, body_html, lead_rendition, page_url

api = NinjaAPI(
    title=f"{settings.WAGTAIL_SITE_NAME} API",
    version="1.0.0",
    description=(
        "Read-only access to the published articles: lists with filters and cursor "
        "pagination, single articles with their body as HTML, and each article as IPTC "
        "ninjs 2.2. No authentication; requests are rate-limited per client address "
        f"({settings.LESEFREI_API_RATE}); answers carry Cache-Control and ETag."
    ),
    # Nested in the app's namespace; Swagger UI comes from ninja's static files (no CDN).
    urls_namespace="discovery:api-v1",
    throttle=[AnonRateThrottle(settings.LESEFREI_API_RATE)],
    # Swagger UI draws its small icons from data: addresses; the site's policy otherwise.
    docs_decorator=csp_override(
        {**settings.SECURE_CSP, "img-src": [*settings.SECURE_CSP["img-src"], "data:"]}
    ),
)

# Every answer may be cached by browsers and proxies for a short while and is
# revalidated with its ETag (Django's conditional GET: 304 when unchanged).
cacheable = decorate_view(
    cache_control(public=True, max_age=settings.LESEFREI_API_CACHE_SECONDS),
    decorator_from_middleware(ConditionalGetMiddleware),
)


def error_response(description: str, detail: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"detail": detail},
                    "required": ["detail"],
                }
            }
        },
    }


# The answers besides 200 that every operation may give, documented so that clients (and
# the generated tests in discovery/tests/test_api_generated.py) know them.
NOT_FOUND = error_response("No published article with this id", {"type": "string"})
INVALID = error_response(
    "A parameter is not valid (wrong type, pattern or range; a forged cursor)",
    {"type": "array", "items": {"type": "object"}},
)
THROTTLED = error_response("Too many requests from this address", {"type": "string"})


def documented(*, not_found: bool = False) -> dict[str, Any]:
    responses = {"422": INVALID, "429": THROTTLED}
    if not_found:
        responses["404"] = NOT_FOUND
    return {"responses": responses}


class Author(Schema):
    name: str
    url: str


class Section(Schema):
    slug: str
    title: str
    url: str


class ArticleSummary(Schema):
    id: int
    url: str = Field(description="Public address of the article page")
    kicker: str = Field(description="Short topic line above the headline (Dachzeile)")
    headline: str
    teaser: str
    section: str = Field(description="Slug of the article's section")
    published_at: datetime | None
    updated_at: datetime | None = Field(description="Last publication of a change")
    authors: list[Author]
    topics: list[str]
    image: str | None = Field(description="Lead image, 1200×675 JPEG")

    @staticmethod
    def resolve_url(article: ArticlePage) -> str:
        return page_url(article)

    @staticmethod
    def resolve_headline(article: ArticlePage) -> str:
        return article.title

    @staticmethod
    def resolve_section(article: ArticlePage) -> str:
        # url_path is "/<home>/<section>/<article>/": the section without a query per item.
        parts = article.url_path.strip("/").split("/")
        return parts[-2] if len(parts) >= 2 else article.get_parent().slug

    @staticmethod
    def resolve_published_at(article: ArticlePage) -> datetime | None:
        return article.date_published

    @staticmethod
    def resolve_updated_at(article: ArticlePage) -> datetime | None:
        return article.last_published_at

    @staticmethod
    def resolve_authors(article: ArticlePage) -> list[dict[str, str]]:
        return [{"name": a.title, "url": page_url(a)} for a in article.authors]

    @staticmethod
    def resolve_topics(article: ArticlePage) -> list[str]:
        return [topic.name for topic in article.topics.all()]

    @staticmethod
    def resolve_image(article: ArticlePage) -> str | None:
        rendition = lead_rendition(article)
        return absolute(rendition.url) if rendition else None


class ArticleDetail(ArticleSummary):
    place: str
    body_html: str = Field(description="Body as semantic HTML (p, h2, blockquote, figure)")
    correction: str = Field(description="Correction note as HTML, empty when there is none")

    @staticmethod
    def resolve_body_html(article: ArticlePage) -> str:
        return body_html(article)

    @staticmethod
    def resolve_correction(article: ArticlePage) -> str:
        return expand_db_html(article.correction) if article.correction else ""


# A slug as Wagtail makes them (letters, digits, "-" and "_"); anything else names no
# section, topic or author and is answered with 422 before it reaches the database
# (PostgreSQL refuses a NUL byte in a text parameter with an error of its own).
SLUG_PATTERN = r"^[-\w]+$"


def stored_datetime(value: datetime) -> datetime:
    """The moment as the database stores it (UTC), or ValueError when the database cannot
    hold it: an offset beyond ±15:59 (PostgreSQL's limit) or a moment that leaves the
    years 1-9999 once it is moved to UTC."""
    if timezone.is_naive(value):
        value = value.replace(tzinfo=timezone.get_current_timezone())
    offset = value.utcoffset()
    if offset is not None and abs(offset.total_seconds()) >= 16 * 3600:
        raise ValueError("UTC offset out of range (at most ±15:59)")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("date out of range") from None


class ArticleFilters(FilterSchema):
    section: str | None = Field(
        None, description="Section slug, e.g. `politik`", pattern=SLUG_PATTERN, max_length=255
    )
    topic: str | None = Field(
        None, description="Topic slug, e.g. `klimaschutz`", pattern=SLUG_PATTERN, max_length=255
    )
    author: str | None = Field(
        None,
        description="Author slug, e.g. `jana-oberlaender`",
        pattern=SLUG_PATTERN,
        max_length=255,
    )
    since: datetime | None = Field(
        None,
        description=(
            "Only articles published at or after this moment (ISO 8601; an offset within "
            "±15:59; a naive time is read in the site's time zone)"
        ),
    )

    @field_validator("since", mode="before")
    @classmethod
    def since_is_iso_8601(cls, value: Any) -> Any:
        # pydantic would also read "0.5" or "1700000000" as seconds since 1970; the schema
        # promises an ISO 8601 date-time, and a number is more likely a client's mistake.
        if isinstance(value, str):
            parsed = parse_datetime(value)
            if parsed is None:
                raise ValueError("expected an ISO 8601 date and time, e.g. 2026-11-01T00:00:00Z")
            return parsed
        return value

    @field_validator("since")
    @classmethod
    def since_in_stored_range(cls, value: datetime | None) -> datetime | None:
        return stored_datetime(value) if value is not None else None

    def filter_section(self, value: str | None) -> Q:
        if not value:
            return Q()
        section = SectionPage.objects.filter(slug=value).first()
        return Q(path__startswith=section.path) if section else Q(pk__in=[])

    def filter_topic(self, value: str | None) -> Q:
        return Q(tagged_items__tag__slug=value) if value else Q()

    def filter_author(self, value: str | None) -> Q:
        return Q(article_authors__author__slug=value) if value else Q()

    def filter_since(self, value: datetime | None) -> Q:
        return Q(published_at__gte=value) if value else Q()


class ArticleCursorPagination(CursorPagination):
    """Ninja's cursor pagination over `published_at`, with the cursor checked before it
    reaches the database: a cursor is a client's string, and a forged one (not base64,
    not a moment, a moment out of range) must be a 422, not a database error."""

    class Cursor(CursorPagination.Cursor):
        @field_validator("p")
        @classmethod
        def position_is_a_stored_moment(cls, value: str | None) -> str | None:
            if value is None:
                return None
            try:
                moment = parse_datetime(value)
            except ValueError:
                moment = None
            if moment is None:
                raise ValueError("position is not a date and time")
            return str(stored_datetime(moment))

        @classmethod
        def from_encoded_param(
            cls, encoded_param: str | None, context: Any = None
        ) -> CursorPagination.Cursor:
            try:
                return super().from_encoded_param(encoded_param, context)
            except (PydanticValidationError, UnicodeDecodeError) as error:
                raise ValidationError([{"cursor": "Invalid Cursor"}]) from error


def api_articles() -> QuerySet[ArticlePage]:
    return with_authors(published_articles()).prefetch_related("topics")


@api.get("/articles", response=list[ArticleSummary], tags=["articles"], openapi_extra=documented())
@cacheable
@paginate(
    ArticleCursorPagination, ordering=("-published_at", "-pk"), page_size=20, max_page_size=100
)
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]) -> Any:
    """Published articles, newest first. Follow `next` for older ones."""
    return filters.filter(api_articles()).distinct()


def published_article(article_id: int) -> ArticlePage:
    return get_object_or_404(api_articles(), pk=article_id)


def mark_modified(response: HttpResponse, article: ArticlePage) -> None:
    if article.last_published_at:
        response["Last-Modified"] = http_date(article.last_published_at.timestamp())


@api.get(
    "/articles/{article_id}",
    response=ArticleDetail,
    tags=["articles"],
    openapi_extra=documented(not_found=True),
)
@cacheable
def get_article(request: HttpRequest, article_id: int, response: HttpResponse) -> Any:
    """One published article with its body as HTML."""
    article = published_article(article_id)
    mark_modified(response, article)
    return article


@api.get(
    "/articles/{article_id}/ninjs",
    response=dict[str, Any],
    tags=["articles"],
    openapi_extra=documented(not_found=True),
)
@cacheable
def get_article_ninjs(request: HttpRequest, article_id: int, response: HttpResponse) -> Any:
    """One published article as an IPTC ninjs 2.2 news item."""
    article = published_article(article_id)
    mark_modified(response, article)
    return article_to_ninjs(article)


@api.get("/sections", response=list[Section], tags=["sections"], openapi_extra=documented())
@cacheable
def list_sections(request: HttpRequest) -> Any:
    """The sections, in the site's menu order (slugs for the `section` filter)."""
    return [
        {"slug": s.slug, "title": s.title, "url": page_url(s)}
        for s in SectionPage.objects.live().public().order_by("path")
    ]
