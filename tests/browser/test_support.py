"""A reader supports the newsroom in Chromium: 10 € monthly with a test IBAN, a German
error for a mistyped IBAN, the confirmation with the first debit, and the support box
figure one higher afterwards. Screenshots at 390 px and 1280 px."""

import pytest
from django.utils import formats, translation
from playwright.sync_api import expect

from lesefrei.support import selectors
from lesefrei.support.models import Pledge
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def article_url(live_server) -> str:
    return live_server.url + factories.article().url


def support_figure(page) -> int:
    return int(page.locator(".support-box__count").inner_text().replace(".", ""))


def pledge_ten_euros_monthly(page, article_url: str, screenshots, width: str) -> None:
    page.goto(article_url)
    box = page.locator(".support-box")
    expect(box).to_contain_text("Alle können uns lesen.")
    expect(box).to_contain_text("50.000")
    expect(box.locator("progress")).to_have_attribute("max", "50000")
    before = support_figure(page)

    box.get_by_role("link", name="Jetzt unterstützen").click()
    page.get_by_label("10\u00a0€").check()
    page.get_by_label("monatlich").check()
    page.get_by_role("button", name="Weiter zu Ihren Angaben").click()

    submit = page.get_by_role("button", name="10\u00a0€ monatlich unterstützen")
    expect(submit).to_be_visible()
    page.get_by_label("Ihr Name").fill("Jana Oberländer")
    page.get_by_label("E-Mail-Adresse").fill("jana@example.org")
    page.get_by_label("Kontoinhaber/in").fill("Jana Oberländer")
    page.get_by_label("IBAN").fill("DE89 3704 0044 0532 0130 01")
    page.get_by_label("Ich erteile das SEPA-Lastschriftmandat").check()
    page.screenshot(path=screenshots / f"support-form-{width}.png", full_page=True)

    submit.click()
    iban = page.get_by_label("IBAN")
    expect(iban).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_iban_error")
    expect(error).to_have_text("Diese IBAN ist ungültig: Prüfziffer stimmt nicht.")
    assert "id_iban_error" in (iban.get_attribute("aria-describedby") or "")
    page.screenshot(path=screenshots / f"support-form-error-{width}.png", full_page=True)
    assert Pledge.objects.count() == 0
    # The refused form answers 400 (the request was bad); Chromium logs that status.
    page.console.errors[:] = [e for e in page.console.errors if "400 (Bad Request)" not in e]

    iban.fill("DE89 3704 0044 0532 0130 00")
    page.get_by_label("Ich erteile das SEPA-Lastschriftmandat").check()
    page.get_by_role("button", name="10\u00a0€ monatlich unterstützen").click()
    expect(page.locator("h1")).to_have_text("Danke für Ihre Unterstützung!")

    pledge = Pledge.objects.get()
    first = selectors.next_debit(pledge)
    with translation.override("de"):
        first_date = formats.date_format(first.date, "j. F Y")
    first_debit = page.locator(".support-facts__first-debit")
    expect(first_debit).to_have_text(f"10\u00a0€ am {first_date}")
    expect(page.locator(".support-facts__reference")).to_have_text(pledge.mandates.get().reference)
    expect(page.locator(".support-facts__interval")).to_have_text("monatlich")
    page.screenshot(path=screenshots / f"support-confirmation-{width}.png", full_page=True)

    page.goto(article_url)
    assert support_figure(page) == before + 1
    assert page.console.errors == []


def test_reader_pledges_ten_euros_monthly_on_a_phone(article_url, phone_page, screenshots):
    pledge_ten_euros_monthly(phone_page, article_url, screenshots, "390")


def test_reader_pledges_ten_euros_monthly_on_a_desktop(article_url, desktop_page, screenshots):
    pledge_ten_euros_monthly(desktop_page, article_url, screenshots, "1280")


def test_pledging_works_without_javascript(article_url, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(article_url)
    page.locator(".support-box a").click()
    page.get_by_label("25\u00a0€").check()
    page.get_by_label("jährlich", exact=True).check()
    page.get_by_role("button", name="Weiter zu Ihren Angaben").click()
    page.get_by_label("Ihr Name").fill("Ohne Skript")
    page.get_by_label("E-Mail-Adresse").fill("ohne@example.org")
    page.get_by_label("Kontoinhaber/in").fill("Ohne Skript")
    page.get_by_label("IBAN").fill("AT611904300234573201")
    page.get_by_label("Ich erteile das SEPA-Lastschriftmandat").check()
    page.get_by_role("button", name="25\u00a0€ jährlich unterstützen").click()
    expect(page.locator("h1")).to_have_text("Danke für Ihre Unterstützung!")
    assert Pledge.objects.get().interval == "yearly"
    context.close()
