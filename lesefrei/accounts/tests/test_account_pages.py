import json
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lesefrei.accounts.models import ReaderProfile
from lesefrei.accounts.selectors import is_confirmed_reader

from .factories import PASSWORD, reader

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://testserver(/\S+)")


def logged_in(client, user):
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


def test_account_overview_needs_a_login(client):
    response = client.get(reverse("reader_account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_account_overview_shows_pseudonym_address_and_every_action(client):
    user = reader("Leserin_aus_Kiel", email="kiel@example.org")
    response = logged_in(client, user).get(reverse("reader_account"))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    text = response.text
    assert "Leserin_aus_Kiel" in text
    assert "kiel@example.org" in text
    for url_name in (
        "reader_change_pseudonym",
        "account_email",
        "account_change_password",
        "reader_export",
        "reader_delete",
    ):
        assert f'href="{reverse(url_name)}"' in text


def test_status_endpoint_tells_who_is_logged_in_and_is_never_cached(client):
    anonymous = client.get(reverse("reader_account_status"))
    assert anonymous.json() == {"authenticated": False, "pseudonym": None, "confirmed": False}
    assert "no-store" in anonymous["Cache-Control"]
    assert "private" in anonymous["Cache-Control"]
    assert "Cookie" in anonymous["Vary"]
    assert not anonymous.cookies, "asking who is logged in must not start a session"

    logged_in(client, reader("Mara K."))
    assert client.get(reverse("reader_account_status")).json() == {
        "authenticated": True,
        "pseudonym": "Mara K.",
        "confirmed": True,
    }
    assert client.post(reverse("reader_account_status")).status_code == 405


def test_reader_changes_the_pseudonym_once_then_waits(client, settings):
    settings.LESEFREI_PSEUDONYM_CHANGE_DAYS = 30
    user = reader("Bernd_57")
    reader("Mara K.")
    logged_in(client, user)
    url = reverse("reader_change_pseudonym")

    taken = client.post(url, {"pseudonym": "mara k"})
    assert "schon vergeben" in taken.text
    hostile = client.post(url, {"pseudonym": "<img src=x onerror=alert(1)>"})
    assert hostile.status_code == 200
    assert "<img src=x" not in hostile.text
    assert "nicht erlaubt" in hostile.text

    response = client.post(url, {"pseudonym": "  Bernd   aus Bonn "})
    assert response.status_code == 302
    profile = ReaderProfile.objects.get(user=user)
    assert profile.pseudonym == "Bernd aus Bonn"
    assert "Ihr Pseudonym ist geändert" in client.get(reverse("reader_account")).text

    again = client.get(url)
    assert "erst am" in again.text
    refused = client.post(url, {"pseudonym": "Bernd der Dritte"})
    assert refused.status_code == 200
    assert "erst am" in refused.text
    profile.refresh_from_db()
    assert profile.pseudonym == "Bernd aus Bonn"

    profile.pseudonym_changed_at = timezone.now() - timedelta(days=31)
    profile.save()
    assert client.post(url, {"pseudonym": "Bernd der Dritte"}).status_code == 302


def test_reader_changes_the_address_after_confirming_the_new_one(client):
    user = reader("Jule", email="alt@example.org")
    logged_in(client, user)

    response = client.post(reverse("account_email"), {"action_add": "", "email": "neu@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["neu@example.org"]
    user.refresh_from_db()
    assert user.email == "alt@example.org", "the old address stays until the new one is confirmed"
    assert is_confirmed_reader(user)
    page = client.get(reverse("account_email"))
    assert "neu@example.org" in page.text and "noch nicht bestätigt" in page.text

    path = LINK.search(mail.outbox[0].body).group(1)
    client.post(path)

    user.refresh_from_db()
    assert user.email == "neu@example.org"
    assert list(
        EmailAddress.objects.filter(user=user).values_list("email", "primary", "verified")
    ) == [("neu@example.org", True, True)]
    assert is_confirmed_reader(user)


def test_reader_changes_the_password(client):
    user = reader()
    logged_in(client, user)
    url = reverse("account_change_password")

    wrong = client.post(
        url,
        {
            "oldpassword": "falsch",
            "password1": "neu-und-lang-2026",
            "password2": "neu-und-lang-2026",
        },
    )
    assert wrong.status_code == 200
    assert "Bitte geben Sie Ihr bisheriges Passwort ein" in wrong.text

    response = client.post(
        url,
        {
            "oldpassword": PASSWORD,
            "password1": "neu-und-lang-2026",
            "password2": "neu-und-lang-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("neu-und-lang-2026")


def test_forgotten_password_is_reset_through_the_mailed_link(client):
    user = reader(email="vergessen@example.org")

    response = client.post(reverse("account_reset_password"), {"email": "vergessen@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "[lesefrei] Neues Passwort für Ihr Leserkonto"
    assert user.username not in body, "the opaque login name is of no use to readers"

    link = LINK.search(body).group(1)
    form_page = client.get(link, follow=True)
    assert "Neues Passwort setzen" in form_page.text
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(action, {"password1": "wieder-da-1848", "password2": "wieder-da-1848"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("wieder-da-1848")

    reused = client.get(link, follow=True)
    assert "Link ungültig" in reused.text


def test_export_contains_profile_addresses_and_comments(client):
    user = reader("Friedrich W.", email="fw@example.org")
    logged_in(client, user)
    client.get(reverse("reader_account"))

    response = client.get(reverse("reader_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="lesefrei-konto-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["format"] == "lesefrei-konto-export/1"
    assert data["profile"]["pseudonym"] == "Friedrich W."
    assert data["profile"]["created_at"]
    assert data["profile"]["last_login"] is not None
    assert data["email_addresses"] == [
        {"email": "fw@example.org", "primary": True, "verified": True}
    ]
    assert isinstance(data["comments"], list)
    assert isinstance(data["pledges"], list)


def test_export_of_someone_else_is_impossible(client):
    response = client.get(reverse("reader_export"))
    assert response.status_code == 302


def test_wrong_password_deletes_nothing(client):
    user = reader()
    logged_in(client, user)

    response = client.post(reverse("reader_delete"), {"password": "falsch"})

    assert response.status_code == 200
    assert "Das Passwort stimmt nicht" in response.text
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_deleting_the_account_removes_user_profile_addresses_and_session(client):
    user = reader("Löschkandidat", email="weg@example.org")
    logged_in(client, user)

    response = client.post(reverse("reader_delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("reader_deleted")
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert not ReaderProfile.objects.filter(pseudonym="Löschkandidat").exists()
    assert not EmailAddress.objects.filter(email="weg@example.org").exists()
    assert client.get(reverse("reader_account_status")).json()["authenticated"] is False
    assert "Ihr Konto ist gelöscht" in client.get(reverse("reader_deleted")).text
    # The pseudonym is free again.
    assert reader("Löschkandidat")


def test_staff_accounts_are_not_deleted_from_the_reader_page(client, django_user_model):
    editor = django_user_model.objects.create_user(
        "redakteurin", "r@example.org", PASSWORD, is_staff=True
    )
    logged_in(client, editor)

    response = client.post(reverse("reader_delete"), {"password": PASSWORD})

    assert response.status_code == 200
    assert "in der Verwaltung gelöscht" in response.text
    assert django_user_model.objects.filter(pk=editor.pk).exists()


def test_login_and_logout_leave_no_note_for_a_later_page(client):
    reader(email="still@example.org")
    client.post(
        reverse("account_login"),
        {"login": "still@example.org", "password": PASSWORD, "next": "/"},
    )
    assert "angemeldet als" not in client.get(reverse("reader_account")).text
    client.post(reverse("account_logout"))
    assert "abgemeldet" not in client.get(reverse("account_login")).text


def test_deletion_logs_the_reader_out_on_every_device(client):
    from django.test import Client

    user = reader()
    phone = logged_in(Client(), user)
    assert phone.get(reverse("reader_account_status")).json()["authenticated"] is True
    logged_in(client, user).post(reverse("reader_delete"), {"password": PASSWORD})

    assert phone.get(reverse("reader_account_status")).json() == {
        "authenticated": False,
        "pseudonym": None,
        "confirmed": False,
    }
    assert phone.get(reverse("reader_account")).status_code == 302


@pytest.mark.parametrize(("remember", "ends_with_browser"), [("", True), ("on", False)])
def test_remember_me_decides_how_long_the_session_lasts(client, remember, ends_with_browser):
    reader(email="merken@example.org")
    data = {"login": "merken@example.org", "password": PASSWORD}
    if remember:
        data["remember"] = remember
    assert client.post(reverse("account_login"), data).status_code == 302
    assert client.session.get_expire_at_browser_close() is ends_with_browser
