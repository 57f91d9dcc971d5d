"""Every page of allauth a reader can reach renders in the site's frame, in German."""

import pytest
from django.urls import reverse

from .factories import reader

pytestmark = pytest.mark.django_db

ANONYMOUS = [
    ("account_login", "Anmelden"),
    ("account_signup", "Konto anlegen"),
    ("account_reset_password", "Passwort vergessen"),
    ("account_reset_password_done", "Bitte sehen Sie in Ihr Postfach"),
    ("account_email_verification_sent", "bitte E-Mail bestätigen"),
    ("account_inactive", ""),
    ("account_reset_password_from_key_done", "Ihr Passwort ist geändert"),
]
LOGGED_IN = [
    ("reader_account", "Mein Konto"),
    ("reader_change_pseudonym", "Pseudonym ändern"),
    ("reader_delete", "Konto löschen"),
    ("account_email", "E-Mail-Adresse ändern"),
    ("account_change_password", "Passwort ändern"),
    ("account_logout", "Möchten Sie sich abmelden?"),
    ("account_reauthenticate", ""),
]


def assert_site_page(response, heading: str) -> None:
    assert response.status_code == 200
    text = response.text
    assert '<html lang="de">' in text
    assert 'class="masthead"' in text
    assert 'class="page-account"' in text
    assert '<meta name="robots" content="noindex">' in text
    if heading:
        assert heading in text


@pytest.mark.parametrize(("url_name", "heading"), ANONYMOUS)
def test_anonymous_account_pages_are_in_the_site_frame(client, url_name, heading):
    assert_site_page(client.get(reverse(url_name)), heading)


@pytest.mark.parametrize(("url_name", "heading"), LOGGED_IN)
def test_reader_account_pages_are_in_the_site_frame(client, url_name, heading):
    client.force_login(reader())
    assert_site_page(client.get(reverse(url_name)), heading)


def test_login_and_signup_link_to_each_other_and_to_the_password_reset(client):
    login = client.get(reverse("account_login")).text
    signup = client.get(reverse("account_signup")).text
    assert f'href="{reverse("account_signup")}"' in login
    assert f'href="{reverse("account_reset_password")}"' in login
    assert f'href="{reverse("account_login")}"' in signup


def test_invalid_confirmation_and_reset_links_get_a_german_page(client):
    confirm = client.get(reverse("account_confirm_email", args=["kaputt"]))
    assert_site_page(confirm, "abgelaufen oder ungültig")
    reset = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "kaputt"})
    )
    assert_site_page(reset, "Link ungültig")
