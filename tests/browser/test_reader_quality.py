"""Every reader page, in the phone context a reader has: no axe-core violation in light and
dark mode, the h1 visible without JavaScript, no cookie, no request to another host, no
console error; screenshots at 390 and 1280 px in both colour schemes."""

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, DESKTOP, PHONE  # noqa: F401
from tests.quality.checkers import axe_violations
from tests.quality.pages import READER_PAGES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reader_pages_pass_axe_and_need_no_javascript_cookie_or_other_host(
    demo_site, browser, screenshots
):
    host = demo_site.split("/")[2]
    paths = [(name, path()) for name, path in READER_PAGES]
    problems: dict[str, list[str]] = {}
    for scheme in ("light", "dark"):
        for viewport, width in ((PHONE, "390"), (DESKTOP, "1280")):
            context = browser.new_context(viewport=viewport, color_scheme=scheme, locale="de-DE")
            page = context.new_page()
            errors: list[str] = []
            hosts: set[str] = set()
            page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
            page.on("request", lambda r, hosts=hosts: hosts.add(r.url.split("/")[2]))
            for name, path in paths:
                errors.clear()
                response = page.goto(demo_site + path)
                expected = 404 if name == "not-found" else 200
                if response.status != expected:
                    problems.setdefault(name, []).append(f"status {response.status}")
                # A 404 answer is logged by Chromium as a console error; that one is expected.
                found = [e for e in errors if not (name == "not-found" and "404" in e)]
                if found:
                    problems.setdefault(name, []).extend(found)
                if width == "390":
                    for violation in axe_violations(page):
                        problems.setdefault(f"{name} ({scheme})", []).append(violation)
                page.screenshot(path=screenshots / f"{name}-{width}-{scheme}.png", full_page=True)
            assert context.cookies() == [], (
                f"cookies set for an anonymous reader: {context.cookies()}"
            )
            assert hosts == {host}, f"requests to other hosts: {hosts - {host}}"
            context.close()
    assert problems == {}


def test_headline_is_visible_without_javascript(demo_site, browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    for name, path in READER_PAGES:
        page.goto(demo_site + path())
        heading = page.locator("h1")
        assert heading.count() == 1, name
        if name != "home":  # the home page's h1 is for screen readers; its lead headline is visible
            assert heading.is_visible() and heading.inner_text().strip(), name
    context.close()


def test_axe_reports_a_missing_alt_text(live_server, browser):
    page = browser.new_page()
    page.set_content(
        '<!doctype html><html lang="de"><title>t</title><main><img src="x.png"></main>'
    )
    assert any("image-alt" in violation for violation in axe_violations(page))
    page.close()
