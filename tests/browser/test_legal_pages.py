"""A reader on a phone finds the Impressum from an article's footer, then writes to the
newsroom through the contact form (no JavaScript needed): one mail arrives. Screenshots
of the Impressum and the form at 390 px."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from lesefrei.demo import pages as demo
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reader_finds_the_impressum_on_a_phone_and_writes_to_the_newsroom(
    live_server, phone_page, screenshots
):
    from io import StringIO

    factories.index_pages()
    demo.load(StringIO())
    article = factories.article(headline="Bürger kaufen ihren Bus")
    mail.outbox.clear()
    page = phone_page

    page.goto(live_server.url + article.url)
    footer = page.locator("footer.footer")
    footer.get_by_role("link", name="Impressum").scroll_into_view_if_needed()
    footer.get_by_role("link", name="Impressum").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impressum")
    expect(page.locator(".legal__body")).to_contain_text("§ 18 Abs. 2 MStV")
    page.screenshot(path=screenshots / "impressum-390.png", full_page=True)

    page.locator("footer.footer").get_by_role("link", name="Kontakt").click()
    page.get_by_role("link", name="Nachricht schreiben").click()
    page.get_by_label("Ihr Name").fill("Jule Beispiel")
    page.get_by_label("Ihre E-Mail-Adresse").fill("jule@example.org")
    page.get_by_label("Betreff").fill("Busfahrplan")
    page.get_by_label("Ihre Nachricht").fill("Der Bus fährt sonntags um 9:15 Uhr, nicht 9:50 Uhr.")
    honeypot = page.locator("input[name=website]")
    assert not honeypot.is_visible() or honeypot.bounding_box()["x"] < 0
    page.screenshot(path=screenshots / "contact-form-390.png", full_page=True)
    # A person takes longer than the form's minimum time to write this.
    page.wait_for_timeout(3200)
    page.get_by_role("button", name="Nachricht senden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Danke für Ihre Nachricht")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["redaktion@lesefrei.invalid"]
    assert "sonntags um 9:15 Uhr" in mail.outbox[0].body
    assert page.console.errors == []
