"""A reader follows a live ticker: with JavaScript the page offers new entries ("2 neue
Einträge") and puts them on top on a click; without JavaScript a reload shows them."""

import pytest
from playwright.sync_api import expect

from lesefrei.live import services
from lesefrei.live.tests import factories as live_factories
from tests.browser.conftest import DESKTOP, PHONE, ConsoleWatcher

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def page_cache_on(settings) -> None:
    settings.PAGE_CACHE_ENABLED = True


def test_reader_with_javascript_is_offered_new_entries_and_loads_them(
    live_server, browser, screenshots
):
    ticker = live_factories.ticker("Wahlabend in Sachsen")
    services.add_entry(ticker, text="<p>Die Wahllokale haben geschlossen.</p>")
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="de-DE")
    page = context.new_page()
    console = ConsoleWatcher(page)
    page.goto(live_server.url + ticker.url)
    expect(page.locator(".live-entry")).to_have_count(1)
    # The reload hint is for readers without the script; with it, it would be wrong.
    expect(page.locator(".live__hint")).to_be_hidden()

    services.add_entry(ticker, text="<p>Erste Prognose: knappes Rennen.</p>")
    services.add_entry(ticker, text="<p>Hochrechnung: Die Regierung verliert.</p>")
    # The script asks every 15 seconds, and at once when the reader comes back to the tab.
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    notice = page.locator("[data-live-notice] button")
    expect(notice).to_have_text("2 neue Einträge", timeout=20_000)
    page.screenshot(path=screenshots / "live-ticker-notice.png")

    notice.click()
    entries = page.locator(".live-entry")
    expect(entries).to_have_count(3)
    expect(entries.first).to_contain_text("Hochrechnung")
    expect(entries.nth(1)).to_contain_text("Erste Prognose")
    expect(notice).to_have_count(0)
    assert not console.errors, console.errors  # CSP violations show up here
    context.close()


def test_reader_without_javascript_sees_new_entries_on_reload(live_server, browser, screenshots):
    ticker = live_factories.ticker("Hochwasser an der Mulde")
    services.add_entry(ticker, text="<p>Der Pegel steigt weiter.</p>", pinned=True)
    context = browser.new_context(viewport=DESKTOP, locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + ticker.url)
    expect(
        page.get_by_text("Neue Einträge erscheinen, wenn Sie die Seite neu laden.")
    ).to_be_visible()

    services.add_entry(ticker, text="<p>Die Feuerwehr verteilt Sandsäcke.</p>")
    page.reload()
    entries = page.locator(".live-entry")
    expect(entries).to_have_count(2)
    expect(entries.first).to_contain_text("Der Pegel steigt weiter")  # pinned stays on top
    expect(entries.nth(1)).to_contain_text("Die Feuerwehr verteilt Sandsäcke")
    expect(page.locator("[data-live-notice] button")).to_have_count(0)
    page.screenshot(path=screenshots / "live-ticker-reload.png", full_page=True)
    context.close()
