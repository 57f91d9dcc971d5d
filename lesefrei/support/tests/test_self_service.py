"""Self-service through the signed link of a confirmation mail, and for logged-in readers:
see, change, pause, resume, cancel, new IBAN — each confirmed by mail."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail, signing
from django.urls import reverse

from lesefrei.support import links, services
from lesefrei.support.models import Collection, Mandate, Pledge

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pledge(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = factories.pledge("10")
    return created


def act(client, url, capture, **data):
    with capture(execute=True):
        return client.post(url, data)


def test_confirmation_mail_link_opens_the_pledge(client, pledge):
    url = re.search(r"http\S+/unterstuetzen/verwalten/\S+/", mail.outbox[0].body).group(0)
    response = client.get(url.replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 200
    assert pledge.mandates.get().reference in response.text
    assert "DE89 **** **** **** **30 00" in response.text
    assert response["Referrer-Policy"] == "same-origin"


def test_tampered_or_expired_link_is_refused(client, pledge, settings):
    path = links.manage_path(pledge)
    assert client.get(path[:-3] + "xx/").status_code == 410
    settings.SUPPORT_LINK_MAX_AGE_DAYS = 0
    signed = signing.dumps({"p": pledge.pk}, salt=links.MANAGE_SALT)
    import time

    time.sleep(1.1)
    assert client.get(reverse("support:manage", args=[signed])).status_code == 410


def test_change_amount_and_interval_applies_to_unexported_collections(
    client, pledge, django_capture_on_commit_callbacks
):
    services.export_due_collections(pledge.anchor_date)
    mail.outbox.clear()
    url = links.manage_path(pledge)
    response = act(
        client,
        url,
        django_capture_on_commit_callbacks,
        aktion="aendern",
        amount="15,50",
        interval="quarterly",
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert (pledge.amount, pledge.interval) == (Decimal("15.50"), "quarterly")
    assert Collection.objects.get(pledge=pledge).amount == Decimal("10.00")
    assert "15,50\xa0€" in mail.outbox[0].body and "vierteljährlich" in mail.outbox[0].body
    next_due = pledge.anchor_date
    assert next_due > Collection.objects.get(pledge=pledge).due_date


def test_invalid_change_is_explained_and_changes_nothing(client, pledge):
    response = client.post(
        links.manage_path(pledge), {"aktion": "aendern", "amount": "1", "interval": "monthly"}
    )
    assert response.status_code == 400
    assert "Der Mindestbetrag ist 5 €." in response.text
    pledge.refresh_from_db()
    assert pledge.amount == Decimal("10.00")


def test_pause_resume_and_cancel(client, pledge, django_capture_on_commit_callbacks):
    url = links.manage_path(pledge)
    mail.outbox.clear()
    act(client, url, django_capture_on_commit_callbacks, aktion="pausieren")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PAUSED
    assert services.export_due_collections(pledge.anchor_date + timedelta(days=60)).run is None
    act(client, url, django_capture_on_commit_callbacks, aktion="fortsetzen")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.ACTIVE
    act(client, url, django_capture_on_commit_callbacks, aktion="beenden")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.CANCELLED
    assert pledge.mandates.get().status == Mandate.Status.REVOKED
    assert [m.subject.split(": ", 1)[1] for m in mail.outbox] == [
        "Ihre Unterstützung ist pausiert",
        "Ihre Unterstützung wurde geändert",
        "Ihre Unterstützung ist beendet",
    ]
    response = client.post(url, {"aktion": "pausieren"})
    assert response.status_code == 409


def test_new_iban_is_a_new_mandate(client, pledge, django_capture_on_commit_callbacks):
    url = links.manage_path(pledge)
    old = pledge.mandates.get()
    response = act(
        client,
        url,
        django_capture_on_commit_callbacks,
        **{
            "aktion": "neue-iban",
            "neu-account_holder": "Jana O.",
            "neu-iban": "DE02120300000000202051",
            "neu-consent": "on",
        },
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.status == Mandate.Status.REPLACED
    new = pledge.mandates.get(status=Mandate.Status.ACTIVE)
    assert new.iban == "DE02120300000000202051" and new.reference != old.reference
    assert new.reference in mail.outbox[-1].body


def test_new_iban_with_bad_checksum_is_refused(client, pledge):
    response = client.post(
        links.manage_path(pledge),
        {
            "aktion": "neue-iban",
            "neu-account_holder": "Jana O.",
            "neu-iban": "DE02120300000000202052",
            "neu-consent": "on",
        },
    )
    assert response.status_code == 400
    assert "Prüfziffer stimmt nicht" in response.text
    assert pledge.mandates.count() == 1


def test_logged_in_reader_manages_own_pledges_only(client, django_user_model):
    lea = django_user_model.objects.create_user("lea", "lea@example.org", "pw-lesefrei-123")
    own = factories.pledge(email="lea@example.org", user=lea)
    other = factories.pledge()
    assert client.get(reverse("support:my_pledges")).status_code == 302  # to the login
    client.force_login(lea)
    page = client.get(reverse("support:my_pledges"))
    assert reverse("support:my_pledge", args=[own.pk]) in page.text
    assert reverse("support:my_pledge", args=[other.pk]) not in page.text
    assert client.get(reverse("support:my_pledge", args=[other.pk])).status_code == 404
    assert client.get(reverse("support:my_pledge", args=[own.pk])).status_code == 200
