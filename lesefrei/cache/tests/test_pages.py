import http.server
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from lesefrei.cache import pages as pagecache
from lesefrei.cache.pages import PageCacheApp
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings) -> None:
    settings.PAGE_CACHE_ENABLED = True


def django_app(environ, start_response) -> Iterator[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"from django"]


def wsgi_get(path: str, **headers: str) -> tuple[str, dict[str, str], bytes]:
    """Ask the WSGI front for `path`; a body of b"from django" means it was not stored."""
    environ = RequestFactory().get(path, **headers).environ
    answer: dict = {}

    def start_response(status: str, response_headers: list) -> None:
        answer["status"], answer["headers"] = status, dict(response_headers)

    body = b"".join(PageCacheApp(django_app)(environ, start_response))
    return answer["status"], answer["headers"], body


def is_cached(path: str) -> bool:
    return wsgi_get(path)[2] != b"from django"


def render(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200
    return response.content


def test_a_rendered_article_is_served_from_the_store_without_a_query(
    client, django_assert_num_queries
):
    article = factories.article()
    first = client.get(article.url)
    assert first["X-Page-Cache"] == "miss" and first["ETag"]
    with django_assert_num_queries(0):
        status, headers, body = wsgi_get(article.url)
    assert status == "200 OK" and body == first.content
    assert headers["X-Page-Cache"] == "hit"
    assert headers["ETag"] == first["ETag"]
    assert headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert headers["Content-Type"].startswith("text/html")


def test_conditional_requests_get_304(client):
    article = factories.article()
    etag = client.get(article.url)["ETag"]
    status, _, body = wsgi_get(article.url, HTTP_IF_NONE_MATCH=etag)
    assert status == "304 Not Modified" and body == b""
    status, headers, _ = wsgi_get(article.url)
    since = headers["Last-Modified"]
    assert wsgi_get(article.url, HTTP_IF_MODIFIED_SINCE=since)[0] == "304 Not Modified"
    assert wsgi_get(article.url, HTTP_IF_NONE_MATCH='"other"')[0] == "200 OK"


def test_editing_an_article_drops_exactly_the_pages_showing_it(
    client, django_capture_on_commit_callbacks
):
    politik, kultur = factories.section("Politik"), factories.section("Kultur")
    writer, other_writer = factories.author("Nele Fuß"), factories.author("Kai Brandt")
    article = factories.article(politik, authors=[writer], topics=["Klima"])
    bystander = factories.article(kultur, authors=[other_writer])
    pages = [
        "/",
        article.url,
        politik.url,
        writer.url,
        "/themen/klima/",
        bystander.url,
        kultur.url,
        other_writer.url,
    ]
    for path in pages:
        render(client, path)
    assert all(is_cached(path) for path in pages)

    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Neue Überschrift"
        article.save_revision().publish()

    for path in ["/", article.url, politik.url, writer.url, "/themen/klima/"]:
        assert not is_cached(path), path
    for path in [bystander.url, kultur.url, other_writer.url]:
        assert is_cached(path), path
    assert "Neue Überschrift" in render(client, politik.url).decode()


def test_a_new_article_drops_the_lists_it_joins(client, django_capture_on_commit_callbacks):
    politik, kultur = factories.section("Politik"), factories.section("Kultur")
    writer = factories.author("Nele Fuß")
    factories.article(politik)
    factories.article(kultur)
    for path in ["/", politik.url, kultur.url, writer.url]:
        render(client, path)
    with django_capture_on_commit_callbacks(execute=True):
        factories.article(politik, headline="Ganz neu", authors=[writer], topics=["Wohnen"])
    assert not is_cached("/") and not is_cached(politik.url) and not is_cached(writer.url)
    assert is_cached(kultur.url)
    assert "Ganz neu" in render(client, politik.url).decode()


def test_unpublishing_removes_the_article_from_cached_lists(
    client, django_capture_on_commit_callbacks
):
    politik = factories.section("Politik")
    article = factories.article(politik, headline="Bald weg")
    assert "Bald weg" in render(client, politik.url).decode()
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert not is_cached(politik.url)
    assert "Bald weg" not in render(client, politik.url).decode()


def test_renaming_a_topic_drops_the_articles_naming_it(client, django_capture_on_commit_callbacks):
    article = factories.article(topics=["Klima"])
    render(client, article.url)
    topic = article.topics.get()
    with django_capture_on_commit_callbacks(execute=True):
        topic.name = "Klimaschutz"
        topic.save()
    assert not is_cached(article.url)


def test_a_page_rendered_from_old_data_is_not_stored_after_an_invalidation():
    started = timezone.now().timestamp() - 1
    pagecache.invalidate_now({"page:1"})
    assert not pagecache.store().set("pc:test", b"old", {"page:1"}, 60, started)
    assert pagecache.store().set("pc:test", b"new", {"page:1"}, 60, timezone.now().timestamp() + 1)


def test_unknown_query_parameters_are_not_cached(client):
    politik = factories.section("Politik")
    factories.article(politik)
    render(client, politik.url + "?utm_source=x")
    assert not is_cached(politik.url + "?utm_source=x")
    render(client, politik.url + "?seite=1")
    assert is_cached(politik.url + "?seite=1")


def test_untagged_and_personal_responses_are_not_cached(client):
    assert client.get("/healthz").status_code == 200
    assert not is_cached("/healthz")
    client.get("/cms/login/")
    assert not is_cached("/cms/login/")


def test_logged_in_readers_get_the_same_cached_page(client, django_user_model):
    article = factories.article()
    anonymous = render(client, article.url)
    reader = django_user_model.objects.create_user("leserin", password="geheim-123")
    client.force_login(reader)
    status, _, body = wsgi_get(article.url, HTTP_COOKIE=f"sessionid={client.session.session_key}")
    assert status == "200 OK" and body == anonymous


def test_the_cache_is_off_unless_enabled(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    article = factories.article()
    render(client, article.url)
    assert not is_cached(article.url)


def test_old_articles_pagination_pages_are_cached_separately(client, settings):
    settings.LESEFREI_PAGE_SIZE = 1
    politik = factories.section("Politik")
    factories.article(politik, published_at=timezone.now() - timedelta(days=1))
    factories.article(politik)
    one, two = render(client, politik.url), render(client, politik.url + "?seite=2")
    assert one != two
    assert wsgi_get(politik.url + "?seite=2")[2] == two


class PurgeRecorder(http.server.BaseHTTPRequestHandler):
    """A real HTTP cache front (like Varnish) that records the PURGE requests it gets."""

    purged: list[str] = []

    def do_PURGE(self) -> None:
        self.purged.append(f"{self.headers['Host']}{self.path}")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def frontend_cache(settings) -> Iterator[list[str]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    PurgeRecorder.purged = []
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    yield PurgeRecorder.purged
    server.shutdown()


def test_wagtails_frontend_cache_purges_exactly_the_dropped_pages(
    client, frontend_cache, django_capture_on_commit_callbacks
):
    politik, kultur = factories.section("Politik"), factories.section("Kultur")
    article = factories.article(politik)
    bystander = factories.article(kultur)
    for path in ("/", politik.url, kultur.url, article.url, bystander.url):
        render(client, path)

    with django_capture_on_commit_callbacks(execute=True):
        article.teaser = "Ein neuer erster Satz."
        article.save_revision().publish()

    assert sorted(frontend_cache) == sorted(
        f"testserver{path}" for path in ("/", politik.url, article.url)
    )


def test_search_pages_are_cached_until_something_is_published(
    client, django_capture_on_commit_callbacks
):
    politik = factories.section("Politik")
    factories.article(politik, headline="Haushalt im Stadtrat beschlossen")
    render(client, "/suche/?q=Haushalt")
    assert is_cached("/suche/?q=Haushalt")
    assert not is_cached("/suche/?q=Haushalt&utm_source=x"), "unknown parameters bypass"

    with django_capture_on_commit_callbacks(execute=True):
        factories.article(politik, headline="Haushalt: Nachtragshaushalt kommt")

    assert not is_cached("/suche/?q=Haushalt")
    assert "Nachtragshaushalt" in render(client, "/suche/?q=Haushalt").decode()


def test_nginx_keeps_a_page_about_the_configured_seconds_whatever_the_moment(settings):
    """nginx counts whole seconds: the absolute second it may keep a page through is
    rounded, so a page stored late or early in a second lives 0.5-1.5 s, never 2."""
    settings.PAGE_CACHE_PROXY_SECONDS = 1
    for stored_at in (1000.0, 1000.49, 1000.5, 1000.99):
        kept_until = int(pagecache.accel_expires(stored_at).removeprefix("@")) + 1
        assert 0.5 <= kept_until - stored_at <= 1.5, stored_at
    settings.PAGE_CACHE_PROXY_SECONDS = 0
    assert pagecache.accel_expires(1000.2) == "0"
