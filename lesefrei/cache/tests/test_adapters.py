"""The two Wagtail request attributes the cache layer hands Wagtail its site and route
through (lesefrei/cache/adapters.py): these tests fail when Wagtail stops reading them."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page, Site

from lesefrei.cache import adapters
from tests import factories

pytestmark = pytest.mark.django_db


def test_wagtail_takes_the_site_handed_to_it():
    request = RequestFactory().get("/")
    handed = Site(id=999, hostname="elsewhere.example", port=80, root_page_id=1)
    adapters.set_site(request, handed)
    assert Site.find_for_request(request) is handed


def test_wagtail_serves_the_route_handed_to_it_without_routing():
    article = factories.article()
    request = RequestFactory().get("/kein/solcher/pfad/")
    adapters.set_route(request, article)
    assert adapters.routed(request)
    route = Page.route_for_request(request, "/kein/solcher/pfad/")
    assert route.page == article and not route.args and not route.kwargs


def test_a_route_wagtail_found_is_read_back():
    article = factories.article()
    request = RequestFactory().get(article.url)
    assert not adapters.routed(request)
    Page.route_for_request(request, article.url)
    assert adapters.routed(request) and adapters.routed_page(request).pk == article.pk


def test_the_site_is_found_for_the_request_host_and_kept_as_a_row():
    article = factories.article()
    request = RequestFactory().get(article.url)
    site = adapters.current_site(request)
    assert site == Site.find_for_request(RequestFactory().get(article.url))
    assert adapters.site_from_row(adapters.row_of(site)) == site
