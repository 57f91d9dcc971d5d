"""Every page and state readers see passes the Nu Html Checker: the GET pages of
pages.py, the states reached through a form (posted with Django's test client, the same
requests the browser tests send through the real forms) and the 500 page from Django's
own handler."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from lesefrei.accounts.services import create_reader
from tests.quality.checkers import html_errors
from tests.quality.pages import failing_view, prepare_states


def _token(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


@pytest.mark.django_db
def test_every_reader_page_and_state_is_valid_html(client, tmp_path: Path):
    call_command("load_demo_content", "--quiet-accounts", stdout=StringIO())
    states = prepare_states()
    files = []

    def save(name: str, response, status: int = 200, showing: str = "") -> None:
        assert response.status_code == status, (name, response.status_code)
        assert showing in response.content.decode(), name
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(file)

    for page in states.pages:
        save(page.name, client.get(page.path), page.status)

    # The support form: an invalid IBAN, then the confirmation.
    details = client.get("/unterstuetzen/", {"betrag": "10", "intervall": "monatlich"}).text
    pledge = {
        "form_token": _token(details, "form_token"),
        "betrag": "10",
        "intervall": "monatlich",
        "name": "Jana Oberländer",
        "email": "jana@example.org",
        "account_holder": "Jana Oberländer",
        "iban": "DE89 3704 0044 0532 0130 01",
        "consent": "on",
    }
    save("support-error", client.post("/unterstuetzen/", pledge), 400, "Prüfziffer")
    confirmed = client.post("/unterstuetzen/", {**pledge, "iban": "DE89370400440532013000"})
    save("support-confirmation", client.get(confirmed["Location"]), 200, "Danke")

    # Accounts: a refused sign-up, the "mail sent" page of the password reset.
    save("signup-error", client.post("/konto/signup/", {"email": "x", "pseudonym": "<b>"}))
    save("login-error", client.post("/konto/login/", {"login": "x", "password": "y"}))
    save(
        "password-reset-sent",
        client.post("/konto/password/reset/", {"email": "leserin.kiel@example.org"}, follow=True),
    )

    # The comment form: empty, refused (empty text), posted (waiting for moderation).
    reader = create_reader("html.pruefung@example.org", "Prüferin", "geheim-123", verified=True)
    client.force_login(reader)
    write = f"/kommentare/{states.article_with_three.pk}/schreiben/"
    form = client.get(write)
    save("comment-form", form)
    key = _token(form.text, "key")
    save("comment-error", client.post(write, {"key": key, "text": "  "}), 400, "aria-invalid")
    save(
        "comment-pending",
        client.post(write, {"key": key, "text": "Ein Gedanke zum Text."}, follow=True),
        showing="wartet auf Freischaltung",
    )

    # The 500 page as Django's handler renders it for an unexpected error.
    with failing_view(states.article_with_three) as broken:
        response = Client(raise_request_exception=False).get(broken.path)
        save(broken.name, response, 500, "Technische Störung")

    assert html_errors(files) == {}


def test_the_checker_finds_errors(tmp_path: Path):
    broken = tmp_path / "broken.html"
    broken.write_text(
        "<!doctype html><html lang=de><title>x</title><p><div>falsch</p>", encoding="utf-8"
    )
    assert html_errors([broken])


@pytest.mark.django_db
def test_every_reader_page_describes_itself_for_search_engines_and_link_previews(client):
    call_command("load_demo_content", "--quiet-accounts", stdout=StringIO())
    states = prepare_states()
    description = re.compile(r'<meta name="description" content="([^"]*)">')

    for page in states.pages:
        html = client.get(page.path).content.decode()
        found = description.findall(html)
        assert len(found) == 1, (page.name, found)
        assert len(found[0].strip()) >= 20, (page.name, found[0])
