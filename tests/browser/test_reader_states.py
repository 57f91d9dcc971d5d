"""The states readers reach through a form, driven through the real forms in Chromium
(fill in, submit) and checked like every page (reader_checks.py): the support form with
an invalid IBAN and its confirmation; a refused sign-up and login, the password reset's
"mail sent" page; the comment form, a refused comment and the moderation message. Then
commenting and pledging once more with JavaScript turned off."""

import pytest
from playwright.sync_api import expect

from lesefrei.accounts.services import create_reader
from lesefrei.comments.models import Comment
from lesefrei.support.models import Pledge
from tests.browser.conftest import PHONE
from tests.browser.reader_checks import ReaderChecks
from tests.quality.pages import CSRF_COOKIE, prepare_states

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "ein-langes-Passwort-2026"


@pytest.fixture
def states(demo_site):
    return prepare_states()


def document(page, action):
    """Run `action` (a click) and return the response of the page it leads to."""
    with page.expect_navigation() as navigation:
        action()
    return navigation.value


def fill_pledge(page, iban: str) -> None:
    page.get_by_label("Ihr Name").fill("Jana Oberländer")
    page.get_by_label("E-Mail-Adresse").fill("jana@example.org")
    page.get_by_label("Kontoinhaber/in").fill("Jana Oberländer")
    page.get_by_label("IBAN").fill(iban)
    page.get_by_label("Ich erteile das SEPA-Lastschriftmandat").check()


def test_support_form_error_and_confirmation_pass_the_checks(
    demo_site, states, browser, screenshots, test_output
):
    context = browser.new_context(viewport=PHONE, locale="de-DE")
    page = context.new_page()
    checks = ReaderChecks(page, demo_site, screenshots, test_output / "html")
    pledges = Pledge.objects.count()
    page.goto(demo_site + states.path("article-no-comments"))
    submit = page.locator(".support-box").get_by_role(
        "button", name="10\u00a0€ monatlich unterstützen"
    )
    response = document(page, submit.click)
    checks.check("support-form-from-box", response, reading=False)
    button = page.get_by_role("button", name="10\u00a0€ monatlich unterstützen")
    expect(button).to_be_visible()

    fill_pledge(page, "DE89 3704 0044 0532 0130 01")
    response = document(page, button.click)
    iban = page.get_by_label("IBAN")
    expect(iban).to_have_attribute("aria-invalid", "true")
    assert "id_iban_error" in iban.get_attribute("aria-describedby").split()
    expect(page.locator("#id_iban_error")).to_contain_text("Prüfziffer")
    expect(page.locator(".support-errors[role=alert]")).to_contain_text("IBAN")
    checks.check("support-error", response, status=400, reading=False, expected_console="400")
    assert Pledge.objects.count() == pledges

    iban.fill("DE89 3704 0044 0532 0130 00")
    page.get_by_label("Ich erteile das SEPA-Lastschriftmandat").check()
    response = document(
        page, page.get_by_role("button", name="10\u00a0€ monatlich unterstützen").click
    )
    expect(page.locator("h1")).to_have_text("Danke für Ihre Unterstützung!")
    checks.check("support-confirmation", response, reading=False)
    assert Pledge.objects.count() == pledges + 1
    assert {c["name"] for c in context.cookies()} == {CSRF_COOKIE}
    context.close()
    assert checks.finish() == {}


def test_account_errors_and_password_reset_mail_sent_pass_the_checks(
    demo_site, browser, screenshots, test_output
):
    context = browser.new_context(viewport=PHONE, locale="de-DE")
    page = context.new_page()
    checks = ReaderChecks(page, demo_site, screenshots, test_output / "html")

    page.goto(demo_site + "/konto/signup/")
    page.get_by_label("E-Mail-Adresse").fill("keine-adresse")
    page.get_by_label("Pseudonym").fill("<b>laut</b>")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort wiederholen").fill(PASSWORD)
    response = document(page, page.get_by_role("button", name="Registrieren").click)
    for field in ("email", "pseudonym"):
        control = page.locator(f"#id_{field}")
        expect(control).to_have_attribute("aria-invalid", "true")
        assert f"id_{field}_error" in control.get_attribute("aria-describedby").split()
    expect(page.locator(".form-errors[role=alert]")).to_be_visible()
    checks.check("signup-error", response, reading=False)

    page.goto(demo_site + "/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill("leserin.kiel@example.org")
    page.get_by_label("Passwort", exact=True).fill("falsch-falsch")
    response = document(page, page.get_by_role("button", name="Anmelden").click)
    expect(page.locator(".form-errors[role=alert]")).to_be_visible()
    checks.check("login-error", response, reading=False)

    page.goto(demo_site + "/konto/password/reset/")
    page.get_by_label("E-Mail-Adresse").fill("leserin.kiel@example.org")
    response = document(page, page.get_by_role("button", name="Link anfordern").click)
    expect(page.locator("h1")).to_have_text("Bitte sehen Sie in Ihr Postfach")
    checks.check("password-reset-sent", response, reading=False)
    context.close()
    assert checks.finish() == {}


def log_in(page, site: str, email: str) -> None:
    page.goto(site + "/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("h1")).to_have_text("Mein Konto")


def test_comment_form_refusal_and_moderation_message_pass_the_checks(
    demo_site, states, browser, screenshots, test_output
):
    create_reader("kommentar.test@example.org", "Lena aus Lübeck", PASSWORD, verified=True)
    context = browser.new_context(viewport=PHONE, locale="de-DE")
    page = context.new_page()
    checks = ReaderChecks(page, demo_site, screenshots, test_output / "html")
    log_in(page, demo_site, "kommentar.test@example.org")
    page.goto(demo_site + states.path("article-3-comments"))
    response = document(
        page, page.locator(".comments__cta").get_by_role("link", name="Kommentar schreiben").click
    )
    checks.check("comment-form", response, signed_in=True, reading=False)

    response = document(page, page.get_by_role("button", name="Kommentar abschicken").click)
    text = page.get_by_label("Ihr Kommentar")
    expect(text).to_have_attribute("aria-invalid", "true")
    assert "kommentar-fehler" in text.get_attribute("aria-describedby").split()
    expect(page.locator("#kommentar-fehler[role=alert]")).to_be_visible()
    checks.check(
        "comment-error", response, signed_in=True, status=400, reading=False, expected_console="400"
    )

    text.fill("Danke für die Recherche – die Zahlen aus Hameln hätte ich nicht erwartet.")
    response = document(page, page.get_by_role("button", name="Kommentar abschicken").click)
    expect(page.locator(".comment-messages[role=status]")).to_contain_text(
        "wartet auf Freischaltung"
    )
    checks.check("comment-pending", response, signed_in=True, reading=False)
    context.close()
    assert checks.finish() == {}


def visible_headline(page) -> str:
    page.wait_for_load_state()
    heading = page.locator("h1")
    assert heading.count() == 1
    expect(heading).to_be_visible()
    return heading.inner_text()


def test_reader_comments_and_pledges_without_javascript(demo_site, states, browser):
    create_reader("ohne.skript@example.org", "Ohne Skript", PASSWORD, verified=True)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="de-DE")
    page = context.new_page()

    # Reading and commenting.
    page.goto(demo_site + states.path("article-3-comments"))
    visible_headline(page)
    assert page.locator("#kommentare .comment").count() == 3
    document(
        page, page.locator(".comments__cta").get_by_role("link", name="Kommentar schreiben").click
    )
    assert visible_headline(page) == "Anmelden"  # the form asks for an account first
    page.get_by_label("E-Mail-Adresse").fill("ohne.skript@example.org")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    document(page, page.get_by_role("button", name="Anmelden").click)
    assert visible_headline(page) == "Kommentar schreiben"
    document(page, page.get_by_role("button", name="Kommentar abschicken").click)
    expect(page.locator("#kommentar-fehler")).to_be_visible()
    visible_headline(page)
    page.get_by_label("Ihr Kommentar").fill("Auch ohne Skript lässt sich hier mitreden.")
    document(page, page.get_by_role("button", name="Kommentar abschicken").click)
    visible_headline(page)
    expect(page.locator(".comment-messages")).to_contain_text("wartet auf Freischaltung")
    assert Comment.objects.filter(text__startswith="Auch ohne Skript").count() == 1

    # Pledging from the support box, with one mistake on the way.
    context.clear_cookies()
    page.goto(demo_site + states.path("article-no-comments"))
    document(
        page,
        page.locator(".support-box")
        .get_by_role("button", name="10\u00a0€ monatlich unterstützen")
        .click,
    )
    assert visible_headline(page) == "Ihre Unterstützung: 10\u00a0€ monatlich"
    fill_pledge(page, "DE89 3704 0044 0532 0130 01")
    document(page, page.get_by_role("button", name="10\u00a0€ monatlich unterstützen").click)
    visible_headline(page)
    expect(page.locator("#id_iban_error")).to_be_visible()
    page.get_by_label("IBAN").fill("DE89 3704 0044 0532 0130 00")
    page.get_by_label("Ich erteile das SEPA-Lastschriftmandat").check()
    document(page, page.get_by_role("button", name="10\u00a0€ monatlich unterstützen").click)
    assert visible_headline(page) == "Danke für Ihre Unterstützung!"
    pledge = Pledge.objects.filter(supporter__email="jana@example.org").latest("created_at")
    assert (pledge.amount, pledge.interval) == (10, "monthly")
    context.close()
