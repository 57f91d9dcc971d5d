"""Finding the page for an address without walking the page tree on every request.

Wagtail routes a request by loading the site, its root page and each page on the path
with its specific type: two queries per level, seven for an article. The route only
changes when content changes, so it is kept per content version (lesefrei/cache/): the
page's type and id. The live page itself only changes with the content too, so each
process keeps it (pickled, every request gets its own copy) under the same version: a
request whose pieces are all kept then needs no query at all. Everything else (view
restrictions, the page's own `serve`) runs as in Wagtail. Wagtail is handed the site
and the route through the request attributes it caches them in (lesefrei/cache/adapters.py).
"""

import pickle
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from lesefrei.cache import adapters, pieces, versions

from .models import ReaderPage


class KeptRouteMiddleware:
    """Hands Wagtail's `serve` view the kept route (adapters.set_route). The versions the
    page's kept pieces need are read in the same round trip as the content version."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict[str, Any]
    ) -> None:
        if view is not wagtail_views.serve or request.method not in ("GET", "HEAD") or not args:
            return None
        if adapters.routed(request):
            return None
        path = args[0]
        key = f"route:{adapters.host_and_port(request)}:{path}"
        known = pieces.peek(key)
        versions.expect_for_page(request, known[2] if known else None)
        version = pieces.content_version(request)
        route = pieces.kept(key, version, lambda: plain_route(request, path))
        if route is None:
            return None  # not a plain page: Wagtail routes it (or answers 404)
        site_row, label, pk = route
        page_key = f"page:{label}:{pk}"
        routed_page = adapters.routed_page(request)
        if routed_page is not None:
            # Wagtail routed it just now: keep the live page it found for the next request.
            pieces.keep(page_key, version, pickled(routed_page))
            return None
        kept_page = pieces.kept(page_key, version, lambda: live_page(label, pk))
        page = pickle.loads(kept_page) if kept_page is not None else None
        if page is not None:
            adapters.set_site(request, adapters.site_from_row(site_row))
            if isinstance(page, ReaderPage):
                page.remember_view_restrictions(request)
            adapters.set_route(request, page)
        return None


def live_page(label: str, pk: int) -> bytes | None:
    """The live page of type `label` with `pk`, pickled; None when it is not live."""
    page = apps.get_model(label)._default_manager.filter(pk=pk, live=True).first()
    return pickled(page) if page is not None else None


def pickled(page: Page) -> bytes:
    return pickle.dumps(page, pickle.HIGHEST_PROTOCOL)


def plain_route(request: HttpRequest, path: str) -> tuple[tuple, str, int] | None:
    """(site, model label, page id) of the plain page at `path`, routed by Wagtail; None
    when the address is not a plain page (nothing there, a sub-route of a routable page)."""
    result = Page.route_for_request(request, path)
    if result is None or result.args or result.kwargs:
        return None
    site = Site.find_for_request(request)
    return (adapters.row_of(site), result.page._meta.label_lower, result.page.pk)
