"""The two dates every pledge and collection run counts from: today in the site's time
zone, and the earliest day a new or changed debit may be due."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from .. import schedule


def today() -> date:
    """Today in the site's time zone."""
    return timezone.localdate()


def earliest_due_date(day: date | None = None) -> date:
    """The earliest date a new or changed debit may be due: the pre-notification period
    from now, moved to the next bank business day."""
    first = schedule.first_due_date(day or today(), settings.SUPPORT_PRENOTIFICATION_DAYS)
    while not schedule.is_target_day(first):
        first += timedelta(days=1)
    return first
