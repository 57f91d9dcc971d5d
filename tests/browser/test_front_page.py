"""The curated front page in Chromium: an editor chooses the lead in the CMS and a reader
sees it; on a phone the section menu shows every section without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from lesefrei.content.models import ArticlePage, HomePage, SectionPage

from .conftest import DESKTOP

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Each section link: inside the viewport, not clipped by its list, at least 24 px tall
# and wide; and the page itself no wider than the viewport.
NAV_STATE = """() => {
    const list = document.querySelector('.sections__list');
    const box = list.getBoundingClientRect();
    const links = [...list.querySelectorAll('a')].map(a => {
        const r = a.getBoundingClientRect();
        return {text: a.textContent.trim(), left: r.left, right: r.right,
                width: r.width, height: r.height,
                inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5
                        && r.right <= window.innerWidth + 0.5 && r.left >= -0.5};
    });
    return {links, overflow: document.documentElement.scrollWidth > window.innerWidth,
            listScrolls: list.scrollWidth > list.clientWidth + 1};
}"""


@pytest.mark.parametrize("width", [320, 390])
def test_phone_menu_shows_every_section_without_scrolling(demo_site, browser, screenshots, width):
    sections = list(
        SectionPage.objects.live().filter(show_in_menus=True).values_list("title", flat=True)
    )
    assert len(sections) == 6
    context = browser.new_context(
        viewport={"width": width, "height": 720}, java_script_enabled=False, locale="de-DE"
    )
    page = context.new_page()
    page.goto(demo_site + "/")
    state = page.evaluate(NAV_STATE)
    page.screenshot(path=screenshots / f"front-nav-{width}.png")
    context.close()
    assert [link["text"] for link in state["links"]] == sections
    hidden = [link["text"] for link in state["links"] if not link["inside"]]
    assert hidden == [], f"not in view at {width} px: {hidden}"
    small = [link["text"] for link in state["links"] if link["height"] < 24 or link["width"] < 24]
    assert small == []
    assert not state["overflow"] and not state["listScrolls"]


def test_editor_chooses_the_lead_in_the_cms_and_the_reader_sees_it(demo_site, browser, screenshots):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    chosen = ArticlePage.objects.live().filter(lead_image__isnull=True).order_by("-published_at")[0]
    editor = get_user_model().objects.create_user(
        username="chefin-vom-dienst", password="geheim-123", is_staff=True
    )
    # Wagtail's Editors may edit; publishing takes the Moderators' right (the desk chief).
    editor.groups.add(*Group.objects.filter(name__in=["Editors", "Moderators"]))
    home = HomePage.objects.get()

    context = browser.new_context(viewport=DESKTOP, locale="de")
    cms = context.new_page()
    cms.goto(demo_site + "/cms/login/")
    cms.fill("#id_username", "chefin-vom-dienst")
    cms.fill("#id_password", "geheim-123")
    cms.keyboard.press("Enter")
    cms.wait_for_url(re.compile(r".*/cms/$"))
    cms.goto(f"{demo_site}/cms/pages/{home.pk}/edit/")
    # The lead's chooser offers articles only; search for the chosen one and pick it.
    cms.screenshot(path=screenshots / "cms-home-edit-1280.png", full_page=True)
    field = cms.locator("#id_lead_article-chooser")
    field.locator("button:visible").first.click()  # the chosen lead's menu
    cms.get_by_text("Andere Seite auswählen").click()
    modal = cms.locator(".modal")
    modal.locator("input[type='text']:visible, input[type='search']:visible").first.fill(
        chosen.title.split()[0]
    )
    modal.get_by_role("link", name=re.compile(re.escape(chosen.title))).first.click()
    expect(field).to_contain_text(chosen.title)
    # "Veröffentlichen" sits in the footer's menu of further actions.
    cms.locator("button[name='action-publish']").dispatch_event("click")
    cms.wait_for_url(re.compile(r".*/cms/pages/\d+/$"))
    context.close()

    reader = browser.new_context(viewport=DESKTOP, locale="de-DE").new_page()
    reader.goto(demo_site + "/")
    lead = reader.locator(".lead")
    expect(lead.locator(".headline")).to_have_text(chosen.title)
    expect(lead).to_have_class(re.compile(r"lead--text"))
    reader.screenshot(path=screenshots / "front-chosen-text-lead-1280.png")
    reader.context.close()
