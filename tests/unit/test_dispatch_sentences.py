"""The monthly 调度通报's sentences (#37), one table per family: the forecast in plain words with its range (short,
over, unknown), the counties whose forecast falls short named with their facts, the problem ledger by 交办单位
(none overdue, some), the pool firms to push and the at-risk firms without measures — and never a word of
criticism: the forecast is facts, criticism stays the policy's rule on quarter-end reports."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.domain.figures import ACCEPTED, MISSING, CityFigures, CountyFigures
from toolkit.domain.forecast import CountyOutlook, Range
from toolkit.domain.period_summary import PeriodSummary
from toolkit.domain.periods import Period
from toolkit.domain.pipeline import (AT_THRESHOLD, WITHOUT_MEASURES, LedgerItem, Origin, Pipeline, PoolRow, RiskRow,
                                     unit_tallies)
from toolkit.domain.tracking import ENTERED, REMOVED, ProjectTrack, Sighting, Tracking, YearOutlook
from toolkit.services.dispatch import (count_range, forecast_city, forecast_counties, next_steps, overdue_units,
                                       pool_push, projects_text, rate_range, rows)
from toolkit.services.notices import documents_of

AUGUST = Period(2022, 8)
WHERE = Origin("f.xlsx", "问题台账", 5)
BLAME = ("批评", "推进不力", "问责", "约谈")


def _county(name: str, so_far: int, added: tuple[float, float, float], target: int | None) -> CountyOutlook:
    r = Range(*added)
    rate = Range(r.expected / target, r.low / target, r.high / target) if target else None
    zero = Range(0.0, 0.0, 0.0)
    return CountyOutlook(name, so_far, Range(r.expected - so_far, r.low - so_far, r.high - so_far), 1,
                         Range(3.0, 1.0, 5.0), r, r, target, rate, zero, None, None, 0)


def _outlook(counties: list[CountyOutlook], city: CountyOutlook | None = None, calibrated: bool = True,
             month: int = 8) -> YearOutlook:
    city = city or _county("全市", 40, (52.0, 46.0, 58.0), 60)
    return YearOutlook(Period(2022, month), month, calibrated, "", counties + [city])


SHORT = _county("芦淞区", 6, (9.2, 7.0, 11.0), 18)  # even the upper end under the target
CLOSE = _county("攸县", 30, (38.6, 34.0, 44.0), 42)  # short on the point, the target within the range
OVER = _county("荷塘区", 16, (20.4, 18.0, 23.0), 18)


def _clean(text: str) -> None:
    assert not any(word in text for word in BLAME), text


# --- a count and a rate with their range, as the text says them
@pytest.mark.parametrize("r, said", [
    (Range(12.6, 10.0, 15.0), "约13家（大约在10—15家之间）"),
    (Range(12.5, 12.0, 13.0), "约13家（大约在12—13家之间）"),  # half up, not to even
    (Range(222.0, 222.0, 222.0), "222家"),  # nothing more expected: a single number, not “约”
])
def test_a_count_is_said_with_its_range(r, said):
    assert count_range(r) == said
    assert count_range(r, brief=True) == said.replace("大约在", "").replace("之间", "")


@pytest.mark.parametrize("r, said", [(Range(0.86, 0.734, 0.881), "73%—88%"), (Range(0.85, 0.854, 0.854), "85%")])
def test_a_rate_is_said_with_its_range(r, said):
    assert rate_range(r) == said


# --- the city's forecast: in plain words, with the range, said to be a forecast
@pytest.mark.parametrize("outlook, reported, said, not_said", [
    (_outlook([OVER, SHORT]), {"荷塘区", "芦淞区"},
     "按目前进度预计全市全年新增约52家（大约在46—58家之间），完成年度目标的77%—97%；预计全年退库约3家（大约在1—5家之间）。"
     "以上为依据报表数据所作的预测，不是计划数字，也不作为考核依据。", "未作预测"),
    (_outlook([OVER, SHORT]), {"荷塘区"}, "芦淞区本年尚无已受理的报表，未作预测，上述预测未计入其进展，但其年度目标计入全市目标。",
     "芦淞区已入库"),
    (_outlook([OVER], calibrated=False), {"荷塘区"}, "因缺少上年逐月数据校准，预测区间偏宽。", "不是计划数字。"),
    (_outlook([OVER], city=_county("全市", 40, (52.0, 46.0, 58.0), None)), {"荷塘区"},
     "按目前进度预计全市全年新增约52家（大约在46—58家之间）；", "完成年度目标"),
    (_outlook([OVER], city=_county("全市", 40, (40.0, 40.0, 40.0), 60)), {"荷塘区"},
     "预计全市全年新增40家，完成年度目标的67%；预计全年退库约3家（大约在1—5家之间）。各县市区报表中暂无预计年内可达到规模标准的"
     "新建投产企业，全年新增按已入库数预计。", "约40家"),
])
def test_the_city_forecast_says_what_it_is(outlook, reported, said, not_said):
    text = forecast_city(outlook, reported, "县市区", "全市", reported)
    assert said in text and not_said not in text and "根据各县市区已受理报表" in text
    assert ("暂无预计年内" in text) == (outlook.counties[-1].further.high == 0)
    _clean(text)


def test_a_county_not_accepted_this_period_is_forecast_on_its_latest_return():
    text = forecast_city(_outlook([OVER, SHORT]), {"荷塘区", "芦淞区"}, "县市区", "全市", {"荷塘区"})
    assert "芦淞区本期报表未受理，按其本年最近一期已受理的报表预测。" in text and "荷塘区本期" not in text


def test_without_a_forecast_the_notice_says_why():
    january = YearOutlook(Period(2022, 1), 1, False, "1月不是统计月份", [])
    assert "1—2月为统计上第一个累计月份" in forecast_city(january, {"荷塘区"}, "县市区", "全市")
    assert forecast_city(None, set(), "县市区", "全市") == "本期没有可用于推算全年的已受理报表，不作全年预测。"
    assert forecast_counties(january, {"荷塘区"}, "县市区") == ""


# --- the counties whose forecast falls short: named with their facts, never blamed
@pytest.mark.parametrize("counties, reported, said, not_said", [
    ([OVER], {"荷塘区"}, "按目前进度，已作预测的1个县市区预计全年新增均可达到年度目标。", "低于"),
    ([OVER, SHORT], {"荷塘区", "芦淞区"},
     "按目前进度，有1个县市区预计全年新增低于年度目标：芦淞区已入库6家，预计全年新增约9家（7—11家），年度目标18家。"
     "芦淞区按预测区间的上限计算也达不到年度目标。其余1个县市区预计可以达到年度目标。", "荷塘区"),
    ([SHORT, CLOSE], {"芦淞区", "攸县"},
     "有2个县市区预计全年新增低于年度目标：芦淞区已入库6家，预计全年新增约9家（7—11家），年度目标18家；"
     "攸县已入库30家，预计全年新增约39家（34—44家），年度目标42家。其中芦淞区按预测区间的上限计算也达不到年度目标。",
     "其余"),
    ([SHORT, _county("石峰区", 2, (4.0, 3.0, 6.0), 18)], {"芦淞区", "石峰区"},
     "以上县市区按预测区间的上限计算也达不到年度目标。", "其中"),
    ([OVER, SHORT], {"荷塘区"}, "已作预测的1个县市区预计全年新增均可达到年度目标。", "芦淞区"),  # not reported: not forecast
    ([_county("茶陵县", 3, (5.0, 4.0, 6.0), None)], {"茶陵县"}, "茶陵县暂无年度目标。", "达到年度目标"),  # no target
    ([OVER, _county("茶陵县", 3, (5.0, 4.0, 6.0), None)], {"荷塘区", "茶陵县"},
     "已作预测的1个县市区预计全年新增均可达到年度目标。茶陵县暂无年度目标。", "茶陵县已入库"),
    ([SHORT, OVER, _county("茶陵县", 3, (5.0, 4.0, 6.0), None)], {"芦淞区", "荷塘区", "茶陵县"},
     "其余1个县市区预计可以达到年度目标。茶陵县暂无年度目标。", "其余2个"),
])
def test_counties_short_of_their_target_are_named_with_facts(counties, reported, said, not_said):
    text = forecast_counties(_outlook(counties), reported, "县市区")
    assert said in text and not_said not in text
    _clean(text)


# --- the problem ledger by 交办单位
def _item(county: str, unit: str, status: str, overdue: int | None) -> LedgerItem:
    return LedgerItem(county, "91430200MA4C8NAC26", "某公司", "用电增容", unit, dt.date(2022, 8, 1), status, overdue,
                      WHERE)


def _pipeline(ledger=(), pool=(), at_risk=()) -> Pipeline:
    ledger = list(ledger)
    return Pipeline(AUGUST, dt.date(2022, 9, 8), "报送日历截止日", True, list(pool), [], list(at_risk), ledger,
                    unit_tallies(ledger))


def test_past_five_overdue_units_the_rest_are_counted():
    ledger = [_item("攸县", "县金融办", "办理中", 9), _item("攸县", "县金融办", "办理中", 3)]
    ledger += [_item(county, "县商务局", "办理中", 5) for county in ("荷塘区", "芦淞区", "石峰区", "天元区", "渌口区", "茶陵县")]
    text = overdue_units(_pipeline(ledger), "县市区")
    assert "逾期未办结8条，涉及7个交办单位，逾期较多、办结率较低的是：县金融办（攸县，交办2条、已办结0条，办结率0.0%，逾期2条）；" in text
    assert text.endswith("另有2个交办单位逾期2条（逐条见汇总表“问题台账”“台账分单位”表）。")
    assert text.count("，交办") == 5  # five units named


@pytest.mark.parametrize("ledger, said, not_said", [
    ([], "问题台账方面，各县市区本期报表没有交办的企业问题。", "逾期"),
    ([_item("攸县", "县金融办", "已办结", None), _item("攸县", "国网供电公司", "办理中", None)],
     "各县市区共交办企业问题2条，已办结1条（办结率50.0%）；截至2022年9月8日，没有逾期未办结的问题。", "涉及"),
    ([_item("攸县", "县金融办", "已办结", None), _item("攸县", "县金融办", "办理中", 12),
      _item("天元区", "县金融办", "未办结", 30), _item("天元区", "县金融办", "未办结", 5)],
     "逾期未办结3条，涉及2个交办单位：县金融办（天元区，交办2条、已办结0条，办结率0.0%，逾期2条）；"
     "县金融办（攸县，交办2条、已办结1条，办结率50.0%，逾期1条）。", "没有逾期"),
])
def test_overdue_problems_are_told_by_unit(ledger, said, not_said):
    text = overdue_units(_pipeline(ledger), "县市区")
    assert said in text and not_said not in text


# --- the pool firms to push and the at-risk firms without measures
def _pool(county: str, flags=()) -> PoolRow:
    return PoolRow(county, "91430200MA4C8NAC26", "某公司", "3072", 2100.0, "", "", "", tuple(flags), WHERE)


def _risk(county: str, flags=()) -> RiskRow:
    return RiskRow(county, "91430200MA4C8NAC26", "某公司", 2300.0, "订单下滑", "", "", tuple(flags), WHERE)


@pytest.mark.parametrize("pool, at_risk, said", [
    ([_pool("荷塘区", [AT_THRESHOLD]), _pool("荷塘区", [AT_THRESHOLD]), _pool("攸县", [AT_THRESHOLD]), _pool("攸县")],
     [_risk("攸县", [WITHOUT_MEASURES]), _risk("荷塘区")],
     "重点培育库方面，各县市区培育库企业共4家，其中本年累计营业收入已达2000万元、应督促申报入统的3家（荷塘区2家、攸县1家）。"
     "退规风险企业共2家，其中1家尚未落实帮扶措施（攸县1家）。"),
    ([_pool("攸县")], [_risk("攸县")], "培育库企业共1家，其中没有本年累计营业收入已达2000万元尚未申报入统的企业。"
     "退规风险企业共1家，均已落实帮扶措施。"),
])
def test_the_pool_and_at_risk_facts(pool, at_risk, said):
    assert said in pool_push(_pipeline(pool=pool, at_risk=at_risk), "县市区")


# --- the 重点项目 (new builds): producing, past their planned month, entered
def _project(county: str, planned: int | None, actual: int | None, left: str = "") -> ProjectTrack:
    seen = (Sighting(AUGUST, None, "f.xlsx", "重点项目", 5),)
    return ProjectTrack(county, "年产1万吨项目", "", "某项目", "3072", seen, AUGUST, AUGUST, left,
                        Period(2022, actual) if actual else None, Period(2022, planned) if planned else None)


@pytest.mark.parametrize("projects, said", [
    ([], ""),
    ([_project("攸县", 3, 5), _project("攸县", 9, None), _project("荷塘区", 10, None)],
     "重点项目方面，各县市区重点项目（新建投产）清单在列项目3个，其中已投产1个。"),
    ([_project("攸县", 3, None), _project("攸县", 7, None), _project("荷塘区", 6, None), _project("荷塘区", 8, None),
      _project("荷塘区", 2, 4, f"{ENTERED}（2022-06）"), _project("茶陵县", 2, None, REMOVED)],
     "在列项目4个，其中已投产0个，计划投产月份已过尚未投产的3个（攸县2个、荷塘区1个）；本年已有1个项目的企业入规。"),
])
def test_projects_past_their_planned_month_are_counted(projects, said):
    text = projects_text(Tracking(AUGUST, dt.date(2022, 9, 8), projects=projects) if projects else None, "县市区")
    assert (said in text) if said else text == ""


# --- next steps follow from the facts
def _summary(outlook: YearOutlook | None, pipeline: Pipeline | None) -> PeriodSummary:
    city = CityFigures("全市", 2022, 60, 8 / 12, 40, 10, 0, {}, 2, 2, None, None, None, None, None, reporting_target=60)
    counties = [CountyFigures("荷塘区", ACCEPTED, 18, 8 / 12, new=16, exits=1),
                CountyFigures("芦淞区", MISSING, 18, 8 / 12)]
    summary = PeriodSummary("株洲市", AUGUST, [], counties, city, [])
    summary.outlook, summary.pipeline = outlook, pipeline
    summary.tracking = Tracking(AUGUST, dt.date(2022, 9, 8), projects=[_project("攸县", 5, None)])
    return summary


def test_next_steps_name_whom_the_facts_concern():
    late = _pipeline([_item("攸县", "县金融办", "办理中", 12)], [_pool("攸县", [AT_THRESHOLD])],
                     [_risk("攸县", [WITHOUT_MEASURES])])
    steps = next_steps(_summary(_outlook([OVER, SHORT]), late), {"荷塘区", "芦淞区"}, "县市区")
    assert [s["heading"] for s in steps] == ["（一）对标目标抓进度。", "（二）应入尽入抓申报。", "（三）一企一策稳存量。",
                                             "（四）交办问题抓落实。"]
    assert steps[0]["text"].startswith("芦淞区要对照年度目标")
    assert steps[0]["text"].endswith("对计划投产月份已过尚未投产的1个重点项目，要逐个查明原因，明确投产节点和责任单位。")
    assert "已达2000万元的1家企业" in steps[1]["text"] and "尚未落实帮扶措施的1家" in steps[2]["text"]
    assert "逾期未办结的1条问题" in steps[3]["text"]
    calm = next_steps(_summary(_outlook([OVER]), _pipeline()), {"荷塘区"}, "县市区")
    assert calm[0]["text"].startswith("各县市区要对照年度目标") and "逾期" not in calm[3]["text"]
    assert "已达2000万元的" not in calm[1]["text"] and "尚未落实" not in calm[2]["text"]
    for step in steps + calm:
        _clean(step["text"])


def test_the_table_leaves_counties_without_a_report_unforecast():
    table = rows(_summary(_outlook([OVER, SHORT]), _pipeline()), {"荷塘区"})
    assert table[0] == {"name": "荷塘区", "new": 16, "exits": 1, "net": 15, "target": 18, "completion": "88.9%",
                        "point": "20", "range": "18—23"}
    assert (table[1]["new"], table[1]["completion"], table[1]["point"], table[1]["range"]) == ("—", MISSING, "未预测", "—")


# --- which documents a period issues
@pytest.mark.parametrize("period, first", [("2022-08", "dispatch"), ("2022-09", "bulletin"), ("2021-05", "bulletin")])
def test_a_monthly_period_issues_the_dispatch_in_place_of_the_bulletin(policy, period, first):
    # the sample calendar: 2022-08 is a 月度调度 period, 2022-09 a quarter end; a period it does not list is quarterly
    assert documents_of(policy, Period.parse(period)) == (first, "praise", "criticism", "reminder")
    assert policy.document("dispatch") is not None
