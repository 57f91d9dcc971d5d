"""A live ticker through the shipped nginx configuration: the page, its feed, its JSON-LD
and the "new entries" answer come from nginx's cache and show a new entry within two
seconds."""

import time

import pytest

from lesefrei.live import services
from lesefrei.live.tests import factories as live_factories
from tests.integration.test_nginx_cache import fetch, nginx  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_new_entry_is_visible_through_nginx_within_two_seconds(nginx):  # noqa: F811
    ticker = live_factories.ticker("Wahlabend in Sachsen")
    first = services.add_entry(ticker, text="<p>Die Wahllokale haben geschlossen.</p>")
    urls = {
        "page": nginx + ticker.url,
        "rss": f"{nginx}/feeds/liveticker/{ticker.pk}/rss/",
        "json": f"{nginx}/live/{ticker.pk}/seit/{first.pk}.json",
    }
    for name, url in urls.items():
        statuses = [fetch(url)[0] for _ in range(3)]
        assert statuses[0] == "MISS" and "HIT" in statuses[1:], (name, statuses)

    services.add_entry(ticker, text="<p>Erste Prognose: knappes Rennen.</p>")
    added_at = time.monotonic()
    waiting = set(urls)
    while waiting and time.monotonic() - added_at < 2.0:
        for name in sorted(waiting):
            body = fetch(urls[name])[1]
            if "Erste Prognose" in body and (name != "page" or '"Erste Prognose' in body):
                waiting.discard(name)
        time.sleep(0.05)
    assert not waiting, f"not visible through nginx within 2 seconds: {sorted(waiting)}"
