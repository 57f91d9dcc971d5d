"""Editors keep a ticker in the Wagtail admin: the entries' ViewSet, through the services."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from lesefrei.live import services
from lesefrei.live.models import LiveEntry

from . import factories

pytestmark = pytest.mark.django_db


def entry_form(ticker, text: str, **fields) -> dict:
    return nested_form_data(
        {
            "ticker": ticker.pk,
            "title": fields.get("title", ""),
            "text": rich_text(text),
            "media": streamfield(fields.get("media", [])),
            "author": "",
            **({"pinned": "on"} if fields.get("pinned") else {}),
        }
    )


def test_an_editor_adds_an_entry_in_the_admin_without_a_page_revision(client):
    ticker = factories.ticker()
    revisions = ticker.revisions.count()
    client.force_login(factories.editor())
    add_url = reverse("live_entries:add") + f"?ticker={ticker.pk}"
    form = client.get(add_url)
    assert form.status_code == 200
    response = client.post(add_url, entry_form(ticker, "<p>Erste Prognose um 18 Uhr.</p>"))
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LiveEntry.objects.get()
    assert "Erste Prognose" in entry.text and entry.created_by is not None
    assert ticker.revisions.count() == revisions
    listing = client.get(reverse("live_entries:index") + f"?ticker={ticker.pk}")
    assert "Erste Prognose" in listing.content.decode()


def test_a_correction_in_the_admin_is_stamped_and_pinning_is_not(client):
    ticker = factories.ticker()
    entry = services.add_entry(ticker, text="<p>3500 Menschen evakuiert.</p>")
    client.force_login(factories.editor())
    edit_url = reverse("live_entries:edit", args=[entry.pk])
    client.post(edit_url, entry_form(ticker, "<p>3500 Menschen evakuiert.</p>", pinned=True))
    entry.refresh_from_db()
    assert entry.pinned and entry.updated_at is None
    client.post(edit_url, entry_form(ticker, "<p>2500 Menschen evakuiert.</p>", pinned=True))
    entry.refresh_from_db()
    assert "2500" in entry.text and entry.updated_at is not None


def test_an_entry_without_text_gets_a_message_and_nothing_is_stored(client):
    ticker = factories.ticker()
    client.force_login(factories.editor())
    response = client.post(reverse("live_entries:add"), entry_form(ticker, "<p></p>"))
    assert response.status_code == 200
    assert not LiveEntry.objects.exists()
    assert "erforderlich" in response.content.decode() or "braucht einen Text" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"text": "<p>Pegel \x1b steigt.</p>"},
        {"text": "<p>Pegel steigt.</p>", "title": "Eil\x7fmeldung"},
        {
            "text": "<p>Pegel steigt.</p>",
            "media": [("quote", {"text": "Weg vom \x01Ufer", "attribution": "Polizei"})],
        },
    ],
    ids=["text", "title", "quote"],
)
def test_a_control_character_in_an_entry_gets_a_message_and_nothing_is_stored(client, fields):
    ticker = factories.ticker()
    client.force_login(factories.editor())
    text = fields.pop("text")
    response = client.post(reverse("live_entries:add"), entry_form(ticker, text, **fields))
    assert response.status_code == 200
    assert "unzulässiges Steuerzeichen" in response.content.decode()
    assert not LiveEntry.objects.exists()


def test_an_ended_ticker_refuses_entries_in_the_admin_with_its_reason(client):
    ticker = factories.ticker()
    ticker.state = ticker.State.ENDED
    ticker.save_revision().publish()
    client.force_login(factories.editor())
    response = client.post(reverse("live_entries:add"), entry_form(ticker, "<p>Zu spät.</p>"))
    assert response.status_code == 200
    assert "Der Liveticker ist beendet" in response.content.decode()
    assert not LiveEntry.objects.exists()


def test_the_ticker_page_in_the_admin_links_its_entries(client):
    ticker = factories.ticker()
    client.force_login(factories.editor())
    html = client.get(reverse("wagtailadmin_pages:edit", args=[ticker.pk])).content.decode()
    assert reverse("live_entries:index") + f"?ticker={ticker.pk}" in html


def test_a_reader_cannot_reach_the_entries_admin(client):
    ticker = factories.ticker()
    client.force_login(factories.reader())
    for response in (
        client.get(reverse("live_entries:index")),
        client.post(reverse("live_entries:add"), entry_form(ticker, "<p>Von außen.</p>")),
    ):
        assert response.status_code in (302, 403)
    assert not LiveEntry.objects.exists()
