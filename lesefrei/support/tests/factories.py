"""Small builders for support tests, all through the services the site uses."""

import uuid
from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from lesefrei.support import services
from lesefrei.support.banking import check_iban
from lesefrei.support.models import Collection, Pledge

_sequence = count(1)

TEST_IBANS = [
    "DE89370400440532013000",
    "DE02120300000000202051",
    "DE12500105170648489890",
    "DE02100100100006820101",
    "AT611904300234573201",
    "NL91ABNA0417164300",
]


def pledge(
    amount: str | Decimal = "10",
    interval: str = "monthly",
    *,
    email: str | None = None,
    iban: str = "DE89370400440532013000",
    address: dict[str, str] | None = None,
    **kwargs: Any,
) -> Pledge:
    number = next(_sequence)
    created, _ = services.start_pledge(
        form_token=uuid.uuid4(),
        amount=Decimal(amount),
        interval=interval,
        name=f"Leserin {number}",
        email=email or f"leserin{number}@example.org",
        account_holder=f"Leserin {number}",
        iban=check_iban(iban),
        address=address or {},
        **kwargs,
    )
    return created


def exported_collections(number: int, amount: str = "10") -> list[Collection]:
    """`number` pledges, each with one exported first debit."""
    pledges = [pledge(amount, iban=TEST_IBANS[i % len(TEST_IBANS)]) for i in range(number)]
    until = max(p.anchor_date for p in pledges)
    services.export_due_collections(until)
    return list(Collection.objects.filter(pledge__in=pledges).order_by("pk"))


def rename(collection: Collection, end_to_end_id: str) -> Collection:
    """Give an exported collection the reference a hand-written bank file uses."""
    Collection.objects.filter(pk=collection.pk).update(end_to_end_id=end_to_end_id)
    collection.refresh_from_db()
    return collection


def day(text: str) -> date:
    return date.fromisoformat(text)
