"""Finding the page for an address without walking the page tree on every request.

Wagtail routes a request by loading the site, its root page and each page on the path
with its specific type: two queries per level, seven for an article. The route only
changes when content changes, so it is kept per content version (fragments.py): the
page's type and id. The live page itself only changes with the content too, so each
process keeps it (pickled, every request gets its own copy) under the same version: a
request whose pieces are all kept then needs no query at all. Everything else (view
restrictions, the page's own `serve`) runs as in Wagtail.
"""

import pickle
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from wagtail import views as wagtail_views
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from . import fragments
from .models import ReaderPage


class KeptRouteMiddleware:
    """Hands Wagtail's `serve` view the kept route (Wagtail reads it from
    `request._wagtail_route_for_request`, where it caches its own). The versions the
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
        if hasattr(request, "_wagtail_route_for_request"):
            return None
        path = args[0]
        key = f"route:{fragments.host_and_port(request)}:{path}"
        known = fragments.peek(key)
        fragments.expect_for_page(request, known[2] if known else None)
        version = fragments.content_version(request)
        route = fragments.kept(key, version, lambda: plain_route(request, path))
        if route is None:
            return None  # not a plain page: Wagtail routes it (or answers 404)
        site_row, label, pk = route
        page_key = f"page:{label}:{pk}"
        if hasattr(request, "_wagtail_route_for_request"):
            # Wagtail routed it just now: keep the live page it found for the next request.
            fragments.keep(page_key, version, pickled(request._wagtail_route_for_request.page))
            return None
        kept_page = fragments.kept(page_key, version, lambda: live_page(label, pk))
        page = pickle.loads(kept_page) if kept_page is not None else None
        if page is not None:
            request._wagtail_site = fragments.site_from_row(site_row)
            if isinstance(page, ReaderPage):
                page.remember_view_restrictions(request)
            request._wagtail_route_for_request = RouteResult(page)
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
    site = request._wagtail_site
    site_row = tuple(getattr(site, field) for field in fragments.SITE_FIELDS)
    return (site_row, result.page._meta.label_lower, result.page.pk)
