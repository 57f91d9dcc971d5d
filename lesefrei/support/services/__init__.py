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
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from .. import crypto, mails, schedule, selectors
from ..banking import CheckedIban, check_account_holder
from ..models import (
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
from ..returns import CANCELLING_REASONS, parse_return_file
from ..sepa import UnreadableName, debtor_name, new_message_id, validate_pain_file, write_pain_008
from ..signals import campaign_progress_changed

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

    from ..selectors import CAMPAIGN_CACHE_TAG, bump_progress_version

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
    # Whoever calls (form, CMS, demo, a script): a name the bank cannot read is refused
    # here with the form's message, before anything is stored.
    account_holder = check_account_holder(account_holder)
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


def owns_address(user: AbstractBaseUser | None, email: str) -> bool:
    """True when `email` is the account's own address: its login address, or one it has
    confirmed through allauth."""
    from allauth.account.models import EmailAddress

    if user is None or not email:
        return False
    email = email.strip().lower()
    if (user.email or "").strip().lower() == email:
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


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

    The pledge belongs to the account that was logged in, if any; anyone can type any
    address, so the address alone joins nothing (see claim_pledge). The pledge keeps the
    name its form gave; the supporter record's name is only set by the first form of an
    address, or corrected by the address's own account.
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
            # Only the address's own account may correct the supporter's name or link
            # the record: a stranger's form renames and links nobody.
            if owns_address(linked_user, supporter.email) and (
                supporter.name != name.strip() or supporter.user_id is None
            ):
                supporter.name = name.strip()
                if supporter.user_id is None:
                    supporter.user = linked_user
                supporter.save(update_fields=["name", "user"])
            pledge = Pledge.objects.create(
                supporter=supporter,
                user=linked_user,
                name=name.strip()[:140],
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


def claim_pledge(pledge: Pledge, user: AbstractBaseUser) -> Pledge:
    """Join a pledge to the reader account that owns its address, after the reader
    followed the link mailed to that address (links.claim_path). Raises PledgeError
    when the account is not the address's own, or the pledge is another account's."""
    with transaction.atomic():
        pledge = _lock(pledge)
        if pledge.user_id == user.pk:
            return pledge
        if not owns_address(user, pledge.supporter.email):
            raise PledgeError(
                f"Diese Unterstützung gehört zur Adresse {pledge.supporter.email}. Bitte melden "
                "Sie sich mit dem Konto dieser Adresse an."
            )
        if pledge.user_id is not None:
            raise PledgeError("Diese Unterstützung ist schon mit einem anderen Konto verbunden.")
        pledge.user = user
        pledge.save(update_fields=["user", "updated_at"])
    logger.info("pledge %s joined account %s through the link to its address", pledge.pk, user.pk)
    return pledge


def send_claim_links(user: AbstractBaseUser) -> int:
    """Mail the account's own addresses a link for each pledge made with them that no
    account holds yet (made logged out, or before the account existed); following the
    link joins it (claim_pledge). Returns how many pledges were offered."""
    pledges = list(selectors.unclaimed_pledges_of(user))
    by_address: dict[str, list[Pledge]] = {}
    for pledge in pledges:
        by_address.setdefault(pledge.supporter.email, []).append(pledge)
    for address, offered in by_address.items():
        mails.send_on_commit(mails.claim_links, address, offered)
    logger.info("claim links for %s pledges sent to account %s", len(pledges), user.pk)
    return len(pledges)


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


def download_run_file(run: CollectionRun, user: AbstractBaseUser) -> bytes:
    """A collection run's file (every debtor's full IBAN) for the finance role; every
    download is logged like an IBAN view (database and log)."""
    if not user.has_perm("support.run_collections"):
        raise PermissionError("run_collections required")
    xml = CollectionRun.objects.values_list("xml", flat=True).get(pk=run.pk)
    IbanAccessLog.objects.create(user=user, run=run)
    logger.info(
        "file of collection run %s (%s full IBANs) downloaded by user %s",
        run.pk,
        run.transaction_count,
        user.pk,
    )
    return xml.encode("utf-8")


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
            _insert_planned(rows)
            offered += len(rows)
    return offered


def _insert_planned(rows: list[tuple[int, date, Decimal]]) -> None:
    """New planned collections (pledge id, due date, amount); existing ones stay. On
    PostgreSQL one INSERT … SELECT FROM unnest(arrays): bulk_create spends seconds per
    100,000 rows preparing model instances and parameters."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Collection.objects.bulk_create(
            [Collection(pledge_id=pk, due_date=due, amount=amount) for pk, due, amount in rows],
            ignore_conflicts=True,
        )
        return
    pledges, days, amounts = zip(*rows, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{Collection._meta.db_table}" '
            "(pledge_id, due_date, amount, status, sequence_type, end_to_end_id, hold_reason, "
            "created_at) "
            "SELECT v.pledge, v.day, v.amount, %s, '', '', '', %s "
            "FROM unnest(%s::bigint[], %s::date[], %s::numeric[]) AS v(pledge, day, amount) "
            "ON CONFLICT DO NOTHING",
            [Collection.Status.PLANNED, timezone.now(), list(pledges), list(days), list(amounts)],
        )


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


@dataclass(slots=True)
class _Assignment:
    """What an export decides for one collection."""

    collection_id: int
    mandate_id: int
    sequence_type: str
    collection_date: date
    end_to_end_id: str


def _lock_due_collections(
    until: date, on: date
) -> tuple[list[_Assignment], int, list[SkippedCollection]]:
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
    assigned: list[_Assignment] = []
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
            _Assignment(
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


def _mark_exported(assigned: list[_Assignment], run: CollectionRun) -> None:
    """Store the exported state of one page of collections: on PostgreSQL one UPDATE …
    FROM unnest(arrays) (bulk_update's CASE expressions grow with the square of the
    rows), elsewhere bulk_update."""
    if connection.vendor == "postgresql":
        table = Collection._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" AS c SET status = %s, run_id = %s, mandate_id = v.mandate, '
                "sequence_type = v.sequence, collection_date = v.day, end_to_end_id = v.e2e, "
                "hold_reason = '' "
                "FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::date[], %s::text[]) "
                "AS v(id, mandate, sequence, day, e2e) WHERE c.id = v.id",
                [
                    Collection.Status.EXPORTED,
                    run.pk,
                    [a.collection_id for a in assigned],
                    [a.mandate_id for a in assigned],
                    [a.sequence_type for a in assigned],
                    [a.collection_date for a in assigned],
                    [a.end_to_end_id for a in assigned],
                ],
            )
    else:
        Collection.objects.bulk_update(
            [
                Collection(
                    pk=a.collection_id,
                    status=Collection.Status.EXPORTED,
                    run=run,
                    mandate_id=a.mandate_id,
                    sequence_type=a.sequence_type,
                    collection_date=a.collection_date,
                    end_to_end_id=a.end_to_end_id,
                    hold_reason="",
                )
                for a in assigned
            ],
            [
                "status",
                "run",
                "mandate",
                "sequence_type",
                "collection_date",
                "end_to_end_id",
                "hold_reason",
            ],
            batch_size=500,
        )


def _iban_decrypter() -> Callable[[str], str]:
    """crypto.decrypt with the keys looked up once per file instead of once per IBAN."""
    cipher = crypto.fernet()

    def decrypt(token: str) -> str:
        try:
            return cipher.decrypt(token.encode("ascii")).decode("ascii")
        except InvalidToken:
            return crypto.decrypt(token)  # raises crypto's explanation of the missing key

    return decrypt


def _store_file(run: CollectionRun, file: BinaryIO) -> None:
    """The file into the run's `xml`. On PostgreSQL it is streamed in with COPY (into a
    temporary table, then one UPDATE), so that the process never holds the whole file
    (58 MB for 100,000 debits) as one string; elsewhere it is read at once."""
    if connection.vendor != "postgresql":
        CollectionRun.objects.filter(pk=run.pk).update(xml=file.read().decode("utf-8"))
        return
    table = CollectionRun._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE support_export_file (xml text)")
        with cursor.copy("COPY support_export_file (xml) FROM STDIN") as copy:
            for chunk in iter(lambda: file.read(1 << 20), b""):
                # COPY's text format: the whole file is one field of one row.
                copy.write(
                    chunk.replace(b"\\", b"\\\\")
                    .replace(b"\n", b"\\n")
                    .replace(b"\r", b"\\r")
                    .replace(b"\t", b"\\t")
                )
            copy.write(b"\n")
        cursor.execute(
            f'UPDATE "{table}" SET xml = f.xml FROM support_export_file AS f '
            f'WHERE "{table}".id = %s',
            [run.pk],
        )
        cursor.execute("DROP TABLE support_export_file")


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
                _mark_exported(assigned[start : start + PAGE_SIZE], run)
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
            _store_file(run, file)
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
