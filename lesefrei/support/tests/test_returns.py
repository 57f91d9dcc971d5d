"""Importing the bank's return information (camt.054 and camt.053, old and new versions):
reasons and fees recorded, unknown references listed, the same file twice harmless,
bad files refused with a German message and no change."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from lesefrei.support import services
from lesefrei.support.models import Collection, CollectionReturn, Pledge, ReturnImport
from lesefrei.support.returns import ReturnFileError, parse_return_file

from . import factories

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


@pytest.fixture
def v08_collections():
    collections = factories.exported_collections(3)
    for collection, reference in zip(
        collections, ["LF-9001-20261201", "LF-9002-20261201", "LF-9003-20261201"], strict=True
    ):
        factories.rename(collection, reference)
    return collections


def test_fixtures_are_valid_against_the_official_schemas():
    expected = {
        "camt054_v08_returns.xml": "camt.054.001.08",
        "camt054_v02_returns.xml": "camt.054.001.02",
        "camt053_v08_statement.xml": "camt.053.001.08",
        "camt053_v02_statement.xml": "camt.053.001.02",
    }
    for name, message_type in expected.items():
        assert parse_return_file(data(name)).message_type == message_type


def test_camt054_marks_returns_with_reason_and_fee_and_lists_the_unknown(
    v08_collections, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.import_returns(data("camt054_v08_returns.xml"), filename="r.xml")
    returns = {r.collection.end_to_end_id: r for r in CollectionReturn.objects.all()}
    assert {k: (v.reason_code, v.fee) for k, v in returns.items()} == {
        "LF-9001-20261201": ("AM04", Decimal("3.00")),
        "LF-9002-20261201": ("AC04", Decimal("0.00")),
        "LF-9003-20261201": ("MD06", Decimal("4.50")),
    }
    assert str(returns["LF-9001-20261201"].returned_on) == "2026-12-05"
    assert result.unknown_references == ["FREMD-4711-0815"]
    assert ReturnImport.objects.get().unknown_references == ["FREMD-4711-0815"]
    assert Collection.objects.filter(status="returned").count() == 3
    # MD06 (refund requested) ends the pledge; the others just have one return so far.
    md06 = v08_collections[2].pledge
    md06.refresh_from_db()
    assert md06.status == Pledge.Status.CANCELLED
    assert "MD06" in md06.end_reason
    assert Pledge.objects.filter(status=Pledge.Status.ACTIVE).count() == 2
    assert [m.to for m in mail.outbox] == [[md06.supporter.email]]


def test_same_file_twice_changes_nothing(v08_collections):
    services.import_returns(data("camt054_v08_returns.xml"), filename="r.xml")
    before = list(CollectionReturn.objects.values_list("pk", "reason_code", "fee"))
    again = services.import_returns(data("camt054_v08_returns.xml"), filename="r-kopie.xml")
    assert again.already_imported
    assert list(CollectionReturn.objects.values_list("pk", "reason_code", "fee")) == before
    assert ReturnImport.objects.count() == 1


def test_the_same_return_in_another_file_is_not_counted_twice(v08_collections):
    services.import_returns(data("camt054_v08_returns.xml"), filename="r.xml")
    changed = data("camt054_v08_returns.xml").replace(
        b"2026120508153100054", b"2026120608000000001"
    )
    result = services.import_returns(changed, filename="r2.xml")
    assert result.duplicates == 3 and result.returned == []
    assert CollectionReturn.objects.count() == 3


def test_two_returns_in_a_row_pause_the_pledge_and_mail_the_supporter(
    django_capture_on_commit_callbacks,
):
    pledge = factories.pledge()
    from datetime import timedelta

    services.export_due_collections(pledge.anchor_date)
    services.export_due_collections(pledge.anchor_date + timedelta(days=35))
    first, second = Collection.objects.filter(pledge=pledge).order_by("due_date")
    factories.rename(first, "LF-9004-20260301")
    factories.rename(second, "LF-9001-20261201")
    services.import_returns(data("camt054_v02_returns.xml"), filename="maerz.xml")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.ACTIVE
    assert CollectionReturn.objects.get().fee == Decimal("8.50")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.import_returns(data("camt054_v08_returns.xml"), filename="dez.xml")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PAUSED
    assert result.paused == [pledge]
    assert len(mail.outbox) == 1
    assert "zweimal hintereinander" in mail.outbox[0].body


def test_camt053_statements_carry_returns_too():
    one, two = factories.exported_collections(2)
    factories.rename(one, "LF-9005-20261201")
    factories.rename(two, "LF-9006-20260401")
    first = services.import_returns(data("camt053_v08_statement.xml"), filename="auszug.xml")
    second = services.import_returns(data("camt053_v02_statement.xml"), filename="auszug2.xml")
    assert [r.reason_code for r in first.returned] == ["MD01"]
    assert first.unknown_references == []  # the ordinary credit is not a return
    assert [(r.reason_code, r.fee) for r in second.returned] == [("AC04", Decimal("5.00"))]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Die Datei ist leer."),
        (b"Buchungstag;Betrag\n05.12.2026;10,00", "kein gültiges XML"),
        (b"<Document><Broken>", "kein gültiges XML"),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"/>',
            "pain.008.001.08-Nachricht, erwartet wird camt.054",
        ),
        (b"<html><body>Fehler</body></html>", "keine ISO-20022-Nachricht"),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.14"/>',
            "wird nicht unterstützt",
        ),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">'
            b"<BkToCstmrDbtCdtNtfctn/></Document>",
            "entspricht nicht dem Schema camt.054.001.08",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">&x;</Document>',
            "DOCTYPE",
        ),
    ],
)
def test_bad_files_get_a_clear_message_and_change_nothing(content, message):
    factories.exported_collections(1)
    with pytest.raises(ReturnFileError, match=message):
        services.import_returns(content, filename="kaputt.xml")
    assert ReturnImport.objects.count() == 0
    assert not Collection.objects.filter(status="returned").exists()


def test_import_command_reports_and_refuses_bad_files(v08_collections, tmp_path):
    path = tmp_path / "camt054.xml"
    path.write_bytes(data("camt054_v08_returns.xml"))
    stdout = StringIO()
    call_command("sepa_import_returns", str(path), stdout=stdout)
    output = stdout.getvalue()
    assert "3 Rücklastschriften erfasst" in output
    assert "FREMD-4711-0815" in output and "AM04 (Deckung unzureichend)" in output
    stdout = StringIO()
    call_command("sepa_import_returns", str(path), stdout=stdout)
    assert "schon eingelesen; nichts geändert" in stdout.getvalue()
    bad = tmp_path / "bad.xml"
    bad.write_text("kein xml")
    with pytest.raises(CommandError, match=r"kein gültiges XML.*nichts geändert"):
        call_command("sepa_import_returns", str(bad))
    with pytest.raises(CommandError, match="nicht gefunden"):
        call_command("sepa_import_returns", str(tmp_path / "fehlt.xml"))
