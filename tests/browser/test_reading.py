import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def read_an_article(page, site: str, screenshots, width: str) -> None:
    page.goto(site + "/")
    expect(page.locator("h1")).to_have_count(1)
    lead = page.locator(".lead .teaser__title a")
    expect(lead.locator(".kicker")).to_be_visible()
    page.screenshot(path=screenshots / f"home-{width}.png", full_page=True)

    headline = lead.locator(".headline").inner_text()
    lead.click()
    page.wait_for_load_state("load")

    expect(page.locator("h1 .headline")).to_have_text(headline)
    expect(page.locator("h1 .kicker")).to_be_visible()
    expect(page.locator(".article__teaser")).to_be_visible()
    expect(page.locator(".byline__authors a").first).to_be_visible()
    expect(page.locator(".byline time").first).to_contain_text("Uhr")
    subheadings = page.locator(".article__body h2.subheading")
    assert subheadings.count() >= 2
    for index in range(subheadings.count()):
        expect(subheadings.nth(index)).to_be_visible()
    page.screenshot(path=screenshots / f"article-{width}.png", full_page=True)
    assert page.console.errors == []


def test_reader_opens_home_and_reads_an_article_on_a_phone(demo_site, phone_page, screenshots):
    read_an_article(phone_page, demo_site, screenshots, "390")


def test_reader_opens_home_and_reads_an_article_on_a_desktop(demo_site, desktop_page, screenshots):
    read_an_article(desktop_page, demo_site, screenshots, "1280")


def test_article_is_readable_without_javascript_and_sets_no_cookie(demo_site, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(demo_site + "/")
    page.locator(".lead .teaser__title a").click()
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_be_visible()
    assert page.locator(".article__body p").count() >= 8
    assert context.cookies() == []
    assert hosts == {demo_site.split("/")[2]}
    context.close()
