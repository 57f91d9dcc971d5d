"""Every reader page reached by GET, in the phone context a reader has: no axe-core
violation in light and dark mode, one h1, visible without JavaScript, no cookie on reading
pages (form pages: the CSRF cookie only), no request to another host, no console error,
valid HTML, under 100 KB at load with at most 10 KB of deferred JavaScript; screenshots at
390 and 1280 px in both colour schemes. The 500 page comes from Django's own handler."""

import pytest

from tests.browser.conftest import PHONE
from tests.browser.reader_checks import ReaderChecks
from tests.quality.checkers import axe_violations
from tests.quality.pages import failing_view, prepare_states

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGE_BUDGET = 100_000  # bytes at load: HTML, CSS, JavaScript, images, fonts
SCRIPT_BUDGET = 10_000


@pytest.fixture
def states(demo_site):
    return prepare_states()


def loaded_bytes(browser, url: str) -> tuple[int, int, list[str]]:
    """(all bytes, script bytes, scripts not deferred) of loading `url` in a fresh phone
    context (nothing cached): the decoded bodies of the document and of every resource
    fetched until the load event (Resource Timing), plus inline scripts."""
    context = browser.new_context(viewport=PHONE, locale="de-DE")
    page = context.new_page()
    page.goto(url, wait_until="load")
    measured = page.evaluate(
        """() => {
            const entries = performance.getEntriesByType('resource');
            const nav = performance.getEntriesByType('navigation')[0];
            const inline = [...document.scripts]
                .filter(s => !s.src && s.type !== 'application/ld+json')
                .reduce((n, s) => n + s.text.length, 0);
            return {
                total: nav.decodedBodySize + entries.reduce((n, e) => n + e.decodedBodySize, 0),
                scripts: inline + entries.filter(e => e.initiatorType === 'script')
                    .reduce((n, e) => n + e.decodedBodySize, 0),
                undeferred: [...document.querySelectorAll('script[src]')]
                    .filter(s => !s.defer && !s.async && s.type !== 'module').map(s => s.src),
            };
        }"""
    )
    context.close()
    return measured["total"], measured["scripts"], measured["undeferred"]


def test_every_reader_page_passes_axe_html_cookie_host_and_console_checks(
    demo_site, states, browser, screenshots, test_output
):
    context = browser.new_context(viewport=PHONE, locale="de-DE")
    page = context.new_page()
    checks = ReaderChecks(page, demo_site, screenshots, test_output / "html")
    for reader_page in states.pages:
        context.clear_cookies()
        response = page.goto(demo_site + reader_page.path)
        checks.check(
            reader_page.name,
            response,
            status=reader_page.status,
            reading=reader_page.reading,
            expected_console=str(reader_page.status) if reader_page.status >= 400 else None,
        )
    with failing_view(states.article_with_three) as broken:
        context.clear_cookies()
        response = page.goto(demo_site + broken.path)
        assert page.locator("h1").inner_text() == "Technische Störung"
        checks.check(broken.name, response, status=500, expected_console="500")
    context.close()
    assert checks.finish() == {}


def test_every_reader_page_loads_under_100_kb_with_little_deferred_javascript(
    demo_site, states, browser
):
    too_heavy = {}
    for reader_page in states.pages:
        total, scripts, undeferred = loaded_bytes(browser, demo_site + reader_page.path)
        assert total > 10_000, reader_page.name  # the measurement sees the page and its CSS
        if total >= PAGE_BUDGET or scripts >= SCRIPT_BUDGET or undeferred:
            too_heavy[reader_page.name] = (total, scripts, undeferred)
    assert too_heavy == {}


def test_article_with_200_comments_shows_the_first_and_links_the_rest(demo_site, states, browser):
    total, _, _ = loaded_bytes(browser, demo_site + states.path("article-200-comments"))
    assert total < PAGE_BUDGET
    context = browser.new_context(viewport=PHONE, locale="de-DE")
    page = context.new_page()
    page.goto(demo_site + states.path("article-200-comments"))
    shown = page.locator("#kommentare .comment").count()
    assert 0 < shown < 30
    assert page.locator(".comments__count").inner_text() == "200"
    page.get_by_role("link", name="Alle 200 Kommentare lesen").click()
    assert page.locator("h1").text_content().startswith("Kommentare")
    assert page.locator(".pagination").get_by_text("Seite 1 von 7").count() == 1
    page.get_by_role("link", name="Nächste Seite").click()
    assert "seite=2" in page.url
    context.close()


def test_every_reader_page_has_one_visible_headline_without_javascript(demo_site, states, browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    hidden = []
    pages = [(p.name, p.path) for p in states.pages]
    with failing_view(states.article_with_three) as broken:
        for name, path in [*pages, (broken.name, broken.path)]:
            page.goto(demo_site + path)
            heading = page.locator("h1")
            if name == "home":  # the h1 is for screen readers; the lead headline is visible
                visible = heading.count() == 1 and page.locator(".lead h2").is_visible()
            else:
                visible = (
                    heading.count() == 1 and heading.is_visible() and heading.inner_text().strip()
                )
            if not visible:
                hidden.append(name)
    context.close()
    assert hidden == []


def test_axe_reports_a_missing_alt_text(live_server, browser):
    page = browser.new_page()
    page.set_content(
        '<!doctype html><html lang="de"><title>t</title><main><img src="x.png"></main>'
    )
    assert any("image-alt" in violation for violation in axe_violations(page))
    page.close()
