import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from lesefrei.accounts.models import ReaderProfile
from lesefrei.accounts.selectors import is_confirmed_reader

from .factories import PASSWORD, reader

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+")


def sign_up(client, email="neu@example.org", pseudonym="Neue Leserin", **extra):
    data = {"email": email, "pseudonym": pseudonym, "password1": PASSWORD, "password2": PASSWORD}
    data.update(extra)
    return client.post(reverse("account_signup"), data)


def link_in(message) -> str:
    return LINK.findall(message.body)[0]


def test_sign_up_sends_a_confirmation_mail_and_confirming_lets_the_reader_in(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = get_user_model().objects.get(email="neu@example.org")
    assert user.reader_profile.pseudonym == "Neue Leserin"
    assert not user.username.startswith("neu"), "the login name must not reveal the address"
    assert not is_confirmed_reader(user)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["neu@example.org"]
    assert message.subject == "[lesefrei] Bitte bestätigen Sie Ihre Registrierung"
    assert "vielen Dank für Ihre Registrierung bei lesefrei" in message.body

    confirm_url = link_in(message)
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert "Bitte bestätigen Sie, dass" in page.text
    response = client.post(confirm_url)
    assert response.status_code == 302

    user.refresh_from_db()
    assert is_confirmed_reader(user)
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "neu@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reader_account")
    overview = client.get(reverse("reader_account"))
    assert overview.status_code == 200
    assert "Mein Konto" in overview.text
    assert "Neue Leserin" in overview.text


def test_unconfirmed_reader_cannot_log_in_and_gets_the_link_again(client):
    sign_up(client)
    client.logout()
    mail.outbox.clear()
    from django.core.cache import cache

    cache.clear()  # the confirmation-mail cooldown (one per three minutes)

    response = client.post(
        reverse("account_login"), {"login": "neu@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    assert not is_confirmed_reader(get_user_model().objects.get(email="neu@example.org"))


def test_unconfirmed_and_anonymous_users_are_not_confirmed_readers(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not is_confirmed_reader(None)
    assert not is_confirmed_reader(AnonymousUser())
    assert not is_confirmed_reader(reader(verified=False))
    assert is_confirmed_reader(reader(verified=True))
    staff = django_user_model.objects.create_user("redakteurin", "r@example.org", PASSWORD)
    assert not is_confirmed_reader(staff), "no pseudonym, no confirmed address"
    banned = reader()
    banned.is_active = False
    assert not is_confirmed_reader(banned)


def test_taken_pseudonym_is_refused_whatever_the_case_or_separators(client):
    reader("Mara K.")
    response = sign_up(client, pseudonym="mara_k")

    assert response.status_code == 200
    assert "Dieses Pseudonym ist schon vergeben" in response.text
    assert not get_user_model().objects.filter(email="neu@example.org").exists()
    assert mail.outbox == []


def test_existing_address_creates_no_second_account_and_tells_the_owner(client):
    reader("Erste", email="vorhanden@example.org")
    response = sign_up(client, email="Vorhanden@Example.org", pseudonym="Zweite")

    # The same answer as for a new address: nobody learns who has an account here.
    assert response.status_code == 302
    assert ReaderProfile.objects.filter(pseudonym="Zweite").count() == 0
    assert EmailAddress.objects.filter(email__iexact="vorhanden@example.org").count() == 1
    assert len(mail.outbox) == 1
    assert "schon ein Konto" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("pseudonym", "message"),
    [
        ("<script>alert('x')</script>", "nicht erlaubt"),
        ("", "Bitte geben Sie ein Pseudonym ein"),
        ("x" * 5000, "höchstens 40 Zeichen"),
        ("\x00binär", "Nullzeichen sind nicht erlaubt"),
        ("\x01\x02\x1bbinär", "Steuerzeichen"),
        ("Mаra", "mischt Schriften"),  # Cyrillic а
        ("mara@example.org", "keine E-Mail-Adresse"),
        ("www.mara.de", "keine Web-Adresse"),
        ("4711", "mindestens einen Buchstaben"),
        ("Redaktion", "reserviert"),
    ],
)
def test_hostile_pseudonyms_get_a_message_and_create_nothing(client, pseudonym, message):
    response = sign_up(client, pseudonym=pseudonym)

    assert response.status_code == 200
    assert message in response.text
    assert "<script>alert" not in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'aria-describedby="id_pseudonym_helptext id_pseudonym_error"' in response.text
    assert not get_user_model().objects.filter(email="neu@example.org").exists()
    assert mail.outbox == []


def test_html_in_a_field_is_shown_as_text(client):
    response = sign_up(client, email="<b>fett</b>@example.org")

    assert response.status_code == 200
    assert "<b>fett</b>" not in response.text
    assert "&lt;b&gt;fett&lt;/b&gt;" in response.text


def test_binary_post_data_is_a_form_error_not_a_crash(client):
    response = client.post(
        reverse("account_signup"),
        data=b"email=%FF%FE&pseudonym=%00%FF&password1=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "Bitte prüfen Sie die markierten Angaben" in response.text


def test_signup_page_is_german_and_in_the_site_frame(client):
    response = client.get(reverse("account_signup"))

    assert response.status_code == 200
    text = response.text
    assert '<html lang="de">' in text
    assert "Konto anlegen" in text
    assert 'class="masthead"' in text
    for label in ("E-Mail-Adresse", "Pseudonym", "Passwort", "Passwort wiederholen"):
        assert f">{label}:</label>" in text or f">{label}</label>" in text
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_pseudonym_taken_by_a_concurrent_sign_up_leaves_no_half_account(client, monkeypatch):
    from lesefrei.accounts.forms import SignupForm

    validate = SignupForm.clean_pseudonym

    def slower_than_another_sign_up(form):
        value = validate(form)
        reader(value, email="schneller@example.org")
        return value

    monkeypatch.setattr(SignupForm, "clean_pseudonym", slower_than_another_sign_up)

    response = sign_up(client, pseudonym="Gleichzeitig")

    assert response.status_code == 200
    assert "Dieses Pseudonym ist schon vergeben" in response.text
    assert not get_user_model().objects.filter(email="neu@example.org").exists()
    assert not EmailAddress.objects.filter(email="neu@example.org").exists()
    assert mail.outbox == []


def test_empty_sign_up_says_what_is_missing_field_by_field(client):
    response = client.post(reverse("account_signup"), {})

    assert response.status_code == 200
    for message in (
        "Bitte geben Sie Ihre E-Mail-Adresse ein.",
        "Bitte geben Sie ein Pseudonym ein.",
        "Bitte wählen Sie ein Passwort.",
        "Bitte geben Sie das Passwort noch einmal ein.",
    ):
        assert message in response.text
