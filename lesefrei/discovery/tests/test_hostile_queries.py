"""Anonymous requests with values no form would send: a clear 4xx answer, never a 5xx."""

import base64

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def article():
    return factories.article(factories.section("Politik"), headline="Streit um die Rente")


@pytest.mark.parametrize(
    "query",
    [
        {"since": "2020-01-01T00:00:00+16:00"},
        {"since": "0001-01-01T00:00:00+01:00"},
        {"since": "9999-12-31T23:59:59-01:00"},
        {"section": "\x00"},
        {"topic": "\x00"},
        {"author": "\x00"},
        {"section": "politik\x00"},
    ],
)
def test_article_list_answers_422_for_values_outside_what_it_stores(client, article, query):
    response = client.get(f"{API}/articles", query)
    assert response.status_code == 422, response.content
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        base64.b64encode(b"\x00\xff\xfe").decode(),
        base64.b64encode(b"o=0&p=\x00").decode(),
        base64.b64encode(b"o=99999999999999999999&r=1&p=2020").decode(),
        base64.b64encode(b"p=not-a-date").decode(),
        base64.b64encode(b"p=9999-12-31T23%3A59%3A59-01%3A00").decode(),
        "%00",
    ],
)
def test_article_list_answers_a_4xx_for_a_forged_cursor(client, article, cursor):
    response = client.get(f"{API}/articles", {"cursor": cursor})
    assert 400 <= response.status_code < 500, response.content


@pytest.mark.parametrize(
    "query",
    [
        {"q": "Rente", "bis": "9999-12-31"},
        {"q": "Rente", "von": "9999-12-31"},
        {"q": "Rente", "von": "0001-01-01", "bis": "0001-01-01"},
        {"q": "Rente\x00"},
        {"q": "Rente", "ressort": "\x00"},
        {"q": "Rente", "seite": "99999999999999999999"},
    ],
)
def test_search_page_answers_without_a_server_error_for_edge_values(client, article, query):
    response = client.get("/suche/", query)
    assert response.status_code < 500


def test_search_until_the_last_day_of_year_9999_finds_todays_article(client, article):
    response = client.get("/suche/", {"q": "Rente", "bis": "9999-12-31"})
    assert response.status_code == 200
    assert "/politik/streit-um-die-rente/" in response.content.decode()
