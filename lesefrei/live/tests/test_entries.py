"""Changing a ticker's entries through the services: no page revision, order, pinning,
corrections and refusals."""

import pytest

from lesefrei.live import services
from lesefrei.live.models import LiveEntry, LiveTickerPage
from lesefrei.live.selectors import ticker_entries

from . import factories

pytestmark = pytest.mark.django_db


def test_adding_correcting_pinning_and_deleting_entries_creates_no_page_revision():
    ticker = factories.ticker()
    revisions = ticker.revisions.count()
    first = services.add_entry(ticker, text="<p>Die Wahllokale haben geschlossen.</p>")
    second = services.add_entry(ticker, text="<p>Erste Prognose: knappes Rennen.</p>")
    services.correct_entry(first, text="<p>Die Wahllokale sind seit 18 Uhr geschlossen.</p>")
    services.pin_entry(second)
    services.delete_entry(first)
    ticker.refresh_from_db()
    assert ticker.revisions.count() == revisions
    assert list(ticker.entries.values_list("pk", flat=True)) == [second.pk]


def test_entries_are_newest_first_with_the_pinned_one_on_top():
    ticker = factories.ticker()
    old = services.add_entry(ticker, text="<p>Eins</p>")
    middle = services.add_entry(ticker, text="<p>Zwei</p>")
    new = services.add_entry(ticker, text="<p>Drei</p>")
    assert [e.pk for e in ticker_entries(ticker.pk).all] == [new.pk, middle.pk, old.pk]
    services.pin_entry(old)
    shown = ticker_entries(ticker.pk)
    assert [e.pk for e in shown.pinned] == [old.pk]
    assert [e.pk for e in shown.timeline] == [new.pk, middle.pk]


def test_pinning_an_entry_releases_the_one_pinned_before():
    ticker = factories.ticker()
    first = services.add_entry(ticker, text="<p>Eins</p>", pinned=True)
    second = services.add_entry(ticker, text="<p>Zwei</p>")
    services.pin_entry(second)
    assert list(LiveEntry.objects.filter(pinned=True).values_list("pk", flat=True)) == [second.pk]
    first.refresh_from_db()
    assert not first.pinned and first.updated_at is None  # pinning is no correction


def test_a_correction_is_stamped_and_an_unchanged_save_is_not():
    ticker = factories.ticker()
    entry = services.add_entry(ticker, text="<p>3500 Menschen evakuiert.</p>", title="Lage")
    unchanged = services.correct_entry(entry, text="<p>3500 Menschen evakuiert.</p>")
    assert unchanged.updated_at is None
    corrected = services.correct_entry(entry, text="<p>2500 Menschen evakuiert.</p>")
    assert corrected.updated_at is not None
    assert corrected.text == "<p>2500 Menschen evakuiert.</p>" and corrected.title == "Lage"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "braucht einen Text"),
        ({"text": "<p>  </p>"}, "braucht einen Text"),
        ({"text": "<p>" + "x" * 6000 + "</p>"}, "zu lang"),
        ({"text": "<p>Gut</p>", "title": "Ü" * 201}, "Überschrift ist zu lang"),
        (
            {
                "text": "<p>Gut</p>",
                "media": [("quote", {"text": "a"}), ("quote", {"text": "b"})],
            },
            "höchstens ein",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(fields, message):
    ticker = factories.ticker()
    with pytest.raises(services.EntryRefused, match=message):
        services.add_entry(ticker, **fields)
    assert not LiveEntry.objects.exists()


def test_an_ended_ticker_takes_no_new_entries_but_corrections():
    ticker = factories.ticker()
    entry = services.add_entry(ticker, text="<p>Das Ergebnis steht fest.</p>")
    ticker.state = LiveTickerPage.State.ENDED
    ticker.save_revision().publish()
    with pytest.raises(services.EntryRefused, match="beendet"):
        services.add_entry(ticker, text="<p>Noch etwas.</p>")
    assert services.correct_entry(entry, text="<p>Das Endergebnis steht fest.</p>").updated_at


def test_a_reader_cannot_add_or_change_entries():
    ticker = factories.ticker()
    entry = services.add_entry(ticker, text="<p>Eins</p>")
    reader = factories.reader()
    with pytest.raises(services.EntryRefused, match="keine Berechtigung"):
        services.add_entry(ticker, text="<p>Von außen</p>", user=reader)
    with pytest.raises(services.EntryRefused, match="keine Berechtigung"):
        services.correct_entry(entry, text="<p>Geändert</p>", user=reader)
    with pytest.raises(services.EntryRefused, match="keine Berechtigung"):
        services.delete_entry(entry, user=reader)
    assert LiveEntry.objects.get().text == "<p>Eins</p>"


def test_an_editor_may_add_correct_pin_and_delete():
    ticker = factories.ticker()
    editor = factories.editor()
    entry = services.add_entry(ticker, text="<p>Eins</p>", user=editor)
    assert entry.created_by == editor
    services.correct_entry(entry, text="<p>Eins!</p>", user=editor)
    services.pin_entry(entry, user=editor)
    services.delete_entry(entry, user=editor)
    assert not LiveEntry.objects.exists()
