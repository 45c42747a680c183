"""Use case: the period's official notices (生成通报 / guishang notices).

From the consolidated period: a progress bulletin with every county (工作情况通报), a notice of praise
(表扬通报), a notice of criticism (通报批评) and a reminder to counties not yet accepted (催报通知) — on a 月度调度
period the 调度通报 (services/dispatch.py) in place of the bulletin — rendered from editable Word templates with
the issuer settings of the policy workbook. A document with nobody to name is not produced (the run says so).
Issuing closes the period (封账) unless ``draft``; documents are never written over an earlier version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from toolkit.domain import gbt9704 as G
from toolkit.domain import policy_layout as L
from toolkit.domain.assessment import CRITICISE, PRAISE
from toolkit.domain.calendar import (MONTHLY, Reminder, ReportingPeriod, WorkingDays, assessed, entry_for,
                                    open_until, reminders_of)
from toolkit.domain.figures import ACCEPTED as ACCEPTED_LABEL
from toolkit.domain.figures import MISSING, CityFigures, CountyFigures, percent
from toolkit.domain.findings import KINDS, PERIOD_MISMATCH, UNREADABLE
from toolkit.domain.period_summary import PeriodSummary
from toolkit.domain.province_figures import TIER_NAMES
from toolkit.domain.periods import Period
from toolkit.domain.policy import DOCUMENT_TYPES, DocumentSettings, Policy
from toolkit.domain.hints import Action, Hint
from toolkit.domain.screening import UNDECIDED
from toolkit.ports.files import NoOfficeSuite, TemplateProblem
from toolkit.ports.tools import tools
from toolkit.services.clock import now_text
from toolkit.services.closing import close_period, keep_policy, policy_for
from toolkit.services.consolidation import period_summary
from toolkit.services.doc_check import LayoutCheck, check_layout
from toolkit.services.documents import BLANK_DATE, allocate_number, cite, refuse_examples, template_folder
from toolkit.services.errors import UserError
from toolkit.services.workspace import BUILT_IN_TEMPLATES, Workspace

NOTICES_DIR_NAME = "公文"
TEMPLATE_FILES = {"bulletin": "工作情况通报.docx", "praise": "表扬通报.docx", "criticism": "通报批评.docx",
                  "reminder": "催报通知.docx", "dispatch": "调度通报.docx"}
ORDINALS = "一二三四五六七八九十"


@dataclass
class Notice:
    doc_type: str
    path: Path | None = None  # None: not produced
    skipped: str = ""  # why not
    number: str = ""
    pdf: Path | None = None
    pdf_problem: str = ""

    @property
    def label(self) -> str:
        return DOCUMENT_TYPES[self.doc_type]


def _names(names: list[str]) -> str:
    """荷塘区、株洲经开区和炎陵县."""
    if len(names) <= 1:
        return "".join(names)
    return "、".join(names[:-1]) + "和" + names[-1]


def _ordinal(index: int, count: int = 2) -> str:
    """（一）（二）… before each item of a list; nothing before the only one."""
    if count == 1:
        return ""
    return f"（{ORDINALS[index] if index < len(ORDINALS) else index + 1}）"


def _year_over(period: Period) -> bool:
    """The period is the year's last: its figures are the year's outcome, and time progress is 100%."""
    return period.month == 12


def _versus(gap: float | None, *, new: int | None = None, target: int | None = None, year_over: bool = False) -> str:
    """Where entries stand against time progress (时序进度) — or, once the year is over, against the target
    itself: “完成年度目标” or “距年度目标差11家”, never “落后时序进度4.2个百分点（时序进度100.0%）”."""
    if gap is None:
        return "暂无年度目标"
    if year_over and target and new is not None:
        if new == target:
            return "完成年度目标"
        return "超额完成年度目标" if new > target else f"距年度目标差{target - new}家"
    if abs(gap) < 0.05:
        return "与时序进度持平"
    return f"{'超' if gap > 0 else '落后'}时序进度{abs(gap):.1f}个百分点"


def _net(net: int | None) -> str:
    """“净增28家” or, when exits outnumber entries, “净减少2家” (never “净增-2家”)."""
    return f"净增{net}家" if net is None or net >= 0 else f"净减少{-net}家"


def _standing(f: CountyFigures, unit_label: str, total_label: str, units: int, tied: bool = False) -> str:
    """“居全市10个县市区第2位” when every county was ranked, else “在报表已受理的8个县市区中居第2位”: a rank always
    says among how many (and by what score, when the policy weighs new and net entries with the completion rate);
    a rank two counties share is “并列第3位”."""
    score = f"综合得分{f.score:.1f}分，" if f.score is not None else ""
    place = f"{'并列' if tied else ''}第{f.rank}位"
    if f.ranked == units:
        return f"{score}居{total_label}{units}个{unit_label}{place}"
    return f"{score}在已报送合格报表的{f.ranked}个{unit_label}中居{place}"


def _placed(f: CountyFigures, summary: PeriodSummary, total_label: str) -> str:
    tied = sum(1 for other in summary.counties if other.rank == f.rank) > 1
    return _standing(f, summary.unit_label, total_label, summary.city.units, tied)


def _kinds(f: CountyFigures) -> str:
    """“（其中新建投产1家、小升规7家）”, or “（均为小升规）” when all are of one kind; nothing when there are none."""
    built, upgraded = f.new_by_kind.get("新建投产", 0), f.new_by_kind.get("小升规", 0)
    if not f.new:
        return ""
    if built and upgraded:
        return f"（其中新建投产{built}家、小升规{upgraded}家）"
    if built + upgraded == f.new:
        return "（均为新建投产）" if built else "（均为小升规）"
    return f"（其中新建投产{built}家、小升规{upgraded}家）"


def _rank_basis(policy: Policy) -> str:
    """How the bulletin's table is ordered, as its sentence says it."""
    rules = policy.assessment
    return f"按综合得分排名（{rules.weights_text}）" if rules.weighted else "按目标完成率排名"


def _achievement(f: CountyFigures, summary: PeriodSummary, total_label: str) -> str:
    versus = _versus(f.gap_points, new=f.new, target=f.target, year_over=_year_over(summary.period))
    return (f"新增规模以上工业企业{f.new}家{_kinds(f)}，{_net(f.net)}，目标完成率{percent(f.completion)}，"
            f"{versus}，{_placed(f, summary, total_label)}。")


def _reminded(reminders: list[Reminder], due: dt.date | None = None) -> str:
    """“2022年7月11日已发催报函（株工信函〔2022〕1号），”: the reminders the county received (“当日” for one sent
    on the due date the sentence has just named)."""
    return "".join(("当日" if r.day == due else G.date_text(r.day)) + "已发催报函" + (f"（{r.number}）" if r.number else "")
                   + "，" for r in reminders)


def _facts(f: CountyFigures, summary: PeriodSummary, total_label: str, entry: ReportingPeriod | None,
           reminders: list[Reminder] = ()) -> str:
    """The facts behind a criticism, as figures: the rule the figures met is not repeated after them (the
    opening paragraph says what the conduct was)."""
    period_label = summary.period.official_label
    due = entry.due if entry else None
    dates = (f"报送截止日期为{G.date_text(entry.due)}，{_reminded(list(reminders), due)}"
             f"补报期限{G.date_text(entry.deadline)}已过，" if entry else _reminded(list(reminders)))
    if f.status == MISSING:
        return f"{dates}未按要求报送{period_label}报表。"
    if f.status != ACCEPTED_LABEL:
        return f"报送的{period_label}报表经审核有{f.errors}处错误，未通过审核，{dates}至今未报送合格报表。"
    versus = _versus(f.gap_points, new=f.new, target=f.target, year_over=_year_over(summary.period))
    return (f"新增规模以上工业企业{f.new}家，{_net(f.net)}，目标完成率{percent(f.completion)}，{versus}，"
            + _placed(f, summary, total_label) + "。" + _set_aside(summary, f.county))


def _set_aside(summary: PeriodSummary, unit: str | None = None) -> str:
    """At province level, the 县市区 whose report its 市州 did not accept: their firms are not in the 市州's figures,
    which the documents say wherever those figures are judged ('' when none, and for a city)."""
    missing: dict[str, list[str]] = {}
    for sub in summary.sub_units:
        if sub.figures.status != ACCEPTED_LABEL and (unit is None or sub.unit == unit):
            missing.setdefault(sub.unit, []).append(sub.figures.county)
    if not missing:
        return ""
    if unit is not None:
        return f"其中{_names(missing[unit])}的报表未经本市州受理，数据未计入。"
    return ("县市区报表未经所在市州受理、数据未计入上述数字的有："
            + "；".join(f"{u}{_names(names)}" for u, names in missing.items()) + "。")


def _common(summary: PeriodSummary, policy: Policy, settings: DocumentSettings, number: str, day: dt.date | None) -> dict:
    date = G.date_text(day) if day else BLANK_DATE
    return {
        "mark": settings.mark, "doc_number": number, "recipients": settings.recipients, "signer": settings.signer,
        "date": date, "printed": date, "disclosure": f"此件{settings.disclosure}", "copy_to": settings.copy_to or "无",
        "printer": settings.printer, "region": summary.region, "unit_label": summary.unit_label,
        "total_label": policy.total_label, "period_label": summary.period.official_label, "year": summary.period.year,
        "month": summary.period.month, "plan": cite(policy.plan_title), "progress": percent(summary.city.progress),
    }


def _deadline(settings: DocumentSettings, day: dt.date | None, kind: str, working: WorkingDays) -> str:
    """The date a reply is due: ``reply_days`` after the document's date, moved on to the next working day of
    the 节假日 sheet when it falls on a weekend or holiday (a county cannot be asked to report on a Saturday)."""
    if day:
        due = day + dt.timedelta(days=settings.reply_days)
        return G.date_text(working.after(due - dt.timedelta(days=1), 1)) + "前"
    return f"收到本{kind}后{settings.reply_days}日内"


def _chased(counties: list[str], reminders: tuple[Reminder, ...], day: dt.date | None) -> dict[str, list[Reminder]]:
    """The counties among ``counties`` a 催报函 named by ``day``, with the reminders."""
    out = {}
    for county in counties:
        found = reminders_of(reminders, county, day)
        if found:
            out[county] = found
    return out


def _cited(reminders: list[Reminder]) -> str:
    """“株工信函〔2022〕2号” (or the letter's date when it was issued without a number)."""
    return "、".join(r.number or f"{G.date_text(r.day)}催报函" for r in reminders)


def _reporting(summary: PeriodSummary, entry: ReportingPeriod | None, reminders: tuple[Reminder, ...],
               day: dt.date | None) -> str:
    """How the period's reports came in, as the store knows it: who was accepted, who was chased by a 催报函 and
    then filed, who was returned, who sent nothing — never “均按要求报送” about a county that was chased."""
    unit = summary.unit_label
    accepted = [f.county for f in summary.counties if f.status == ACCEPTED_LABEL]
    rejected = [f.county for f in summary.counties if f.status not in (ACCEPTED_LABEL, MISSING)]
    absent = [f.county for f in summary.counties if f.status == MISSING]
    chased = _chased(accepted, reminders, day)
    late = ""
    if chased:
        by = f"在报送截止日期（{G.date_text(entry.due)}）前" if entry else "按时"
        letters = {_cited(found) for found in chased.values()}
        cited = (letters.pop() if len(letters) == 1
                 else "；".join(f"{county}：{_cited(found)}" for county, found in chased.items()))
        late = f"{_names(list(chased))}未{by}报送合格报表，经催报（{cited}）后补报"
    if not rejected and not absent:
        if not chased:
            return f"各{unit}均按要求报送了报表，经审核合格。"
        return f"各{unit}均已报送合格报表。其中，{late}，经审核合格。"
    text = f"{len(accepted)}个{unit}报送的报表经审核合格" + (f"，其中{late}" if late else "")
    text += f"；{_names(rejected)}报送的报表经审核有误被退回，至今未报送合格报表" if rejected else ""
    text += f"；{_names(absent)}未报送报表" if absent else ""
    return text + "。"


def _screening(summary: PeriodSummary) -> str:
    """应入尽入 as of the period, in one paragraph: how many firms the city's screen of the departments' data
    listed, how far the counties have followed them (by their accepted returns), who has not answered. Empty
    when no screen of the year ran on or before the period."""
    view = summary.screening
    if view is None:
        return ""
    unit = summary.unit_label
    city = view.rows[-1]
    listed = (f"应入尽入方面，市里依据税务、市场监管、电力部门数据，筛选出营业收入已达到或有望达到规模以上标准、"
              f"尚未纳入规模以上工业统计的工业企业{city.screened}家，已分送各{unit}逐一核实")
    if not city.screened:
        return ("应入尽入方面，市里依据税务、市场监管、电力部门数据进行了筛选，未发现营业收入已达到或有望达到规模以上标准、"
                "尚未纳入规模以上工业统计的工业企业。")
    answered = city.screened + city.own - city.no_answer
    if not answered:
        return f"{listed}，各{unit}尚未反馈核实情况。"
    progress = f"截至{summary.period.official_label}报表，已联系{city.contacted}家，其中已申报{city.applied}家（已入库{city.entered}家）"
    negative = [f"经核实不符合条件{city.not_qualified}家"] * bool(city.not_qualified) + \
        [f"企业暂不申报{city.declined}家"] * bool(city.declined)
    silent = [r.county for r in view.rows[:-1] if r.screened and r.no_answer == r.screened and r.county != UNDECIDED]
    rest = ""
    if city.no_answer:
        rest = f"；{city.no_answer}家尚未反馈" + (f"，其中{_names(silent)}未反馈任何一家" if silent else "")
    own = f"；各{unit}另自行排查报送{city.own}家" if city.own else ""
    return f"{listed}。{progress}" + (f"，{'、'.join(negative)}" if negative else "") + f"{rest}{own}。"


def _pending(summary: PeriodSummary) -> str:
    """The firms two counties both report as new, which the figures leave out until the city attributes them: said,
    so that a total that went down, or differs from a county's own list, is explained."""
    open_claims = [p for p in summary.pending if not p.decided and p.year == summary.period.year]
    if not open_claims:
        return ""
    if len(open_claims) == 1:
        claim = open_claims[0]
        counties = _names(sorted({listing.county for listing in claim.claims}))
        return f"另有1家企业（{claim.name}）同时由{counties}报为新增，归属待认定，暂未计入上述数字。"
    return (f"另有{len(open_claims)}家企业同时由两个以上{summary.unit_label}报为新增，归属待认定，暂未计入上述数字"
            "（见汇总表“待认定”表）。")


def _assessment(policy: Policy, own: str, verdicts: list[tuple[str, str]]) -> str:
    """The bulletin's sentence on praise and criticism, naming who decides them: “经研究，……（另文通报）。” when the
    bulletin's issuer issues them too, else “株洲市……指挥部另文对……予以通报表扬。” — a bureau's bulletin does not
    claim a decision another body takes."""
    if not verdicts:
        return ""
    issuers = {key: policy.document(key).signer for key, _ in verdicts}
    if set(issuers.values()) == {own}:
        return "经研究，" + "，".join(text for _, text in verdicts) + "（另文通报）。"
    if len(set(issuers.values())) == 1:
        return f"{issuers[verdicts[0][0]]}另文" + "，".join(text for _, text in verdicts) + "。"
    return "；".join(f"{issuers[key]}另文{text}" for key, text in verdicts) + "。"


def _decided(names: list[str], unit: str) -> str:
    """Whom the decision names: “以上县市区” for several, the county itself for one."""
    return f"以上{unit}" if len(names) > 1 else _names(names)


def province_paragraph(summary: PeriodSummary) -> str:
    """At province level (#39), after the table: the 市州 in tiers, the 县市区 one level down, the quality of the new
    entrants (size, kind, trades, tax) and last year's entrants still in; '' for a city."""
    if not summary.sub_units and not summary.tiers:
        return ""
    said = [_set_aside(summary)] if _set_aside(summary) else []
    tiers = {}
    for county, tier in summary.tiers.items():
        tiers.setdefault(tier, []).append(county)
    if tiers:
        said.append("按目标完成率排名，" + "；".join(f"{tier}：{_names(names)}" for tier, names in sorted(
            tiers.items(), key=lambda t: TIER_NAMES.index(t[0]))) + "。")
    counted = [s for s in summary.sub_units if s.figures.has_figures]
    if counted:
        best = sorted((s for s in counted if s.figures.rank is not None), key=lambda s: s.figures.rank)[:3]
        none = sum(s.figures.new == 0 for s in counted)
        names, last = [], ""
        for sub in best:  # 株洲市荷塘区、株洲经开区: a 市州 named once before its 县市区 that follow one another
            names.append(sub.figures.county if sub.unit == last else f"{sub.unit}{sub.figures.county}")
            last = sub.unit
        said.append(f"已受理的{summary.unit_label}所辖有本期数字的{len(counted)}个县市区中，目标完成率居全省前列的是"
                    f"{_names(names)}，分别为" + "、".join(percent(sub.figures.completion) for sub in best)
                    + (f"；{none}个县市区本期没有新增。" if none else "。"))
    q = summary.quality
    if q is not None and q.entrants:
        big = q.by_band.get("1亿元及以上", 0)
        new_build = q.by_kind.get("新建投产", 0)
        trades = "，".join(f"{name}{n}家" for code, name, n in q.by_division[:3] if code)  # names hold 、
        said.append(f"新增入规企业中，主营业务收入1亿元及以上的{big}家，占{percent(big / q.entrants)}；新建投产{new_build}家，"
                    f"占{percent(new_build / q.entrants)}；当年已形成税收的{q.paid_tax}家。"
                    + (f"较多的行业是：{trades}。" if trades else ""))
        if q.last_year_entrants:
            said.append(f"上年新增入规企业{q.last_year_entrants}家，至今仍在库{q.still_in}家，存续率{percent(q.survival)}。")
    return "".join(said)


def city_progress(summary: PeriodSummary, policy: Policy) -> dict:
    """The city's progress of the period as the bulletin (and the 调度通报) says it: entries by kind, exits, net,
    completion against the target and time progress, over the counties whose figures were accepted."""
    city, total = summary.city, policy.total_label
    year_over = _year_over(summary.period)
    city_versus = _versus(city.gap_points, new=city.new, target=city.reporting_target, year_over=year_over)
    if not year_over and city.gap_points is not None:
        city_versus += f"（时序进度{percent(city.progress)}）"
    return {"new": city.new, "new_build": city.new_by_kind.get("新建投产", 0),
            "upgrade": city.new_by_kind.get("小升规", 0), "exits": city.exits, "net": city.net, "net_text": _net(city.net),
            "target": city.reporting_target or "—",
            # the accepted counties' targets added up are no official target: said as what they are
            "target_text": (f"年度目标{city.target or '—'}家" if city.complete
                            else f"其年度目标之和{city.reporting_target or '—'}家"),
            "completion": percent(city.completion), "versus": city_versus,
            "scope": total if city.complete else f"已报送合格报表的{city.reporting}个{summary.unit_label}",
            "missing": "" if city.complete else (f"{_names(list(city.missing))}尚未报送合格报表，未计入上述数字"
                                                 f"（{total}年度目标{city.target or '—'}家）。"),
            "pending": _pending(summary)}


def contexts(summary: PeriodSummary, policy: Policy, numbers: dict[str, str], day: dt.date | None,
             reminders: tuple[Reminder, ...] = ()) -> dict[str, dict | None]:
    """Each document type's context, or None when there is nobody to name in it; ``reminders``: the 催报通知
    issued for the period before, which the criticism cites. Every sentence is written from what the period
    has: who was chased, whether the year is over, whether the city is ahead of time progress."""
    decisions = {d.county: d for d in summary.decisions}
    praised = [f for f in sorted(summary.counties, key=lambda f: f.rank or 999) if decisions[f.county].outcome == PRAISE]
    criticised = [f for f in summary.counties if decisions[f.county].outcome == CRITICISE]
    missing = [f for f in summary.counties if f.status != ACCEPTED_LABEL]
    city, unit, total = summary.city, summary.unit_label, policy.total_label
    year_over, next_year = _year_over(summary.period), summary.period.year + 1
    out: dict[str, dict | None] = {}

    entry = entry_for(policy.calendar, summary.period)  # the period's due date and resubmission deadline
    settings = policy.document("bulletin")
    ranked = sorted((f for f in summary.counties if f.rank is not None), key=lambda f: f.rank)
    rows = [{"rank": f.rank, "name": f.county, "new": f.new, "exits": f.exits, "net": f.net, "target": f.target or "—",
             "completion": percent(f.completion), "gap": "—" if f.gap_points is None else f"{f.gap_points:+.1f}"}
            for f in ranked]
    rows += [{"rank": "—", "name": f.county, "new": "—", "exits": "—", "net": "—", "target": f.target or "—",
              "completion": f.status, "gap": "—"} for f in summary.counties if f.rank is None]
    # a county with no accepted figures is criticised for its report, never called 推进不力 (#18)
    lagging = [f.county for f in criticised if f.status == ACCEPTED_LABEL]
    unreported = [f.county for f in criticised if f.status != ACCEPTED_LABEL]
    verdicts = []
    if praised:
        verdicts.append(("praise", f"对工作成效明显的{_names([f.county for f in praised])}予以通报表扬"))
    blamed = [f"推进不力的{_names(lagging)}"] * bool(lagging) + [f"未按要求报送合格报表的{_names(unreported)}"] * bool(unreported)
    if blamed:
        verdicts.append(("criticism", f"对{'、'.join(blamed)}予以通报批评"))
    out["bulletin"] = {
        **_common(summary, policy, settings, numbers["bulletin"], day),
        "city": city_progress(summary, policy),
        "rows": rows, "reporting": _reporting(summary, entry, reminders, day), "screening": _screening(summary),
        "province": province_paragraph(summary),
        "screening_ask": ("对市里下发的应入尽入工作清单中的企业，要逐一联系核实，符合条件的指导准备材料申报，"
                          "不符合条件的写明原因，在下期报表的“应入尽入跟踪”表中如实反馈；") if summary.screening else "",
        "rank_basis": _rank_basis(policy) + ("" if city.complete else f"；尚未报送合格报表的{unit}列于表末"),
        "assessment": _assessment(policy, settings.signer, verdicts),
        "gap_header": "较年度目标" if year_over else "较时序进度",
        "follow_up": (f"各{unit}要对照年度目标，认真总结{summary.period.year}年工作，未完成目标的要深入查找原因，"
                      f"逐企业梳理{next_year}年入规计划，确保完成{next_year}年目标任务。") if year_over else
                     (f"各{unit}要对照年度目标和时序进度，逐企业梳理入规计划，进度滞后的要查找原因、倒排工期，"
                      "确保完成全年目标任务。"),
    }

    settings = policy.document("praise")
    praised_names = [f.county for f in praised]
    out["praise"] = None if not praised else {
        **_common(summary, policy, settings, numbers["praise"], day),
        "names": _names(praised_names), "count_text": f"等{len(praised)}个{unit}" if len(praised) > 1 else "",
        "decided": _decided(praised_names, unit),
        "benchmark": "对照目标任务" if year_over else "对照目标任务和时序进度",
        "praised": [{"heading": f"{_ordinal(i, len(praised))}{f.county}：", "name": f.county,
                     "sentence": _achievement(f, summary, total),
                     "new": f.new, "net": f.net, "completion": percent(f.completion), "rank": f.rank}
                    for i, f in enumerate(praised)],
    }

    settings = policy.document("criticism")
    criticised_names = [f.county for f in criticised]
    out["criticism"] = None if not criticised else {
        **_common(summary, policy, settings, numbers["criticism"], day),
        "names": _names(criticised_names),
        "count_text": f"等{len(criticised)}个{unit}" if len(criticised) > 1 else "",
        "decided": _decided(criticised_names, unit),
        "subject": _subject(lagging, unreported), "conduct": _conduct(lagging, unreported),
        "effect": _effect(lagging, unreported, total, city, year_over),
        "criticised": [{"heading": f"{_ordinal(i, len(criticised))}{f.county}：", "name": f.county,
                        "facts": _facts(f, summary, total, entry, reminders_of(reminders, f.county, day))}
                       for i, f in enumerate(criticised)],
        "reply_by": _deadline(settings, day, "通报", policy.working_days), "reply_to": settings.printer,
        "warned": criticised_names[0] if len(criticised_names) == 1 else f"被通报批评的{unit}",
        "others": (f"扎实做好{next_year}年规模以上工业企业培育工作" if year_over else "确保完成全年目标任务"),
    }

    settings = policy.document("reminder")
    still_open = open_until(policy.calendar, summary.period, day) if day else None  # reply by the calendar's deadline
    returned = {s.county: s for s in summary.statuses}
    today = day or dt.date.today()
    due_today = entry is not None and today == entry.due  # a letter on the due day itself: the day is not over
    out["reminder"] = None if not missing else {
        **_common(summary, policy, settings, numbers["reminder"], day),
        "names": _names([f.county for f in missing]), "today": G.date_text(today),
        "as_of": "截至目前" if due_today else f"截至{G.date_text(today)}",
        # one county: said in the sentence itself (“截至目前，炎陵县尚未报送报表。”), not as a list of one under
        # “以下县市区”; several: listed one by one
        "status_text": (f"以下{unit}尚未报送合格报表：" if len(missing) != 1 else
                        f"{missing[0].county}尚未报送报表。" if missing[0].status == MISSING else
                        f"{missing[0].county}{_returned(returned[missing[0].county])}。"),
        "missing": [] if len(missing) == 1 else [
            {"heading": f"{_ordinal(i, len(missing))}", "name": f.county,
             "reason": "尚未报送" if f.status == MISSING else _returned(returned[f.county])}
            for i, f in enumerate(missing)],
        "reply_by": (G.date_text(still_open) + "前" if still_open
                     else _deadline(settings, day, "函", policy.working_days)),
        "reply_to": settings.printer,
        "due_text": (f"的报送截止日期为今日（{G.date_text(entry.due)}）" if due_today
                     else f"应于{G.date_text(entry.due)}前报送" if entry else "应按时报送"),
        "contact": settings.contact or "联系人：　　　　，电话：　　　　",
        "address": settings.address or "　" * 12, "email": settings.email or "　" * 8,
    }
    return out


def _subject(lagging: list[str], unreported: list[str]) -> str:
    """What the criticism is for, as its title says it: progress only where figures were accepted."""
    if lagging and unreported:
        return "工作推进不力和未按要求报送报表"
    return "工作推进不力" if lagging else "未按要求报送报表"


def _effect(lagging: list[str], unreported: list[str], total_label: str, city: CityFigures, year_over: bool) -> str:
    """What the conduct cost, in the same terms and true of the city: lagging progress threatens the city's
    target only while the city is behind (or, once the year is over, when it missed it); a city ahead of time
    progress is held back, not put at risk. A report not sent holds up the city's consolidation (it says
    nothing about the county's progress)."""
    if year_over:
        at_risk = city.reporting_target is not None and city.new < (city.target or city.reporting_target)
        lag = f"影响了{total_label}年度目标任务的完成" if at_risk else f"拖累了{total_label}整体进度"
    else:
        at_risk = city.gap_points is None or city.gap_points < 0
        lag = f"影响了{total_label}目标任务的完成" if at_risk else f"拖累了{total_label}整体进度"
    if lagging and unreported:
        return f"{lag}和工作调度"
    return lag if lagging else f"影响了{total_label}工作调度和数据汇总"


def _conduct(lagging: list[str], unreported: list[str]) -> str:
    """The criticism's opening, in the same terms as its title."""
    if lagging and unreported:
        return "新增规模以上工业企业工作进展缓慢或未按要求报送合格报表"
    return "新增规模以上工业企业工作进展缓慢" if lagging else "未按要求报送合格报表"


def _returned(row) -> str:
    """Why a county's report was returned, as the reminder says it to the county: in plain words, what stands in
    the way and where each problem is explained (the results sent back with the file) — never the checker's
    own names for its findings (疑似以元为单位, 风险库营收超出范围), which are for the results workbook."""
    if KINDS[UNREADABLE].title in row.causes:
        return "报送的文件无法打开读取，请按报表模板重新填报后报送"
    if KINDS[PERIOD_MISMATCH].title in row.causes:
        return "报送的不是本期的报表（报送期不符：封面所填为其他报送期），请用本期报表模板填报后报送"
    parts = [f"{row.errors}处错误" if row.errors else "", f"{row.unexplained}处提示既未改正也未说明理由"
             if row.unexplained else ""]
    found = "、".join(p for p in parts if p) or "问题"
    return f"报送的报表经审核有{found}，未通过审核（每处问题所在的单元格和改正方法，见随报表发回的校验结果）"


def _target(folder: Path, label: str, period: Period) -> Path:
    """A new file every time: an earlier version may have been signed."""
    return tools().files.unused_path(folder, f"{period.label}{label}", ".docx", "（第{}版）")


SKIP_REASONS = {"bulletin": "本期没有可通报的情况，未生成工作情况通报。",
                "praise": "本期没有符合表扬条件的{unit}，未生成表扬通报。",
                "criticism": "本期没有符合批评条件的{unit}，未生成通报批评。",
                "reminder": "本期各{unit}的报表均已通过审核，无需催报。"}


class Notices(list):
    """The notices of one run; ``held_open``: why the period was not closed (counties still within the
    resubmission deadline may send a report that must count, not be an adjustment), '' when it was."""

    held_open: str = ""
    layout: LayoutCheck = LayoutCheck()  # the after-issue layout check of the notices written


def _waiting(summary: PeriodSummary, policy: Policy, day: dt.date | None) -> tuple[list[str], dt.date | None]:
    """The counties without an accepted report that are still within the resubmission deadline on ``day``."""
    deadline = open_until(policy.calendar, summary.period, day or dt.date.today())
    if deadline is None:
        return [], None
    return [f.county for f in summary.counties if f.status != ACCEPTED_LABEL], deadline


def _held_open(summary: PeriodSummary, policy: Policy, day: dt.date | None) -> str:
    waiting, deadline = _waiting(summary, policy, day)
    if not waiting:
        return ""
    return (f"{_names(waiting)}尚在补报期限（{G.date_text(deadline)}）之内，本期暂不封账：期限内补报合格的照常受理、"
            f"计入本期；期满后再生成公文时封账。")


def _withheld(key: str, summary: PeriodSummary, policy: Policy, day: dt.date | None,
              criticised: set[str]) -> str:
    """Why a document that has content is not issued on ``day`` ('' when it is): while a county is still within
    the resubmission deadline only the 催报通知 goes out — figures, ranks, praise and criticism wait until the
    period is final, so that no numbered document is issued twice with different figures; once the deadline
    has passed, a county criticised for its report is not reminded again in the same run."""
    waiting, deadline = _waiting(summary, policy, day)
    if waiting and key != "reminder":
        what = DOCUMENT_TYPES[key]
        return (f"{_names(waiting)}尚在补报期限（{G.date_text(deadline)}）之内，本期数字和排名未定，暂不生成{what}；"
                f"期满或各{summary.unit_label}均已受理后再生成。")
    if key == "reminder" and entry_for(policy.calendar, summary.period) is not None and not waiting:
        outstanding = [f.county for f in summary.counties if f.status != ACCEPTED_LABEL]
        if outstanding and set(outstanding) <= criticised:
            return f"补报期限已过，{_names(outstanding)}已列入通报批评，不再单独催报。"
    return ""


def _skip_reason(key: str, summary: PeriodSummary, policy: Policy) -> str:
    if key in ("praise", "criticism") and not assessed(policy.calendar, summary.period):
        return f"本期为月度调度，不作表扬和通报批评，未生成{DOCUMENT_TYPES[key]}。"
    return SKIP_REASONS[key].format(unit=summary.unit_label)


def monthly(policy: Policy, period: Period) -> bool:
    """Whether ``period`` is a 月度调度 period of the calendar (its notice is the 调度通报)."""
    entry = entry_for(policy.calendar, period)
    return entry is not None and entry.kind == MONTHLY


def documents_of(policy: Policy, period: Period) -> tuple[str, ...]:
    """The document types a period issues, in order: a quarter-end report's 工作情况通报, 表扬通报, 通报批评 and
    催报通知; a 月度调度 period's 调度通报 in place of the 工作情况通报 (praise and criticism are not decided on it)."""
    first = "dispatch" if monthly(policy, period) else "bulletin"
    return (first, "praise", "criticism", "reminder")


def make_notices(workspace: Workspace, period: Period, *, day: dt.date | None = None, number: bool = False,
                 templates: Path | None = None, pdf: bool = False, draft: bool = False) -> Notices:
    folder = template_folder(workspace, templates)
    results = Notices()
    with workspace.writing(f"公文{period}") as store:
        if not any(s.status.judged for s in store.submissions.all(period=period)):
            raise UserError(f"{period} 还没有汇总过任何报表，不能生成公文。",
                            Hint.of(Action.CONSOLIDATE, workspace=workspace.root, period=period))
        policy = policy_for(workspace, store, period)
        keys = documents_of(policy, period)
        missing_settings = [DOCUMENT_TYPES[k] for k in keys if policy.document(k) is None]
        if missing_settings:
            raise UserError(f"政策参数工作簿的“发文设置”表中缺少{_names(missing_settings)}的发文机关、主送等设置。请补充后再生成。")
        sources = {k: folder / TEMPLATE_FILES[k] for k in keys}
        for key, source in sources.items():
            if not source.is_file():
                if templates is None and key == "dispatch" and (BUILT_IN_TEMPLATES / source.name).is_file():
                    sources[key] = BUILT_IN_TEMPLATES / source.name  # a workspace made before the template existed
                    continue
                raise UserError(f"模板文件夹“{folder}”中缺少“{source.name}”。")
        if not draft:
            refuse_examples(policy, workspace.policy_path, L.NOTICES_NEED, L.NOTICES_WHAT,
                            Hint.of(Action.NOTICES_DRAFT, workspace=workspace.root, period=period))
        summary = period_summary(store, policy, period, day)  # decided as of the notice's date
        issue_year = (day or dt.date.today()).year  # 〔年份〕 of a 发文字号 is the year it is issued, not the period's
        blank = {k: G.doc_number(policy.document(k).number_prefix, issue_year, None) for k in keys}
        reminders = tuple(store.papers.reminders(period))
        drafts = contexts(summary, policy, {**dict.fromkeys(TEMPLATE_FILES, ""), **blank}, day,
                          reminders)  # numbered below, once we know what is issued
        if "dispatch" in keys:
            from toolkit.services.dispatch import dispatch_context  # it reuses this module's sentences
            reported = {s.county for s in store.submissions.accepted() if s.period.year == period.year
                        and s.period <= period}
            drafts["dispatch"] = dispatch_context(summary, policy, blank["dispatch"], day, reminders, reported)
        criticised = {d.county for d in summary.decisions if d.outcome == CRITICISE}
        withheld = {k: _withheld(k, summary, policy, day, criticised) for k in keys}
        issued = [k for k in keys if drafts[k] is not None and not withheld[k]]
        at = now_text()
        numbers = dict(blank)
        with store.transaction():  # a number only for a document written now: no gaps in the register
            for key in issued if number else ():
                settings = policy.document(key)
                value = allocate_number(workspace, store, key, str(period), settings.number_prefix, issue_year, at)
                numbers[key] = G.doc_number(settings.number_prefix, issue_year, value)
        texts = {k: None if drafts[k] is None else {**drafts[k], "doc_number": numbers[k]} for k in keys}
        out_dir = workspace.output / NOTICES_DIR_NAME / str(period)
        for key in keys:
            context = texts[key]
            if key not in issued:
                results.append(Notice(key, skipped=withheld[key] or _skip_reason(key, summary, policy)))
                continue
            try:
                target = _target(out_dir, DOCUMENT_TYPES[key], period)
                path = tools().documents.render_docx(sources[key], context, target)
            except TemplateProblem as problem:
                raise UserError(str(problem)) from None
            results.append(Notice(key, path, number=numbers[key]))
            if key == "reminder" and day is not None and not draft:  # issued: the criticism will cite it
                named = tuple(f.county for f in summary.counties if f.status != ACCEPTED_LABEL)
                reminder = Reminder(day, numbers[key] if number else "", named)
                with store.transaction():
                    store.papers.record_reminder(period, reminder)
                    workspace.archive.record({"event": "reminder", "period": str(period), "day": day.isoformat(),
                                              "number": reminder.number, "counties": list(named), "at": at,
                                              "policy": keep_policy(workspace, workspace.archive)})
    results.held_open = _held_open(summary, policy, day)
    results.layout = check_layout(n.path for n in results if n.path)
    if not draft and not results.held_open:
        close_period(workspace, period, "已生成" + "、".join(n.label for n in results if n.path))
    if pdf:
        for notice in results:
            if notice.path is None:
                continue
            try:
                notice.pdf = tools().documents.to_pdf(notice.path, notice.path.with_suffix(".pdf"))
            except NoOfficeSuite as problem:
                notice.pdf_problem = str(problem)
    return results
