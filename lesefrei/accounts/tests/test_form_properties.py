"""Generated input for the reader's account forms: sign-up, login, password reset (the
request and the mailed link's form), pseudonym, a second e-mail address, password change
and deletion. Never a server error; a refusal says why and changes no row; an accepted
sign-up creates one account, however often it is sent (tests/generated_forms.py has the
strategies and the checks)."""

from urllib.parse import quote

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import mail
from django.urls import reverse
from hypothesis import event, example, given
from hypothesis import strategies as st

from lesefrei.accounts.models import ReaderProfile
from tests.generated_forms import (
    BUDGET,
    TEXT,
    assert_clean_text,
    assert_no_server_error,
    assert_refused_with_message,
    form_page,
    isolated_example,
    reader_client,
    received,
    rows,
    send,
    submissions,
)

from .factories import PASSWORD, reader

pytestmark = pytest.mark.django_db

User = get_user_model()
ACCOUNT_ROWS = (User, ReaderProfile, EmailAddress)
EXISTING = "leserin.kiel@example.org"
EMAILS = st.sampled_from(
    [
        '"\x01"@example.org',
        '"a\x1bb"@example.org',
        '"\x7f"@example.org',
        "neu@exämple.org",
        "ä@example.org",
        "neu@[127.0.0.1]",
        "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".de",  # 258 characters
        "a" * 250 + "@b.de",
        EXISTING.upper(),
        f" {EXISTING} ",
        "neu@example.org\n",
        "neu@@example.org",
    ]
)
PASSWORDS = st.sampled_from([PASSWORD, "kurz", "12345678", "passwort", "\x00" * 12, "😀" * 9])
GOOD_SIGN_UP = {
    "email": "neu@example.org",
    "pseudonym": "Neue Leserin",
    "password1": PASSWORD,
    "password2": PASSWORD,
}
# Pseudonyms within the rules (pseudonyms.py) that nobody has taken.
PSEUDONYMS = st.from_regex(r"Neu[a-zäöüß]{1,10}( [A-Za-zÄÖ]{1,3}[0-9]{1,3}){0,2}", fullmatch=True)
LOCAL_PARTS = st.from_regex(r"[a-z0-9]{1,10}([._+-][a-z0-9]{1,10}){0,2}", fullmatch=True)

# Found by these tests: addresses longer than the 254 characters of the user's and
# allauth's e-mail columns (PostgreSQL: 500), control characters in a quoted local part.
LONG_ADDRESS = {**{k: [v] for k, v in GOOD_SIGN_UP.items()}, "email": ["a" * 250 + "@b.de"]}
CONTROL_ADDRESS = {**{k: [v] for k, v in GOOD_SIGN_UP.items()}, "email": ['"\x1b"@example.org']}


@pytest.fixture
def existing() -> AbstractBaseUser:
    """A confirmed reader (restored for every example, see isolated_example)."""
    return reader("Leserin Kiel", email=EXISTING)


def assert_account_is_clean(user: AbstractBaseUser) -> None:
    addresses = list(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    assert_clean_text(user.email, user.reader_profile.pseudonym, *addresses)
    assert all(len(address) <= 254 for address in [user.email, *addresses])


@BUDGET
@given(
    fields=submissions(
        GOOD_SIGN_UP,
        special={"email": EMAILS, "password1": PASSWORDS, "password2": PASSWORDS},
    ),
    multipart=st.booleans(),
)
@example(fields=LONG_ADDRESS, multipart=False)
@example(fields=CONTROL_ADDRESS, multipart=False)
def test_generated_sign_up_is_refused_with_a_message_or_creates_one_account(
    existing, fields, multipart
):
    with isolated_example():
        client = reader_client()
        url = reverse("account_signup")
        _, token = form_page(client, url)
        before = rows(*ACCOUNT_ROWS)

        response = send(client, url, token, fields, multipart)

        if response.status_code != 302:
            event("refused")
            assert_refused_with_message(response)
            assert rows(*ACCOUNT_ROWS) == before
            return
        assert response["Location"] == reverse("account_email_verification_sent")
        new = User.objects.exclude(pk__in=[row[0] for row in before["auth.User"]])
        if not new.exists():
            # An address with an account: the same answer (no enumeration), a mail to
            # its owner, no second account.
            event("existing address")
            assert [message.to for message in mail.outbox] == [[EXISTING]]
            return
        event("created")
        assert new.count() == 1
        assert_account_is_clean(new.get())
        again = send(client, url, token, fields, multipart)
        assert again.status_code in (200, 302)
        assert User.objects.count() == len(before["auth.User"]) + 1


@BUDGET
@given(pseudonym=PSEUDONYMS, local=LOCAL_PARTS)
def test_generated_good_sign_up_creates_exactly_one_account(existing, pseudonym, local):
    with isolated_example():
        client = reader_client()
        url = reverse("account_signup")
        _, token = form_page(client, url)
        fields = {
            **{key: [value] for key, value in GOOD_SIGN_UP.items()},
            "email": [f"{local}@example.org"],
            "pseudonym": [pseudonym],
        }
        before = User.objects.count()

        first = send(client, url, token, fields)
        second = send(client, url, token, fields)  # a double click

        assert first.status_code == 302, first.text[-2000:]
        assert second.status_code in (200, 302)
        user = User.objects.get(email=f"{local}@example.org")
        assert User.objects.count() == before + 1
        assert user.reader_profile.pseudonym == pseudonym
        assert_account_is_clean(user)


@BUDGET
@given(
    fields=submissions(
        {"login": EXISTING, "password": PASSWORD, "remember": "on"},
        special={"login": EMAILS, "password": PASSWORDS},
    ),
    multipart=st.booleans(),
)
def test_generated_login_lets_in_the_reader_or_says_why_not(existing, fields, multipart):
    with isolated_example():
        client = reader_client()
        url = reverse("account_login")
        _, token = form_page(client, url)
        before = rows(ReaderProfile, EmailAddress)

        response = send(client, url, token, fields, multipart)

        logged_in = client.session.get("_auth_user_id")
        assert rows(ReaderProfile, EmailAddress) == before
        if response.status_code == 302:
            event("logged in")
            assert logged_in == str(existing.pk)
            return
        event("refused")
        assert logged_in is None
        assert_refused_with_message(response)


@BUDGET
@given(
    fields=submissions({"email": EXISTING}, special={"email": EMAILS}),
    multipart=st.booleans(),
)
def test_generated_reset_request_mails_the_owner_at_most_once(existing, fields, multipart):
    with isolated_example():
        client = reader_client()
        url = reverse("account_reset_password")
        _, token = form_page(client, url)
        before = rows(*ACCOUNT_ROWS)

        response = send(client, url, token, fields, multipart)

        assert rows(*ACCOUNT_ROWS) == before
        if response.status_code != 302:
            event("refused")
            assert_refused_with_message(response)
            assert mail.outbox == []
            return
        event("accepted")
        assert response["Location"] == reverse("account_reset_password_done")
        # The owner gets the link; an address without an account is told so (the same
        # answer on the page for both: no enumeration).
        entered = received(fields["email"]).strip().lower()
        assert [[to.lower() for to in message.to] for message in mail.outbox] == [[entered]]
        assert_clean_text(*mail.outbox[0].to)


@BUDGET
@given(
    fields=submissions(
        {"password1": "wieder-da-1848", "password2": "wieder-da-1848"},
        special={"password1": PASSWORDS, "password2": PASSWORDS},
    ),
    key=st.one_of(st.none(), TEXT.map(lambda key: key.replace("/", "") or "x")),
)
def test_generated_new_password_from_the_mailed_link_is_set_or_refused(existing, fields, key):
    with isolated_example():
        client = reader_client()
        existing.refresh_from_db()  # the token hashes the password as restored
        uid = user_pk_to_url_str(existing)
        good_key = default_token_generator.make_token(existing)
        link = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": uid, "key": good_key if key is None else key},
        )
        page = client.get(link, follow=True)
        assert_no_server_error(page)
        if key is not None and "password1" not in page.text:
            event("link refused")
            assert "Link" in page.text
            return
        url = page.redirect_chain[-1][0] if page.redirect_chain else link
        _, token = form_page(client, url)
        before = existing.password

        response = send(client, url, token, fields)

        existing.refresh_from_db()
        if response.status_code != 302:
            event("refused")
            assert_refused_with_message(response)
            assert existing.password == before
            return
        event("set")
        assert existing.check_password(received(fields["password1"]))


@BUDGET
@given(
    fields=submissions(
        {"pseudonym": "Neuer Name"},
        special={"pseudonym": st.sampled_from(["Leserin Kiel", "leserin_kiel", "Neuer\x85Name"])},
    ),
    multipart=st.booleans(),
)
def test_generated_pseudonym_is_changed_or_refused_with_a_message(existing, fields, multipart):
    with isolated_example():
        client = reader_client(existing)
        url = reverse("reader_change_pseudonym")
        _, token = form_page(client, url)
        before = rows(*ACCOUNT_ROWS)

        response = send(client, url, token, fields, multipart)

        if response.status_code != 302:
            event("refused")
            assert_refused_with_message(response)
            assert rows(*ACCOUNT_ROWS) == before
            return
        event("changed")
        existing.reader_profile.refresh_from_db()
        assert_account_is_clean(existing)
        assert ReaderProfile.objects.count() == len(before["accounts.ReaderProfile"])


@BUDGET
@given(
    fields=submissions(
        {"action_add": "", "email": "zweite@example.org"},
        special={
            "email": EMAILS,
            "action_add": st.sampled_from(["", "action_send", "action_remove"]),
        },
    ),
    multipart=st.booleans(),
)
@example(fields={"action_add": [""], "email": ["a" * 250 + "@b.de"]}, multipart=False)
@example(fields={"action_add": [""], "email": ['"\x1b"@example.org']}, multipart=False)
def test_generated_second_address_is_added_once_or_refused(existing, fields, multipart):
    with isolated_example():
        client = reader_client(existing)
        url = reverse("account_email")
        _, token = form_page(client, url)
        before = rows(*ACCOUNT_ROWS)

        response = send(client, url, token, fields, multipart)

        if response.status_code != 302 or rows(*ACCOUNT_ROWS) == before:
            event("refused or nothing to do")
            assert rows(*ACCOUNT_ROWS) == before
            if response.status_code != 302:
                assert_refused_with_message(response)
            return
        event("added")
        assert EmailAddress.objects.filter(user=existing).count() == 2
        assert_account_is_clean(existing)


@BUDGET
@given(
    fields=submissions(
        {
            "oldpassword": PASSWORD,
            "password1": "neu-und-lang-2026",
            "password2": "neu-und-lang-2026",
        },
        special={"oldpassword": PASSWORDS, "password1": PASSWORDS, "password2": PASSWORDS},
    ),
    multipart=st.booleans(),
)
def test_generated_password_change_is_made_or_refused(existing, fields, multipart):
    with isolated_example():
        client = reader_client(existing)
        url = reverse("account_change_password")
        _, token = form_page(client, url)
        before = existing.password

        response = send(client, url, token, fields, multipart)

        existing.refresh_from_db()
        if response.status_code != 302:
            event("refused")
            assert_refused_with_message(response)
            assert existing.password == before
            return
        event("changed")
        assert existing.check_password(received(fields["password1"]))


@BUDGET
@given(
    fields=submissions({"password": PASSWORD}, special={"password": PASSWORDS}),
    multipart=st.booleans(),
)
def test_generated_deletion_needs_the_password_and_says_why_not(existing, fields, multipart):
    with isolated_example():
        client = reader_client(existing)
        url = reverse("reader_delete")
        _, token = form_page(client, url)
        before = rows(*ACCOUNT_ROWS)

        response = send(client, url, token, fields, multipart)

        if response.status_code != 302:
            event("refused")
            assert_refused_with_message(response)
            assert rows(*ACCOUNT_ROWS) == before
            return
        event("deleted")
        assert received(fields["password"]) == PASSWORD
        assert not User.objects.filter(pk=existing.pk).exists()
        assert response["Location"] == reverse("reader_deleted")


@BUDGET
@given(key=TEXT.map(lambda key: key.replace("/", "") or "x"), password=PASSWORDS)
def test_generated_confirmation_keys_and_reauthentication_never_fail(existing, key, password):
    with isolated_example():
        client = reader_client(existing)
        _, token = form_page(client, reverse("account_reauthenticate"))
        before = rows(*ACCOUNT_ROWS)
        link = reverse("account_confirm_email", kwargs={"key": "x"}).replace(
            "/x/", "/" + quote(key.encode("utf-8", "surrogatepass"), safe="") + "/"
        )

        for response in (client.get(link), send(client, link, token, {})):
            assert_no_server_error(response)
            assert response.status_code in (200, 302, 404)
        response = send(client, reverse("account_reauthenticate"), token, {"password": [password]})

        if response.status_code != 302:
            assert_refused_with_message(response)
        assert rows(*ACCOUNT_ROWS) == before
