"""The shipped nginx configuration in front of the app: reader pages come from nginx's
cache, and a change is visible through it within two seconds."""

import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.processes import free_port, start_nginx
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def nginx(live_server, tmp_path, settings) -> Iterator[str]:
    settings.PAGE_CACHE_ENABLED = True
    with start_nginx(
        tmp_path,
        free_port(),
        app=live_server.url.removeprefix("http://"),
        static=Path(settings.STATIC_ROOT),
        media=Path(settings.MEDIA_ROOT),
    ) as server:
        yield server.url


def fetch(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.headers.get("X-Cache", ""), response.read().decode()


def test_nginx_serves_reader_pages_from_its_cache_and_shows_a_change_within_two_seconds(nginx):
    article = factories.article(headline="Die alte Überschrift")
    url = nginx + article.url
    statuses = [fetch(url)[0] for _ in range(3)]
    assert statuses[0] == "MISS" and "HIT" in statuses[1:]

    article.title = "Die neue Überschrift"
    article.save_revision().publish()
    changed_at = time.monotonic()
    while time.monotonic() - changed_at < 2.0:
        if "Die neue Überschrift" in fetch(url)[1]:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the change was not visible through nginx within 2 seconds")


def test_nginx_never_stores_responses_the_app_did_not_mark_cacheable(nginx):
    factories.section("Politik")
    for path in ["/healthz", "/politik/?utm_source=newsletter", "/cms/login/"]:
        statuses = [fetch(nginx + path)[0] for _ in range(3)]
        assert "HIT" not in statuses, (path, statuses)
