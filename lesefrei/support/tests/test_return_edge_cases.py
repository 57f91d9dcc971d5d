"""Bank files that pass the schema but carry what the schema allows at its edges: long
proprietary reasons, large fees, booking dates outside Python's calendar. The import
keeps what the standard allows, reports and skips an entry it cannot book, imports the
rest, and never answers with a traceback."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from lesefrei.support import services
from lesefrei.support.models import Collection, CollectionReturn, ReturnImport

from . import factories

pytestmark = pytest.mark.django_db
FIXTURE = (Path(__file__).parent / "data" / "camt054_v08_returns.xml").read_bytes()
PROPRIETARY = "BANK-INTERNER-RUECKGABEGRUND-123456"  # 35 characters, the schema's maximum


@pytest.fixture
def collections():
    exported = factories.exported_collections(3)
    for collection, reference in zip(
        exported, ["LF-9001-20261201", "LF-9002-20261201", "LF-9003-20261201"], strict=True
    ):
        factories.rename(collection, reference)
    return exported


def returns() -> dict[str, CollectionReturn]:
    return {r.collection.end_to_end_id: r for r in CollectionReturn.objects.all()}


def test_a_proprietary_reason_is_kept_in_full(collections):
    assert len(PROPRIETARY) == 35
    data = FIXTURE.replace(
        b"<Rsn><Cd>AM04</Cd></Rsn>", f"<Rsn><Prtry>{PROPRIETARY}</Prtry></Rsn>".encode()
    )
    result = services.import_returns(data, filename="r.xml")
    assert len(result.returned) == 3 and result.skipped == []
    stored = returns()["LF-9001-20261201"]
    assert stored.reason_code == PROPRIETARY
    assert stored.reason_text == PROPRIETARY


@pytest.mark.parametrize("fee", ["1000000.00", "999999999999999999", "12345678901234.5"])
def test_a_fee_of_any_size_the_schema_allows_is_stored(collections, fee):
    data = FIXTURE.replace(b'<Amt Ccy="EUR">4.50</Amt>', f'<Amt Ccy="EUR">{fee}</Amt>'.encode())
    result = services.import_returns(data, filename="r.xml")
    assert len(result.returned) == 3
    stored = returns()["LF-9003-20261201"].fee
    if connection.vendor == "sqlite":
        # SQLite keeps numbers as 64-bit floats: about 15 significant digits.
        assert abs(stored - Decimal(fee)) <= Decimal(fee) * Decimal("1E-14")
    else:
        assert stored == Decimal(fee)


@pytest.mark.parametrize("booked", ["10000-12-05", "-0001-12-05", "99999-01-01"])
def test_a_booking_date_outside_the_calendar_skips_that_entry_and_imports_the_rest(
    collections, booked
):
    data = FIXTURE.replace(
        b"<BookgDt><Dt>2026-12-05</Dt></BookgDt>",
        f"<BookgDt><Dt>{booked}</Dt></BookgDt>".encode(),
        1,
    )
    result = services.import_returns(data, filename="r.xml")
    assert sorted(r.collection.end_to_end_id for r in result.returned) == [
        "LF-9002-20261201",
        "LF-9003-20261201",
    ]
    assert [s.reference for s in result.skipped] == ["LF-9001-20261201"]
    assert booked in result.skipped[0].message and "Buchungstag" in result.skipped[0].message
    assert Collection.objects.get(end_to_end_id="LF-9001-20261201").status == "exported"
    source = ReturnImport.objects.get()
    assert source.skipped_entries == [
        {"reference": "LF-9001-20261201", "message": result.skipped[0].message}
    ]


def edge_file() -> bytes:
    return (
        FIXTURE.replace(
            b"<BookgDt><Dt>2026-12-05</Dt></BookgDt>", b"<BookgDt><Dt>10000-12-05</Dt></BookgDt>", 1
        )
        .replace(b"<Rsn><Cd>AC04</Cd></Rsn>", f"<Rsn><Prtry>{PROPRIETARY}</Prtry></Rsn>".encode())
        .replace(b'<Amt Ccy="EUR">4.50</Amt>', b'<Amt Ccy="EUR">1000000.00</Amt>')
    )


def test_the_import_command_reports_the_skipped_entry_without_a_traceback(collections, tmp_path):
    path = tmp_path / "camt054.xml"
    path.write_bytes(edge_file())
    stdout = StringIO()
    call_command("sepa_import_returns", str(path), stdout=stdout)
    output = stdout.getvalue()
    assert "2 Rücklastschriften erfasst" in output
    assert "Nicht verbucht (bitte von Hand prüfen)" in output
    assert "LF-9001-20261201" in output and "10000-12-05" in output


def test_the_collection_day_upload_reports_the_skipped_entry(
    client, django_user_model, collections
):
    user = django_user_model.objects.create_user("finanzen", "f@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Finanzen"))
    client.force_login(user)
    response = client.post(
        reverse("support_collection_day:index"),
        {"returns": "1", "file": SimpleUploadedFile("r.xml", edge_file())},
        follow=True,
    )
    assert response.status_code == 200
    assert "2 Rücklastschriften erfasst" in response.text
    assert "LF-9001-20261201" in response.text and "10000-12-05" in response.text
    assert CollectionReturn.objects.count() == 2
