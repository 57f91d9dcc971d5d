"""The collection run: one valid pain.008.001.08 file with exactly the due debits, sums
that match the database, and never a debit twice — not on a rerun, not in a crash,
not when two runs start at the same moment (PostgreSQL)."""

import threading
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO, StringIO
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection, connections
from lxml import etree

from lesefrei.support import schedule, services
from lesefrei.support.models import Collection, CollectionRun, Mandate, Pledge
from lesefrei.support.sepa import Batch, Debit, SepaFileError, validate_pain, write_pain_008

from . import factories

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"}


def parse(run: CollectionRun) -> etree._Element:
    validate_pain(run.xml.encode())
    return etree.fromstring(run.xml.encode())


@pytest.mark.django_db
def test_export_writes_a_valid_file_whose_sums_match_the_database():
    pledges = [
        factories.pledge("10"),
        factories.pledge("12.50", iban="AT611904300234573201"),
        factories.pledge("25", "quarterly", iban="DE02120300000000202051"),
        factories.pledge("50", "once", iban="NL91ABNA0417164300"),
        factories.pledge(
            "8", iban="CH9300762011623852957", address={"town": "Zürich", "country": "CH"}
        ),
    ]
    until = max(p.anchor_date for p in pledges) + timedelta(days=40)
    run = services.export_due_collections(until).run
    root = parse(run)
    exported = Collection.objects.filter(run=run)
    assert (
        run.transaction_count
        == exported.count()
        == len(root.xpath("//p:DrctDbtTxInf", namespaces=NS))
    )
    total = sum(c.amount for c in exported)
    assert run.control_sum == total
    assert Decimal(root.xpath("string(//p:GrpHdr/p:CtrlSum)", namespaces=NS)) == total
    assert int(root.xpath("string(//p:GrpHdr/p:NbOfTxs)", namespaces=NS)) == run.transaction_count
    for info in root.xpath("//p:PmtInf", namespaces=NS):
        amounts = [
            Decimal(a) for a in info.xpath("p:DrctDbtTxInf/p:InstdAmt/text()", namespaces=NS)
        ]
        assert Decimal(info.xpath("string(p:CtrlSum)", namespaces=NS)) == sum(amounts)
        dates = {info.xpath("string(p:ReqdColltnDt)", namespaces=NS)}
        assert len(dates) == 1
        assert info.xpath("string(p:PmtTpInf/p:LclInstrm/p:Cd)", namespaces=NS) == "CORE"
    assert (
        root.xpath("string((//p:CdtrSchmeId//p:Othr/p:Id)[1])", namespaces=NS)
        == django_settings.SUPPORT_CREDITOR_ID
    )
    # Each collection appears once, by its end-to-end reference.
    ids = root.xpath("//p:EndToEndId/text()", namespaces=NS)
    assert sorted(ids) == sorted(exported.values_list("end_to_end_id", flat=True))
    # The Swiss debtor carries the address SEPA requires.
    swiss = "//p:Dbtr[p:PstlAdr/p:TwnNm='Zurich']/p:PstlAdr/p:Ctry/text()"
    assert set(root.xpath(swiss, namespaces=NS)) == {"CH"}
    # The one-off pledge is done once exported.
    assert Pledge.objects.get(interval="once").status == Pledge.Status.COMPLETED
    assert run.sha256 and len(run.sha256) == 64


@pytest.mark.django_db
def test_first_debit_is_frst_later_ones_rcur_and_one_off_is_ooff():
    monthly = factories.pledge("10")
    once = factories.pledge("30", "once")
    first = services.export_due_collections(monthly.anchor_date).run
    types = dict(Collection.objects.filter(run=first).values_list("pledge_id", "sequence_type"))
    assert types == {monthly.pk: "FRST", once.pk: "OOFF"}
    second = services.export_due_collections(
        schedule.add_months(monthly.anchor_date, 1, monthly.collection_day)
    ).run
    assert list(Collection.objects.filter(run=second).values_list("sequence_type", flat=True)) == [
        "RCUR"
    ]
    root = parse(second)
    assert root.xpath("string(//p:SeqTp)", namespaces=NS) == "RCUR"


@pytest.mark.django_db
def test_a_new_mandate_starts_with_frst_again():
    from lesefrei.support.banking import check_iban

    pledge = factories.pledge("10")
    services.export_due_collections(pledge.anchor_date)
    services.replace_mandate(
        pledge, account_holder="Neu", iban=check_iban("DE02120300000000202051"), address={}
    )
    pledge.refresh_from_db()
    run = services.export_due_collections(pledge.anchor_date + timedelta(days=70)).run
    collections = Collection.objects.filter(run=run).order_by("due_date")
    assert next(c.sequence_type for c in collections) == "FRST"
    assert collections[0].mandate.reference != Mandate.objects.order_by("pk").first().reference


@pytest.mark.django_db
def test_running_again_exports_nothing_new():
    pledge = factories.pledge()
    assert services.export_due_collections(pledge.anchor_date).run is not None
    assert services.export_due_collections(pledge.anchor_date).run is None
    assert CollectionRun.objects.count() == 1
    assert Collection.objects.filter(status="exported").count() == 1


@pytest.mark.django_db
def test_nothing_due_before_the_first_date():
    pledge = factories.pledge()
    assert services.export_due_collections(pledge.anchor_date - timedelta(days=1)).run is None


@pytest.mark.django_db
def test_a_crash_before_storing_the_file_marks_nothing_exported():
    pledge = factories.pledge()
    with (
        mock.patch(
            "lesefrei.support.services.collection.write_pain_008", side_effect=SepaFileError("boom")
        ),
        pytest.raises(SepaFileError),
    ):
        services.export_due_collections(pledge.anchor_date)
    assert CollectionRun.objects.count() == 0
    assert not Collection.objects.exclude(status="planned").exists()
    # …and the next run exports it once.
    run = services.export_due_collections(pledge.anchor_date).run
    assert run.transaction_count == 1


@pytest.mark.django_db
def test_invalid_xml_is_never_stored():
    with pytest.raises(SepaFileError):
        validate_pain(b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"/>')


@pytest.mark.django_db
def test_a_truncated_or_tampered_file_fails_validation():
    pledge = factories.pledge()
    xml = services.export_due_collections(pledge.anchor_date).run.xml.encode()
    validate_pain(xml)
    with pytest.raises(SepaFileError):
        validate_pain(xml[: len(xml) // 2])
    with pytest.raises(SepaFileError, match="SeqTp"):
        validate_pain(xml.replace(b"<SeqTp>FRST</SeqTp>", b"<SeqTp>XXXX</SeqTp>"))


def test_a_file_with_a_doctype_and_entities_is_refused_before_validation():
    # libxml2's schema validation of expanding entities crashed the whole process.
    entities = '<!ENTITY e0 "x">' + "".join(
        f'<!ENTITY e{n} "&e{n - 1};&e{n - 1};">' for n in range(1, 10)
    )
    xml = (
        f"<?xml version='1.0'?><!DOCTYPE Document [{entities}]>"
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"><CstmrDrctDbtInitn>'
        "<GrpHdr><MsgId>&e9;</MsgId></GrpHdr></CstmrDrctDbtInitn></Document>"
    )
    with pytest.raises(SepaFileError, match="DOCTYPE"):
        validate_pain(xml.encode())


def _debit(amount: str) -> Debit:
    return Debit(
        end_to_end_id="LF-1-20261201",
        amount=Decimal(amount),
        sequence_type="RCUR",
        collection_date=date(2026, 12, 1),
        mandate_reference="LF-TEST",
        mandate_signed_on=date(2026, 1, 1),
        debtor_name="Leserin",
        iban="DE89370400440532013000",
        bic="",
        remittance="Unterstuetzung",
        address={},
    )


@pytest.mark.django_db
def test_the_writer_refuses_debits_that_do_not_add_up_to_the_announced_blocks():
    block = Batch(date(2026, 12, 1), "RCUR", count=1, total=Decimal("10.00"))
    out = BytesIO()
    write_pain_008(out, message_id="M-1", batches=[block], debits=[_debit("10.00")])
    validate_pain(out.getvalue())
    for debits in ([_debit("12.00")], [_debit("10.00"), _debit("5.00")], []):
        with pytest.raises(SepaFileError):
            write_pain_008(BytesIO(), message_id="M-2", batches=[block], debits=debits)
    other_day = Batch(date(2026, 12, 2), "RCUR", count=1, total=Decimal("10.00"))
    with pytest.raises(SepaFileError):
        write_pain_008(BytesIO(), message_id="M-3", batches=[other_day], debits=[_debit("10.00")])


@pytest.mark.django_db
def test_export_in_many_pages_plans_and_marks_every_collection(monkeypatch):
    """Planning and marking go a page at a time; with pages of two rows nothing is lost
    and a mandate's second debit in the same file (a missed month) is a RCUR."""
    monkeypatch.setattr("lesefrei.support.services.collection.PAGE_SIZE", 2)
    pledges = [factories.pledge(str(5 + i), iban=factories.TEST_IBANS[i % 6]) for i in range(5)]
    until = schedule.add_months(max(p.anchor_date for p in pledges), 1, 31)
    run = services.export_due_collections(until).run
    exported = Collection.objects.filter(run=run)
    assert exported.count() == Collection.objects.count() >= 10
    assert not Collection.objects.filter(status="planned").exists()
    for pledge in pledges:
        sequences = list(
            exported.filter(pledge=pledge)
            .order_by("due_date")
            .values_list("sequence_type", flat=True)
        )
        assert sequences[0] == "FRST" and set(sequences[1:]) == {"RCUR"}
    root = parse(run)
    assert int(root.xpath("string(//p:GrpHdr/p:NbOfTxs)", namespaces=NS)) == exported.count()
    blocks = [
        (
            info.xpath("string(p:ReqdColltnDt)", namespaces=NS),
            info.xpath("string(.//p:SeqTp)", namespaces=NS),
        )
        for info in root.xpath("//p:PmtInf", namespaces=NS)
    ]
    assert blocks == sorted(blocks) and len(blocks) == len(set(blocks))
    assert set(Mandate.objects.values_list("last_used_on", flat=True)) == {services.today()}


@pytest.mark.django_db
def test_a_due_collection_without_a_valid_mandate_is_counted_and_left_planned():
    kept, revoked = factories.pledge("10"), factories.pledge("20", iban=factories.TEST_IBANS[1])
    revoked.mandates.update(status=Mandate.Status.REVOKED)
    result = services.export_due_collections(max(kept.anchor_date, revoked.anchor_date))
    assert result.skipped_without_mandate == 1
    assert list(Collection.objects.filter(run=result.run).values_list("pledge", flat=True)) == [
        kept.pk
    ]
    assert Collection.objects.get(pledge=revoked).status == "planned"


@pytest.mark.django_db
def test_change_applies_only_to_collections_not_yet_exported():
    pledge = factories.pledge("10")
    services.export_due_collections(pledge.anchor_date)
    services.change_pledge(pledge, amount=Decimal("20"))
    run = services.export_due_collections(pledge.anchor_date + timedelta(days=40)).run
    amounts = list(
        Collection.objects.filter(pledge=pledge)
        .order_by("due_date")
        .values_list("amount", flat=True)
    )
    assert amounts == [Decimal("10.00"), Decimal("20.00")]
    assert run.control_sum == Decimal("20.00")


@pytest.mark.django_db
def test_cancellation_stops_every_later_collection():
    pledge = factories.pledge("10")
    services.export_due_collections(pledge.anchor_date)
    services.cancel_pledge(pledge)
    assert services.export_due_collections(pledge.anchor_date + timedelta(days=400)).run is None
    assert Collection.objects.filter(pledge=pledge).count() == 1


@pytest.mark.django_db
def test_unused_mandates_expire_after_36_months():
    pledge = factories.pledge()
    services.pause_pledge(pledge)
    mandate = pledge.mandates.get()
    later = schedule.add_months(mandate.signed_on, 37, mandate.signed_on.day)
    assert services.expire_unused_mandates(later) == 1
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.EXPIRED


@pytest.mark.django_db
def test_sepa_export_command_writes_the_file(tmp_path):
    pledge = factories.pledge()
    out = tmp_path / "lastschriften.xml"
    stdout = StringIO()
    call_command(
        "sepa_export", "--until", pledge.anchor_date.isoformat(), "--out", str(out), stdout=stdout
    )
    assert "1 Lastschriften" in stdout.getvalue()
    validate_pain(out.read_bytes())
    assert out.read_text() == CollectionRun.objects.get().xml
    stdout = StringIO()
    call_command("sepa_export", "--until", pledge.anchor_date.isoformat(), stdout=stdout)
    assert "nichts mehr fällig" in stdout.getvalue()
    with pytest.raises(CommandError, match="JJJJ-MM-TT"):
        call_command("sepa_export", "--until", "morgen")


@pytest.mark.skipif(not django_settings.USING_POSTGRES, reason="needs PostgreSQL row locks")
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_exports_at_the_same_moment_never_share_a_collection():
    pledges = [factories.pledge(str(5 + i), iban=factories.TEST_IBANS[i % 6]) for i in range(40)]
    until = max(p.anchor_date for p in pledges)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    real_write = write_pain_008

    def slow_write(*args, **kwargs):
        # Hold the rows a moment, so the other run meets them locked.
        import time

        time.sleep(0.3)
        return real_write(*args, **kwargs)

    def run() -> None:
        try:
            barrier.wait()
            services.export_due_collections(until)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    with mock.patch("lesefrei.support.services.collection.write_pain_008", side_effect=slow_write):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    collections = Collection.objects.all()
    assert collections.count() == 40
    assert not collections.filter(status="planned").exists()
    runs = list(CollectionRun.objects.all())
    assert sum(r.transaction_count for r in runs) == 40
    seen: list[str] = []
    for run in runs:
        seen += etree.fromstring(run.xml.encode()).xpath("//p:EndToEndId/text()", namespaces=NS)
    assert len(seen) == len(set(seen)) == 40
    assert connection.vendor == "postgresql"
