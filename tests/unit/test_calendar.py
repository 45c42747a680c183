"""The reporting calendar (报送日历): which period is due on a given day."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.domain.calendar import MONTHLY
from toolkit.domain.calendar import QUARTERLY as QUARTER_END
from toolkit.domain.calendar import (Reminder, ReportingPeriod, WorkingDays, assessed, due_period, entry_for,
                                    open_until, reminders_of)
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



# 2022 National Day: 10-01 to 10-07 off, Saturday 10-08 and Sunday 10-09 worked (调休); 中秋 09-10 to 09-12
NATIONAL_DAY_2022 = WorkingDays(
    holidays=frozenset(dt.date(2022, 10, d) for d in range(1, 8)) | {dt.date(2022, 9, d) for d in (10, 11, 12)},
    workdays=frozenset({dt.date(2022, 10, 8), dt.date(2022, 10, 9)}))


@pytest.mark.parametrize("due, days, deadline", [
    (dt.date(2022, 10, 8), 3, dt.date(2022, 10, 11)),  # due on a worked Saturday; Sunday 10-09 is worked too
    (dt.date(2022, 9, 30), 1, dt.date(2022, 10, 8)),  # the whole holiday week does not count
    (dt.date(2022, 9, 9), 1, dt.date(2022, 9, 13)),  # Friday before 中秋: Monday 09-12 is a holiday
])
def test_holidays_and_adjusted_weekends_count_as_the_state_council_set_them(due, days, deadline):
    assert ReportingPeriod(Period(2022, 9), due, days, NATIONAL_DAY_2022).deadline == deadline
    # without the 节假日 sheet the same dates count Monday to Friday only
    assert ReportingPeriod(Period(2022, 9), due, days).deadline != deadline


@pytest.mark.parametrize("start, days, end", [
    (dt.date(2022, 9, 26), 5, dt.date(2022, 9, 30)),  # the start day counts
    (dt.date(2022, 9, 28), 5, dt.date(2022, 10, 9)),  # 28, 29, 30, then the worked Saturday and Sunday
    (dt.date(2022, 10, 1), 1, dt.date(2022, 10, 8)),  # starting on a holiday: the first working day after it
])
def test_a_display_period_of_working_days_counts_from_its_first_day(start, days, end):
    assert NATIONAL_DAY_2022.span_end(start, days) == end


# --- boundaries (#35) --------------------------------------------------------------------------------------------
LAST_DUE = dt.date(2024, 1, 8)  # 2023-12's due date, the calendar's last


@pytest.mark.parametrize("days_after, due", [(91, Period(2023, 12)), (92, Period(2023, 12)), (93, None)])
def test_the_calendar_runs_out_ninety_two_days_after_its_last_due_date(days_after, due):
    assert due_period(QUARTERLY, LAST_DUE + dt.timedelta(days=days_after)) == due


def test_a_period_ends_on_its_months_last_day_and_is_due_the_day_after():
    assert due_period(QUARTERLY, dt.date(2022, 6, 30)) == Period(2022, 3)
    assert due_period(QUARTERLY, dt.date(2022, 7, 1)) == Period(2022, 6)
    assert ReportingPeriod(Period(2024, 2), dt.date(2024, 3, 8), 3).ends == dt.date(2024, 2, 29)


def test_an_earlier_period_is_never_stale_while_a_later_one_is_listed():
    """A calendar of 2022-03 and 2022-12 only: in November 2022, 2022-03 is long past its due date, yet it is
    the one due (the calendar has not run out; only its last period goes stale)."""
    sparse = (QUARTERLY[0], QUARTERLY[3])
    assert due_period(sparse, dt.date(2022, 11, 1)) == Period(2022, 3)


@pytest.mark.parametrize("day, until", [(dt.date(2022, 7, 12), dt.date(2022, 7, 13)),
                                        (dt.date(2022, 7, 13), dt.date(2022, 7, 13)),  # the deadline day itself
                                        (dt.date(2022, 7, 14), None)])
def test_a_period_is_open_until_its_deadline_day_inclusive(day, until):
    assert open_until(QUARTERLY, Period(2022, 6), day) == until


def test_a_period_the_calendar_does_not_list_has_no_deadline():
    assert entry_for(QUARTERLY, Period(2022, 5)) is None
    assert open_until(QUARTERLY, Period(2022, 5), dt.date(2022, 6, 1)) is None
    assert entry_for(QUARTERLY, Period(2022, 6)).due == dt.date(2022, 7, 8)


def test_the_reminders_that_named_a_county_up_to_a_day_oldest_first():
    second = Reminder(dt.date(2022, 7, 12), "株工信函〔2022〕3号", ("攸县",))
    first = Reminder(dt.date(2022, 7, 10), "株工信函〔2022〕2号", ("攸县", "炎陵县"))
    other = Reminder(dt.date(2022, 7, 9), "株工信函〔2022〕1号", ("茶陵县",))
    reminders = [second, other, first]
    assert reminders_of(reminders, "攸县", None) == [first, second]
    assert reminders_of(reminders, "攸县", dt.date(2022, 7, 12)) == [first, second]  # issued on the day: counted
    assert reminders_of(reminders, "攸县", dt.date(2022, 7, 11)) == [first]
    assert reminders_of(reminders, "炎陵县", dt.date(2022, 7, 9)) == []
    assert reminders_of(reminders, "芦淞区", None) == []


def test_a_period_is_a_quarterly_report_unless_marked_a_monthly_dispatch():
    june = ReportingPeriod(Period(2022, 6), dt.date(2022, 7, 8), 3)
    july = ReportingPeriod(Period(2022, 7), dt.date(2022, 8, 5), 3, kind=MONTHLY)
    assert (june.kind, june.assessed, july.assessed) == (QUARTER_END, True, False)
    calendar = (june, july)
    assert [assessed(calendar, Period(2022, m)) for m in (6, 7, 8)] == [True, False, True]  # 8: not in the calendar
    # a monthly period is due, reminded and closed like a quarterly one
    assert due_period(calendar, dt.date(2022, 8, 2)) == Period(2022, 7)
    assert open_until(calendar, Period(2022, 7), dt.date(2022, 8, 10)) == dt.date(2022, 8, 10)
    assert open_until(calendar, Period(2022, 7), dt.date(2022, 8, 11)) is None
