"""The Content Security Policy readers' browsers enforce, and the admin's own."""

import pytest
from django.urls import reverse

from lesefrei.cache.tests.test_pages import wsgi_get
from tests import factories

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_reader_pages_run_only_our_own_files_and_cannot_be_framed(client):
    article = factories.article()
    paths = ["/", article.url, "/suche/?q=Rente", reverse("support:pledge"), "/gibt/es/nicht/"]
    for path in paths:
        policy = directives(client.get(path)["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"], path
        assert policy["script-src"] == ["'self'"], path
        assert policy["style-src"] == ["'self'"], path
        assert policy["img-src"] == ["'self'"], path
        assert policy["form-action"] == ["'self'"], path
        assert policy["frame-ancestors"] == ["'none'"], path
        assert policy["object-src"] == ["'none'"], path


def test_a_page_served_from_the_store_keeps_its_policy(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    article = factories.article()
    rendered = client.get(article.url)
    status, headers, _ = wsgi_get(article.url)
    assert status == "200 OK" and headers["X-Page-Cache"] == "hit"
    assert headers["Content-Security-Policy"] == rendered["Content-Security-Policy"]


def test_the_admin_gets_its_own_policy_and_asks_no_avatar_service(client, django_user_model):
    staff = django_user_model.objects.create_superuser("chefin", "chefin@example.org", "x" * 12)
    client.force_login(staff)
    response = client.get("/cms/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert "gravatar" not in response.text


def test_the_api_docs_may_draw_data_icons_but_run_no_inline_script(client):
    response = client.get(reverse("discovery:api-v1:openapi-view"))
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["script-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]


def test_a_preview_keeps_the_reader_policy_but_the_admin_may_frame_it(rf):
    draft = factories.article(headline="Noch ein Entwurf", publish=False)
    response = draft.make_preview_request(rf.get("/cms/"))
    assert response.status_code == 200 and "Noch ein Entwurf" in response.text
    policy = directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
