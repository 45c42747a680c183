"""Every sentence of a notice is true of its period (#36): one table per sentence family, written from the facts
the period has — who was chased by a 催报函, whether the year is over, whether the city is ahead of time
progress, how many counties were ranked and named, which days are working days."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.domain.calendar import Reminder, ReportingPeriod, WorkingDays
from toolkit.domain.figures import ACCEPTED, MISSING, REJECTED, CityFigures, CountyFigures
from toolkit.domain.period_summary import PeriodSummary
from toolkit.domain.periods import Period
from toolkit.domain.policy import DocumentSettings
from toolkit.services.notices import _deadline, _decided, _effect, _kinds, _net, _reporting, _standing, _versus

SEPTEMBER = Period(2022, 9)
DUE = ReportingPeriod(SEPTEMBER, dt.date(2022, 10, 8), 3)
LETTER = Reminder(dt.date(2022, 10, 8), "株工信函〔2022〕2号", ("炎陵县",))


def _county(name: str, status=ACCEPTED, new: int | None = 10, target: int | None = 18) -> CountyFigures:
    return CountyFigures(name, status, target, 0.75, new=new if status == ACCEPTED else None, exits=2)


def _city(new: int, target: int, progress: float, missing: tuple[str, ...] = ()) -> CityFigures:
    return CityFigures("全市", 2022, target, progress, new, 10, 0, {}, 10 - len(missing), 10, None, None, None, None,
                       None, reporting_target=target, missing=missing)


def _summary(counties: list[CountyFigures], period: Period = SEPTEMBER) -> PeriodSummary:
    return PeriodSummary("株洲市", period, [], counties, _city(200, 260, 0.75), [])


# --- who reported how: never “均按要求报送” about a county a 催报函 chased
@pytest.mark.parametrize("statuses, reminders, said, not_said", [
    ({"荷塘区": ACCEPTED, "炎陵县": ACCEPTED}, (), "各县市区均按要求报送了报表，经审核合格。", "催报"),
    ({"荷塘区": ACCEPTED, "炎陵县": ACCEPTED}, (LETTER,),
     "各县市区均已报送合格报表。其中，炎陵县未在报送截止日期（2022年10月8日）前报送合格报表，经催报（株工信函〔2022〕2号）后补报，"
     "经审核合格。", "均按要求"),
    ({"荷塘区": ACCEPTED, "炎陵县": MISSING}, (LETTER,), "1个县市区报送的报表经审核合格；炎陵县未报送报表。", "催报"),
    ({"荷塘区": ACCEPTED, "炎陵县": ACCEPTED, "攸县": REJECTED}, (LETTER,),
     "2个县市区报送的报表经审核合格，其中炎陵县未在报送截止日期（2022年10月8日）前报送合格报表，经催报（株工信函〔2022〕2号）"
     "后补报；攸县报送的报表经审核有误被退回，至今未报送合格报表。", "均"),
])
def test_the_reporting_sentence_says_who_was_chased(statuses, reminders, said, not_said):
    summary = _summary([_county(name, status) for name, status in statuses.items()])
    text = _reporting(summary, DUE, reminders, dt.date(2022, 10, 12))
    assert text == said and not_said not in text


def test_a_letter_issued_after_the_notice_date_is_not_cited():
    summary = _summary([_county("荷塘区"), _county("炎陵县")])
    assert _reporting(summary, DUE, (LETTER,), dt.date(2022, 10, 7)) == "各县市区均按要求报送了报表，经审核合格。"


# --- the year over: against the target itself, not against a time progress of 100%
@pytest.mark.parametrize("gap, new, target, year_over, said", [
    (-4.2, 249, 260, True, "距年度目标差11家"),
    (30.0, 13, 10, True, "超额完成年度目标"),
    (0.0, 10, 10, True, "完成年度目标"),
    (-4.2, 249, 260, False, "落后时序进度4.2个百分点"),
    (10.0, 221, 260, False, "超时序进度10.0个百分点"),
    (0.01, 150, 200, False, "与时序进度持平"),
    (None, 5, None, True, "暂无年度目标"),
])
def test_standing_against_time_progress_or_the_target(gap, new, target, year_over, said):
    assert _versus(gap, new=new, target=target, year_over=year_over) == said


@pytest.mark.parametrize("net, said", [(28, "净增28家"), (0, "净增0家"), (-2, "净减少2家")])
def test_a_negative_net_is_said_as_a_decrease(net, said):
    assert _net(net) == said


# --- a rank among how many: the whole city when every county was ranked
@pytest.mark.parametrize("ranked, units, said", [
    (10, 10, "居全市10个县市区第3位"),
    (9, 10, "在已报送合格报表的9个县市区中居第3位"),
])
def test_a_rank_says_among_whom(ranked, units, said):
    figures = CountyFigures("炎陵县", ACCEPTED, 18, 0.75, new=16, exits=2, rank=3, ranked=ranked)
    assert _standing(figures, "县市区", "全市", units) == said


def test_a_shared_rank_is_said_as_shared():
    figures = CountyFigures("炎陵县", ACCEPTED, 18, 0.25, new=14, exits=2, rank=3, ranked=10)
    assert _standing(figures, "县市区", "全市", 10, tied=True) == "居全市10个县市区并列第3位"
    assert _standing(figures, "县市区", "全市", 11, tied=True) == "在已报送合格报表的10个县市区中居并列第3位"


@pytest.mark.parametrize("kinds, new, said", [
    ({"新建投产": 1, "小升规": 7}, 8, "（其中新建投产1家、小升规7家）"),
    ({"新建投产": 0, "小升规": 14}, 14, "（均为小升规）"),  # never “其中新建投产0家”
    ({"新建投产": 3}, 3, "（均为新建投产）"),
    ({}, 0, ""),
])
def test_the_kinds_of_entries(kinds, new, said):
    assert _kinds(CountyFigures("荷塘区", ACCEPTED, 18, 0.25, new_by_kind=kinds, new=new, exits=0)) == said


# --- what lagging cost: the city's target only when the city is behind (or missed it at year end)
@pytest.mark.parametrize("city, year_over, said", [
    (_city(221, 260, 0.75), False, "拖累了全市整体进度"),  # 85.0% at 75%: the city is ahead
    (_city(150, 260, 0.75), False, "影响了全市目标任务的完成"),  # 57.7% at 75%: behind
    (_city(249, 260, 1.0), True, "影响了全市年度目标任务的完成"),  # the year's target missed
    (_city(270, 260, 1.0), True, "拖累了全市整体进度"),  # the year's target met
])
def test_the_effect_of_lagging_is_true_of_the_city(city, year_over, said):
    assert _effect(["渌口区"], [], "全市", city, year_over) == said
    assert _effect(["渌口区"], ["攸县"], "全市", city, year_over) == f"{said}和工作调度"
    assert _effect([], ["攸县"], "全市", city, year_over) == "影响了全市工作调度和数据汇总"


@pytest.mark.parametrize("names, said", [(["渌口区"], "渌口区"), (["芦淞区", "渌口区"], "以上县市区")])
def test_one_county_is_named_several_are_above(names, said):
    assert _decided(names, "县市区") == said


# --- deadlines fall on working days of the 节假日 sheet
NATIONAL_DAY = WorkingDays(frozenset(dt.date(2022, 10, d) for d in range(1, 8)),
                           frozenset({dt.date(2022, 10, 8), dt.date(2022, 10, 9)}))


@pytest.mark.parametrize("day, days, working, said", [
    (dt.date(2022, 7, 15), 15, WorkingDays(), "2022年8月1日前"),  # 7-30 is a Saturday: Monday
    (dt.date(2022, 7, 12), 15, WorkingDays(), "2022年7月27日前"),  # a Wednesday: as it is
    (dt.date(2022, 9, 16), 15, NATIONAL_DAY, "2022年10月8日前"),  # 10-01 holiday to 10-07: the worked Saturday
    (dt.date(2022, 9, 24), 15, NATIONAL_DAY, "2022年10月9日前"),  # a worked Sunday (调休) is a working day
])
def test_a_deadline_is_a_working_day(day, days, working, said):
    settings = DocumentSettings("criticism", "局文件", "局", "株工信发", "各县", "", "局办公室", "主动公开", days)
    assert _deadline(settings, day, "通报", working) == said
    assert _deadline(settings, None, "通报", working) == f"收到本通报后{days}日内"


# --- 应入尽入: what the screen listed and how far the counties followed it, as their returns say
def _funnel(*rows) -> "FunnelView":
    from toolkit.domain.screening import FunnelRow, FunnelView

    counties = [FunnelRow(*r) for r in rows]
    total = FunnelRow("全市", *(sum(getattr(r, f) for r in counties) for f in
                                ("screened", "own", "contacted", "applied", "entered", "not_qualified", "declined",
                                 "no_answer")))
    return FunnelView(Period(2022, 6), "2022-07-20 09:00:00", Period(2022, 6), [*counties, total], [])


@pytest.mark.parametrize("rows, said", [
    ((), ""),
    ((("天元区", 0, 0, 0, 0, 0, 0, 0, 0),), "应入尽入方面，市里依据税务、市场监管、电力部门数据进行了筛选，未发现"),
    ((("天元区", 3, 0, 0, 0, 0, 0, 0, 3), ("攸县", 2, 0, 0, 0, 0, 0, 0, 2)),
     "筛选出营业收入已达到或有望达到规模以上标准、尚未纳入规模以上工业统计的工业企业5家，已分送各县市区逐一核实，各县市区尚未反馈核实情况。"),
    ((("天元区", 3, 1, 3, 2, 1, 1, 0, 0), ("攸县", 2, 0, 0, 0, 0, 0, 0, 2), ("炎陵县", 1, 0, 1, 0, 0, 0, 1, 0)),
     "工业企业6家，已分送各县市区逐一核实。截至2022年1—9月报表，已联系4家，其中已申报2家（已入库1家），经核实不符合条件1家、"
     "企业暂不申报1家；2家尚未反馈，其中攸县未反馈任何一家；各县市区另自行排查报送1家。"),
])
def test_the_screening_paragraph_says_how_far_each_county_followed(rows, said):
    from toolkit.services.notices import _screening

    summary = _summary([])
    summary.screening = _funnel(*rows) if rows else None
    text = _screening(summary)
    assert (said in text) if said else text == ""


@pytest.mark.parametrize("title, cited", [
    ("株洲市培育规模以上工业企业实施方案（株政办发〔2022〕1号）", "《株洲市培育规模以上工业企业实施方案》（株政办发〔2022〕1号）"),
    ("湖南省人民政府办公厅关于印发《深入开展新增规模以上工业企业行动实施方案》的通知（2022年1月12日）",
     "《湖南省人民政府办公厅关于印发〈深入开展新增规模以上工业企业行动实施方案〉的通知》（2022年1月12日）"),
])
def test_a_plan_is_cited_with_a_title_within_a_title_in_single_angle_brackets(title, cited):
    from toolkit.services.documents import cite

    assert cite(title) == cited


def test_a_province_bulletin_says_tiers_the_counties_and_the_entrants_quality_and_a_city_bulletin_does_not():
    from toolkit.domain.province_figures import EntryQuality, SubUnitFigures
    from toolkit.services.notices import province_paragraph

    def county(name, rank, completion_new):
        return CountyFigures(name, ACCEPTED, 10, 0.5, new=completion_new, exits=0, rank=rank, ranked=3)

    summary = PeriodSummary("湖南省", Period(2022, 6), [], [], None, [], unit_label="市州")
    assert province_paragraph(summary) == ""
    summary.tiers = {"株洲市": "第一梯队", "湘潭市": "第二梯队", "长沙市": "第三梯队", "衡阳市": "第一梯队"}
    summary.sub_units = [SubUnitFigures("株洲市", county("荷塘区", 1, 9), 1, 2),
                         SubUnitFigures("株洲市", county("攸县", 3, 0), 2, 2),
                         SubUnitFigures("湘潭市", county("雨湖区", 2, 8), 1, 1)]
    summary.quality = EntryQuality(20, {"1亿元及以上": 2}, {"新建投产": 5}, [("33", "金属制品业", 6)], 18, 10, 9)
    said = province_paragraph(summary)
    assert said.startswith("按目标完成率排名，第一梯队：株洲市和衡阳市；第二梯队：湘潭市；第三梯队：长沙市。")
    assert "居全省前列的是株洲市荷塘区、湘潭市雨湖区和株洲市攸县，分别为90.0%、80.0%、0.0%；1个县市区本期没有新增。" in said
    assert "主营业务收入1亿元及以上的2家，占10.0%；新建投产5家，占25.0%；当年已形成税收的18家。较多的行业是：金属制品业6家。" in said
    assert said.endswith("上年新增入规企业10家，至今仍在库9家，存续率90.0%。")


def test_a_county_its_city_did_not_accept_is_said_where_the_citys_figures_are_judged():
    from toolkit.domain.province_figures import SubUnitFigures
    from toolkit.services.notices import _facts, province_paragraph

    loudi = CountyFigures("娄底市", ACCEPTED, 120, 1.0, new=83, exits=33, rank=14, ranked=14)
    summary = PeriodSummary("湖南省", Period(2022, 12), [], [loudi], _city(83, 120, 1.0), [], unit_label="市州")
    summary.sub_units = [SubUnitFigures("娄底市", CountyFigures("娄星区", ACCEPTED, 20, 1.0, new=20, exits=5), 1, 1),
                         SubUnitFigures("娄底市", CountyFigures("涟源市", REJECTED, 25, 1.0), None, 1)]
    assert province_paragraph(summary).startswith("县市区报表未经所在市州受理、数据未计入上述数字的有：娄底市涟源市。")
    assert _facts(loudi, summary, "全省", None).endswith("其中涟源市的报表未经本市州受理，数据未计入。")
    summary.sub_units[1] = SubUnitFigures("娄底市", CountyFigures("涟源市", ACCEPTED, 25, 1.0, new=3, exits=0), 2, 2)
    assert "未经" not in province_paragraph(summary) and "未经" not in _facts(loudi, summary, "全省", None)
