"""The page cache stays correct when Redis runs out of memory: with a tiny `maxmemory`,
the eviction policy docs/operations.md recommends (and the common `allkeys-lru`), and a
load of many distinct search pages that forces evictions while the article pages stay
hot, a corrected article is read back corrected, through the app and through nginx."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests import factories
from tests.integration.redis_server import RedisServer, cache_settings
from tests.integration.test_nginx_cache import nginx  # noqa: F401  (the fixture)
from tests.integration.test_redis_outage import correct, fetch, stored

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(params=["volatile-lru", "allkeys-lru"])
def small_redis(request, tmp_path) -> Iterator[RedisServer]:
    # About 1 MB above what an empty Redis uses: a few dozen pages fit.
    server = RedisServer(tmp_path, maxmemory="2mb", policy=request.param).start()
    yield server
    server.stop()


@pytest.fixture
def app(live_server, settings, small_redis) -> Iterator[str]:
    from lesefrei.cache.pages import PageCacheApp

    settings.CACHES = cache_settings(small_redis.url)
    settings.PAGE_CACHE_ENABLED = True
    httpd = live_server.thread.httpd
    django = httpd.get_app()
    httpd.set_app(PageCacheApp(django))
    yield live_server.url
    httpd.set_app(django)


def test_a_corrected_article_is_never_served_old_after_evictions(app, nginx, small_redis):  # noqa: F811
    politik = factories.section("Politik")
    article = factories.article(politik, headline="Die Quote liegt bei 12 Prozent")
    pages = [article.url, politik.url, "/"]
    for path in pages:
        assert stored(app + path), path
        fetch(nginx + path)

    for number in range(240):
        fetch(f"{app}/suche/?q=Suchwort{number}")
        # Readers keep the article pages hot. Redis evicts by sampling (approximated LRU):
        # every fourth search left the three pages cold enough to be evicted together
        # once in a full run on a loaded machine; every other one keeps them hot.
        if number % 2 == 0:
            for path in pages:
                fetch(app + path)
    assert small_redis.evicted_keys() > 0, "the load must have forced evictions"
    assert any(fetch(app + path)[1] == "hit" for path in pages), "hot pages are still kept"

    correct(article, "Die Quote liegt bei 21 Prozent")

    for path in pages:
        body = fetch(app + path)[2]
        assert "21 Prozent" in body and "12 Prozent" not in body, path
    # nginx keeps a page PAGE_CACHE_PROXY_SECONDS (1 ± 0.5 s), then answers once more
    # from its copy while it fetches the new one (proxy_cache_background_update).
    corrected_at = time.monotonic()
    for path in pages:
        while "21 Prozent" not in fetch(nginx + path)[2]:
            assert time.monotonic() - corrected_at < 3, f"{path}: still old through nginx"
            time.sleep(0.05)
    for path in pages:
        assert "12 Prozent" not in fetch(nginx + path)[2], path
