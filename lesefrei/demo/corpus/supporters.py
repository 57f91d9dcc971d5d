"""The corpus's supporters: pledges with SEPA mandates, drawn as years of sign-ups
(`supporters`), or planned by the caller (`write_pledges`, which the benchmarks' SEPA
fill uses). Due dates, collection days and mandate references come from
lesefrei.support.services, IBANs are checked and encrypted as the pledge form does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from schwifty import IBAN

from lesefrei.content.slugs import german_slug
from lesefrei.support import crypto, schedule, services
from lesefrei.support.banking import check_iban
from lesefrei.support.models import (
    Campaign,
    Collection,
    CollectionRun,
    Interval,
    Mandate,
    Pledge,
    Supporter,
)

from . import words
from .bulk import batched, given_creation_times

if TYPE_CHECKING:
    from .generator import Generator

RECURRING = (
    [Interval.MONTHLY] * 82
    + [Interval.YEARLY] * 10
    + [Interval.QUARTERLY] * 5
    + [Interval.HALF_YEARLY] * 3
)
AMOUNTS = {
    Interval.MONTHLY: [5] * 30
    + [10] * 30
    + [15] * 15
    + [7, 8, 12] * 5
    + [20] * 6
    + [25] * 3
    + [50],
    Interval.QUARTERLY: [15, 20, 30, 45],
    Interval.HALF_YEARLY: [30, 50, 60],
    Interval.YEARLY: [50, 60, 100, 120, 120],
    Interval.ONCE: [20, 25, 50, 100],
}
STREETS = ("Hauptstraße", "Lindenweg", "Bahnhofstraße", "Am Markt", "Gartenstraße")


@dataclass
class PledgePlan:
    """One pledge to write, with its supporter (by e-mail: plans may share one) and its
    mandate: what was signed when, and where it stands today."""

    email: str
    name: str
    interval: str
    amount: Decimal
    signed_on: date
    anchor: date  # the next (or last unpaid) due date
    collection_day: int
    status: str = Pledge.Status.ACTIVE
    last_used: date | None = None  # the mandate's last debit before the anchor
    ends_on: date | None = None
    end_reason: str = ""
    address: bool = True
    exported_before: date | None = None  # an earlier debit exported (the next one is RCUR)


def midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def draw_plans(gen: Generator, count: int, number: int, today: date) -> list[PledgePlan]:
    """`count` supporters signed over six years, each with a recurring pledge (some
    paused or cancelled since), a tenth with a recent one-off gift on top."""
    rnd = gen.rnd
    plans = []
    for offset in range(count):
        first, last = words.person(rnd)
        name = f"{first} {last}"
        local = german_slug(f"{first}-{last}", max_length=40)
        email = f"{gen.prefix}{local}-{number + offset}@example.org"
        signed_on = today - timedelta(days=rnd.randint(0, 6 * 365))
        signed = [(rnd.choice(RECURRING), signed_on)]
        if rnd.random() < 0.1:  # a one-off gift on top, signed in the last weeks
            signed.append((Interval.ONCE, today - timedelta(days=rnd.randint(14, 40))))
        for interval, on in signed:
            first_due = services.earliest_due_date(on)
            plan = PledgePlan(
                email=email,
                name=name,
                interval=interval,
                amount=Decimal(rnd.choice(AMOUNTS[interval])),
                signed_on=on,
                anchor=first_due,
                collection_day=first_due.day,
            )
            roll = rnd.random()
            if interval == Interval.ONCE:
                pass
            elif roll < 0.04:
                plan.status, plan.end_reason = Pledge.Status.PAUSED, "Pause auf Wunsch"
            elif roll < 0.10:
                plan.status = Pledge.Status.CANCELLED
                plan.ends_on = min(on + timedelta(days=rnd.randint(30, 900)), today)
                plan.end_reason = "Auf Wunsch beendet"
            elif first_due <= today:
                # Earlier debits are history (not generated); the pledge is due once
                # more on or before today: anchor = its last due date.
                dates = schedule.due_dates(first_due, first_due.day, interval, until=today)
                plan.anchor = dates[-1]
                plan.last_used = dates[-2] if len(dates) > 1 else None
            plans.append(plan)
    return plans


def write_pledges(gen: Generator, plans: Sequence[PledgePlan]) -> tuple[int, int]:
    """Supporters, pledges and mandates of `plans` (and the exported earlier debits some
    have), in bulk; (supporters, pledges) written."""
    rnd = gen.rnd
    batch_size = gen.options.batch_size
    with given_creation_times(
        (Supporter, "created_at"), (Pledge, "created_at"), (Mandate, "created_at")
    ):
        supporters: dict[str, Supporter] = {}
        for plan in plans:
            if plan.email not in supporters:
                supporters[plan.email] = Supporter(
                    email=plan.email, name=plan.name, created_at=midnight(plan.signed_on)
                )
        Supporter.objects.bulk_create(list(supporters.values()), batch_size=batch_size)
        pledges, mandates = [], []
        for plan in plans:
            started = midnight(plan.signed_on)
            pledge = Pledge(
                supporter=supporters[plan.email],
                amount=plan.amount,
                interval=plan.interval,
                status=plan.status,
                anchor_date=plan.anchor,
                collection_day=plan.collection_day,
                ends_on=plan.ends_on,
                ended_at=midnight(plan.ends_on) if plan.ends_on else None,
                end_reason=plan.end_reason,
                form_token=gen.uuid(),
                created_at=started,
            )
            iban = check_iban(str(IBAN.random("DE", random=rnd)))
            street = f"{rnd.choice(STREETS)} {rnd.randint(1, 120)}"
            postcode = f"{rnd.randint(1067, 99998):05d}"
            town = rnd.choice(words.PLACES[:70])
            mandates.append(
                Mandate(
                    pledge=pledge,
                    reference=services.mandate_reference_for(pledge.form_token),
                    account_holder=plan.name[:70],
                    iban_encrypted=crypto.encrypt(iban.iban),
                    iban_masked=crypto.mask_iban(iban.iban),
                    bic=iban.bic,
                    bank_name=iban.bank_name[:140],
                    street=street if plan.address else "",
                    postcode=postcode if plan.address else "",
                    town=town if plan.address else "",
                    country="DE" if plan.address else "",
                    signed_on=plan.signed_on,
                    status=(
                        Mandate.Status.REVOKED
                        if plan.status == Pledge.Status.CANCELLED
                        else Mandate.Status.ACTIVE
                    ),
                    last_used_on=plan.last_used,
                    created_at=started,
                )
            )
            pledges.append(pledge)
        Pledge.objects.bulk_create(pledges, batch_size=batch_size)
        for mandate in mandates:
            mandate.pledge_id = mandate.pledge.pk
        Mandate.objects.bulk_create(mandates, batch_size=batch_size)
    exported = [
        (plan, pledge, mandate)
        for plan, pledge, mandate in zip(plans, pledges, mandates, strict=True)
        if plan.exported_before
    ]
    if exported:
        run = earlier_run(gen, min(plan.exported_before for plan, _, _ in exported))
        Collection.objects.bulk_create(
            [
                Collection(
                    pledge=pledge,
                    due_date=plan.exported_before,
                    amount=pledge.amount,
                    status=Collection.Status.EXPORTED,
                    mandate=mandate,
                    run=run,
                    sequence_type="FRST",
                    collection_date=plan.exported_before + timedelta(days=2),
                    end_to_end_id=f"{gen.prefix.upper()}E-{pledge.pk}",
                )
                for plan, pledge, mandate in exported
            ],
            batch_size=batch_size,
        )
    return len(supporters), len(pledges)


def earlier_run(gen: Generator, until: date) -> CollectionRun:
    """The one collection run standing for the debits exported before the corpus."""
    message_id = f"{gen.prefix.upper()}EARLIER-RUN"
    run = CollectionRun.objects.filter(message_id=message_id).first()
    if run is None:
        run = CollectionRun.objects.create(
            until=until,
            message_id=message_id,
            filename="lastschriften-frueher.xml",
            xml="<Document/>",
            sha256="0" * 64,
            transaction_count=0,
            control_sum=Decimal("0"),
        )
    return run


def supporters(gen: Generator) -> None:
    """`options.supporters` supporters with their pledges, and how many are due today."""
    today = timezone.localdate(gen.now)
    gen.report.due_until = today
    if not Campaign.objects.filter(is_active=True).exists():
        Campaign.objects.create(title="50.000 Unterstützerinnen und Unterstützer")
    number = gen.next_number(Supporter.objects.all(), "email")
    for chunk in batched(range(gen.options.supporters), gen.options.batch_size):
        plans = draw_plans(gen, len(chunk), number, today)
        number += len(chunk)
        made, pledges = write_pledges(gen, plans)
        gen.report.pledges += pledges
        gen.report.due_collections += sum(
            plan.status == Pledge.Status.ACTIVE and plan.anchor <= today for plan in plans
        )
        gen.report.supporters += made
        gen.write(f"  {gen.report.supporters}/{gen.options.supporters} Unterstützer")
