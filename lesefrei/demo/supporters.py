"""Demo data of reader revenue, loaded by `manage.py load_demo_content` after the articles:
the campaign, a finance login, supporters with well-known test IBANs (no real account),
a past collection run and collections due soon. Safe to run twice: every pledge has a
fixed form token, so a second run finds the first run's pledges."""

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from lesefrei.support import schedule, services
from lesefrei.support.banking import check_iban
from lesefrei.support.models import Campaign, CollectionRun, Mandate, Pledge

from .logins import DEMO_PASSWORD, demo_staff_login

FINANCE_LOGIN = ("finanzen", "Fiona Finanzen", DEMO_PASSWORD)
DEMO_NAMESPACE = uuid.UUID("5b0c1a4e-8d4f-4c63-9a55-6c1f3f7b2e10")

# name, e-mail, amount, interval, IBAN (public test IBANs), months ago, address
DEMO_SUPPORTERS = [
    ("Jana Oberländer", "jana@example.org", "10", "monthly", "DE89370400440532013000", 5, {}),
    ("Mehmet Aydın", "mehmet@example.org", "5", "monthly", "DE02120300000000202051", 4, {}),
    ("Sophie Wagner", "sophie@example.org", "15", "monthly", "DE12500105170648489890", 3, {}),
    ("Lukas Brandt", "lukas@example.org", "25", "quarterly", "DE02100100100006820101", 6, {}),
    ("Anna Gruber", "anna@example.org", "60", "yearly", "AT611904300234573201", 2, {}),
    (
        "Reto Keller",
        "reto@example.org",
        "12.50",
        "monthly",
        "CH9300762011623852957",
        3,
        {"street": "Bahnhofstrasse 1", "postcode": "8001", "town": "Zürich", "country": "CH"},
    ),
    (
        "Olivia Hughes",
        "olivia@example.org",
        "8",
        "monthly",
        "GB29NWBK60161331926819",
        1,
        {"town": "London", "country": "GB"},
    ),
    ("Claire Martin", "claire@example.org", "50", "once", "FR1420041010050500013M02606", 0, {}),
]


def load(out: TextIO) -> None:
    with transaction.atomic():
        if not Campaign.objects.filter(is_active=True).exists():
            Campaign.objects.create(title="50.000 Unterstützerinnen und Unterstützer")
        create_finance_login()
        today = timezone.localdate()
        for name, email, amount, interval, iban, months_ago, address in DEMO_SUPPORTERS:
            pledge, created = services.start_pledge(
                form_token=uuid.uuid5(DEMO_NAMESPACE, email),
                amount=Decimal(amount),
                interval=interval,
                name=name,
                email=email,
                account_holder=name,
                iban=check_iban(iban),
                address=address,
                notify=False,
            )
            if created and months_ago:
                backdate(pledge, schedule.add_months(today, -months_ago, today.day))
        if not CollectionRun.objects.exists():
            last_month = schedule.add_months(today, -1, today.day)
            services.export_due_collections(last_month, on=last_month - timedelta(days=3))
        services.plan_collections(today + timedelta(days=14))
    out.write(
        f"Unterstützung: {Pledge.objects.count()} Zusagen, "
        f"{CollectionRun.objects.count()} Einzugslauf/-läufe; Finanzen-Login "
        f"{FINANCE_LOGIN[0]} / {FINANCE_LOGIN[2]}\n"
    )


def backdate(pledge: Pledge, signed_on) -> None:
    """Demo only: let a pledge have started months ago, so there is history to show."""
    started = timezone.make_aware(
        timezone.datetime.combine(signed_on, timezone.datetime.min.time())
    )
    first_due = services.earliest_due_date(signed_on)
    Pledge.objects.filter(pk=pledge.pk).update(
        created_at=started, anchor_date=first_due, collection_day=first_due.day
    )
    Mandate.objects.filter(pledge=pledge).update(signed_on=signed_on)


def create_finance_login() -> None:
    username, name, _ = FINANCE_LOGIN
    demo_staff_login(username, name, ["Finanzen"])
