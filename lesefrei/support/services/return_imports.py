"""Booking a bank's return file (camt.054 or camt.053, read by support.returns): each
returned collection is marked, its pledge cancelled for a reason that ends it
(returns.CANCELLING_REASONS) or paused after two returns in a row.

Invariants kept here (and in the database constraints behind them):
- one return file → imported once, by its checksum, even when two people import it
  at the same moment;
- one collection → returned once.
"""

import hashlib
import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import DataError, IntegrityError, transaction

from .. import mails
from ..models import Collection, CollectionReturn, Pledge, ReturnImport
from ..returns import CANCELLING_REASONS, parse_return_file
from .pledges import cancel_pledge, pause_pledge

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SkippedEntry:
    """An entry of a return file that could not be booked, and why (German)."""

    reference: str
    message: str


@dataclass
class ImportResult:
    source: ReturnImport | None
    already_imported: bool = False
    returned: list[CollectionReturn] = field(default_factory=list)
    duplicates: int = 0
    unknown_references: list[str] = field(default_factory=list)
    skipped: list[SkippedEntry] = field(default_factory=list)
    paused: list[Pledge] = field(default_factory=list)
    cancelled: list[Pledge] = field(default_factory=list)


def _two_returns_in_a_row(pledge: Pledge) -> bool:
    last_two = list(
        Collection.objects.filter(pledge=pledge)
        .exclude(status=Collection.Status.PLANNED)
        .order_by("-due_date")
        .values_list("status", flat=True)[:2]
    )
    return len(last_two) == 2 and all(s == Collection.Status.RETURNED for s in last_two)


def import_returns(
    data: bytes, *, filename: str, user: AbstractBaseUser | None = None
) -> ImportResult:
    """Mark every returned collection of a camt.054/camt.053 file; the same file twice
    changes nothing, unknown references are listed. Raises returns.ReturnFileError
    (German message) for a file that cannot be read, before anything changes.

    An entry the schema allows but the books cannot hold (a booking date outside the
    calendar, a fee beyond any amount) is skipped with its reason, in the result and on
    the ReturnImport, and the rest of the file is booked: one odd entry never keeps
    the clerk from importing the bank's file."""
    checksum = hashlib.sha256(data).hexdigest()
    previous = ReturnImport.objects.filter(sha256=checksum).first()
    if previous is not None:
        return ImportResult(source=previous, already_imported=True)
    parsed = parse_return_file(data)
    result = ImportResult(source=None)
    try:
        with transaction.atomic():
            source = ReturnImport.objects.create(
                imported_by=user,
                filename=filename[:200],
                sha256=checksum,
                message_type=parsed.message_type,
            )
            touched: dict[int, Pledge] = {}
            cancel_reasons: dict[int, str] = {}
            for item in parsed.items:
                reference = item.end_to_end_id or item.mandate_reference
                if item.problem:
                    result.skipped.append(SkippedEntry(reference, item.problem))
                    continue
                collection = (
                    Collection.objects.select_for_update()
                    .filter(end_to_end_id=item.end_to_end_id)
                    .exclude(end_to_end_id="")
                    .first()
                )
                if collection is None or collection.status == Collection.Status.PLANNED:
                    result.unknown_references.append(reference)
                    continue
                if collection.status == Collection.Status.RETURNED:
                    result.duplicates += 1
                    continue
                try:
                    with transaction.atomic():
                        returned = CollectionReturn.objects.create(
                            collection=collection,
                            source=source,
                            reason_code=item.reason_code,
                            fee=item.fee,
                            returned_on=item.booked_on,
                        )
                        collection.status = Collection.Status.RETURNED
                        collection.save(update_fields=["status"])
                except DataError:
                    # Nothing the parser knows of should get here; if it does, this one
                    # entry is reported instead of the whole file failing.
                    logger.exception("return entry %s could not be stored", reference)
                    result.skipped.append(
                        SkippedEntry(reference, "Der Eintrag ließ sich nicht speichern.")
                    )
                    continue
                result.returned.append(returned)
                touched.setdefault(collection.pledge_id, collection.pledge)
                if item.reason_code in CANCELLING_REASONS:
                    cancel_reasons[collection.pledge_id] = item.reason_code
            for pledge in touched.values():
                reason_code = cancel_reasons.get(pledge.pk, "")
                pledge.refresh_from_db()
                if reason_code and pledge.status in (Pledge.Status.ACTIVE, Pledge.Status.PAUSED):
                    result.cancelled.append(
                        cancel_pledge(
                            pledge,
                            reason=f"Rücklastschrift {reason_code}: Erstattung verlangt",
                        )
                    )
                elif pledge.status == Pledge.Status.ACTIVE and _two_returns_in_a_row(pledge):
                    result.paused.append(
                        pause_pledge(pledge, reason="Zwei Rücklastschriften in Folge", notify=False)
                    )
                    mails.send_on_commit(mails.pledge_paused_after_returns, pledge)
            source.return_count = len(result.returned)
            source.unknown_references = result.unknown_references
            source.skipped_entries = [
                {"reference": s.reference, "message": s.message} for s in result.skipped
            ]
            source.save(update_fields=["return_count", "unknown_references", "skipped_entries"])
            result.source = source
    except IntegrityError:
        # The same file imported at the same moment by someone else: theirs counts.
        previous = ReturnImport.objects.filter(sha256=checksum).first()
        if previous is None:
            raise
        return ImportResult(source=previous, already_imported=True)
    logger.info(
        "return file %s: %s returns, %s unknown, %s skipped, %s paused, %s cancelled",
        source.pk,
        len(result.returned),
        len(result.unknown_references),
        len(result.skipped),
        len(result.paused),
        len(result.cancelled),
    )
    return result
