"""The monthly 调度通报 (issue #37): what a 月度调度 period's notice says, issued by ``guishang notices`` instead of the
quarter-end set (工作情况通报, 表扬通报, 通报批评).

Written from the consolidated period as the other notices are (services/notices.py: its sentences on progress,
reporting and 应入尽入 are reused, not copied), plus what the pipeline of the period says:

- the year's forecast (summary.outlook) in plain words with its range, for the city and for each county whose
  expected 新增 falls short of its target, named with its facts; said to be a forecast from the returns, never
  a judgement (criticism stays the policy's rule on quarter-end reports); a county without any accepted report
  this year is not forecast, and the notice says so;
- the problem ledger's overdue items by 交办单位 (summary.pipeline.units), the pool firms already at 2000 万元 to
  push to apply and the at-risk firms without measures (each per county), the 重点项目 past their planned month;
- next steps that follow from those facts.
"""

from __future__ import annotations

import datetime as dt

from toolkit.domain import gbt9704 as G
from toolkit.domain.calendar import Reminder, entry_for
from toolkit.domain.figures import ACCEPTED, percent
from toolkit.domain.forecast import CountyOutlook, Range
from toolkit.domain.period_summary import PeriodSummary
from toolkit.domain.periods import Period
from toolkit.domain.pipeline import AT_THRESHOLD, WITHOUT_MEASURES, Pipeline, UnitTally
from toolkit.domain.policy import Policy
from toolkit.domain.tracking import ENTERED, ProjectTrack, Tracking, YearOutlook
from toolkit.services.notices import _common, _names, _ordinal, _reporting, _screening, city_progress

UNITS_NAMED = 5  # the overdue units a notice names one by one; the others are counted (the summary lists them all)
STEP_HEADS = ("对标目标抓进度", "应入尽入抓申报", "一企一策稳存量", "交办问题抓落实")


def _whole(value: float) -> int:
    """A forecast count as the text says it (“约13家”): rounded half up, never a bank's even rounding."""
    return int(value + 0.5)


def count_range(r: Range, brief: bool = False) -> str:
    """“约13家（大约在10—15家之间）” (``brief``: “约13家（10—15家）”, for a county in a list), or “13家” when the range
    is a single number (the year is as good as known)."""
    low, high = _whole(r.low), _whole(r.high)
    if low == high:
        return f"{low}家"
    return f"约{_whole(r.expected)}家（{low}—{high}家）" if brief else f"约{_whole(r.expected)}家（大约在{low}—{high}家之间）"


def rate_range(r: Range) -> str:
    """“73%—88%”, or one figure when both ends round to the same percent."""
    low, high = _whole(r.low * 100), _whole(r.high * 100)
    return f"{low}%" if low == high else f"{low}%—{high}%"


def forecast_city(outlook: YearOutlook | None, reported: set[str], unit: str, total_label: str,
                  current: set[str] | None = None) -> str:
    """The city's year end in plain words: “按目前进度预计全年新增约N家（大约在a—b家之间），完成年度目标的x%—y%”, what
    it rests on, and that it is a forecast, not a plan or a score. Counties without any accepted report this year
    are left out of it (said), their targets still counted; ``current``: the counties accepted for the period
    itself (the others reported this year are forecast on their latest accepted return, said)."""
    if outlook is None or not outlook.counties:
        return ("本期尚无可用于推算全年的累计数据（1—2月为统计上第一个累计月份），本期不作全年预测。"
                if outlook is not None and outlook.month < 2 else "本期没有可用于推算全年的已受理报表，不作全年预测。")
    city = outlook.counties[-1]
    text = (f"根据各{unit}已受理报表中培育库、退规风险企业的营业收入推算，按目前进度预计{total_label}全年新增"
            f"{count_range(city.added)}")
    if city.completion is not None:
        text += f"，完成年度目标的{rate_range(city.completion)}"
    text += f"；预计全年退库{count_range(city.exits)}。"
    if city.further.high == 0 and outlook.month < 12:  # why the year's 新增 is what has entered so far
        text += f"各{unit}报表中暂无预计年内可达到规模标准的新建投产企业，全年新增按已入库数预计。"
    unknown = [c.county for c in outlook.counties[:-1] if c.county not in reported]
    if unknown:
        text += (f"{_names(unknown)}本年尚无已受理的报表，未作预测，上述预测未计入其进展，但其年度目标计入"
                 f"{total_label}目标。")
    earlier = [c.county for c in outlook.counties[:-1] if c.county in reported and current is not None
               and c.county not in current]
    if earlier:
        text += f"{_names(earlier)}本期报表未受理，按其本年最近一期已受理的报表预测。"
    text += "以上为依据报表数据所作的预测，不是计划数字，也不作为考核依据"
    return text + ("。" if outlook.calibrated else "；因缺少上年逐月数据校准，预测区间偏宽。")


def _short(c: CountyOutlook) -> bool:
    return c.target is not None and c.added.expected < c.target


def forecast_counties(outlook: YearOutlook | None, reported: set[str], unit: str) -> str:
    """The counties whose expected 新增 falls short of their target, each with its facts (entries so far, the
    expected range, the target) — facts, not a judgement; or that every county forecast is expected to reach its
    target. Empty without a forecast."""
    if outlook is None or not outlook.counties:
        return ""
    forecast = [c for c in outlook.counties[:-1] if c.county in reported]
    no_target = [c.county for c in forecast if c.target is None]  # not short of anything: said apart
    untargeted = f"{_names(no_target)}暂无年度目标。" if no_target else ""
    counties = [c for c in forecast if c.target is not None]
    short = [c for c in counties if _short(c)]
    if not counties:
        return untargeted
    if not short:
        return f"按目前进度，已作预测的{len(counties)}个{unit}预计全年新增均可达到年度目标。{untargeted}"
    facts = "；".join(f"{c.county}已入库{c.entries_so_far}家，预计全年新增{count_range(c.added, True)}，年度目标{c.target}家"
                     for c in short)
    below = [c.county for c in short if c.added.high < c.target]
    if len(below) == len(short) > 1:
        below_text = f"以上{unit}按预测区间的上限计算也达不到年度目标。"
    else:
        below_text = f"{'其中' * (len(short) > 1)}{_names(below)}按预测区间的上限计算也达不到年度目标。" if below else ""
    rest = len(counties) - len(short)
    others = f"其余{rest}个{unit}预计可以达到年度目标。" if rest else ""
    return f"按目前进度，有{len(short)}个{unit}预计全年新增低于年度目标：{facts}。{below_text}{others}{untargeted}"


def _unit_text(u: UnitTally) -> str:
    """“国网供电公司（天元区，交办3条、已办结1条，办结率33.3%，逾期2条）”: a unit within its county."""
    return f"{u.unit}（{u.county}，交办{u.items}条、已办结{u.done}条，办结率{percent(u.done_rate)}，逾期{u.overdue}条）"


def overdue_units(pipeline: Pipeline | None, unit: str) -> str:
    """The problem ledger by 交办单位 (within its county: 县金融办 of two counties are two offices): the whole, then
    each unit with overdue items, the unit with most overdue first (past ``UNITS_NAMED`` of them, the rest counted
    and left to the summary's sheets); or that none is overdue."""
    if pipeline is None:
        return ""
    if not pipeline.ledger:
        return f"问题台账方面，各{unit}本期报表没有交办的企业问题。"
    items, done = len(pipeline.ledger), sum(u.done for u in pipeline.units)
    whole = (f"问题台账方面，各{unit}共交办企业问题{items}条，已办结{done}条（办结率{percent(done / items)}）；"
             f"截至{G.date_text(pipeline.as_of)}，")
    late = [u for u in pipeline.units if u.overdue]  # most overdue first, then the lowest 办结率
    if not late:
        return whole + "没有逾期未办结的问题。"
    named, rest = late[:UNITS_NAMED], late[UNITS_NAMED:]
    parts = "；".join(_unit_text(u) for u in named)
    if not rest:
        return whole + f"逾期未办结{pipeline.overdue}条，涉及{len(late)}个交办单位：{parts}。"
    return (whole + f"逾期未办结{pipeline.overdue}条，涉及{len(late)}个交办单位，逾期较多、办结率较低的是：{parts}；"
            f"另有{len(rest)}个交办单位逾期{sum(u.overdue for u in rest)}条（逐条见汇总表“问题台账”“台账分单位”表）。")


def _per_county(rows: list, flag: str) -> str:
    """“荷塘区3家、攸县1家”: the rows carrying ``flag`` per county, in the order the rows come (the policy's)."""
    counts: dict[str, int] = {}
    for row in rows:
        if any(f.startswith(flag) for f in row.flags):
            counts[row.county] = counts.get(row.county, 0) + 1
    return "、".join(f"{county}{n}家" for county, n in counts.items())


def pool_push(pipeline: Pipeline | None, unit: str) -> str:
    """培育库: how many pool firms there are and how many have reached 2000 万元 and should be pushed to apply
    (per county); and 风险库: how many at-risk firms still have no measures (per county)."""
    if pipeline is None:
        return ""
    ready = pipeline.pool_count(AT_THRESHOLD)
    text = f"重点培育库方面，各{unit}培育库企业共{len(pipeline.pool)}家"
    if ready:
        text += f"，其中本年累计营业收入已达2000万元、应督促申报入统的{ready}家（{_per_county(pipeline.pool, AT_THRESHOLD)}）"
    else:
        text += "，其中没有本年累计营业收入已达2000万元尚未申报入统的企业"
    without = pipeline.risk_count(WITHOUT_MEASURES)
    text += f"。退规风险企业共{len(pipeline.at_risk)}家，"
    if without:
        return text + f"其中{without}家尚未落实帮扶措施（{_per_county(pipeline.at_risk, WITHOUT_MEASURES)}）。"
    return text + ("均已落实帮扶措施。" if pipeline.at_risk else "无需落实帮扶措施。")


def _delayed(t: ProjectTrack, period: Period) -> bool:
    """Still listed, not producing, and its planned month is before the period's."""
    return t.current and t.actual is None and t.planned is not None and t.planned < period


def projects_text(tracking: Tracking | None, unit: str) -> str:
    """重点项目（新建投产）: the projects the counties' latest returns list, how many produce, how many are past their
    planned month without producing (per county), and how many projects' firms entered the register this year.
    Empty when no return of the year lists a project."""
    if tracking is None or not tracking.projects:
        return ""
    period = tracking.period
    listed = [t for t in tracking.projects if t.current]
    producing = sum(t.actual is not None and t.actual <= period for t in listed)
    late: dict[str, int] = {}
    for t in listed:
        if _delayed(t, period):
            late[t.county] = late.get(t.county, 0) + 1
    entered = sum(t.left.startswith(ENTERED) for t in tracking.projects)
    text = f"重点项目方面，各{unit}重点项目（新建投产）清单在列项目{len(listed)}个，其中已投产{producing}个"
    if late:
        text += (f"，计划投产月份已过尚未投产的{sum(late.values())}个（"
                 + "、".join(f"{county}{n}个" for county, n in late.items()) + "）")
    return text + (f"；本年已有{entered}个项目的企业入规。" if entered else "。")


def next_steps(summary: PeriodSummary, reported: set[str], unit: str) -> list[dict]:
    """（一）…（四）: what the facts above ask of the counties, each step naming whom it concerns when it is not all."""
    o, p = summary.outlook, summary.pipeline
    short = [c.county for c in (o.counties[:-1] if o and o.counties else []) if c.county in reported and _short(c)]
    progress = (f"{_names(short)}要对照年度目标，逐企业梳理入规计划，把预计年内能达到规模标准的企业排出时间表，"
                "加快新建项目投产达产，缩小与年度目标的差距；其他" + unit + "要保持进度，确保完成全年目标任务。"
                if short else f"各{unit}要对照年度目标和时序进度，逐企业跟踪入规计划，确保完成全年目标任务。")
    t = summary.tracking
    late = sum(_delayed(x, t.period) for x in t.projects) if t else 0
    if late:
        progress += f"对计划投产月份已过尚未投产的{late}个重点项目，要逐个查明原因，明确投产节点和责任单位。"
    ready = p.pool_count(AT_THRESHOLD) if p else 0
    apply = (f"对培育库中本年累计营业收入已达2000万元的{ready}家企业，要逐一上门督促指导，及时申报入统，做到应入尽入；"
             if ready else "对培育库企业要按月跟踪营业收入，达到2000万元的及时督促申报入统，做到应入尽入；")
    if summary.screening:
        apply += "对市里下发的应入尽入工作清单中的企业，要逐一联系核实，在下期报表的“应入尽入跟踪”表中如实反馈；"
    apply = apply.rstrip("；") + "。"
    without = p.risk_count(WITHOUT_MEASURES) if p else 0
    keep = (f"对尚未落实帮扶措施的{without}家退规风险企业，要在下期报表报送前逐家明确帮扶措施和责任人，落实“一企一策”，"
            "减少退库。" if without else "对退规风险企业要持续走访，落实“一企一策”帮扶措施，减少退库。")
    late = [u for u in (p.units if p else []) if u.overdue]
    follow = (f"对逾期未办结的{p.overdue}条问题，相关交办单位要逐条明确办结时限，{unit}工业和信息化主管部门要加强督办，"
              "办结情况在下期报表的问题台账中如实更新。" if late else
              "对问题台账中的交办问题，要按时限办结，办结情况在下期报表中如实更新。")
    texts = (progress, apply, keep, follow)
    return [{"heading": f"{_ordinal(i, len(texts))}{head}。", "text": text}
            for i, (head, text) in enumerate(zip(STEP_HEADS, texts))]


def _cell(r: Range | None) -> tuple[str, str]:
    if r is None:
        return "未预测", "—"
    low, high = _whole(r.low), _whole(r.high)
    return str(_whole(r.expected)), (str(low) if low == high else f"{low}—{high}")


def rows(summary: PeriodSummary, reported: set[str]) -> list[dict]:
    """The counties' table (in the policy's order): the period's figures, and the year's expected 新增 with its
    range (“未预测” for a county without any accepted report this year); the total row last."""
    o = summary.outlook
    forecast = {c.county: c for c in (o.counties if o and o.counties else [])}
    out = []
    for f in summary.counties:
        known = forecast.get(f.county) if f.county in reported else None
        point, span = _cell(known.added if known else None)
        accepted = f.status == ACCEPTED
        out.append({"name": f.county, "new": f.new if accepted else "—", "exits": f.exits if accepted else "—",
                    "net": f.net if accepted else "—", "target": f.target or "—",
                    "completion": percent(f.completion) if accepted else f.status, "point": point, "range": span})
    return out


def dispatch_context(summary: PeriodSummary, policy: Policy, number: str, day: dt.date | None,
                     reminders: tuple[Reminder, ...] = (), reported: set[str] | None = None) -> dict:
    """The 调度通报's context; ``reported``: the counties with an accepted report of the year up to the period
    (the others are not forecast)."""
    unit, total = summary.unit_label, policy.total_label
    current = {f.county for f in summary.counties if f.status == ACCEPTED}
    reported = current if reported is None else reported
    settings = policy.document("dispatch")
    city = summary.city
    o = summary.outlook
    whole = o.counties[-1] if o and o.counties else None
    point, span = _cell(whole.added if whole else None)
    return {
        **_common(summary, policy, settings, number, day),
        "city": city_progress(summary, policy),
        "reporting": _reporting(summary, entry_for(policy.calendar, summary.period), reminders, day),
        "rows": rows(summary, reported),
        # the period's figures over the accepted counties against their own targets (as the progress paragraph)
        "total": {"name": total if city.complete else "合计", "new": city.new, "exits": city.exits, "net": city.net,
                  "target": city.reporting_target or "—", "completion": percent(city.completion), "point": point,
                  "range": span},
        "forecast": forecast_city(o, reported, unit, total, current), "short": forecast_counties(o, reported, unit),
        "projects": projects_text(summary.tracking, unit), "pool": pool_push(summary.pipeline, unit),
        "ledger": overdue_units(summary.pipeline, unit),
        "screening": _screening(summary),
        "steps": next_steps(summary, reported, unit),
    }
