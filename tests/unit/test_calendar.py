"""The reporting calendar (报送日历): which period is due on a given day."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.domain.calendar import ReportingPeriod, due_period
from toolkit.domain.periods import Period

QUARTERLY = tuple(ReportingPeriod(Period(y, m), dt.date(y + (m == 12), m % 12 + 1, 8), 3)
                  for y in (2022, 2023) for m in (3, 6, 9, 12))


@pytest.mark.parametrize("today, due", [
    (dt.date(2022, 3, 31), None),  # the first period has not ended
    (dt.date(2022, 4, 1), Period(2022, 3)),
    (dt.date(2022, 7, 3), Period(2022, 6)),  # before its due date: still the period being reported
    (dt.date(2022, 7, 20), Period(2022, 6)),  # past its due date, the next not ended: still the one due
    (dt.date(2023, 1, 2), Period(2022, 12)),
    (dt.date(2024, 3, 1), Period(2023, 12)),  # within three months of the last due date
    (dt.date(2024, 6, 1), None),  # the calendar has run out: no stale answer
])
def test_the_period_due(today, due):
    assert due_period(QUARTERLY, today) == due


def test_no_calendar_no_answer():
    assert due_period((), dt.date(2022, 7, 1)) is None


@pytest.mark.parametrize("due, days, deadline", [
    (dt.date(2022, 7, 8), 3, dt.date(2022, 7, 13)),  # a Friday: the weekend does not count
    (dt.date(2022, 4, 6), 3, dt.date(2022, 4, 11)),  # Wednesday + 3 working days
    (dt.date(2022, 4, 9), 1, dt.date(2022, 4, 11)),  # due on a Saturday: the next Monday
    (dt.date(2022, 4, 8), 0, dt.date(2022, 4, 8)),  # no resubmission time
])
def test_the_resubmission_deadline_counts_working_days(due, days, deadline):
    assert ReportingPeriod(Period(2022, 6), due, days).deadline == deadline

