"""A reader signs up, confirms the address from the mail the site sent, logs in and
finds "Mein Konto" — on a phone without JavaScript and on a desktop."""

import json
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.quality.checkers import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "ein-gutes-passwort-1848"


def sign_up_confirm_and_log_in(
    page, site: str, screenshots, width: str, email: str, name: str, *, axe: bool = False
):
    page.goto(site + "/konto/signup/")
    expect(page.locator("h1")).to_have_text("Konto anlegen")
    page.screenshot(path=screenshots / f"signup-{width}.png", full_page=True)

    # A hostile pseudonym first: a message at the field, nothing executed, nothing stored.
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Pseudonym").fill("<img src=x onerror=alert(1)>")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort wiederholen").fill(PASSWORD)
    page.get_by_role("button", name="Registrieren").click()
    pseudonym = page.get_by_label("Pseudonym")
    expect(pseudonym).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_pseudonym_error")).to_contain_text("nicht erlaubt")
    page.screenshot(path=screenshots / f"signup-error-{width}.png", full_page=True)
    if axe:
        assert axe_violations(page) == []
    assert mail.outbox == []

    pseudonym.fill(name)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort wiederholen").fill(PASSWORD)
    page.get_by_role("button", name="Registrieren").click()
    expect(page.locator("h1")).to_contain_text("bitte E-Mail bestätigen")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [email]
    link = re.search(r"https?://\S+/konto/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.locator(".account__lead")).to_contain_text(email)
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.locator("h1")).to_have_text("Mein Konto")

    page.get_by_role("button", name="Abmelden").click()
    page.goto(site + "/konto/login/")
    page.screenshot(path=screenshots / f"login-{width}.png", full_page=True)
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    expect(page.locator("h1")).to_have_text("Mein Konto")
    expect(page.locator(".account-facts").first).to_contain_text(name)
    expect(page.get_by_text(email)).to_be_visible()
    expect(page.get_by_role("link", name="Meine Daten herunterladen")).to_be_visible()
    expect(page.get_by_role("link", name="Konto löschen")).to_be_visible()
    page.screenshot(path=screenshots / f"account-{width}.png", full_page=True)
    if axe:
        assert axe_violations(page) == []

    status = page.request.get(site + "/konto/status.json").json()
    assert status == {"authenticated": True, "pseudonym": name, "confirmed": True}

    for path, heading, shot in (
        ("/konto/pseudonym/", "Pseudonym ändern", "pseudonym"),
        ("/konto/email/", "E-Mail-Adresse ändern", "email"),
        ("/konto/loeschen/", "Konto löschen", "delete"),
    ):
        page.goto(site + path)
        expect(page.locator("h1")).to_have_text(heading)
        page.screenshot(path=screenshots / f"account-{shot}-{width}.png", full_page=True)
        if axe:
            assert axe_violations(page) == []


def test_reader_signs_up_on_a_phone_without_javascript(demo_site, browser, screenshots):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, locale="de-DE", java_script_enabled=False
    )
    page = context.new_page()
    sign_up_confirm_and_log_in(
        page, demo_site, screenshots, "390", "handy@example.org", "Leser mit Handy"
    )

    page.goto(demo_site + "/konto/loeschen/")
    page.get_by_label("Ihr Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Konto endgültig löschen").click()
    expect(page.locator("h1")).to_have_text("Ihr Konto ist gelöscht")
    status = page.request.get(demo_site + "/konto/status.json").json()
    assert status["authenticated"] is False
    context.close()


def test_reader_signs_up_on_a_desktop(demo_site, browser, screenshots):
    context = browser.new_context(viewport=DESKTOP, locale="de-DE", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
    sign_up_confirm_and_log_in(
        page,
        demo_site,
        screenshots,
        "1280",
        "desktop@example.org",
        "Mara vom Schreibtisch",
        axe=True,
    )
    page.goto(demo_site + "/konto/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Meine Daten herunterladen").click()
    download = download_info.value
    assert download.suggested_filename.startswith("lesefrei-konto-")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["profile"]["pseudonym"] == "Mara vom Schreibtisch"
    assert data["email_addresses"][0]["email"] == "desktop@example.org"
    assert errors == []
    context.close()


def test_account_pages_are_accessible_in_dark_mode(demo_site, browser, screenshots):
    context = browser.new_context(viewport=PHONE, locale="de-DE", color_scheme="dark")
    page = context.new_page()
    page.goto(demo_site + "/konto/signup/")
    page.get_by_role("button", name="Registrieren").click()
    expect(page.locator(".form-errors")).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path=screenshots / "signup-error-dark-390.png", full_page=True)

    page.goto(demo_site + "/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill("leserin.kiel@example.org")
    page.get_by_label("Passwort", exact=True).fill("lesefrei-demo")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("h1")).to_have_text("Mein Konto")
    assert axe_violations(page) == []
    page.screenshot(path=screenshots / "account-dark-390.png", full_page=True)
    context.close()
