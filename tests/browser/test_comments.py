"""A reader signs up, confirms the address from the mail, comments; a moderator approves
the comment in the CMS queue with the keyboard; an anonymous visitor sees it."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from lesefrei.comments.tests import factories as comment_factories
from tests import factories
from tests.browser.conftest import ConsoleWatcher

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COMMENT = "Die Haltelinie allein rettet die Rente nicht – wir brauchen mehr Beitragszahler."


def sign_up_and_confirm(page, site: str) -> None:
    page.goto(site + "/konto/signup/")
    page.fill("#id_email", "neue.leserin@example.org")
    page.fill("#id_pseudonym", "Neue Leserin")
    page.fill("#id_password1", "ein-langes-Passwort-2026")
    page.fill("#id_password2", "ein-langes-Passwort-2026")
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_load_state("load")

    confirmations = [m for m in mail.outbox if "neue.leserin@example.org" in m.to]
    assert confirmations, [m.subject for m in mail.outbox]
    link = re.search(r"https?://\S+/konto/confirm-email/\S+", confirmations[-1].body).group(0)
    page.goto(site + urlsplit(link).path)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    if page.locator("#id_login").count():  # not logged in by the confirmation: log in
        page.fill("#id_login", "neue.leserin@example.org")
        page.fill("#id_password", "ein-langes-Passwort-2026")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state("load")


def test_reader_comments_moderator_approves_with_keyboard_visitor_sees_it(
    live_server, browser, screenshots
):
    article = factories.article(
        factories.section("Politik"),
        kicker="Debatte um die Rente",
        headline="Streit um die Haltelinie",
    )
    moderator = comment_factories.moderator()
    site = live_server.url

    # The reader: sign up, confirm the address from the mail, comment.
    reader_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")
    reader = reader_context.new_page()
    sign_up_and_confirm(reader, site)
    reader.goto(site + article.url)
    reader.locator(".comments__cta a.button").click()
    reader.wait_for_load_state("load")
    expect(reader.locator(".comment-whoami")).to_contain_text("Neue Leserin")
    reader.fill("textarea[name=text]", COMMENT)
    reader.locator(".comment-form button[type=submit]").click()
    reader.wait_for_load_state("load")
    own = reader.locator(".own-comments .comment").first
    expect(own).to_contain_text(COMMENT)
    expect(own).to_contain_text("wartet auf Freischaltung")
    reader.screenshot(path=screenshots / "comment-pending-390.png", full_page=True)
    reader_context.close()

    # The moderator: log in to the CMS, approve with the keyboard only.
    moderator_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de")
    cms = moderator_context.new_page()
    cms.goto(site + "/cms/login/")
    cms.fill("#id_username", moderator.username)
    cms.fill("#id_password", "geheim-123")
    cms.keyboard.press("Enter")
    cms.wait_for_url(re.compile(r".*/cms/$"))
    cms.goto(site + "/cms/kommentare/")
    item = cms.locator("[data-item]").first
    expect(item).to_contain_text(COMMENT)
    expect(item).to_contain_text("Debatte um die Rente")
    expect(item).to_contain_text("Streit um die Haltelinie")
    expect(item).to_contain_text("Neue Leserin")
    expect(cms.locator("#tastatur-hilfe")).to_contain_text("freischalten")
    expect(item).to_be_focused()
    cms.screenshot(path=screenshots / "moderation-queue-1280.png", full_page=True)
    cms.keyboard.press("j")  # one item only: j stays on it
    expect(item).to_be_focused()
    cms.keyboard.press("a")
    cms.wait_for_load_state("load")
    expect(cms.locator(".mod-empty")).to_be_visible()
    moderator_context.close()

    # An anonymous visitor: the comment, the count, the ranking.
    visitor_context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    visitor = visitor_context.new_page()
    visitor.goto(site + article.url)
    section = visitor.locator("section.comments")
    expect(section.locator(".comments__count")).to_have_text("1")
    expect(section.locator(".comment__text")).to_contain_text(COMMENT)
    expect(section.locator(".comment__author")).to_have_text("Neue Leserin")
    ranking = visitor.locator(".most-commented__item")
    expect(ranking).to_have_count(1)
    expect(ranking.first.locator(".headline")).to_have_text("Streit um die Haltelinie")
    expect(ranking.first.locator(".kicker")).to_have_text("Debatte um die Rente")
    section.screenshot(path=screenshots / "comment-section-390.png")
    visitor.screenshot(path=screenshots / "article-with-comments-390.png", full_page=True)
    assert visitor_context.cookies() == []
    visitor.goto(site + "/")
    expect(visitor.locator(".most-commented__item .headline")).to_have_text(
        "Streit um die Haltelinie"
    )
    visitor_context.close()


def test_moderator_moves_rejects_and_approves_without_the_mouse(live_server, browser, screenshots):
    from lesefrei.comments.models import Comment

    article = factories.article(kicker="Streit um den Wolf", headline="Schäfer fordern Hilfe")
    first, second, third = (
        comment_factories.comment(article, text=text)
        for text in ["Erster wartet.", "Zweiter ist daneben.", "Dritter ist gut."]
    )
    moderator = comment_factories.moderator()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de")
    cms = context.new_page()
    watcher = ConsoleWatcher(cms)
    cms.goto(live_server.url + "/cms/login/")
    cms.fill("#id_username", moderator.username)
    cms.fill("#id_password", "geheim-123")
    cms.keyboard.press("Enter")
    cms.wait_for_url(re.compile(r".*/cms/$"))
    cms.goto(live_server.url + "/cms/kommentare/")
    items = cms.locator("[data-item]")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_be_focused()

    cms.keyboard.press("j")
    expect(items.nth(1)).to_be_focused()
    cms.keyboard.press("2")  # second reason: Diskriminierung
    expect(items.nth(1).locator("[data-reason]")).to_have_value(re.compile(r"\d+"))
    cms.keyboard.press("r")
    cms.wait_for_load_state("load")
    expect(cms.locator("[data-item]")).to_have_count(2)
    # The focus stays at the same place in the list: now the third comment.
    expect(cms.locator("[data-item]").nth(1)).to_be_focused()
    expect(cms.locator("[data-item]").nth(1)).to_contain_text("Dritter ist gut.")
    cms.keyboard.press("a")
    cms.wait_for_load_state("load")
    expect(cms.locator("[data-item]")).to_have_count(1)
    # The reloaded queue's script focuses an item once its keys work; wait for that.
    expect(cms.locator("[data-item]").first).to_be_focused()
    cms.keyboard.press("?")
    expect(cms.locator("#tastatur-hilfe")).not_to_have_attribute("open", "")
    assert watcher.errors == []
    cms.screenshot(path=screenshots / "moderation-queue-after-keys-1280.png", full_page=True)
    context.close()

    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "pending", second.pk: "rejected", third.pk: "approved"}
    assert Comment.objects.get(pk=second.pk).rejection_reason == "Diskriminierung"
