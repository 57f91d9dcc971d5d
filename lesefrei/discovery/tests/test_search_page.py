import pytest

from tests import factories

pytestmark = pytest.mark.django_db

URL = "/suche/"


@pytest.fixture
def articles():
    body = [("paragraph", "<p>Die Verhandlungen über den Klimafonds ziehen sich hin.</p>")]
    return [
        factories.article(headline=f"Klimafonds, Teil {n}", kicker="Europa", body=body)
        for n in range(1, 13)
    ]


def test_search_page_without_query_shows_the_form_and_sets_no_cookie(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="get"' in html
    assert 'role="search"' in html
    assert "csrfmiddlewaretoken" not in html
    assert response.cookies == {}
    assert "<script" not in html.split("</head>", 1)[1]


def test_results_show_kicker_headline_date_and_highlighted_snippet(client, articles):
    response = client.get(URL, {"q": "klimafonds"})
    html = response.content.decode()
    assert response.cookies == {}
    assert "12 Treffer" in html
    assert '<span class="kicker">Europa</span>' in html
    assert "<mark>Klimafonds</mark>, Teil" in html
    assert "Die Verhandlungen über den <mark>Klimafonds</mark> ziehen sich hin." in html
    assert "<time datetime=" in html


def test_results_are_paginated_keeping_the_query(client, articles, settings):
    settings.LESEFREI_SEARCH_PAGE_SIZE = 5
    first = client.get(URL, {"q": "Klimafonds"}).content.decode()
    assert first.count('class="search-hit"') == 5
    assert "?q=Klimafonds&amp;seite=2" in first
    last = client.get(URL, {"q": "Klimafonds", "seite": "3"}).content.decode()
    assert last.count('class="search-hit"') == 2
    beyond = client.get(URL, {"q": "Klimafonds", "seite": "999"})
    assert beyond.status_code == 200


def test_no_results_page_helps(client, articles):
    html = client.get(URL, {"q": "Wasserstoffzug"}).content.decode()
    assert "Keine Treffer für „Wasserstoffzug“" in html
    assert "Schreibweise" in html


def test_query_of_only_punctuation_asks_for_a_word(client, articles):
    html = client.get(URL, {"q": "?!… –"}).content.decode()
    assert "Bitte geben Sie ein Wort ein" in html


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert('x')</script>",
        '"><img src=x onerror=alert(1)>',
        "' OR '1'='1' --",
        "Klimafonds" * 500,
        "%00%27",
        "a:* & !b | (c",
    ],
)
def test_absurd_queries_never_fail_and_are_escaped(client, articles, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html


def test_invalid_filters_get_a_german_message(client, articles):
    html = client.get(URL, {"q": "Klimafonds", "von": "2026-13-45"}).content.decode()
    assert "Gültiges Datum" in html or "gültiges Datum" in html
    html = client.get(
        URL, {"q": "Klimafonds", "von": "2026-05-02", "bis": "2026-05-01"}
    ).content.decode()
    assert "liegt nach dem Datum" in html
    html = client.get(URL, {"q": "Klimafonds", "ressort": "gibt-es-nicht"}).content.decode()
    assert "Ressort:" in html


def test_section_filter_narrows_results(client, articles):
    culture = factories.section("Kultur")
    factories.article(culture, headline="Klimafonds im Theater")
    html = client.get(URL, {"q": "Klimafonds", "ressort": "kultur"}).content.decode()
    assert "1 Treffer" in html
    assert "Theater" in html


def test_post_is_not_allowed(client):
    assert client.post(URL, {"q": "x"}).status_code == 405
