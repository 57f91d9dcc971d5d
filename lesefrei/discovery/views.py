"""Thin views of discovery: the search page, robots.txt and the news sitemap."""

from collections.abc import Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from lesefrei.cache import add_cache_tags
from lesefrei.content.caching import EVERY_PAGE, SEARCH
from lesefrei.content.models import paginate

from .forms import SearchForm
from .rendering import absolute
from .selectors import SEARCH_RESULT_LIMIT, SearchHit, search_articles
from .sitemaps import news_sitemap_entries
from .text import parse_query


@require_GET
@cache_control(public=True, max_age=60)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = parse_query(request.GET.get("q"))
    hits: Sequence[SearchHit] = []
    searched = False
    if form.is_bound and form.is_valid() and not query.is_empty:
        hits = search_articles(query, form.filters())
        searched = True
    results = paginate(request, hits, settings.LESEFREI_SEARCH_PAGE_SIZE) if hits else None
    # The same for every reader: kept by the page cache until something is published.
    add_cache_tags(request, SEARCH, *EVERY_PAGE)
    return render(
        request,
        "discovery/search.html",
        {
            "form": form,
            "query": query,
            "searched": searched,
            "results": results,
            "hit_count": len(hits),
            "hit_limit_reached": len(hits) >= SEARCH_RESULT_LIMIT,
            "querystring": querystring_without_page(request),
        },
    )


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("seite", None)
    return params.urlencode()


@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.WAGTAILADMIN_PATH}",
        "Disallow: /suche/",
        "",
        f"Sitemap: {absolute(reverse('discovery:sitemap'))}",
        f"Sitemap: {absolute(reverse('discovery:news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=300)
def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Google's news sitemap: articles of the last 48 hours."""
    return render(
        request,
        "discovery/news_sitemap.xml",
        {
            "articles": news_sitemap_entries(hours=48),
            "publication_name": settings.WAGTAIL_SITE_NAME,
            "language": settings.LESEFREI_PUBLICATION_LANGUAGE,
        },
        content_type="application/xml; charset=utf-8",
    )
