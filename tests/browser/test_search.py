import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def search_from_the_site(page, site: str, screenshots, width: str) -> None:
    page.goto(site + "/")
    page.locator(".masthead__search").click()
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_text("Suche")
    page.get_by_label("Suchbegriff").fill("Verhandlung")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_load_state("load")

    hits = page.locator(".search-hit")
    expect(hits.first).to_be_visible()
    first = hits.first
    expect(first.locator(".kicker")).to_be_visible()
    expect(first.locator("time")).to_be_visible()
    marks = page.locator(".search-hit__snippet mark")
    expect(marks.first).to_be_visible()
    assert marks.first.inner_text().lower().startswith("verhandlung")
    page.screenshot(path=screenshots / f"search-{width}.png", full_page=True)

    headline = first.locator(".headline").inner_text()
    first.locator("a").first.click()
    page.wait_for_load_state("load")
    expect(page.locator("h1 .headline")).to_have_text(headline)
    assert page.console.errors == []


def test_reader_searches_from_the_masthead_on_a_phone(demo_site, phone_page, screenshots):
    search_from_the_site(phone_page, demo_site, screenshots, "390")


def test_reader_searches_from_the_masthead_on_a_desktop(demo_site, desktop_page, screenshots):
    search_from_the_site(desktop_page, demo_site, screenshots, "1280")


def test_search_works_without_javascript_and_sets_no_cookie(demo_site, browser, screenshots):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(demo_site + "/suche/")
    page.get_by_label("Suchbegriff").fill("Selenskyj")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_load_state("load")
    expect(page.locator(".search-hit mark").first).to_have_text("Selenskyj")

    page.get_by_label("Suchbegriff").fill("<script>alert(1)</script>")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_load_state("load")
    expect(page.locator(".search-empty h2")).to_contain_text("Keine Treffer")
    page.screenshot(path=screenshots / "search-no-results-390.png", full_page=True)
    assert context.cookies() == []
    assert hosts == {demo_site.split("/")[2]}
    context.close()
