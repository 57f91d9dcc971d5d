"""The pledge form from the reader's side: two steps without JavaScript, German errors
next to the fields, one pledge per form token, confirmation with the first debit."""

import re
import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from lesefrei.support import crypto, links, selectors, services
from lesefrei.support.models import Mandate, Pledge, Supporter

from . import factories

pytestmark = pytest.mark.django_db


def details(client, amount="10", interval="monatlich"):
    response = client.get(reverse("support:pledge"), {"betrag": amount, "intervall": interval})
    assert response.status_code == 200
    token = re.search(r'name="form_token" value="([0-9a-f-]+)"', response.text).group(1)
    return response, token


@pytest.fixture(autouse=True)
def _commit_callbacks(django_capture_on_commit_callbacks):
    """Run on-commit work (mails, cache refresh) as the real transaction would."""
    global committing
    committing = django_capture_on_commit_callbacks


def post(client, token, **fields):
    data = {
        "form_token": token,
        "betrag": "10",
        "intervall": "monatlich",
        "name": "Jana Oberländer",
        "email": "jana@example.org",
        "account_holder": "Jana Oberländer",
        "iban": "DE89 3704 0044 0532 0130 00",
        "consent": "on",
        **fields,
    }
    with committing(execute=True):
        return client.post(reverse("support:pledge"), data)


def test_step_one_offers_presets_free_amount_and_intervals(client):
    response = client.get(reverse("support:pledge"))
    assert response.status_code == 200
    for label in ("5\xa0€", "10\xa0€", "15\xa0€", "25\xa0€", "anderer Betrag"):
        assert label in response.text
    for interval in ("einmalig", "monatlich", "vierteljährlich", "halbjährlich", "jährlich"):
        assert interval in response.text
    assert 'method="get"' in response.text


def test_step_two_button_states_amount_and_interval_and_mandate_text(client, settings):
    response, token = details(client, "10", "monatlich")
    assert "10\xa0€ monatlich unterstützen</button>" in response.text
    assert settings.SUPPORT_CREDITOR_ID in response.text
    assert services.mandate_reference_for(uuid.UUID(token)) in response.text
    assert "Ich ermächtige" in response.text


def test_free_amount_below_minimum_is_refused_in_german(client):
    response = client.get(
        reverse("support:pledge"),
        {"betrag": "anderer", "anderer_betrag": "2,50", "intervall": "monatlich"},
    )
    assert "Der Mindestbetrag ist 5 €." in response.text
    assert 'aria-describedby="id_anderer_betrag_error"' in response.text


def test_pledge_creates_pledge_mandate_and_confirmation_with_first_debit(client, settings):
    _, token = details(client)
    response = post(client, token)
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    mandate = pledge.mandates.get()
    assert pledge.amount == Decimal("10.00")
    assert pledge.interval == "monthly"
    assert mandate.reference == services.mandate_reference_for(uuid.UUID(token))
    assert len(mandate.reference) <= 35
    assert mandate.iban_masked == "DE89 **** **** **** **30 00"
    assert "DE89370400440532013000" not in mandate.iban_encrypted
    assert mandate.iban == "DE89370400440532013000"
    assert mandate.bic == "COBADEFFXXX"

    page = client.get(response["Location"])
    first = selectors.next_debit(pledge)
    assert page.status_code == 200
    assert mandate.reference in page.text
    assert settings.SUPPORT_CREDITOR_ID in page.text
    assert "monatlich" in page.text
    assert first.date.strftime("%Y-%m-%d") in page.text
    assert "DE89370400440532013000" not in page.text
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]

    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mandate.reference in body
    assert settings.SUPPORT_CREDITOR_ID in body
    assert "10\xa0€" in body and "monatlich" in body
    assert "/unterstuetzen/verwalten/" in body
    assert "DE89 **** **** **** **30 00" in body


def test_first_debit_respects_the_notice_period(client, settings):
    settings.SUPPORT_PRENOTIFICATION_DAYS = 14
    pledge = factories.pledge()
    assert (pledge.anchor_date - services.today()).days >= 14


def test_same_form_token_twice_creates_one_pledge(client):
    _, token = details(client)
    first = post(client, token)
    second = post(client, token)
    assert first.status_code == second.status_code == 302
    # Both lead to the one pledge's page; the signed links may differ in their timestamp
    # when the two posts fall into different seconds.
    pledge = Pledge.objects.get()
    for response in (first, second):
        token = response["Location"].rstrip("/").rsplit("/", 1)[1]
        assert links.pledge_from_confirmation_token(token) == pledge
    assert Pledge.objects.count() == 1
    assert Mandate.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("iban", "message"),
    [
        ("DE89370400440532013001", "Diese IBAN ist ungültig: Prüfziffer stimmt nicht."),
        ("DE8937040044053201300", "Diese IBAN ist ungültig: Sie hat zu viele oder zu wenige"),
        ("XX89370400440532013000", "Das Länderkürzel XX ist unbekannt"),
        ("", "Bitte geben Sie Ihre IBAN an."),
    ],
)
def test_bad_iban_is_explained_next_to_the_field_and_changes_nothing(client, iban, message):
    _, token = details(client)
    response = post(client, token, iban=iban)
    assert response.status_code == 400
    assert message in response.text
    assert 'id="id_iban_error"' in response.text
    assert re.search(r'<input[^>]*name="iban"[^>]*aria-invalid="true"', response.text)
    assert re.search(r'<input[^>]*name="iban"[^>]*aria-describedby="id_iban_error"', response.text)
    assert Pledge.objects.count() == 0 and Supporter.objects.count() == 0


def test_unknown_german_bank_code_is_refused():
    from django.core.exceptions import ValidationError
    from schwifty import IBAN

    from lesefrei.support.banking import check_iban

    unknown_bank = IBAN.generate("DE", bank_code="99999999", account_code="1")
    with pytest.raises(ValidationError, match="keine Bank"):
        check_iban(str(unknown_bank))


def test_swiss_iban_needs_town_and_country(client):
    _, token = details(client)
    response = post(client, token, iban="CH9300762011623852957")
    assert response.status_code == 400
    assert "verlangt SEPA Ihre Anschrift" in response.text
    assert "Bitte wählen Sie das Land" in response.text
    assert Pledge.objects.count() == 0
    response = post(client, token, iban="CH9300762011623852957", town="Zürich", country="CH")
    assert response.status_code == 302
    mandate = Mandate.objects.get()
    assert (mandate.town, mandate.country) == ("Zürich", "CH")


def test_german_iban_stores_no_address(client):
    _, token = details(client)
    post(client, token, town="Kassel", street="Königsplatz 1", country="DE")
    mandate = Mandate.objects.get()
    assert mandate.town == mandate.street == mandate.country == ""


def test_consent_is_required(client):
    _, token = details(client)
    response = post(client, token, consent="")
    assert response.status_code == 400
    assert "bitte bestätigen Sie es" in response.text
    assert Pledge.objects.count() == 0


def test_tampered_amount_is_refused(client):
    _, token = details(client)
    response = post(client, token, betrag="1")
    assert response.status_code == 400
    assert Pledge.objects.count() == 0


def test_logged_in_reader_gets_the_pledge_linked(client, django_user_model):
    user = django_user_model.objects.create_user("lea", "lea@example.org", "pw-lesefrei-123")
    client.force_login(user)
    _, token = details(client)
    post(client, token, email="lea@example.org")
    pledge = Pledge.objects.get()
    assert pledge.user == user
    assert pledge.supporter.user == user
    assert list(selectors.pledges_of(user)) == [pledge]


def test_typing_someone_elses_email_does_not_link_their_pledges(client, django_user_model):
    victim = factories.pledge(email="opfer@example.org")
    user = django_user_model.objects.create_user("mallory", "m@example.org", "pw-lesefrei-123")
    client.force_login(user)
    _, token = details(client)
    post(client, token, email="opfer@example.org")
    victim.supporter.refresh_from_db()
    assert victim.supporter.user is None
    assert victim not in selectors.pledges_of(user)


def test_support_box_shows_the_live_figure_and_rises_with_a_pledge(client):
    from tests import factories as site_factories

    article = site_factories.article()
    page = client.get(article.url)
    assert "Alle können uns lesen." in page.text
    assert "50.000" in page.text
    assert re.search(r'<progress[^>]*max="50000"[^>]*value="0"', page.text)
    assert 'href="/unterstuetzen/"' in page.text
    with committing(execute=True):
        factories.pledge()
    page = client.get(article.url)
    assert re.search(r'<progress[^>]*value="1"', page.text)
    box = re.search(r'<aside class="support-box".*?</aside>', page.text, re.S).group(0)
    assert "<script" not in box and "<img" not in box
    assert "csrftoken" not in page.cookies and "sessionid" not in page.cookies


def test_support_box_counts_recurring_active_pledges_once_per_supporter():
    factories.pledge(email="a@example.org")
    factories.pledge(email="a@example.org", interval="yearly")
    factories.pledge(email="b@example.org", interval="once")
    paused = factories.pledge(email="c@example.org")
    assert selectors.campaign_progress()["count"] == 2
    with committing(execute=True):
        services.pause_pledge(paused)
    assert selectors.campaign_progress()["count"] == 1


def test_iban_masking_and_encryption_round_trip():
    assert crypto.mask_iban("DE89370400440532013000") == "DE89 **** **** **** **30 00"
    assert crypto.mask_iban("AT611904300234573201") == "AT61 **** **** **** 3201"
    token = crypto.encrypt("DE89370400440532013000")
    assert crypto.decrypt(token) == "DE89370400440532013000"
    assert token != crypto.encrypt("DE89370400440532013000")  # fresh IV every time


def test_key_rotation_reencrypts_with_the_newest_key(settings):
    from cryptography.fernet import Fernet

    old = Fernet.generate_key().decode()
    settings.SUPPORT_IBAN_KEYS = [old]
    pledge = factories.pledge()
    mandate = pledge.mandates.get()
    new = Fernet.generate_key().decode()
    settings.SUPPORT_IBAN_KEYS = [new, old]
    assert services.rotate_iban_keys() == 1
    settings.SUPPORT_IBAN_KEYS = [new]
    mandate.refresh_from_db()
    assert mandate.iban == "DE89370400440532013000"


def test_data_export_has_masked_ibans_only(django_user_model):
    user = django_user_model.objects.create_user("lea", "lea@example.org", "pw-lesefrei-123")
    factories.pledge(email="lea@example.org", user=user)
    exported = selectors.pledges_for_export(user)
    assert exported[0]["mandates"][0]["iban"] == "DE89 **** **** **** **30 00"
    assert "DE89370400440532013000" not in str(exported)


def test_a_new_pledge_drops_cached_pages_showing_the_support_box(
    client, settings, django_capture_on_commit_callbacks
):
    from django.test import RequestFactory

    from lesefrei.cache.pages import PageCacheApp
    from tests import factories as site_factories

    settings.PAGE_CACHE_ENABLED = True
    article = site_factories.article()

    def cached() -> bool:
        environ = RequestFactory().get(article.url).environ
        body = b"".join(
            PageCacheApp(lambda e, s: (s("200 OK", []), [b"django"])[1])(environ, lambda *a: None)
        )
        return body != b"django"

    first = client.get(article.url)
    assert re.search(r'<progress[^>]*value="0"', first.text)
    assert cached()
    with django_capture_on_commit_callbacks(execute=True):
        factories.pledge()
    assert not cached()
    assert re.search(r'<progress[^>]*value="1"', client.get(article.url).text)
