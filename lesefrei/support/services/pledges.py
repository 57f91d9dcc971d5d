"""A pledge's life, from the form to its end: start, change, pause, resume, cancel; a new
mandate for a new IBAN, and mandates that lapse unused; joining a pledge to the reader
account that owns its address.

Invariants kept here (and in the database constraints behind them):
- one form token → at most one pledge (a double click or retried POST returns it);
- a change to an existing pledge locks its row first, so changes and the collection
  run's planning (which locks the pledges too) never interleave;
- a change, pause, cancellation or new mandate drops the collections not yet exported,
  so none is collected on the old terms; exported ones are never touched.
"""

import logging
import secrets
import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from .. import crypto, mails, schedule, selectors
from ..banking import CheckedIban, check_account_holder
from ..models import Collection, Interval, Mandate, Pledge, Supporter
from .dates import earliest_due_date, today

logger = logging.getLogger(__name__)


REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class PledgeError(Exception):
    """A change the pledge's state does not allow (message in German)."""


def progress_changed() -> None:
    """The campaign figure changed: the kept figure, the support box and every stored
    page showing it are renewed (lesefrei/cache/)."""
    from lesefrei.cache import changed

    from ..selectors import CAMPAIGN_CACHE_TAG

    changed(CAMPAIGN_CACHE_TAG)


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
