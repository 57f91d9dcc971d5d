"""Redis is an optimisation, not a dependency: with Redis away, readers get pages rendered
from the database, readers can log in, comment and pledge, /healthz says `degraded`;
when Redis returns the page cache fills again without a restart, and nothing it held
from before the outage is served after a change made during it."""

from __future__ import annotations

import re
import time
import urllib.request
from collections.abc import Iterator

import pytest
from django.urls import reverse

from lesefrei.cache.pages import PageCacheApp
from lesefrei.comments.models import Comment
from lesefrei.comments.tests import factories as comment_factories
from lesefrei.support.models import Pledge
from scripts.processes import free_port
from tests import factories
from tests.integration.redis_server import RedisServer, cache_settings

READER_PAGES = ["/", "/themen/", "/suche/?q=Rente", "/api/v1/articles", "/feeds/rss/"]


@pytest.fixture
def redis_closed(settings) -> None:
    """The production profile's cache and sessions, with nothing listening on the port."""
    settings.CACHES = cache_settings(f"redis://127.0.0.1:{free_port()}/0")
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.PAGE_CACHE_ENABLED = True


@pytest.mark.django_db
def test_with_redis_unreachable_every_reader_page_is_rendered_from_the_database(
    client, redis_closed
):
    politik = factories.section("Politik")
    writer = factories.author("Nele Fuß")
    article = factories.article(politik, headline="Rente mit 70?", authors=[writer])
    for path in [*READER_PAGES, article.url, politik.url, writer.url, reverse("account_login")]:
        response = client.get(path)
        assert response.status_code == 200, path
    assert "Rente mit 70?" in client.get(article.url).content.decode()


@pytest.mark.django_db
def test_with_redis_unreachable_a_reader_logs_in_comments_and_pledges(
    client, redis_closed, django_capture_on_commit_callbacks
):
    article = factories.article()
    reader = comment_factories.reader("Mara K.")

    response = client.post(
        reverse("account_login"), {"login": reader.email, "password": "geheim-123"}
    )
    assert response.status_code == 302
    assert "Mara K." in client.get(reverse("reader_account")).content.decode(), "session holds"

    write = reverse("comments:write", args=[article.pk])
    key = client.get(write).context["form"]["key"].value()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(write, {"text": "Ein Gedanke trotz Ausfall.", "key": key})
    assert response.status_code == 302
    assert Comment.objects.get().text == "Ein Gedanke trotz Ausfall."

    form = client.get(reverse("support:pledge"), {"betrag": "10", "intervall": "monatlich"})
    token = re.search(r'name="form_token" value="([0-9a-f-]+)"', form.text).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("support:pledge"),
            {
                "form_token": token,
                "betrag": "10",
                "intervall": "monatlich",
                "name": "Mara Kern",
                "email": reader.email,
                "account_holder": "Mara Kern",
                "iban": "DE89 3704 0044 0532 0130 00",
                "consent": "on",
            },
        )
    assert response.status_code == 302
    assert Pledge.objects.count() == 1


@pytest.mark.django_db
def test_healthz_says_degraded_but_200_while_redis_is_away_and_503_when_strict(
    client, redis_closed
):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unreachable"}
    assert client.get("/healthz?strict=1").status_code == 503


# A Redis that goes away while the site runs (a real server in front of the app)


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def site(live_server, settings, redis_server) -> Iterator[str]:
    """The app as production serves it: the page cache's WSGI front before Django."""
    settings.CACHES = cache_settings(redis_server.url)
    settings.PAGE_CACHE_ENABLED = True
    httpd = live_server.thread.httpd
    django = httpd.get_app()
    httpd.set_app(PageCacheApp(django))
    yield live_server.url
    httpd.set_app(django)


def fetch(url: str) -> tuple[int, str, str]:
    """Status, X-Page-Cache and body of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read().decode()
            return response.status, response.headers.get("X-Page-Cache", ""), body
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Page-Cache", ""), error.read().decode()


def stored(url: str) -> bool:
    """Read `url` until it is served from the page cache (the first render of a site may
    create its settings, which changes what the page shows, so that one is not kept)."""
    return any(fetch(url)[1] == "hit" for _ in range(3))


def correct(article, headline: str) -> None:
    article.title = headline
    article.save_revision().publish()


def wait_for_retry() -> None:
    time.sleep(0.3)  # RETRY_SECONDS of cache_settings, and a little


transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@transactional
def test_a_redis_that_goes_away_and_returns_empty_is_filled_again_without_a_restart(
    site, redis_server
):
    article = factories.article(headline="Die erste Fassung")
    url = site + article.url
    assert stored(url)

    redis_server.stop()
    status, cached, body = fetch(url)
    assert (status, cached) == (200, "miss (cache unreachable)") and "Die erste Fassung" in body
    assert fetch(site + "/healthz")[0] == 200
    correct(article, "Die zweite Fassung")  # its invalidation cannot reach Redis
    assert "Die zweite Fassung" in fetch(url)[2]

    redis_server.start()  # same port, empty
    wait_for_retry()
    assert fetch(url)[1] == "miss"
    status, cached, body = fetch(url)
    assert (status, cached) == (200, "hit") and "Die zweite Fassung" in body, "filled again"
    assert '"status": "ok"' in fetch(site + "/healthz?strict=1")[2]


@transactional
def test_a_correction_made_while_redis_was_unreachable_is_not_undone_when_it_answers(
    site, redis_server
):
    """Paused, Redis keeps the old page and the old versions; the correction's
    invalidation never reached it. When it answers again, the old page must not."""
    politik = factories.section("Politik")
    article = factories.article(politik, headline="Die falsche Zahl")
    for path in (article.url, politik.url, "/"):
        assert stored(site + path), path

    redis_server.pause()
    try:
        correct(article, "Die richtige Zahl")
        assert "Die richtige Zahl" in fetch(site + article.url)[2]
    finally:
        redis_server.resume()
    wait_for_retry()

    for path in (article.url, politik.url, "/"):
        body = fetch(site + path)[2]
        assert "Die richtige Zahl" in body and "Die falsche Zahl" not in body, path
