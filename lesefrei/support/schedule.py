"""Due dates of pledges, as plain functions (no database), tested with hypothesis.

A schedule is (anchor, day, interval): the first due date `anchor`, then every
`interval` months on `day` of the month, clamped to the month's last day (a monthly
pledge from 31 January is due on 28/29 February, 31 March, 30 April …). Keeping `day`
apart from `anchor` is what stops a clamped date from shifting later ones.
"""

import calendar
from collections.abc import Iterator
from datetime import date, timedelta

MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


def clamped(year: int, month: int, day: int) -> date:
    """`day` of the month, or the month's last day when it is shorter."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def add_months(anchor: date, months: int, day: int) -> date:
    index = anchor.year * 12 + anchor.month - 1 + months
    return clamped(index // 12, index % 12 + 1, day)


def iter_due_dates(anchor: date, day: int, interval: str) -> Iterator[date]:
    """Every due date of a schedule, in order (one date for a one-off pledge)."""
    if interval == "once":
        yield anchor
        return
    step = MONTHS[interval]
    number = 0
    while True:
        yield add_months(anchor, number * step, day)
        number += 1


def due_dates(
    anchor: date, day: int, interval: str, *, until: date, ends_on: date | None = None
) -> list[date]:
    """The due dates up to `until`, none after `ends_on` (the day a pledge ended)."""
    last = min(until, ends_on) if ends_on else until
    result = []
    for due in iter_due_dates(anchor, day, interval):
        if due > last:
            break
        result.append(due)
    return result


def first_due_date(signed_on: date, notice_days: int) -> date:
    """The first debit: the pre-notification period after signing the mandate."""
    return signed_on + timedelta(days=notice_days)


def next_anchor(
    anchor: date, day: int, interval: str, new_interval: str, *, not_before: date
) -> date:
    """Where a changed or resumed schedule starts: the first date of the old schedule on
    or after `not_before`, so the supporter keeps their rhythm and no date is repeated
    (`not_before` lies after everything already exported) or skipped without reason.
    A one-off schedule restarts at `not_before`."""
    if interval == "once" or new_interval == "once":
        return max(anchor, not_before)
    for due in iter_due_dates(anchor, day, interval):
        if due >= not_before:
            return due
    raise AssertionError("unreachable: schedules are endless")  # pragma: no cover


TARGET_FIXED_HOLIDAYS = {(1, 1), (5, 1), (12, 25), (12, 26)}


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    weekday_offset = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_offset) // 451
    month, day = divmod(h + weekday_offset - 7 * m + 114, 31)
    return date(year, month, day + 1)


def is_target_day(day: date) -> bool:
    """SEPA debits settle on TARGET2 business days only."""
    if day.weekday() >= 5 or (day.month, day.day) in TARGET_FIXED_HOLIDAYS:
        return False
    easter = easter_sunday(day.year)
    return day not in {easter - timedelta(days=2), easter + timedelta(days=1)}


def collection_date(due: date, today: date) -> date:
    """The date to request from the bank: the due date, or the next business day when
    it falls on a holiday or lies already in the past (a late run)."""
    candidate = max(due, today + timedelta(days=1))
    while not is_target_day(candidate):
        candidate += timedelta(days=1)
    return candidate
