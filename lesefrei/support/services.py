"""Every state change of reader revenue: one function each, owning its transaction, its
cache invalidation, its mails and its log line. Views, the CMS, management commands and
the demo all call these.

Invariants kept here (and in the database constraints behind them):
- one form token → at most one pledge (a double click or retried POST returns it);
- one (pledge, due date) → at most one collection, exported in at most one run, and
  marked exported only in the transaction that stores its file;
- one return file → imported once; one collection → returned once.
"""

import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from . import crypto, mails, schedule
from .banking import CheckedIban
from .models import (
    Collection,
    CollectionReturn,
    CollectionRun,
    IbanAccessLog,
    Interval,
    Mandate,
    Pledge,
    ReturnImport,
    Supporter,
)
from .returns import CANCELLING_REASONS, parse_return_file
from .sepa import Debit, build_pain_008, sepa_text
from .signals import campaign_progress_changed

logger = logging.getLogger(__name__)

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class PledgeError(Exception):
    """A change the pledge's state does not allow (message in German)."""


def today() -> date:
    return timezone.localdate()


def earliest_due_date(day: date | None = None) -> date:
    """The earliest date a new or changed debit may be due: the pre-notification period
    from now, moved to the next bank business day."""
    first = schedule.first_due_date(day or today(), settings.SUPPORT_PRENOTIFICATION_DAYS)
    while not schedule.is_target_day(first):
        first += timedelta(days=1)
    return first


def progress_changed() -> None:
    """Once the surrounding transaction has committed: a new version of the cached
    campaign figure, and every cached page showing the support box dropped."""
    from lesefrei.site import pagecache

    from .selectors import CAMPAIGN_CACHE_TAG, bump_progress_version

    def refresh() -> None:
        bump_progress_version()
        campaign_progress_changed.send(sender=Pledge)

    transaction.on_commit(refresh)
    pagecache.invalidate(CAMPAIGN_CACHE_TAG)


def new_mandate_reference() -> str:
    """LF-K7M3Q9XA2BCD: prefix and twelve random characters (15 of 35 allowed)."""
    return "LF-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(12))


def mandate_reference_for(form_token: uuid.UUID) -> str:
    """The reference of a pledge form's mandate, known before it is submitted so that the
    mandate text can show it; derived from the form's one-time token."""
    number = form_token.int
    code = ""
    for _ in range(12):
        number, index = divmod(number, len(REFERENCE_ALPHABET))
        code += REFERENCE_ALPHABET[index]
    return f"LF-{code}"


def _create_mandate(
    pledge: Pledge,
    *,
    account_holder: str,
    iban: CheckedIban,
    address: dict[str, str],
    on: date,
    reference: str | None = None,
) -> Mandate:
    for attempt in range(5):
        try:
            with transaction.atomic():
                return Mandate.objects.create(
                    pledge=pledge,
                    reference=reference if reference and attempt == 0 else new_mandate_reference(),
                    account_holder=account_holder.strip()[:70],
                    iban_encrypted=crypto.encrypt(iban.iban),
                    iban_masked=crypto.mask_iban(iban.iban),
                    bic=iban.bic,
                    bank_name=iban.bank_name[:140],
                    street=address.get("street", "")[:70],
                    postcode=address.get("postcode", "")[:16],
                    town=address.get("town", "")[:35],
                    country=address.get("country", "")[:2],
                    signed_on=on,
                )
        except IntegrityError:
            if Mandate.objects.filter(pledge=pledge).exists():
                raise
            continue  # a reference collision (1 in 32^10): draw again
    raise IntegrityError("could not draw a unique mandate reference")


def _link_user(user: AbstractBaseUser | AnonymousUser | None) -> AbstractBaseUser | None:
    return user if user is not None and user.is_authenticated else None


def start_pledge(
    *,
    form_token: uuid.UUID,
    amount: Decimal,
    interval: str,
    name: str,
    email: str,
    account_holder: str,
    iban: CheckedIban,
    address: dict[str, str] | None = None,
    user: AbstractBaseUser | AnonymousUser | None = None,
    notify: bool = True,
) -> tuple[Pledge, bool]:
    """Create the pledge and its mandate in one transaction; (pledge, created).

    The form token is unique: a second submission of the same form, even at the same
    moment, finds the first pledge instead of creating another one.
    """
    existing = Pledge.objects.filter(form_token=form_token).first()
    if existing is not None:
        return existing, False
    signed_on = today()
    first_due = earliest_due_date(signed_on)
    try:
        with transaction.atomic():
            supporter, _ = Supporter.objects.get_or_create(
                email=email.strip().lower(), defaults={"name": name.strip()}
            )
            linked_user = _link_user(user)
            # The supporter record joins an account only when the e-mail is the account's
            # own: nobody gets to see someone else's pledges by typing their address.
            owns_email = linked_user is not None and (
                (linked_user.email or "").lower() == supporter.email
            )
            if supporter.name != name.strip() or (owns_email and supporter.user_id is None):
                supporter.name = name.strip()
                if owns_email and supporter.user_id is None:
                    supporter.user = linked_user
                supporter.save(update_fields=["name", "user"])
            pledge = Pledge.objects.create(
                supporter=supporter,
                user=linked_user,
                amount=amount,
                interval=interval,
                anchor_date=first_due,
                collection_day=first_due.day,
                form_token=form_token,
            )
            mandate = _create_mandate(
                pledge,
                account_holder=account_holder,
                iban=iban,
                address=address or {},
                on=signed_on,
                reference=mandate_reference_for(form_token),
            )
            progress_changed()
            if notify:
                mails.send_on_commit(mails.pledge_confirmation, pledge, mandate)
    except IntegrityError:
        existing = Pledge.objects.filter(form_token=form_token).first()
        if existing is None:
            raise
        return existing, False
    logger.info("pledge %s started (%s %s)", pledge.pk, amount, interval)
    return pledge, True


def _lock(pledge: Pledge) -> Pledge:
    return Pledge.objects.select_for_update().select_related("supporter").get(pk=pledge.pk)


def _drop_unexported(pledge: Pledge) -> None:
    Collection.objects.filter(pledge=pledge, status=Collection.Status.PLANNED).delete()


def _not_before(pledge: Pledge) -> date:
    """After the last exported due date and after the pre-notification period."""
    last = (
        Collection.objects.filter(pledge=pledge)
        .exclude(status=Collection.Status.PLANNED)
        .aggregate(last=Max("due_date"))["last"]
    )
    earliest = earliest_due_date()
    return max(earliest, last + timedelta(days=1)) if last else earliest


def change_pledge(
    pledge: Pledge,
    *,
    amount: Decimal | None = None,
    interval: str | None = None,
    actor: AbstractBaseUser | None = None,
) -> Pledge:
    """New amount and/or interval for every collection not yet exported."""
    with transaction.atomic():
        pledge = _lock(pledge)
        if pledge.status in (Pledge.Status.CANCELLED, Pledge.Status.COMPLETED):
            raise PledgeError("Diese Unterstützung ist beendet und kann nicht geändert werden.")
        if (
            pledge.interval == Interval.ONCE
            and Collection.objects.filter(pledge=pledge)
            .exclude(status=Collection.Status.PLANNED)
            .exists()
        ):
            raise PledgeError("Dieser einmalige Beitrag ist schon eingezogen.")
        _drop_unexported(pledge)
        new_interval = interval or pledge.interval
        if new_interval != pledge.interval:
            was_recurring = pledge.is_recurring
            pledge.anchor_date = schedule.next_anchor(
                pledge.anchor_date,
                pledge.collection_day,
                pledge.interval,
                new_interval,
                not_before=_not_before(pledge),
            )
            pledge.interval = new_interval
            if was_recurring != pledge.is_recurring:
                progress_changed()
        if amount is not None:
            pledge.amount = amount
        pledge.save()
        mails.send_on_commit(mails.pledge_changed, pledge)
    logger.info("pledge %s changed by %s", pledge.pk, actor.pk if actor else "supporter")
    return pledge


def pause_pledge(pledge: Pledge, *, reason: str = "", notify: bool = True) -> Pledge:
    """No collections until resumed; those not yet exported are dropped."""
    with transaction.atomic():
        pledge = _lock(pledge)
        if pledge.status != Pledge.Status.ACTIVE:
            raise PledgeError("Nur eine laufende Unterstützung kann pausiert werden.")
        _drop_unexported(pledge)
        pledge.status = Pledge.Status.PAUSED
        pledge.end_reason = reason[:200]
        pledge.save(update_fields=["status", "end_reason", "updated_at"])
        progress_changed()
        if notify:
            mails.send_on_commit(mails.pledge_paused, pledge, reason)
    logger.info("pledge %s paused", pledge.pk)
    return pledge


def resume_pledge(pledge: Pledge) -> Pledge:
    """Collections again from the next date of the old rhythm after the notice period;
    the months of the pause are not collected afterwards."""
    with transaction.atomic():
        pledge = _lock(pledge)
        if pledge.status != Pledge.Status.PAUSED:
            raise PledgeError("Nur eine pausierte Unterstützung kann fortgesetzt werden.")
        if pledge.current_mandate is None:
            raise PledgeError("Bitte geben Sie zuerst eine neue IBAN an.")
        pledge.anchor_date = schedule.next_anchor(
            pledge.anchor_date,
            pledge.collection_day,
            pledge.interval,
            pledge.interval,
            not_before=_not_before(pledge),
        )
        pledge.status = Pledge.Status.ACTIVE
        pledge.end_reason = ""
        pledge.save(update_fields=["anchor_date", "status", "end_reason", "updated_at"])
        progress_changed()
        mails.send_on_commit(mails.pledge_changed, pledge)
    logger.info("pledge %s resumed", pledge.pk)
    return pledge


def cancel_pledge(pledge: Pledge, *, reason: str = "", notify: bool = True) -> Pledge:
    """End the pledge today: nothing not yet exported is collected, ever."""
    with transaction.atomic():
        pledge = _lock(pledge)
        if pledge.status in (Pledge.Status.CANCELLED, Pledge.Status.COMPLETED):
            return pledge
        _drop_unexported(pledge)
        pledge.status = Pledge.Status.CANCELLED
        pledge.ends_on = today()
        pledge.ended_at = timezone.now()
        pledge.end_reason = reason[:200]
        pledge.save(update_fields=["status", "ends_on", "ended_at", "end_reason", "updated_at"])
        pledge.mandates.filter(status=Mandate.Status.ACTIVE).update(status=Mandate.Status.REVOKED)
        progress_changed()
        if notify:
            mails.send_on_commit(mails.pledge_cancelled, pledge)
    logger.info("pledge %s cancelled", pledge.pk)
    return pledge


def replace_mandate(
    pledge: Pledge, *, account_holder: str, iban: CheckedIban, address: dict[str, str]
) -> Mandate:
    """A new IBAN is a new mandate (its first debit is a FRST again); the old one ends."""
    with transaction.atomic():
        pledge = _lock(pledge)
        if pledge.status in (Pledge.Status.CANCELLED, Pledge.Status.COMPLETED):
            raise PledgeError("Diese Unterstützung ist beendet.")
        pledge.mandates.filter(status=Mandate.Status.ACTIVE).update(status=Mandate.Status.REPLACED)
        mandate = _create_mandate(
            pledge, account_holder=account_holder, iban=iban, address=address, on=today()
        )
        _drop_unexported(pledge)
        first = _not_before(pledge)
        if pledge.anchor_date < first:
            pledge.anchor_date = schedule.next_anchor(
                pledge.anchor_date,
                pledge.collection_day,
                pledge.interval,
                pledge.interval,
                not_before=first,
            )
            pledge.save(update_fields=["anchor_date", "updated_at"])
        mails.send_on_commit(mails.mandate_replaced, pledge, mandate)
    logger.info("pledge %s has a new mandate %s", pledge.pk, mandate.pk)
    return mandate


def send_manage_link(pledge: Pledge, *, actor: AbstractBaseUser) -> None:
    """Supporter care: mail the supporter a fresh self-service link (they change their
    pledge themselves; staff never edit it by hand)."""
    transaction.on_commit(lambda: mails.manage_link(pledge))
    logger.info("self-service link for pledge %s sent by user %s", pledge.pk, actor.pk)


def reveal_iban(mandate: Mandate, user: AbstractBaseUser) -> str:
    """The full IBAN for the finance role; every call is logged (database and log)."""
    if not user.has_perm("support.view_full_iban"):
        raise PermissionError("view_full_iban required")
    IbanAccessLog.objects.create(user=user, mandate=mandate)
    logger.info("full IBAN of mandate %s shown to user %s", mandate.reference, user.pk)
    return mandate.iban


def expire_unused_mandates(on: date | None = None) -> int:
    """Mandates unused for SUPPORT_MANDATE_EXPIRY_MONTHS lapse (SEPA rulebook); their
    pledges pause and the supporter is asked for a new mandate."""
    on = on or today()
    months = settings.SUPPORT_MANDATE_EXPIRY_MONTHS
    limit = schedule.add_months(on, -months, on.day)
    stale = Mandate.objects.filter(status=Mandate.Status.ACTIVE).filter(
        Q(last_used_on__lt=limit) | Q(last_used_on__isnull=True, signed_on__lt=limit)
    )
    count = 0
    for mandate in stale.select_related("pledge"):
        with transaction.atomic():
            updated = Mandate.objects.filter(pk=mandate.pk, status=Mandate.Status.ACTIVE).update(
                status=Mandate.Status.EXPIRED
            )
            if updated and mandate.pledge.status == Pledge.Status.ACTIVE:
                pause_pledge(mandate.pledge, reason="Mandat verfallen (36 Monate ungenutzt)")
            count += updated
    if count:
        logger.info("%s unused mandates expired", count)
    return count


def plan_collections(until: date) -> int:
    """Materialise every due collection up to `until` of every active pledge.

    The pledges are locked while planning, so a change or a pause (which lock them too)
    never interleaves; the unique (pledge, due date) makes planning twice harmless.
    """
    created = 0
    with transaction.atomic():
        pledges = (
            Pledge.objects.select_for_update()
            .filter(status=Pledge.Status.ACTIVE, anchor_date__lte=until)
            .order_by("pk")
        )
        rows = []
        for pledge in pledges:
            for due in schedule.due_dates(
                pledge.anchor_date,
                pledge.collection_day,
                pledge.interval,
                until=until,
                ends_on=pledge.ends_on,
            ):
                rows.append(Collection(pledge=pledge, due_date=due, amount=pledge.amount))
        if rows:
            created = len(Collection.objects.bulk_create(rows, ignore_conflicts=True))
    return created


@dataclass
class ExportResult:
    run: CollectionRun | None
    skipped_without_mandate: int = 0


def _sequence_type(pledge: Pledge, mandate: Mandate, seen: set[int], used: set[int]) -> str:
    """FRST for a mandate's first debit, RCUR after it; `used` holds the mandates with an
    exported debit (one that came back does not count: the next one is a FRST again),
    `seen` those already in this file."""
    if not pledge.is_recurring:
        return Collection.Sequence.ONE_OFF
    if mandate.pk in seen or mandate.pk in used:
        return Collection.Sequence.RECURRING
    return Collection.Sequence.FIRST


def _used_mandates(mandate_ids: list[int]) -> set[int]:
    used: set[int] = set()
    for start in range(0, len(mandate_ids), 5000):
        used.update(
            Collection.objects.filter(
                mandate_id__in=mandate_ids[start : start + 5000],
                status=Collection.Status.EXPORTED,
            ).values_list("mandate_id", flat=True)
        )
    return used


_EXPORT_FIELDS = ["status", "run", "mandate", "sequence_type", "collection_date", "end_to_end_id"]


def _mark_exported(exported: list[Collection], run: CollectionRun) -> None:
    """Store the exported state of many collections in few statements: on PostgreSQL an
    UPDATE … FROM (VALUES …) per 5,000 rows (bulk_update's CASE expressions grow with
    the square of the rows), elsewhere bulk_update."""
    for collection in exported:
        collection.status = Collection.Status.EXPORTED
        collection.run = run
    if connection.vendor != "postgresql":
        Collection.objects.bulk_update(exported, _EXPORT_FIELDS, batch_size=500)
        return
    table = Collection._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(exported), 5000):
            chunk = exported[start : start + 5000]
            rows = ", ".join(["(%s::bigint, %s::bigint, %s, %s::date, %s)"] * len(chunk))
            params: list = []
            for c in chunk:
                params += [c.pk, c.mandate_id, c.sequence_type, c.collection_date, c.end_to_end_id]
            cursor.execute(
                f'UPDATE "{table}" AS c SET status = %s, run_id = %s, mandate_id = v.mandate, '
                "sequence_type = v.sequence, collection_date = v.day, end_to_end_id = v.e2e "
                f"FROM (VALUES {rows}) AS v(id, mandate, sequence, day, e2e) WHERE c.id = v.id",
                [Collection.Status.EXPORTED, run.pk, *params],
            )


def _address(mandate: Mandate) -> dict[str, str]:
    if not mandate.town:
        return {}
    address = {"town": sepa_text(mandate.town, 35), "country": mandate.country}
    if mandate.street:
        address["street_name"] = sepa_text(mandate.street, 70)
    if mandate.postcode:
        address["postcode"] = sepa_text(mandate.postcode, 16)
    return address


def export_due_collections(
    until: date, *, user: AbstractBaseUser | None = None, on: date | None = None
) -> ExportResult:
    """Write one pain.008.001.08 file with every collection due up to `until` and not yet
    exported, store it and mark its collections exported — all in one transaction.

    Collections are locked with SKIP LOCKED on PostgreSQL: a second run at the same
    moment leaves the first run's collections alone instead of exporting them again.
    On SQLite the IMMEDIATE transaction serialises runs.
    """
    on = on or today()
    expire_unused_mandates(on)
    plan_collections(until)
    result = ExportResult(run=None)
    with transaction.atomic():
        due = Collection.objects.filter(
            status=Collection.Status.PLANNED,
            due_date__lte=until,
            pledge__status=Pledge.Status.ACTIVE,
        ).order_by("due_date", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        collections = list(due)
        if not collections:
            return result
        pledges = {
            p.pk: p
            for p in Pledge.objects.filter(
                pk__in={c.pledge_id for c in collections}
            ).prefetch_related("mandates")
        }
        current = {pk: pledge.current_mandate for pk, pledge in pledges.items()}
        used = _used_mandates([m.pk for m in current.values() if m is not None])
        debits: list[Debit] = []
        exported: list[Collection] = []
        seen_mandates: set[int] = set()
        for collection in collections:
            pledge = pledges[collection.pledge_id]
            mandate = current[collection.pledge_id]
            if mandate is None:
                result.skipped_without_mandate += 1
                continue
            collection.mandate = mandate
            collection.sequence_type = _sequence_type(pledge, mandate, seen_mandates, used)
            seen_mandates.add(mandate.pk)
            collection.collection_date = schedule.collection_date(collection.due_date, on)
            collection.end_to_end_id = f"LF-{collection.pk}-{collection.due_date:%Y%m%d}"
            debits.append(
                Debit(
                    end_to_end_id=collection.end_to_end_id,
                    amount=collection.amount,
                    sequence_type=collection.sequence_type,
                    collection_date=collection.collection_date,
                    mandate_reference=mandate.reference,
                    mandate_signed_on=mandate.signed_on,
                    debtor_name=mandate.account_holder,
                    iban=mandate.iban,
                    bic=mandate.bic,
                    remittance=f"Unterstuetzung {settings.WAGTAIL_SITE_NAME} "
                    f"{collection.due_date:%m/%Y} Mandat {mandate.reference}",
                    address=_address(mandate),
                )
            )
            exported.append(collection)
        if not exported:
            return result
        xml, message_id = build_pain_008(debits)
        run = CollectionRun.objects.create(
            created_by=user,
            until=until,
            message_id=message_id[:35],
            filename=f"lastschriften-{on:%Y-%m-%d}-{message_id[-8:]}.xml",
            xml=xml.decode("utf-8"),
            sha256=hashlib.sha256(xml).hexdigest(),
            transaction_count=len(exported),
            control_sum=sum((c.amount for c in exported), Decimal("0.00")),
        )
        _mark_exported(exported, run)
        used_now = sorted(seen_mandates)
        for start in range(0, len(used_now), 5000):
            Mandate.objects.filter(pk__in=used_now[start : start + 5000]).update(last_used_on=on)
        once = [c.pledge_id for c in exported if not pledges[c.pledge_id].is_recurring]
        if once:
            Pledge.objects.filter(pk__in=once).update(
                status=Pledge.Status.COMPLETED, ended_at=timezone.now()
            )
        result.run = run
    logger.info(
        "collection run %s: %s debits, %s EUR",
        run.pk,
        run.transaction_count,
        run.control_sum,
    )
    return result


@dataclass
class ImportResult:
    source: ReturnImport | None
    already_imported: bool = False
    returned: list[CollectionReturn] = field(default_factory=list)
    duplicates: int = 0
    unknown_references: list[str] = field(default_factory=list)
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
    (German message) for a file that cannot be read, before anything changes."""
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
                collection = (
                    Collection.objects.select_for_update()
                    .filter(end_to_end_id=item.end_to_end_id)
                    .exclude(end_to_end_id="")
                    .first()
                )
                if collection is None or collection.status == Collection.Status.PLANNED:
                    result.unknown_references.append(item.end_to_end_id or item.mandate_reference)
                    continue
                if collection.status == Collection.Status.RETURNED:
                    result.duplicates += 1
                    continue
                collection.status = Collection.Status.RETURNED
                collection.save(update_fields=["status"])
                result.returned.append(
                    CollectionReturn.objects.create(
                        collection=collection,
                        source=source,
                        reason_code=item.reason_code,
                        fee=item.fee,
                        returned_on=item.booked_on,
                    )
                )
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
            source.save(update_fields=["return_count", "unknown_references"])
            result.source = source
    except IntegrityError:
        # The same file imported at the same moment by someone else: theirs counts.
        previous = ReturnImport.objects.filter(sha256=checksum).first()
        if previous is None:
            raise
        return ImportResult(source=previous, already_imported=True)
    logger.info(
        "return file %s: %s returns, %s unknown, %s paused, %s cancelled",
        source.pk,
        len(result.returned),
        len(result.unknown_references),
        len(result.paused),
        len(result.cancelled),
    )
    return result


def rotate_iban_keys() -> int:
    """Re-encrypt every IBAN with the newest key (after putting it first in
    SUPPORT_IBAN_KEYS); afterwards the old key can be removed."""
    count = 0
    for mandate in Mandate.objects.only("pk", "iban_encrypted").iterator():
        with transaction.atomic():
            Mandate.objects.filter(pk=mandate.pk).update(
                iban_encrypted=crypto.rotate(mandate.iban_encrypted)
            )
        count += 1
    logger.info("%s IBANs re-encrypted with the newest key", count)
    return count
