"""Collection day: every due collection of the active pledges planned, then exported in
one SEPA direct-debit file (pain.008.001.08) per run.

Invariants kept here (and in the database constraints behind them):
- one (pledge, due date) → at most one collection, exported in at most one run, and
  marked exported only in the transaction that stores its file;
- a collection whose data cannot go into the file is held with its reason; it never
  stops the run for the others.
"""

import hashlib
import logging
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from cryptography.fernet import InvalidToken
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from .. import crypto, schedule, selectors
from ..models import Collection, CollectionRun, Interval, Mandate, Pledge
from ..sepa import UnreadableName, debtor_name, new_message_id, validate_pain_file, write_pain_008
from .bulk_writes import Assignment, insert_planned, mark_exported, store_file
from .dates import today
from .pledges import expire_unused_mandates

logger = logging.getLogger(__name__)


# Collections are read, locked and updated a page at a time (never all rows as objects).
PAGE_SIZE = 2000


def plan_collections(until: date) -> int:
    """Materialise every due collection up to `until` of every active pledge; returns
    how many were offered (those already there are left alone).

    The pledges are locked while planning, so a change or a pause (which lock them too)
    never interleaves; the unique (pledge, due date) makes planning twice harmless.
    They are read a page at a time, all in one transaction.
    """
    offered = 0
    with transaction.atomic():
        after = 0
        while True:
            page = list(
                Pledge.objects.select_for_update()
                .filter(status=Pledge.Status.ACTIVE, anchor_date__lte=until, pk__gt=after)
                .order_by("pk")
                .values_list(
                    "pk", "anchor_date", "collection_day", "interval", "amount", "ends_on"
                )[:PAGE_SIZE]
            )
            if not page:
                break
            after = page[-1][0]
            rows = [
                (pk, due, amount)
                for pk, anchor, day, interval, amount, ends_on in page
                for due in schedule.due_dates(anchor, day, interval, until=until, ends_on=ends_on)
            ]
            insert_planned(rows)
            offered += len(rows)
    return offered


@dataclass(frozen=True)
class SkippedCollection:
    """A due collection the run left out because its data cannot go into the file."""

    collection_id: int
    pledge_id: int
    due_date: date
    mandate_reference: str
    reason: str


@dataclass
class ExportResult:
    run: CollectionRun | None
    skipped_without_mandate: int = 0
    skipped: list[SkippedCollection] = field(default_factory=list)


def _lock_due_collections(
    until: date, on: date
) -> tuple[list[Assignment], int, list[SkippedCollection]]:
    """Every collection due up to `until` and not yet exported, locked, in the order of
    the file, with its current mandate, sequence type, collection date and end-to-end
    reference; collections of pledges without a valid mandate are left out and counted.

    One query (the mandate and its earlier use as subqueries per row) instead of one per
    page: it is the same scan however many are due. SKIP LOCKED on PostgreSQL: a second
    run at the same moment leaves the first run's collections alone instead of exporting
    them again. On SQLite the IMMEDIATE transaction serialises runs.

    A collection whose mandate's account holder the file cannot carry (sepa.debtor_name:
    control characters, a decoding error, nothing readable) is left out and returned
    with its reason: one bad record never stops the run for everyone. It stays planned
    and is collected once the supporter gives a new mandate.

    FRST for a mandate's first debit, RCUR after it: after an earlier exported debit,
    or an earlier one in this file. One that came back does not count (its status is
    `returned`), so the next debit is a FRST again."""
    current = Mandate.objects.filter(
        pledge=OuterRef("pledge"), status=Mandate.Status.ACTIVE
    ).order_by("-pk")
    due = (
        Collection.objects.filter(
            status=Collection.Status.PLANNED,
            due_date__lte=until,
            pledge__status=Pledge.Status.ACTIVE,
        )
        .annotate(
            current_mandate=Subquery(current.values("pk")[:1]),
            account_holder=Subquery(current.values("account_holder")[:1]),
        )
        .annotate(
            mandate_used=Exists(
                Collection.objects.filter(
                    mandate=OuterRef("current_mandate"), status=Collection.Status.EXPORTED
                )
            )
        )
        .order_by("due_date", "pk")
    )
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True, of=("self",))
    rows = due.values_list(
        "pk",
        "pledge_id",
        "due_date",
        "pledge__interval",
        "current_mandate",
        "mandate_used",
        "account_holder",
    )
    assigned: list[Assignment] = []
    skipped = 0
    unwritable: dict[int, str] = {}  # mandate → why its name cannot go into the file
    held: list[tuple[int, int, date, int]] = []
    checked: set[int] = set()
    in_this_file: set[int] = set()
    collection_dates: dict[date, date] = {}  # a few distinct due dates, many rows
    for pk, pledge_id, due_date, interval, mandate_id, used_before, holder in rows:
        if mandate_id is None:
            skipped += 1
            continue
        if mandate_id not in checked:
            checked.add(mandate_id)
            try:
                debtor_name(holder)
            except UnreadableName as error:
                unwritable[mandate_id] = f"Kontoinhaber/in {error}"
        if mandate_id in unwritable:
            held.append((pk, pledge_id, due_date, mandate_id))
            continue
        if interval == Interval.ONCE:
            sequence = Collection.Sequence.ONE_OFF
        elif used_before or mandate_id in in_this_file:
            sequence = Collection.Sequence.RECURRING
        else:
            sequence = Collection.Sequence.FIRST
        in_this_file.add(mandate_id)
        if due_date not in collection_dates:
            collection_dates[due_date] = schedule.collection_date(due_date, on)
        assigned.append(
            Assignment(
                collection_id=pk,
                mandate_id=mandate_id,
                sequence_type=sequence,
                collection_date=collection_dates[due_date],
                end_to_end_id=f"LF-{pk}-{due_date:%Y%m%d}",
            )
        )
    return assigned, skipped, _hold(held, unwritable)


HOLD_ADVICE = (
    " – nicht eingereicht. Die Unterstützerin oder der Unterstützer gibt über den Link zur "
    "Selbstverwaltung die Bankverbindung neu an (Zusage → Link schicken)."
)


def _hold(
    held: list[tuple[int, int, date, int]], unwritable: dict[int, str]
) -> list[SkippedCollection]:
    """Record on each left-out collection why (the collection day lists them until
    they are corrected), log it, and return them for the caller's report."""
    if not held:
        return []
    references = dict(Mandate.objects.filter(pk__in=unwritable).values_list("pk", "reference"))
    skipped = [
        SkippedCollection(
            collection_id=pk,
            pledge_id=pledge_id,
            due_date=due_date,
            mandate_reference=references[mandate_id],
            reason=unwritable[mandate_id],
        )
        for pk, pledge_id, due_date, mandate_id in held
    ]
    for reason in {s.reason for s in skipped}:
        Collection.objects.filter(
            pk__in=[s.collection_id for s in skipped if s.reason == reason]
        ).update(hold_reason=(reason + HOLD_ADVICE)[:300])
    for item in skipped:
        logger.warning(
            "collection %s (mandate %s) not exported: %s",
            item.collection_id,
            item.mandate_reference,
            item.reason,
        )
    return skipped


def _iban_decrypter() -> Callable[[str], str]:
    """crypto.decrypt with the keys looked up once per file instead of once per IBAN."""
    cipher = crypto.fernet()

    def decrypt(token: str) -> str:
        try:
            return cipher.decrypt(token.encode("ascii")).decode("ascii")
        except InvalidToken:
            return crypto.decrypt(token)  # raises crypto's explanation of the missing key

    return decrypt


def _sha256(file: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def export_due_collections(
    until: date,
    *,
    user: AbstractBaseUser | None = None,
    on: date | None = None,
    out: Path | None = None,
) -> ExportResult:
    """Write one pain.008.001.08 file with every collection due up to `until` and not yet
    exported, store it and mark its collections exported — all in one transaction.
    With `out`, the file is also written there once that transaction is over.

    The collections are locked at the start, then marked a page at a time; the file is
    written from the marked rows (block totals from aggregate queries, the debits
    streamed in order) into a temporary file, validated against the XSD as it is read
    back, and streamed into the database: memory stays flat however many debits are due.
    """
    on = on or today()
    expire_unused_mandates(on)
    plan_collections(until)
    result = ExportResult(run=None)
    with tempfile.SpooledTemporaryFile(max_size=8 << 20) as file:
        with transaction.atomic():
            assigned, result.skipped_without_mandate, result.skipped = _lock_due_collections(
                until, on
            )
            if not assigned:
                return result
            message_id = new_message_id()
            run = CollectionRun.objects.create(
                created_by=user,
                until=until,
                message_id=message_id,
                filename=f"lastschriften-{on:%Y-%m-%d}-{message_id[-8:]}.xml",
                xml="",
                sha256="",
                transaction_count=0,
                control_sum=Decimal("0.00"),
            )
            for start in range(0, len(assigned), PAGE_SIZE):
                mark_exported(assigned[start : start + PAGE_SIZE], run)
            del assigned  # not needed for the file: its memory serves the writing
            Mandate.objects.filter(collections__run=run).update(last_used_on=on)
            Pledge.objects.filter(collections__run=run, interval=Interval.ONCE).update(
                status=Pledge.Status.COMPLETED, ended_at=timezone.now()
            )
            batches = selectors.run_batches(run)
            write_pain_008(
                file,
                message_id=run.message_id,
                batches=batches,
                debits=selectors.run_debits(run, _iban_decrypter()),
            )
            file.seek(0)
            validate_pain_file(file)
            file.seek(0)
            checksum = _sha256(file)
            file.seek(0)
            store_file(run, file)
            CollectionRun.objects.filter(pk=run.pk).update(
                sha256=checksum,
                transaction_count=sum(b.count for b in batches),
                control_sum=sum((b.total for b in batches), Decimal("0.00")),
            )
        if out is not None:
            file.seek(0)
            with out.open("wb") as target:
                shutil.copyfileobj(file, target)
    result.run = CollectionRun.objects.defer("xml").get(pk=run.pk)
    logger.info(
        "collection run %s: %s debits, %s EUR",
        result.run.pk,
        result.run.transaction_count,
        result.run.control_sum,
    )
    return result
