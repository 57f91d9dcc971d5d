"""A pledge joins a reader account only when the account's owner made it while logged in,
or confirmed it through a link sent to the account's address. Typing someone's e-mail
address shows them nothing of yours, gives them nothing to cancel, and does not rename
them."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from lesefrei.accounts.selectors import account_export
from lesefrei.support import links, selectors, services
from lesefrei.support.models import Pledge, Supporter

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mails(django_capture_on_commit_callbacks):
    global committing
    committing = django_capture_on_commit_callbacks


@pytest.fixture
def lea(django_user_model):
    return django_user_model.objects.create_user("lea", "lea@example.org", "pw-lesefrei-123")


def pledge_as(client, *, name: str, email: str, holder: str, iban: str) -> Pledge:
    response = client.get(reverse("support:pledge"), {"betrag": "10", "intervall": "monatlich"})
    token = re.search(r'name="form_token" value="([0-9a-f-]+)"', response.text).group(1)
    with committing(execute=True):
        response = client.post(
            reverse("support:pledge"),
            {
                "form_token": token,
                "betrag": "10",
                "intervall": "monatlich",
                "name": name,
                "email": email,
                "account_holder": holder,
                "iban": iban,
                "consent": "on",
            },
        )
    assert response.status_code == 302
    return Pledge.objects.get(form_token=token)


def strangers_pledge(client) -> Pledge:
    client.logout()
    return pledge_as(
        client,
        name="Mallory Fremd",
        email="Lea@Example.org",
        holder="Mallory Fremd",
        iban="DE02120300000000202051",
    )


def test_a_strangers_pledge_with_my_address_is_not_mine(client, lea):
    client.force_login(lea)
    own = pledge_as(
        client,
        name="Lea Berg",
        email="lea@example.org",
        holder="Lea Berg",
        iban="DE89370400440532013000",
    )
    stranger = strangers_pledge(client)
    client.force_login(lea)
    page = client.get(reverse("support:my_pledges"))
    assert reverse("support:my_pledge", args=[own.pk]) in page.text
    assert reverse("support:my_pledge", args=[stranger.pk]) not in page.text
    assert client.get(reverse("support:my_pledge", args=[stranger.pk])).status_code == 404
    response = client.post(reverse("support:my_pledge", args=[stranger.pk]), {"aktion": "beenden"})
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.status == Pledge.Status.ACTIVE
    assert list(selectors.pledges_of(lea)) == [own]


def test_my_data_export_lists_no_strangers_account_holder_or_iban(client, lea):
    client.force_login(lea)
    pledge_as(
        client,
        name="Lea Berg",
        email="lea@example.org",
        holder="Lea Berg",
        iban="DE89370400440532013000",
    )
    strangers_pledge(client)
    exported = account_export(lea)["pledges"]
    assert len(exported) == 1
    text = repr(exported)
    assert "Mallory" not in text
    assert "DE02 **** **** **** **20 51" not in text
    assert exported[0]["name"] == "Lea Berg"
    assert exported[0]["mandates"][0]["account_holder"] == "Lea Berg"


def test_a_strangers_form_never_renames_me_and_my_mails_greet_me_by_my_name(client, lea):
    client.force_login(lea)
    own = pledge_as(
        client,
        name="Lea Berg",
        email="lea@example.org",
        holder="Lea Berg",
        iban="DE89370400440532013000",
    )
    strangers_pledge(client)
    assert Supporter.objects.get().name == "Lea Berg"
    mail.outbox.clear()
    with committing(execute=True):
        services.change_pledge(own, amount=own.amount + 5)
    assert mail.outbox[-1].body.startswith("Guten Tag Lea Berg,")
    assert "Mallory" not in mail.outbox[-1].body


def test_the_owner_may_correct_their_own_name_while_logged_in(client, lea):
    factories.pledge(email="lea@example.org")  # anonymous, named "Leserin …"
    client.force_login(lea)
    pledge_as(
        client,
        name="Lea Berg",
        email="lea@example.org",
        holder="Lea Berg",
        iban="DE89370400440532013000",
    )
    assert Supporter.objects.get().name == "Lea Berg"


def claim_url(body: str) -> str:
    return re.search(r"http\S+(/unterstuetzen/verbinden/\S+/)", body).group(1)


def test_an_anonymous_pledge_joins_my_account_when_i_confirm_the_link_sent_to_my_address(
    client, lea, django_user_model
):
    pledge = pledge_as(
        client,
        name="Lea Berg",
        email="lea@example.org",
        holder="Lea Berg",
        iban="DE89370400440532013000",
    )
    assert list(selectors.pledges_of(lea)) == []
    url = claim_url(mail.outbox[-1].body)
    assert client.get(url).status_code == 302  # to the login first
    other = django_user_model.objects.create_user("olaf", "olaf@example.org", "pw-lesefrei-123")
    client.force_login(other)
    refused = client.post(url)
    assert refused.status_code == 403
    assert "lea@example.org" in refused.text
    assert list(selectors.pledges_of(other)) == []
    client.force_login(lea)
    page = client.get(url)
    assert page.status_code == 200
    assert Pledge.objects.get(pk=pledge.pk).user is None  # a GET (a mail scanner) changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert list(selectors.pledges_of(lea)) == [pledge]
    assert client.post(url).status_code == 302  # twice is harmless


def test_a_claim_link_is_signed(client, lea):
    pledge = factories.pledge(email="lea@example.org")
    client.force_login(lea)
    url = links.claim_path(pledge)
    assert client.post(url[:-3] + "xx/").status_code in (404, 410)
    assert list(selectors.pledges_of(lea)) == []


def test_a_reader_asks_for_links_to_the_pledges_made_with_their_address(client, lea):
    pledge = factories.pledge(email="lea@example.org")
    factories.pledge(email="someone@example.org")
    client.force_login(lea)
    page = client.get(reverse("support:my_pledges"))
    assert "lea@example.org" in page.text
    mail.outbox.clear()
    with committing(execute=True):
        response = client.post(reverse("support:my_pledges"), {"aktion": "verbinden"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["lea@example.org"]]
    token = claim_url(mail.outbox[0].body).rstrip("/").rsplit("/", 1)[1]
    assert links.pledge_from_claim_token(token) == pledge
    assert list(selectors.pledges_of(lea)) == []  # only the link in the mail joins it


def test_same_form_token_twice_while_logged_in_is_still_one_pledge(client, lea):
    client.force_login(lea)
    response = client.get(reverse("support:pledge"), {"betrag": "10", "intervall": "monatlich"})
    token = re.search(r'name="form_token" value="([0-9a-f-]+)"', response.text).group(1)
    data = {
        "form_token": token,
        "betrag": "10",
        "intervall": "monatlich",
        "name": "Lea Berg",
        "email": "lea@example.org",
        "account_holder": "Lea Berg",
        "iban": "DE89370400440532013000",
        "consent": "on",
    }
    for _ in range(2):
        with committing(execute=True):
            assert client.post(reverse("support:pledge"), data).status_code == 302
    assert Pledge.objects.count() == 1
    assert list(selectors.pledges_of(lea)) == [Pledge.objects.get()]
