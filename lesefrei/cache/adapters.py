"""Where the cache layer leans on Wagtail's per-request caches, in one place.

Wagtail keeps the site of a request in ``request._wagtail_site`` (``Site.find_for_request``)
and the route in ``request._wagtail_route_for_request`` (``Page.route_for_request``, whose
docstring names the attribute). Handing Wagtail a site and a route kept from an earlier
request saves the site query and two queries per level of the page tree on every render
that the page cache misses (docs/performance.md, "Kept routes"). These attributes are
not documented API: ``tests/test_adapters.py`` fails when Wagtail stops reading them.
Everything else here is public Django and Wagtail API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.url_routing import RouteResult

from . import pieces

if TYPE_CHECKING:  # wagtail.models needs the app registry: imported where used
    from wagtail.models import Page, Site

SITE_ATTRIBUTE = "_wagtail_site"
ROUTE_ATTRIBUTE = "_wagtail_route_for_request"
SITE_FIELDS = ["id", "hostname", "port", "site_name", "root_page_id", "is_default_site"]


def host_and_port(request: HttpRequest) -> str:
    try:
        host = request.get_host()
    except DisallowedHost:
        host = ""  # refused by Django's middleware anyway; only the default site matches
    return f"{split_domain_port(host)[0]}:{request.get_port()}"


def current_site(request: HttpRequest | None) -> Site | None:
    """Wagtail's site for the request (`Site.find_for_request`), looked up once per
    content version instead of once per request."""
    if request is None:
        return None
    if not hasattr(request, SITE_ATTRIBUTE):
        version = pieces.content_version(request)
        row = pieces.kept("site:" + host_and_port(request), version, lambda: site_row(request))
        set_site(request, site_from_row(row))
    return getattr(request, SITE_ATTRIBUTE)


def site_row(request: HttpRequest) -> tuple | None:
    """The fields of the request's site, as Wagtail finds it."""
    from wagtail.models import Site
    from wagtail.models.sites import get_site_for_hostname

    hostname, port = host_and_port(request).rsplit(":", 1)
    try:
        site = get_site_for_hostname(hostname, int(port))
    except Site.DoesNotExist:
        return None
    return row_of(site)


def row_of(site: Site) -> tuple:
    return tuple(getattr(site, field) for field in SITE_FIELDS)


def site_from_row(row: tuple | None) -> Site | None:
    from wagtail.models import Site

    return Site.from_db("default", SITE_FIELDS, row) if row else None


def set_site(request: HttpRequest, site: Site | None) -> None:
    """Hand Wagtail the request's site (read by `Site.find_for_request`)."""
    setattr(request, SITE_ATTRIBUTE, site)


def routed(request: HttpRequest) -> bool:
    """Whether Wagtail (or `set_route`) has routed this request already."""
    return hasattr(request, ROUTE_ATTRIBUTE)


def routed_page(request: HttpRequest) -> Page | None:
    route: Any = getattr(request, ROUTE_ATTRIBUTE, None)
    return route.page if route is not None else None


def set_route(request: HttpRequest, page: Page) -> None:
    """Hand Wagtail the page to serve (read by `Page.route_for_request`)."""
    setattr(request, ROUTE_ATTRIBUTE, RouteResult(page))
