import json
from datetime import timedelta

import pytest
from django.utils import timezone
from openapi_spec_validator import validate

from tests import factories

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def articles():
    politics = factories.section("Politik")
    culture = factories.section("Kultur")
    author = factories.author("Miriam Köhler")
    now = timezone.now()
    return {
        "pension": factories.article(
            politics,
            headline="Streit um die Haltelinie",
            authors=[author],
            topics=["Rente"],
            published_at=now - timedelta(days=3),
        ),
        "bus": factories.article(
            politics, headline="Bürger kaufen ihren Bus", published_at=now - timedelta(days=1)
        ),
        "stage": factories.article(
            culture,
            headline="Uraufführung in Detmold",
            topics=["Theater"],
            published_at=now - timedelta(hours=1),
        ),
        "draft": factories.article(politics, headline="Noch geheim", publish=False),
    }


def get_json(client, url: str, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def headlines(data: dict) -> list[str]:
    return [item["headline"] for item in data["results"]]


def test_openapi_schema_is_served_and_valid(client):
    schema = get_json(client, f"{API}/openapi.json")
    validate(schema)
    assert schema["info"]["version"] == "1.0.0"
    assert {
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/articles/{article_id}/ninjs",
        "/api/v1/sections",
    } <= set(schema["paths"])
    assert client.get(f"{API}/docs").status_code == 200


def test_every_documented_path_answers_as_described(client, articles):
    schema = get_json(client, f"{API}/openapi.json")
    article_id = articles["pension"].pk
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert method == "get", f"{path} is not read-only"
            url = path.replace("{article_id}", str(article_id))
            response = client.get(url)
            assert str(response.status_code) in operation["responses"], path
            assert response.status_code == 200, path
            assert response["Content-Type"].startswith("application/json")
            body = response.json()
            ref = operation["responses"]["200"]["content"]["application/json"]["schema"]
            if ref.get("$ref", "").endswith("ArticleDetail"):
                required = schema["components"]["schemas"]["ArticleDetail"]["required"]
                assert set(required) <= set(body)


def test_api_is_read_only(client, articles):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"{API}/articles/{articles['bus'].pk}")
        assert response.status_code == 405


def test_articles_list_is_newest_first_and_skips_drafts(client, articles):
    data = get_json(client, f"{API}/articles")
    assert headlines(data) == [
        "Uraufführung in Detmold",
        "Bürger kaufen ihren Bus",
        "Streit um die Haltelinie",
    ]
    first = data["results"][2]
    assert first["kicker"] == articles["pension"].kicker
    assert first["section"] == "politik"
    assert first["authors"][0]["name"] == "Miriam Köhler"
    assert first["topics"] == ["Rente"]
    assert first["url"].endswith(articles["pension"].url)


def test_filters_by_section_topic_author_and_since(client, articles):
    assert headlines(get_json(client, f"{API}/articles", section="kultur")) == [
        "Uraufführung in Detmold"
    ]
    assert headlines(get_json(client, f"{API}/articles", topic="rente")) == [
        "Streit um die Haltelinie"
    ]
    assert headlines(get_json(client, f"{API}/articles", author="miriam-koehler")) == [
        "Streit um die Haltelinie"
    ]
    since = (timezone.now() - timedelta(days=2)).isoformat()
    assert headlines(get_json(client, f"{API}/articles", since=since)) == [
        "Uraufführung in Detmold",
        "Bürger kaufen ihren Bus",
    ]
    assert headlines(get_json(client, f"{API}/articles", section="gibt-es-nicht")) == []


def test_bad_filter_values_are_client_errors(client, articles):
    assert client.get(f"{API}/articles", {"since": "gestern"}).status_code == 422
    assert client.get(f"{API}/articles", {"cursor": "kaputt"}).status_code in {400, 422}


def test_cursor_pagination_walks_all_articles_once(client, articles):
    seen: list[str] = []
    data = get_json(client, f"{API}/articles", page_size=2)
    seen += headlines(data)
    assert data["next"]
    while data["next"]:
        data = client.get(data["next"]).json()
        seen += headlines(data)
    assert len(seen) == 3 == len(set(seen))


def test_article_detail_and_404_for_drafts(client, articles):
    data = get_json(client, f"{API}/articles/{articles['pension'].pk}")
    assert data["headline"] == "Streit um die Haltelinie"
    assert "<h2>Was jetzt geschieht</h2>" in data["body_html"]
    assert "„Wir bleiben dran“" in data["body_html"]
    assert client.get(f"{API}/articles/{articles['draft'].pk}").status_code == 404
    assert client.get(f"{API}/articles/999999").status_code == 404


def test_answers_are_cacheable_and_revalidate_with_etag(client, articles):
    url = f"{API}/articles/{articles['bus'].pk}"
    response = client.get(url)
    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]
    assert response["Last-Modified"]
    assert response.cookies == {}
    etag = response["ETag"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304


def test_rate_limit_answers_429_with_retry_after(client, articles, settings):
    from lesefrei.discovery.api import api

    (throttle,) = api.throttle
    throttle.rate = "3/m"
    throttle.num_requests, throttle.duration = throttle.parse_rate("3/m")
    try:
        responses = [client.get(f"{API}/sections") for _ in range(4)]
    finally:
        throttle.rate = settings.LESEFREI_API_RATE
        throttle.num_requests, throttle.duration = throttle.parse_rate(throttle.rate)
    assert [response.status_code for response in responses] == [200, 200, 200, 429]
    assert int(responses[-1]["Retry-After"]) > 0


def test_ninjs_endpoint_serves_the_article_as_ninjs(client, articles):
    data = get_json(client, f"{API}/articles/{articles['pension'].pk}/ninjs")
    assert data["type"] == "text"
    assert data["headlines"][0]["value"] == "Streit um die Haltelinie"
    assert json.dumps(data, ensure_ascii=False)


def test_article_list_costs_a_fixed_number_of_queries(
    client, articles, django_assert_max_num_queries
):
    for number in range(10):
        factories.article(headline=f"Meldung {number}", topics=["Rente"])
    with django_assert_max_num_queries(12):
        data = get_json(client, f"{API}/articles", page_size=13)
    assert len(data["results"]) == 13
