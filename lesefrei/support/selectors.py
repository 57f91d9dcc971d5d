"""Reads of reader revenue: the campaign figure (cached), a pledge's next debit, a
reader's pledges, the data export, the staff figures and the debits of a SEPA file."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from lesefrei.cache import key

from . import schedule
from .models import (
    Campaign,
    Collection,
    CollectionReturn,
    CollectionRun,
    Interval,
    Pledge,
    Supporter,
)
from .sepa import Batch, Debit, sepa_text

# Pages showing the support box carry this cache tag, and the figure is kept under its
# version (lesefrei/cache/): services.progress_changed changes it.
CAMPAIGN_CACHE_TAG = "support:campaign"


def progress_cache_key() -> str:
    """The figure's cache key under the current version of the campaign's tag: a figure
    computed from old data before a change can only land under the old key."""
    return key(None, "support:campaign-progress", [CAMPAIGN_CACHE_TAG])


def active_campaign() -> Campaign | None:
    return Campaign.objects.filter(is_active=True).order_by("-created_at").first()


def count_active_supporters() -> int:
    """People with at least one active recurring pledge (what the campaign goal counts)."""
    return (
        Supporter.objects.filter(
            pledges__status=Pledge.Status.ACTIVE, pledges__interval__in=RECURRING
        )
        .distinct()
        .count()
    )


RECURRING = [i for i in Interval.values if i != Interval.ONCE]


def campaign_progress() -> dict[str, Any] | None:
    """What the support box shows; cached, and dropped by every service that starts or
    ends a pledge (services.progress_changed). Nothing personal in it."""
    kept_as = progress_cache_key()
    progress = cache.get(kept_as)
    if progress is None:
        campaign = active_campaign()
        if campaign is None:
            progress = {}
        else:
            count = count_active_supporters() + campaign.supporters_offset
            progress = {
                "heading": campaign.heading,
                "text": campaign.text,
                "minimum_text": campaign.minimum_text,
                "button_text": campaign.button_text,
                "goal": campaign.goal,
                "count": count,
                "percent": min(100, int(count * 100 / campaign.goal)),
            }
        cache.set(kept_as, progress, settings.SUPPORT_PROGRESS_CACHE_SECONDS)
    return progress or None


@dataclass(frozen=True)
class NextDebit:
    date: date
    amount: Decimal


def next_debit(pledge: Pledge) -> NextDebit | None:
    """The next debit not yet sent to the bank (for the pre-notification)."""
    if pledge.status != Pledge.Status.ACTIVE:
        return None
    last_exported = (
        Collection.objects.filter(pledge=pledge)
        .exclude(status=Collection.Status.PLANNED)
        .aggregate(last=Max("due_date"))["last"]
    )
    for due in schedule.iter_due_dates(pledge.anchor_date, pledge.collection_day, pledge.interval):
        if last_exported is None or due > last_exported:
            if pledge.ends_on and due > pledge.ends_on:
                return None
            when = due if schedule.is_target_day(due) else schedule.collection_date(due, due)
            return NextDebit(date=when, amount=pledge.amount)
        if not pledge.is_recurring:
            return None
    return None  # pragma: no cover


def pledges_of(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Pledge]:
    """A logged-in reader's pledges: those made while logged in, and those joined
    through the link mailed to the account's address (services.claim_pledge). Never
    those of the address alone: anyone can type anyone's address into the form."""
    if not user.is_authenticated:
        return Pledge.objects.none()
    return (
        Pledge.objects.filter(user=user)
        .select_related("supporter")
        .prefetch_related("mandates")
        .order_by("-created_at")
    )


def own_addresses(user: AbstractBaseUser) -> list[str]:
    """The account's login address and the addresses it confirmed (lower case)."""
    from allauth.account.models import EmailAddress

    confirmed = EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    )
    addresses = {a.strip().lower() for a in [user.email or "", *confirmed] if a}
    return sorted(addresses)


def unclaimed_pledges_of(user: AbstractBaseUser) -> QuerySet[Pledge]:
    """Pledges made with one of the account's addresses that no account holds yet: the
    reader may ask for a link to that address to join them (services.send_claim_links)."""
    return (
        Pledge.objects.filter(supporter__email__in=own_addresses(user), user__isnull=True)
        .select_related("supporter")
        .order_by("-created_at")
    )


def held_collections(limit: int = 200) -> QuerySet[Collection]:
    """Due collections the last run left out, with the reason (the collection day
    lists them until the supporter has given data the file can carry)."""
    return (
        Collection.objects.filter(status=Collection.Status.PLANNED)
        .exclude(hold_reason="")
        .select_related("pledge__supporter")
        .prefetch_related("pledge__mandates")
        .order_by("due_date", "pk")[:limit]
    )


def pledges_for_export(user: AbstractBaseUser) -> list[dict[str, Any]]:
    """A reader's pledges for their data export (accounts): no full IBAN, ever."""
    result = []
    for pledge in pledges_of(user).prefetch_related("collections"):
        result.append(
            {
                "amount": str(pledge.amount),
                "currency": "EUR",
                "interval": pledge.interval,
                "status": pledge.status,
                "started": pledge.created_at.isoformat(),
                "ended": pledge.ended_at.isoformat() if pledge.ended_at else None,
                "name": pledge.name,
                "email": pledge.supporter.email,
                "mandates": [
                    {
                        "reference": m.reference,
                        "account_holder": m.account_holder,
                        "iban": m.iban_masked,
                        "signed_on": m.signed_on.isoformat(),
                        "status": m.status,
                    }
                    for m in pledge.mandates.all()
                ],
                "collections": [
                    {
                        "due_date": c.due_date.isoformat(),
                        "amount": str(c.amount),
                        "status": c.status,
                    }
                    for c in pledge.collections.all()
                    if c.status != Collection.Status.PLANNED
                ],
            }
        )
    return result


# Staff figures ---------------------------------------------------------------------

MONTHLY_FACTOR = {
    Interval.MONTHLY: Decimal(1),
    Interval.QUARTERLY: Decimal(1) / 3,
    Interval.HALF_YEARLY: Decimal(1) / 6,
    Interval.YEARLY: Decimal(1) / 12,
}


def month_starts(months: int, today: date | None = None) -> list[date]:
    today = today or timezone.localdate()
    first = today.replace(day=1)
    return [schedule.add_months(first, -offset, 1) for offset in range(months - 1, -1, -1)]


def figures(months: int = 12) -> dict[str, Any]:
    """Month by month: active supporters at the month's end, monthly recurring revenue,
    new and cancelled pledges, and the return rate of the debits due that month."""
    campaign = active_campaign()
    rows = []
    for start in month_starts(months):
        end = schedule.add_months(start, 1, 1)
        end_dt = timezone.make_aware(timezone.datetime(end.year, end.month, end.day))
        start_dt = timezone.make_aware(timezone.datetime(start.year, start.month, start.day))
        alive = Q(created_at__lt=end_dt) & (Q(ended_at__isnull=True) | Q(ended_at__gte=end_dt))
        recurring = Pledge.objects.filter(alive, interval__in=RECURRING).exclude(
            status=Pledge.Status.PAUSED, updated_at__lt=end_dt
        )
        supporters = recurring.values("supporter").distinct().count()
        mrr = Decimal(0)
        for row in recurring.values("interval").annotate(total=Sum("amount")):
            mrr += row["total"] * MONTHLY_FACTOR[row["interval"]]
        new = Pledge.objects.filter(created_at__gte=start_dt, created_at__lt=end_dt).count()
        cancelled = Pledge.objects.filter(
            status=Pledge.Status.CANCELLED, ended_at__gte=start_dt, ended_at__lt=end_dt
        ).count()
        debits = (
            Collection.objects.filter(due_date__gte=start, due_date__lt=end)
            .exclude(status=Collection.Status.PLANNED)
            .aggregate(
                total=Count("pk"), returned=Count("pk", filter=Q(status=Collection.Status.RETURNED))
            )
        )
        rate = (debits["returned"] * 100 / debits["total"]) if debits["total"] else 0.0
        rows.append(
            {
                "month": start,
                "supporters": supporters + (campaign.supporters_offset if campaign else 0),
                "mrr": mrr.quantize(Decimal("0.01")),
                "new": new,
                "cancelled": cancelled,
                "debits": debits["total"],
                "returned": debits["returned"],
                "return_rate": round(rate, 1),
            }
        )
    return {"campaign": campaign, "rows": rows, "chart": supporters_chart(rows, campaign)}


def supporters_chart(rows: list[dict[str, Any]], campaign: Campaign | None) -> dict[str, Any]:
    """Coordinates of a server-rendered SVG line chart (no script): supporters per month
    against the campaign goal, in a 600×240 box."""
    width, height, left, bottom = 600, 240, 48, 24
    goal = campaign.goal if campaign else 0
    highest = max([*[r["supporters"] for r in rows], 1])
    # Far below the goal, a line drawn to the goal's scale would lie flat on the axis:
    # then the chart is scaled to the supporters and the goal is named above it.
    goal_in_scale = goal and highest * 4 >= goal
    top_value = max(goal, highest) if goal_in_scale else max(int(highest * 1.2), highest + 1)
    step = (width - left - 10) / max(len(rows) - 1, 1)

    def y(value: float) -> float:
        return round(height - bottom - (value / top_value) * (height - bottom - 10), 1)

    points = [
        {"x": round(left + i * step, 1), "y": y(r["supporters"]), "row": r}
        for i, r in enumerate(rows)
    ]
    return {
        "width": width,
        "height": height,
        "left": left,
        "baseline": height - bottom,
        "goal": goal,
        "goal_y": y(goal) if goal_in_scale else None,
        "top_value": top_value,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "points": points,
    }


def returns_summary(days: int = 90) -> QuerySet[CollectionReturn]:
    since = timezone.now() - timedelta(days=days)
    return CollectionReturn.objects.filter(created_at__gte=since).select_related(
        "collection__pledge__supporter"
    )


# The debits of a SEPA file ---------------------------------------------------------


def run_batches(run: CollectionRun) -> list[Batch]:
    """The payment information blocks of a run's file: number and sum of its debits per
    collection date and sequence type, in the order run_debits yields them."""
    rows = (
        Collection.objects.filter(run=run)
        .values_list("collection_date", "sequence_type")
        .annotate(count=Count("pk"), total=Sum("amount"))
        .order_by("collection_date", "sequence_type")
    )
    return [Batch(day, sequence, count, total) for day, sequence, count, total in rows]


DEBIT_FIELDS = (
    "end_to_end_id",
    "amount",
    "sequence_type",
    "collection_date",
    "due_date",
    "mandate__reference",
    "mandate__signed_on",
    "mandate__account_holder",
    "mandate__iban_encrypted",
    "mandate__bic",
    "mandate__street",
    "mandate__postcode",
    "mandate__town",
    "mandate__country",
)


def run_debits(
    run: CollectionRun, decrypt_iban: Callable[[str], str], *, chunk_size: int = 2000
) -> Iterator[Debit]:
    """Every debit of a run with its full IBAN, ordered by block (as run_batches), then
    due date. Read in chunks and decrypted one by one, so that a run of any size
    never sits in memory at once. Only the SEPA export calls this."""
    rows = (
        Collection.objects.filter(run=run)
        .order_by("collection_date", "sequence_type", "due_date", "pk")
        .values_list(*DEBIT_FIELDS)
    )
    remittance = f"Unterstuetzung {settings.WAGTAIL_SITE_NAME} {{:%m/%Y}} Mandat {{}}"
    for (
        end_to_end_id,
        amount,
        sequence_type,
        collection_date,
        due_date,
        reference,
        signed_on,
        account_holder,
        iban_encrypted,
        bic,
        street,
        postcode,
        town,
        country,
    ) in rows.iterator(chunk_size=chunk_size):
        yield Debit(
            end_to_end_id=end_to_end_id,
            amount=amount,
            sequence_type=sequence_type,
            collection_date=collection_date,
            mandate_reference=reference,
            mandate_signed_on=signed_on,
            debtor_name=account_holder,
            iban=decrypt_iban(iban_encrypted),
            bic=bic,
            remittance=remittance.format(due_date, reference),
            address=debtor_address(street, postcode, town, country),
        )


def debtor_address(street: str, postcode: str, town: str, country: str) -> dict[str, str]:
    """The address SEPA requires for debtors outside the EEA (asked for by the form only
    then); none without a town."""
    if not town:
        return {}
    address = {"town": sepa_text(town, 35), "country": country}
    if street:
        address["street_name"] = sepa_text(street, 70)
    if postcode:
        address["postcode"] = sepa_text(postcode, 16)
    return address
