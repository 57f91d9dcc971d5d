"""What readers get from a ticker: the page through the page cache, the "new entries"
answer, the feed and the JSON-LD, each exact right after an entry changes."""

import json
import re

import feedparser
import pytest
from django.core.cache import cache
from django.test import RequestFactory

from lesefrei.cache.pages import PageCacheApp
from lesefrei.live import services
from lesefrei.live.models import LiveEntry, LiveTickerPage
from tests import factories as site_factories

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings) -> None:
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service as if its transaction committed (the test's own transaction never
    does): the page cache is invalidated after commit."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def served(path: str) -> bytes:
    """The page as the WSGI front answers it (from the page cache when stored)."""
    environ = RequestFactory().get(path).environ

    def django(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"not stored"]

    return b"".join(PageCacheApp(django)(environ, lambda status, headers: None))


def json_ld_blocks(html: str) -> list[dict]:
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def test_an_anonymous_reader_sees_a_new_entry_on_the_cached_page(client, committed):
    ticker = factories.ticker()
    committed(services.add_entry, ticker, text="<p>Die Wahllokale haben geschlossen.</p>")
    first = client.get(ticker.url)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    assert b"Wahllokale haben geschlossen" in served(ticker.url)  # stored

    committed(services.add_entry, ticker, text="<p>Erste Hochrechnung: knappes Rennen.</p>")
    assert served(ticker.url) == b"not stored"  # the stored page was dropped
    html = client.get(ticker.url).content.decode()
    assert "Erste Hochrechnung" in html
    assert html.index("Erste Hochrechnung") < html.index("Wahllokale haben geschlossen")


def test_a_correction_is_shown_as_aktualisiert_with_its_time(client, committed):
    ticker = factories.ticker()
    entry = committed(services.add_entry, ticker, text="<p>3500 Menschen evakuiert.</p>")
    client.get(ticker.url)
    committed(services.correct_entry, entry, text="<p>2500 Menschen evakuiert.</p>")
    html = client.get(ticker.url).content.decode()
    assert "2500 Menschen" in html and "3500" not in html
    assert re.search(r"aktualisiert <time datetime=\"[^\"]+\">\d\d:\d\d Uhr</time>", html)


def test_a_pinned_entry_stays_on_top_and_a_deleted_one_disappears(client, committed):
    ticker = factories.ticker()
    pinned = committed(services.add_entry, ticker, text="<p>Das Wichtigste in Kürze</p>")
    gone = committed(services.add_entry, ticker, text="<p>Falsch gemeldet</p>")
    committed(services.add_entry, ticker, text="<p>Die neueste Meldung</p>")
    client.get(ticker.url)
    committed(services.pin_entry, pinned)
    committed(services.delete_entry, gone)
    html = client.get(ticker.url).content.decode()
    assert "Falsch gemeldet" not in html
    assert html.index("Das Wichtigste in Kürze") < html.index("Die neueste Meldung")
    assert "Angeheftet" in html


def test_new_entries_are_answered_as_json_that_nginx_may_keep_briefly(client, committed):
    ticker = factories.ticker()
    first = committed(services.add_entry, ticker, text="<p>Eins</p>")
    empty = client.get(f"/live/{ticker.pk}/seit/{first.pk}.json")
    assert empty.status_code == 200 and empty.json()["count"] == 0
    assert empty["X-Accel-Expires"].startswith("@") and "public" in empty["Cache-Control"]

    second = committed(services.add_entry, ticker, text="<p>Zwei</p>", title="Prognose")
    third = committed(services.add_entry, ticker, text="<p>Drei</p>")
    data = client.get(f"/live/{ticker.pk}/seit/{first.pk}.json").json()
    assert data["count"] == 2 and data["newest"] == third.pk
    assert data["notice"] == "2 neue Einträge" and data["running"] is True
    assert data["html"].index(f'id="eintrag-{third.pk}"') < data["html"].index(
        f'id="eintrag-{second.pk}"'
    )
    one = client.get(f"/live/{ticker.pk}/seit/{second.pk}.json").json()
    assert one["notice"] == "1 neuer Eintrag"
    # An id between or beyond the entries is rounded down to one that exists.
    assert client.get(f"/live/{ticker.pk}/seit/999999.json").json()["count"] == 0


@pytest.mark.parametrize(
    "path",
    [
        "/live/{missing}/seit/0.json",
        "/live/{ticker}/seit/99999999999999999999.json",
        "/live/{ticker}/seit/-1.json",
        "/live/{ticker}/seit/abc.json",
        "/feeds/liveticker/{missing}/rss/",
        "/feeds/liveticker/{draft}/atom/",
    ],
)
def test_unknown_tickers_and_bad_ids_are_not_found_never_an_error(client, path):
    ticker = factories.ticker()
    draft = factories.ticker(publish=False)
    url = path.format(ticker=ticker.pk, missing=ticker.pk + 1000, draft=draft.pk)
    assert client.get(url).status_code == 404


def test_the_feed_lists_entries_newest_first_and_follows_a_correction(client, committed):
    ticker = factories.ticker("Hochwasser an der Mulde")
    first = committed(
        services.add_entry, ticker, text="<p>Pegel bei 6,20 Metern.</p>", title="Pegel"
    )
    committed(
        services.add_entry,
        ticker,
        text="<p>Der Bürgermeister bittet um Abstand.</p>",
        media=[("quote", {"text": "Bleiben Sie weg vom Ufer.", "attribution": "Bürgermeister"})],
    )
    feed = feedparser.parse(client.get(f"/feeds/liveticker/{ticker.pk}/rss/").content)
    assert feed.feed.title.startswith("Liveticker: Hochwasser an der Mulde")
    assert [entry.title for entry in feed.entries] == [
        "Der Bürgermeister bittet um Abstand.",
        "Pegel",
    ]
    assert "„Bleiben Sie weg vom Ufer.“" in feed.entries[0].description
    assert feed.entries[1].link.endswith(f"{ticker.url}#eintrag-{first.pk}")

    committed(services.correct_entry, first, text="<p>Pegel bei 6,40 Metern.</p>")
    atom = feedparser.parse(client.get(f"/feeds/liveticker/{ticker.pk}/atom/").content)
    assert "6,40" in atom.entries[1].summary


def test_the_json_ld_is_a_live_blog_posting_with_its_updates(client, committed):
    author = site_factories.author("Tobias Hartmann")
    ticker = factories.ticker("Wahlabend in Sachsen")
    entry = committed(services.add_entry, ticker, text="<p>Erste Prognose.</p>", author=author)
    html = client.get(ticker.url).content.decode()
    [data] = json_ld_blocks(html)  # the page's only JSON-LD (no NewsArticle beside it)
    assert data["@type"] == "LiveBlogPosting"
    assert data["headline"] == "Wahlabend in Sachsen"
    assert data["coverageStartTime"]
    assert "coverageEndTime" not in data
    [update] = data["liveBlogUpdate"]
    assert update["@type"] == "BlogPosting" and update["articleBody"] == "Erste Prognose."
    assert update["author"]["name"] == "Tobias Hartmann"
    assert update["url"].endswith(f"#eintrag-{entry.pk}")

    committed(services.add_entry, ticker, text="<p>Hochrechnung.</p>")
    [data] = json_ld_blocks(client.get(ticker.url).content.decode())
    assert [u["articleBody"] for u in data["liveBlogUpdate"]] == [
        "Hochrechnung.",
        "Erste Prognose.",
    ]


def test_an_ended_ticker_says_so_and_gives_its_end(client, committed):
    ticker = factories.ticker()
    committed(services.add_entry, ticker, text="<p>Das Ergebnis.</p>")
    ticker.state = LiveTickerPage.State.ENDED
    ticker.coverage_end = ticker.first_published_at
    ticker.save_revision().publish()
    html = client.get(ticker.url).content.decode()
    assert "Liveticker – beendet" in html and "data-live-running" not in html
    [data] = json_ld_blocks(html)
    assert data["coverageEndTime"]


def test_the_feeds_stay_well_formed_with_a_control_character_stored(client, committed):
    ticker = factories.ticker("Hochwasser an der Mulde")
    entry = committed(services.add_entry, ticker, text="<p>Pegel steigt.</p>", title="Pegel")
    # A row that got in another way (an old import, a database console).
    LiveEntry.objects.filter(pk=entry.pk).update(title="Pe\x1bgel", text="<p>Pegel\x0b steigt.</p>")
    cache.clear()
    for kind in ("rss", "atom"):
        response = client.get(f"/feeds/liveticker/{ticker.pk}/{kind}/")
        assert response.status_code == 200
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        assert [item.title for item in feed.entries] == ["Pegel"]


def test_the_ticker_stands_where_articles_do_with_its_feed_in_the_head(client, committed):
    ticker = factories.ticker("Gipfel in Brüssel")
    committed(services.add_entry, ticker, text="<p>Die Staatschefs sind eingetroffen.</p>")
    section = ticker.get_parent()
    assert "Gipfel in Brüssel" in client.get(section.url).content.decode()
    assert "Gipfel in Brüssel" in client.get("/").content.decode()
    assert "Gipfel in Brüssel" in client.get("/feeds/rss/").content.decode()
    html = client.get(ticker.url).content.decode()
    assert f"/feeds/liveticker/{ticker.pk}/rss/" in html
    assert 'class="comments' in html  # readers discuss it like any article


def test_the_demo_ticker_page_and_its_new_entries_are_valid_html(client, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from tests.quality.checkers import html_errors

    call_command("load_demo_content", "--quiet-accounts", stdout=StringIO())
    ticker = LiveTickerPage.objects.get()
    assert ticker.entries.count() >= 10
    assert ticker.entries.filter(pinned=True).count() == 1
    html = client.get(ticker.url).content.decode()
    assert "Angeheftet" in html and "„Wir haben 2002" in html and "<picture" in html
    page = tmp_path / "ticker.html"
    page.write_text(html, encoding="utf-8")
    oldest = ticker.entries.order_by("pk").first()
    fragment = client.get(f"/live/{ticker.pk}/seit/{oldest.pk}.json").json()["html"]
    answer = tmp_path / "new-entries.html"
    answer.write_text(
        f'<!doctype html><html lang="de"><title>x</title><ol>{fragment}</ol></html>',
        encoding="utf-8",
    )
    assert html_errors([page, answer]) == {}


def test_readers_find_a_ticker_in_the_search(client):
    ticker = factories.ticker("Deichbruch bei Eilenburg", teaser="Die Lage an der Mulde.")
    html = client.get("/suche/", {"q": "Deichbruch"}).content.decode()
    assert "1 Treffer" in html and f'href="{ticker.url}"' in html


def test_comments_on_a_ticker_count_for_meistkommentiert(client):
    from lesefrei.comments.tests import factories as comment_factories

    ticker = factories.ticker("Gipfel in Brüssel")
    for _ in range(2):
        comment_factories.comment(ticker, approve=True)
    article = site_factories.article(headline="Ein ruhiger Artikel")
    html = client.get(article.url).content.decode()
    ranking = html[html.index("eistkommentiert") :]
    assert "Gipfel in Brüssel" in ranking
