"""The account pages pass the Nu Html Checker, as the reading pages do (tests/quality)."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.quality.checkers import html_errors

from .factories import reader

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    "account_signup",
    "account_login",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
]
READER_PAGES = [
    "reader_account",
    "reader_change_pseudonym",
    "reader_delete",
    "account_email",
    "account_change_password",
    "account_logout",
    "account_reauthenticate",
]


def test_account_pages_are_valid_html(client, tmp_path: Path):
    files = []

    def save(name: str, response) -> None:
        assert response.status_code == 200, name
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(file)

    for name in ANONYMOUS_PAGES:
        save(name, client.get(reverse(name)))
    save(
        "signup-with-errors",
        client.post(reverse("account_signup"), {"email": "x", "pseudonym": "<b>"}),
    )
    save("login-with-errors", client.post(reverse("account_login"), {"login": "x"}))
    client.force_login(reader())
    for name in READER_PAGES:
        save(name, client.get(reverse(name)))
    save("delete-with-errors", client.post(reverse("reader_delete"), {"password": ""}))

    assert html_errors(files) == {}
