"""What a reader's eyes and fingers get, measured in Chromium: touch targets of at least
44 px, 60–75 characters a line in the article at 1280 px, German hyphenation, a skip
link and a visible focus from the keyboard, and no motion when the reader asks for less."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.quality.pages import prepare_states

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Links, buttons and form controls that are not part of a running sentence (WCAG 2.5.8
# exempts those "inline" targets) and smaller than 44 × 44 CSS pixels.
SMALL_TARGETS = r"""() => {
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
    const inSentence = el => {
        const block = el.closest('p, li, dd, td, figcaption');
        if (!block) return false;
        // words of its own around the links: a sentence, not a row of links
        const squeeze = text => text.replace(/[\s·|,.:;()–-]/g, '');
        const links = [...block.querySelectorAll('a, button')]
            .reduce((n, a) => n + squeeze(a.textContent).length, 0);
        return squeeze(block.textContent).length - links > 2;
    };
    const small = [];
    for (const el of document.querySelectorAll(selector)) {
        const box = el.getBoundingClientRect();
        if (!box.width || !box.height || el.closest('[aria-hidden=true]')) continue;
        // a radio button's or checkbox's label is its target
        if (el.matches('input[type=radio], input[type=checkbox]')) continue;
        if (inSentence(el)) continue;
        const label = el.matches('a, button, summary') ? el : null;
        if (box.height < 44 || (label && box.width < 44)) {
            small.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}" `
                + `${Math.round(box.width)}×${Math.round(box.height)}`);
        }
    }
    return small;
}"""

# Characters per line, counted: the rendered lines of the article's longest paragraph
# (by the top of each character's box), the last, shorter line left out; the average.
CHARACTERS_PER_LINE = """() => {
    const paragraph = [...document.querySelectorAll('.article__body p')]
        .sort((a, b) => b.textContent.length - a.textContent.length)[0];
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    const lines = new Map();
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i++) {
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (!rect) continue;
            const top = Math.round(rect.top);
            lines.set(top, (lines.get(top) || 0) + 1);
        }
    }
    const counts = [...lines.values()].slice(0, -1);
    return counts.reduce((n, c) => n + c, 0) / counts.length;
}"""


@pytest.fixture
def states(demo_site):
    return prepare_states()


def test_touch_targets_are_at_least_44_px(demo_site, states, browser):
    context = browser.new_context(viewport=PHONE, locale="de-DE")
    page = context.new_page()
    small = {}
    for name in (
        "home",
        "article-3-comments",
        "comments-page",
        "search",
        "support-choice",
        "support-form",
        "login",
        "supporter-self-service",
        "not-found",
        "live-ticker",
        "contact",
        "corrections-log",
    ):
        page.goto(demo_site + states.path(name))
        found = page.evaluate(SMALL_TARGETS)
        if found:
            small[name] = found
    context.close()
    assert small == {}, "\n".join(f"{k}: {v}" for k, v in small.items())


def test_article_lines_hold_60_to_75_characters_at_1280_px_and_hyphenate_in_german(
    demo_site, states, browser
):
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    page = context.new_page()
    page.goto(demo_site + states.path("article"))
    assert page.locator("html").get_attribute("lang") == "de"
    per_line = page.evaluate(CHARACTERS_PER_LINE)
    assert 60 <= per_line <= 75, per_line
    hyphens = page.locator(".article__body p").first.evaluate("p => getComputedStyle(p).hyphens")
    assert hyphens == "auto"
    page.set_viewport_size(PHONE)
    assert 30 <= page.evaluate(CHARACTERS_PER_LINE) <= 50  # a phone: short, readable lines
    context.close()


def test_skip_link_and_focus_are_visible_from_the_keyboard(demo_site, states, browser):
    context = browser.new_context(viewport=PHONE, locale="de-DE")
    page = context.new_page()
    page.goto(demo_site + states.path("article-3-comments"))
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] >= 44, box
    assert skip.inner_text() == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#inhalt$"))  # the jump lands a moment later
    outlines = []
    for _ in range(6):  # the next stops after the skip link: each shows where focus is
        page.keyboard.press("Tab")
        outlines.append(
            page.evaluate(
                """() => {
                    const s = getComputedStyle(document.activeElement);
                    const tag = document.activeElement.tagName;
                    return [tag, s.outlineStyle, parseFloat(s.outlineWidth)];
                }"""
            )
        )
    assert all(style != "none" and width >= 2 for _, style, width in outlines), outlines
    assert any(tag == "A" for tag, _, _ in outlines)
    context.close()


def test_reduced_motion_turns_off_animation_and_smooth_scrolling(demo_site, states, browser):
    context = browser.new_context(viewport=PHONE, locale="de-DE", reduced_motion="reduce")
    page = context.new_page()
    moving = {}
    for name in ("home", "article-3-comments", "support-form"):
        page.goto(demo_site + states.path(name))
        found = page.evaluate(
            """() => [document.documentElement, ...document.querySelectorAll('body *')]
                .map(el => [el, getComputedStyle(el)])
                .filter(([, s]) => s.animationName !== 'none'
                    || s.transitionDuration.split(',').some(d => parseFloat(d) > 0)
                    || s.scrollBehavior === 'smooth')
                .map(([el]) => el.tagName + '.' + el.className)"""
        )
        if found:
            moving[name] = found
    context.close()
    assert moving == {}
