"""The year's forecast assembled from the followed firms (toolkit.services.consolidation.outlook): what goes into
forecast.Firms, how the at-risk list's annual figure is read, what is calibrated on, and the per-firm and per-county
answers. A store of a few accepted returns stands in for the workspace's."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from toolkit.domain import forecast as F
from toolkit.domain.periods import Period
from toolkit.domain.register import Listing, ListRow, Source, Submitted
from toolkit.services.consolidation import outlook as O

SEP = Period(2022, 9)
COUNTIES = ["天元区", "攸县"]


class _Store:
    """Only what the outlook reads: the rows of each submission and the (absent) confirmed list."""

    def __init__(self, rows: dict[int, dict[str, list[ListRow]]]):
        self.submissions = SimpleNamespace(sourced_lists=lambda ids, keys: {
            sid: {key: rows.get(sid, {}).get(key, []) for key in keys} for sid in ids})
        self.register = SimpleNamespace(confirmed=lambda period: None)


def _pool(uscc, revenue, industry="3311", row=5):
    return ListRow("重点培育企业", row, uscc, f"企业{uscc[-3:]}", {"industry": industry, "revenue": revenue,
                                                             "spin_off": "否"})


def _risk(uscc, revenue, row=5):
    return ListRow("退规风险企业", row, uscc, f"风险{uscc[-3:]}", {"revenue": revenue})


def _code(i: int) -> str:
    return f"91430200MA4A{i:06d}"


def _entry(uscc, county, period, month):
    return Listing("entry", uscc, "新企业", county, period, month, "小升规", Source("f.xlsx", "", "新增入规企业", 5))


class _Year:
    """Accepted returns: (period, county, pool rows, at-risk rows, entries)."""

    def __init__(self):
        self.subs: list[Submitted] = []
        self.rows: dict[int, dict[str, list[ListRow]]] = {}

    def add(self, period, county, pool=(), at_risk=(), entries=()):
        sid = len(self.subs) + 1
        self.subs.append(Submitted(sid, county, period, f"{county}_{period}.xlsx", "", tuple(entries)))
        self.rows[sid] = {"pool": list(pool), "at_risk": list(at_risk), "ledger": []}
        return self

    def outlook(self, period=SEP, targets=None, commissioned=None):
        store = _Store(self.rows)
        policy = SimpleNamespace(county_names=COUNTIES, calendar=(),
                                 new_targets=targets or {"天元区": {2022: 10, 2023: 4}, "攸县": {2022: 5}})
        upto = [s for s in self.subs if s.period <= period]
        tracking = O.year_tracking(store, policy, period, upto)
        return O.year_outlook(store, policy, period, tracking, upto, {}, commissioned)


def test_a_pool_firms_series_is_its_revenue_at_each_reported_month_projected_straight_line_without_history():
    year = _Year().add(Period(2022, 3), "天元区", [_pool(_code(1), 500)]).add(Period(2022, 6), "天元区",
                                                                          [_pool(_code(1), 1000, row=7)])
    out = year.add(SEP, "天元区", [_pool(_code(1), 1506)]).outlook()
    assert not out.calibrated and "无法校准" in out.calibration
    [firm] = out.firms
    assert firm.ytd == ((Period(2022, 3), 500), (Period(2022, 6), 1000), (SEP, 1506))
    assert firm.basis == F.BASIS_LABELS[F.STRAIGHT]
    assert firm.point == pytest.approx(2008.0)  # 1506 at 1–9月 ÷ 9/12, the fallback's mean error is nil
    assert firm.low < 2000 < firm.high and 0.5 < firm.chance < 0.6
    assert firm.pass_month == Period(2022, 12)  # straight-line: the year-to-date reaches 2000 in December
    assert firm.route == F.ROUTE_LABELS[F.ROUTE_BATCH] and firm.kind == "培育库"
    assert firm.origin.file == "天元区_2022-09.xlsx"


def test_the_at_risk_lists_annual_figure_is_read_as_the_years_level_not_as_year_to_date():
    out = _Year().add(SEP, "天元区", at_risk=[_risk(_code(1), 1800), _risk(_code(2), 2900)]).outlook()
    low, high = out.firms
    assert low.point == pytest.approx(1800) and high.point == pytest.approx(2900)  # not ×12/9
    assert low.basis == O.RISK_BASIS and low.kind == "风险库" and low.pass_month is None
    assert low.chance > 0.5 > high.chance  # the chance of ending the year under 2000 万元
    city = out.counties[-1]
    assert city.exits.expected == pytest.approx(low.chance + high.chance)


def test_firms_that_left_are_not_forecast_and_entries_so_far_come_from_the_accepted_lists():
    entered = _code(2)
    year = _Year().add(Period(2022, 6), "天元区", [_pool(_code(1), 900), _pool(entered, 1900, row=6)])
    year.add(SEP, "天元区", [_pool(entered, 2100)], entries=[_entry(entered, "天元区", SEP, SEP),
                                                          _entry(_code(3), "天元区", SEP, Period(2022, 1))])
    out = year.outlook()
    assert [f.uscc for f in out.firms] == [entered]  # the first left the pool in September
    assert out.firms[0].route == O.IN_REGISTER
    tianyuan, youxian, city = out.counties
    assert (tianyuan.county, tianyuan.entries_so_far, tianyuan.target, tianyuan.next_target) == ("天元区", 2, 10, 4)
    assert tianyuan.pipeline.expected == 0  # in the register already: not next year's 小升规 again
    assert (youxian.entries_so_far, youxian.next_target, youxian.coverage) == (0, None, None)
    assert (city.county, city.entries_so_far, city.target) == ("全市", 2, 15)


def test_last_years_december_returns_calibrate_when_enough_firms_have_a_year():
    year = _Year()
    last = [_pool(_code(i), 1000 + 40 * i, row=5 + i) for i in range(25)]
    for month in (3, 6, 9, 12):
        year.add(Period(2021, month), "天元区", [r._replace(values={**r.values, "revenue": r.values["revenue"] *
                                                                  month / 12 * (1 + 0.01 * (i % 5))})
                                                for i, r in enumerate(last)])
    out = year.add(SEP, "天元区", [_pool(_code(1), 1500)]).outlook()
    assert out.calibrated and "2021年" in out.calibration and "25 家" in out.calibration
    few = _Year().add(Period(2021, 12), "天元区", last[:F.MIN_CALIBRATION - 1]).add(SEP, "天元区", [_pool(_code(1), 1500)])
    assert not few.outlook().calibrated and f"只有 {F.MIN_CALIBRATION - 1} 家" in few.outlook().calibration


def test_a_commissioned_firm_is_a_new_build_that_can_enter_this_year():
    year = _Year().add(SEP, "天元区", [_pool(_code(1), 1800)])
    out = year.outlook(commissioned={_code(1): dt.date(2022, 3, 15)})
    assert out.firms[0].route == F.ROUTE_LABELS[F.ROUTE_MONTHLY]
    assert out.counties[0].further.expected > 0.5 and out.counties[0].pipeline.expected == 0
    plain = year.outlook()
    assert plain.counties[0].further.expected == 0 and plain.counties[0].pipeline.expected > 0.5


def test_january_is_not_a_statistics_month():
    out = _Year().add(Period(2022, 1), "天元区", [_pool(_code(1), 100)]).outlook(Period(2022, 1))
    assert out.counties == [] and out.firms == [] and "1月不是统计月份" in out.calibration


def test_a_firm_without_revenue_is_counted_as_without_data():
    out = _Year().add(SEP, "攸县", [_pool(_code(1), None)]).outlook()
    assert out.firms[0].point is None and out.firms[0].basis == F.BASIS_LABELS[F.NO_DATA]
    assert [c.without_data for c in out.counties] == [0, 1, 1]
    assert out.firms[0].chance is None


def test_nothing_of_an_at_risk_firms_annual_figure_counts_as_booked_late_in_the_year():
    # 2900 × 11/12 = 2658 would be "already over 2000" if the figure were read as booked: it is a level
    nov = Period(2022, 11)
    out = _Year().add(nov, "天元区", at_risk=[_risk(_code(1), 2900)]).outlook(nov)
    [firm] = out.firms
    assert 0 < firm.chance < 0.01 and firm.low < 2900 * 11 / 12 < firm.point == pytest.approx(2900)
    assert out.counties[-1].exits.expected == pytest.approx(firm.chance, abs=1e-6)


def _project(uscc, revenue, actual=None, planned="2022-06", row=5):
    return ListRow("重点项目", row, uscc, f"企业{uscc[-3:]}", {"project": f"项目{uscc[-3:]}", "industry": "3484",
                                                           "planned_month": planned, "actual_month": actual,
                                                           "revenue": revenue})


def test_a_producing_project_on_the_list_is_a_new_build_that_can_enter_this_year():
    year = _Year().add(SEP, "天元区", pool=[_pool(_code(9), 1500)])
    year.rows[1]["projects"] = [_project(_code(1), 1900, actual="2022-04"), _project(_code(2), None, row=6),
                                _project(_code(3), 1900, actual="2021-06", row=7),  # before last October: 小升规
                                _project(_code(9), 1500, actual="2022-02", row=8)]  # the pool firm itself
    out = year.outlook()
    firms = {f.uscc: f for f in out.firms}
    assert [firms[c].kind for c in (_code(1), _code(2), _code(3), _code(9))] == ["重点项目", "重点项目", "重点项目", "培育库"]
    assert firms[_code(1)].route == F.ROUTE_LABELS[F.ROUTE_MONTHLY]  # 1900 by 1–9月 from April: it gets there
    assert firms[_code(1)].point > 1900 / (6 / 9) * 0.99  # counted from April: six months of nine booked
    assert firms[_code(3)].route == F.ROUTE_LABELS[F.ROUTE_BATCH]
    assert firms[_code(9)].route == F.ROUTE_LABELS[F.ROUTE_MONTHLY]  # the pool firm is the project: a new build
    assert firms[_code(2)].point is None and out.counties[0].without_data == 1  # not producing yet: not forecast
    tianyuan = out.counties[0]
    assert tianyuan.further.expected == pytest.approx(firms[_code(1)].chance + firms[_code(9)].chance)
    assert tianyuan.pipeline.expected == pytest.approx(firms[_code(3)].chance)
