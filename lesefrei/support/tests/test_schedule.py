"""The due-date rules as plain functions: month-end clamping, and (hypothesis) that
changes, pauses and cancellations never skip, repeat or overrun a due date."""

import itertools
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lesefrei.support import schedule

INTERVALS = ["monthly", "quarterly", "half_yearly", "yearly"]


def test_monthly_from_31_january_clamps_to_month_end_and_comes_back():
    dates = schedule.due_dates(date(2028, 1, 31), 31, "monthly", until=date(2028, 6, 30))
    assert dates == [
        date(2028, 1, 31),
        date(2028, 2, 29),
        date(2028, 3, 31),
        date(2028, 4, 30),
        date(2028, 5, 31),
        date(2028, 6, 30),
    ]


def test_quarterly_half_yearly_yearly_and_one_off():
    start = date(2027, 8, 31)
    assert schedule.due_dates(start, 31, "quarterly", until=date(2028, 6, 1)) == [
        date(2027, 8, 31),
        date(2027, 11, 30),
        date(2028, 2, 29),
        date(2028, 5, 31),
    ]
    assert schedule.due_dates(start, 31, "half_yearly", until=date(2028, 9, 1)) == [
        date(2027, 8, 31),
        date(2028, 2, 29),
        date(2028, 8, 31),
    ]
    leap = date(2028, 2, 29)
    assert schedule.due_dates(leap, 29, "yearly", until=date(2032, 3, 1)) == [
        date(2028, 2, 29),
        date(2029, 2, 28),
        date(2030, 2, 28),
        date(2031, 2, 28),
        date(2032, 2, 29),
    ]
    assert schedule.due_dates(start, 31, "once", until=date(2030, 1, 1)) == [start]


def test_nothing_after_the_end():
    dates = schedule.due_dates(
        date(2027, 1, 15), 15, "monthly", until=date(2027, 12, 31), ends_on=date(2027, 4, 14)
    )
    assert dates[-1] == date(2027, 3, 15)


def test_collection_date_skips_weekends_and_target_holidays():
    assert schedule.collection_date(date(2026, 12, 25), date(2026, 12, 1)) == date(2026, 12, 28)
    assert schedule.collection_date(date(2027, 3, 26), date(2027, 3, 1)) == date(2027, 3, 30)
    # Good Friday 2027 is 26 March, Easter Monday 29 March.
    assert not schedule.is_target_day(date(2027, 3, 26))
    assert not schedule.is_target_day(date(2027, 3, 29))
    assert [schedule.easter_sunday(y) for y in (2024, 2025, 2027, 2038)] == [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2027, 3, 28),
        date(2038, 4, 25),
    ]
    # A late run never asks for a date in the past.
    assert schedule.collection_date(date(2026, 11, 2), date(2026, 11, 20)) == date(2026, 11, 23)


operations = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=400),  # days until the operation
        st.sampled_from(["change", "pause", "resume", "cancel"]),
        st.sampled_from([*INTERVALS, "once"]),
    ),
    max_size=8,
)


class Simulation:
    """A pledge driven through the plain functions the services use: collection runs
    every day up to a horizon, operations in between."""

    def __init__(self, start: date, interval: str, notice: int = 14) -> None:
        self.anchor = start
        self.day = start.day
        self.interval = interval
        self.notice = notice
        self.active = True
        self.ends_on: date | None = None
        self.exported: list[date] = []
        self.export_days: list[date] = []
        self.completed = False
        self.segments: list[tuple[date, int, str, date, date | None]] = []
        self.segment_start = start

    def run_until(self, today: date) -> None:
        """Export everything due up to today + notice (as the monthly run would)."""
        if not self.active:
            return
        horizon = today + timedelta(days=self.notice)
        last = self.exported[-1] if self.exported else None
        for due in schedule.due_dates(
            self.anchor, self.day, self.interval, until=horizon, ends_on=self.ends_on
        ):
            if last is None or due > last:
                self.exported.append(due)
                self.export_days.append(today)
                if self.interval == "once":
                    self.completed = True

    def not_before(self, today: date) -> date:
        earliest = today + timedelta(days=self.notice)
        if self.exported:
            return max(earliest, self.exported[-1] + timedelta(days=1))
        return max(earliest, self.anchor) if self.interval == "once" else earliest

    def close_segment(self, today: date) -> None:
        self.segments.append((self.anchor, self.day, self.interval, self.segment_start, today))

    def apply(self, today: date, operation: str, new_interval: str) -> None:
        horizon_before = today + timedelta(days=self.notice)
        if self.completed:
            return  # a one-off pledge that was collected is over (services refuse changes)
        if operation == "change" and self.active:
            self.close_segment(horizon_before)
            self.anchor = schedule.next_anchor(
                self.anchor,
                self.day,
                self.interval,
                new_interval,
                not_before=self.not_before(today),
            )
            self.interval = new_interval
            self.segment_start = self.anchor
        elif operation == "pause" and self.active:
            self.close_segment(horizon_before)
            self.active = False
        elif operation == "resume" and not self.active and self.ends_on is None:
            self.anchor = schedule.next_anchor(
                self.anchor,
                self.day,
                self.interval,
                self.interval,
                not_before=self.not_before(today),
            )
            self.active = True
            self.segment_start = self.anchor
        elif operation == "cancel" and self.ends_on is None:
            if self.active:
                self.close_segment(horizon_before)
            self.ends_on = today
            self.active = False


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2032, 12, 31)),
    interval=st.sampled_from([*INTERVALS, "once"]),
    ops=operations,
)
def test_schedule_never_skips_repeats_or_overruns_a_due_date(start, interval, ops):
    simulation = Simulation(start, interval)
    today = start - timedelta(days=14)
    cancelled_on = None
    for offset, operation, new_interval in ops:
        for _ in range(offset):
            today += timedelta(days=1)
            simulation.run_until(today)
        simulation.apply(today, operation, new_interval)
        if operation == "cancel" and cancelled_on is None:
            cancelled_on = today
    end = today + timedelta(days=800)
    while today < end:
        today += timedelta(days=31)
        simulation.run_until(today)
    if simulation.active or simulation.completed:
        simulation.close_segment(today + timedelta(days=14))

    exported = simulation.exported
    # None twice, in order.
    assert exported == sorted(set(exported))
    # None after a cancellation: nothing is sent to the bank after the day it was
    # cancelled, and only debits already announced (within the notice period) remain.
    if cancelled_on is not None:
        assert all(day <= cancelled_on for day in simulation.export_days)
        assert all(d <= cancelled_on + timedelta(days=14) for d in exported)
    # None missing: within every stretch the pledge ran unchanged, every date of its
    # schedule was exported, and nothing outside any stretch was.
    expected: list[date] = []
    for anchor, day, segment_interval, from_date, to_date in simulation.segments:
        for due in schedule.due_dates(anchor, day, segment_interval, until=to_date):
            if due >= from_date:
                expected.append(due)
    assert exported == sorted(set(expected))


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2040, 12, 31)),
    interval=st.sampled_from(INTERVALS),
)
def test_every_due_date_keeps_the_day_of_the_month_or_the_months_last_day(start, interval):
    dates = schedule.due_dates(start, start.day, interval, until=start + timedelta(days=3 * 366))
    step = schedule.MONTHS[interval]
    for previous, current in itertools.pairwise(dates):
        months = (current.year - previous.year) * 12 + current.month - previous.month
        assert months == step
        assert current.day == min(
            start.day, (schedule.add_months(current, 1, 1) - timedelta(days=1)).day
        )
