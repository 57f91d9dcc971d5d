"""The editor-in-chief schedules an article a minute or two ahead in the CMS; it appears on
the front page by itself, published by the same scheduler thread that `make demo`'s
development server runs (lesefrei/content/scheduling.py), here every second."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lesefrei.content.models import ArticlePage
from lesefrei.content.scheduling import start_scheduler_thread
from tests import factories

from .conftest import DESKTOP

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_article_scheduled_in_the_cms_appears_on_the_front_page_by_itself(
    live_server, browser, screenshots
):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    factories.article(headline="Was gestern geschah")
    article = factories.article(headline="Sperrfrist um Viertel nach", publish=False)
    chief = get_user_model().objects.create_user(
        username="chefredaktion", password="geheim-123", is_staff=True
    )
    chief.groups.add(Group.objects.get(name="Moderators"))
    # The CMS takes whole minutes: rounding down "now + 1 minute" could leave a go-live
    # time only a second ahead, already past when the dialog is saved. Between 60 and
    # 120 seconds ahead it is always in the future and never far away.
    go_live = (timezone.localtime() + timedelta(minutes=2)).replace(second=0, microsecond=0)

    context = browser.new_context(viewport=DESKTOP, locale="de")
    cms = context.new_page()
    cms.goto(live_server.url + "/cms/login/")
    cms.fill("#id_username", "chefredaktion")
    cms.fill("#id_password", "geheim-123")
    cms.keyboard.press("Enter")
    cms.wait_for_url(re.compile(r".*/cms/$"))
    cms.goto(f"{live_server.url}/cms/pages/{article.pk}/edit/")
    cms.locator("[data-side-panel-toggle='status']").click()
    cms.get_by_role("button", name="Zeitplan festlegen").click()
    dialog = cms.locator("#schedule-publishing-dialog")
    dialog.locator("#id_go_live_at").fill(go_live.strftime("%Y-%m-%d %H:%M"))
    dialog.get_by_role("button", name="Zeitplan speichern").click()
    cms.wait_for_load_state()
    cms.locator("footer .dropdown-toggle, footer [data-w-dropdown-target='toggle']").first.click()
    cms.get_by_role("button", name=re.compile("Zur Veröffentlichung einplanen")).click()
    cms.wait_for_load_state()
    cms.screenshot(path=screenshots / "cms-scheduled.png")
    article.refresh_from_db()
    assert not article.live and article.go_live_at is not None

    thread, stop = start_scheduler_thread(interval=1)
    try:
        reader = context.new_page()
        reader.goto(live_server.url + "/")
        expect(reader.get_by_text("Sperrfrist um Viertel nach")).to_have_count(0)
        # Nobody touches anything: the reader only reloads until the minute has passed.
        for _ in range(200):
            reader.reload()
            if reader.get_by_text("Sperrfrist um Viertel nach").count():
                break
            reader.wait_for_timeout(1000)
        expect(reader.get_by_text("Sperrfrist um Viertel nach").first).to_be_visible()
        reader.screenshot(path=screenshots / "front-page-after-schedule.png")
    finally:
        stop.set()
        thread.join(5)
    assert ArticlePage.objects.get(pk=article.pk).live
    context.close()
