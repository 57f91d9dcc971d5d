import re

import pytest
from playwright.sync_api import expect

from tests import factories

from .conftest import DESKTOP, ConsoleWatcher

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_editor_sees_the_article_in_the_preview_panel_under_the_site_policy(
    live_server, browser, screenshots
):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    article = factories.article(kicker="Haushalt 2027", headline="Die Stadt spart beim Busverkehr")
    editor = get_user_model().objects.create_user(
        username="redakteurin", password="geheim-123", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Editors"))

    context = browser.new_context(viewport=DESKTOP, locale="de")
    cms = context.new_page()
    watcher = ConsoleWatcher(cms)
    cms.goto(live_server.url + "/cms/login/")
    cms.fill("#id_username", "redakteurin")
    cms.fill("#id_password", "geheim-123")
    cms.keyboard.press("Enter")
    cms.wait_for_url(re.compile(r".*/cms/$"))
    cms.goto(f"{live_server.url}/cms/pages/{article.pk}/edit/")
    cms.locator("[data-side-panel-toggle='preview']").click()
    preview = cms.frame_locator("iframe[src*='preview']")
    expect(preview.locator("h1 .headline")).to_have_text("Die Stadt spart beim Busverkehr")
    cms.screenshot(path=screenshots / "editor-preview-1280.png")
    # A frame the reader policy refused would show Chromium's "blocked" page and log an error.
    assert watcher.errors == []
    context.close()
