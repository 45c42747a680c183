"""The sample year's pipeline lists month by month (issue #37): what each county's returns carry in the
重点培育企业, 退规风险企业, 问题台账, 重点项目 and 应入尽入跟踪 sheets at every period of 2022, the quarter ends and
the monthly 调度 returns between them alike.

Deterministic (its own random stream per county, so the quarter-end entries and exits of ``samples`` do not move):
- **the pool** holds about 1.1–1.6 times the county's next-year 新增 target (the plan's own pool firms first, in
  their order): each firm's 营业收入 is year-to-date, growing month by month with a seasonal shape (weak
  Jan–Feb, strong Q4) and noise. Most stay in the band; some cross 2000 万元 during the year (next year's 小升规
  batch, crossing in the fourth quarter: the county explains it in 说明, as W121 asks); some stall (sales stop growing mid-year); a few fall
  below the band and the county takes them off the list;
- **the projects**: each 新建投产 entry of the plan is a 重点项目, commissioned one to three months before its entry
  month, its year-to-date revenue reaching the entry's figure in the entry month and growing after it; and a few
  projects still being built (some commissioned late in the year, below 2000 万元);
- **the at-risk list**: the plan's at-risk firms, their annual level (上年或最近12个月) sliding for some, steady for
  others; and up to two of the year's exits for falling below the threshold, listed (and sliding) until they leave;
- **the problem ledger**: the plan's items as before, and items opened during the year, some closed late (overdue
  for a few months, explained), one still overdue at the year end;
- **应入尽入跟踪** from the 2022-07 return on (the city's screen of the 2022-06 tax data ran in mid-July): each
  county's planted candidates with answers that progress month to month; 茶陵县 never answers.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from toolkit.domain.periods import Period
from toolkit.domain.policy import County, Policy

YEAR = 2022
MONTHLY_MONTHS = (2, 4, 5, 7, 8, 10, 11)  # 月度调度 between quarter ends (statistics skip January)
MONTHLY_PERIODS = tuple(Period(YEAR, m) for m in MONTHLY_MONTHS)
# each month's share of a year's revenue: weak January–February, strong fourth quarter
SEASON = (0.052, 0.058, 0.075, 0.08, 0.08, 0.085, 0.08, 0.085, 0.09, 0.095, 0.105, 0.115)
STALLED_PACE = 0.5  # a stalled firm's sales after it stalls, against its usual month
FOLLOW_FROM = Period(YEAR, 7)  # the first return after the screen of 2022-06 (run in mid-July)
QUALIFIED, LIKELY, NEW_BUILD, NOT_LISTED = "达标未入规", "可能达标", "新建投产窗口", "不列入"
NOT_QUALIFIED_REASON = "经核实，2021年营业收入含代销收入，主营业务收入不足2000万元"
DEFERRED_REASON = "企业称二期设备仍在调试，预计2023年达产后再申报入统"
SILENT = "茶陵县"  # never answers the follow-up sheet
GREW_NOTE = "本年累计营业收入已达2000万元，已指导企业准备{year}年1月年度入库申报材料"
OVERDUE_NOTE = "已逾期，已报请县政府督办，交办单位承诺{month}月底前办结"
_MEASURES = ["上门走访，帮助对接订单和融资", "协调用地用电，加快技改项目投产", "指导财务统计规范，做好入统准备",
             "组织参加产销对接会，拓展市场", "帮助申报专精特新和技改资金"]
_PROBLEMS = [("订单减少，需对接本地整机企业", "县商务局"), ("技改项目环评审批慢", "市生态环境局分局"),
             ("厂房用地手续未办结", "县自然资源局"), ("用电增容未落实", "国网供电公司"),
             ("招工难，技术工人短缺", "县人社局"), ("应收账款回款慢，资金周转困难", "县金融办")]


def ytd(annual: float, month: int, noise: tuple[float, ...]) -> float:
    """Year-to-date revenue at ``month`` of a firm whose year sums to about ``annual`` (万元)."""
    return round(sum(annual * SEASON[m] * noise[m] for m in range(month)), 2)


@dataclass
class PoolFirm:
    record: dict  # uscc, name, industry, spin_off, expected_entry, measures (the row without revenue)
    annual: float
    noise: tuple[float, ...]
    stall_from: int = 13  # from this month on, the firm sells almost nothing more
    until: int = 12  # the last month the county lists it
    note: str = ""

    def revenue(self, month: int) -> float:
        if month < self.stall_from:
            return ytd(self.annual, month, self.noise)
        flat = ytd(self.annual, self.stall_from - 1, self.noise)
        return round(flat + sum(self.annual * SEASON[m] * self.noise[m] * STALLED_PACE
                                for m in range(self.stall_from - 1, month)), 2)


@dataclass
class Project:
    record: dict  # project, uscc, name, industry, planned_month, planned_revenue, responsible
    actual: int | None  # the month of 2022 it was commissioned (0: December of last year); None: not this year
    revenue_at: dict[int, float] = field(default_factory=dict)  # year-to-date revenue once producing
    entry_month: int | None = None


@dataclass
class RiskFirm:
    record: dict  # uscc, name, risk_reason, help_measures, helper
    levels: dict[int, float]  # the annual level the county reports at each month
    until: int = 12


@dataclass
class Problem:
    record: dict  # uscc, name, problem, assigned_to, deadline
    opened: int  # the month it is first listed
    closed: int | None  # the month it is closed (None: open at the year end)
    note: str = ""


@dataclass
class CountyPipeline:
    pool: list[PoolFirm]
    projects: list[Project]
    at_risk: list[RiskFirm]
    ledger: list[Problem]
    follow_up: list[dict]  # candidate rows: uscc, name, and the answers by month (see ``_follow_rows``)


def _noise(rng: random.Random, spread: float = 0.12) -> tuple[float, ...]:
    return tuple(math.exp(rng.gauss(0, spread)) for _ in range(12))


def _pool(rng: random.Random, policy: Policy, county: County, plan: dict, maker) -> list[PoolFirm]:
    """The plan's pool firms and more, to 1.1–1.6 times next year's target; kinds of year in a fixed mix."""
    target = policy.new_target(county.name, YEAR + 1) or 10
    size = max(len(plan["pool"]), round(target * rng.uniform(1.1, 1.6)))
    records = [dict(r) for r in plan["pool"]]
    while len(records) < size:
        code, name, industry = maker.enterprise()
        spin_off = rng.random() < 0.06
        records.append({"uscc": code, "name": name, "industry": industry, "spin_off": "是" if spin_off else "否",
                        "expected_entry": f"{YEAR + 1}-01", "measures": rng.choice(_MEASURES)})
    firms = []
    for index, record in enumerate(records):
        planned = record.pop("revenue", None)  # the plan's firms keep their size (the department data has them)
        spin_off = record.get("spin_off") == "是"
        annual = rng.uniform(450, 950) if spin_off else rng.uniform(1250, 1900)
        if planned is not None:
            annual = planned if spin_off else max(planned, 1250.0)
        firm = PoolFirm(record, round(annual, 2), _noise(rng))
        roll = rng.random()
        moves = planned is None and not spin_off  # only new firms cross, stall or fall
        if moves and roll < 0.15:  # crosses 2000 万元 in October–December: next year's batch
            firm.annual = round(rng.uniform(2250, 2600), 2)
        elif moves and roll < 0.27:  # stalls mid-year: half the pace after, short of 2000
            firm.annual = round(rng.uniform(1750, 1950), 2)
            firm.stall_from = rng.randint(6, 9)
        elif moves and roll < 0.33:  # its sales fall off: below the band's pace, the county takes it off the list
            firm.annual = round(rng.uniform(1250, 1500), 2)
            firm.stall_from = rng.randint(4, 6)
            firm.until = firm.stall_from + rng.choice((1, 2))
            firm.note = "订单大幅减少，预计全年营业收入不足1000万元，下期移出培育库"
        firms.append(firm)
    return firms


def _projects(rng: random.Random, county: County, plan: dict) -> list[Project]:
    """A 重点项目 for each 新建投产 entry (commissioned 1–3 months before it enters) and a few still being built."""
    out = []
    for entry in plan["entries"]:
        if entry["entry_kind"] != "新建投产":
            continue
        month = int(entry["entry_month"][5:])
        actual = max(0, month - rng.randint(1, 3))
        record = {"project": _project_name(entry["name"], rng), "uscc": entry["uscc"], "name": entry["name"],
                  "industry": entry["industry"], "planned_month": _month(max(actual, 1) if actual else 0),
                  "planned_revenue": 0.0,  # set below from its pace
                  "responsible": f"{county.name}工信局项目推进办"}
        project = Project(record, actual, entry_month=month)
        first = max(actual, 1)
        at_entry = entry["revenue"]
        weights = [SEASON[m - 1] for m in range(first, month + 1)]
        done = 0.0
        for m in range(first, 13):
            if m <= month:
                done += at_entry * SEASON[m - 1] / sum(weights)
                project.revenue_at[m] = round(at_entry if m == month else done, 2)
            else:
                project.revenue_at[m] = round(project.revenue_at[m - 1] + at_entry / len(weights)
                                              * rng.uniform(0.9, 1.2), 2)
        pace = at_entry / len(weights)  # its monthly sales once producing
        record["planned_revenue"] = round(max(pace * 12 * rng.uniform(1.0, 1.3), 3000.0), -2)
        out.append(project)
    for index in range(rng.randint(2, 4)):  # still being built; the first may start producing in Q4
        planned = rng.randint(9, 14)
        actual = planned if index == 0 and planned <= 11 else None
        record = {"project": f"{county.name.rstrip('县市区')}{rng.choice(['新材料', '智能装备', '电子元件', '新能源'])}"
                             f"产业园{'一二三四'[index]}期项目", "uscc": None, "name": None, "industry": None,
                  "planned_month": _month(planned) if planned <= 12 else f"{YEAR + 1}-{planned - 12:02d}",
                  "planned_revenue": round(rng.uniform(5000, 30000), -2),
                  "responsible": f"{county.name}重点项目推进办"}
        project = Project(record, actual)
        for m in range(actual or 13, 13):
            project.revenue_at[m] = round(rng.uniform(60, 120) * (m - actual + 1), 2)
        out.append(project)
    return out


def _project_name(firm: str, rng: random.Random) -> str:
    core = firm.replace("有限责任公司", "").replace("股份有限公司", "").replace("有限公司", "").replace("科技", "")
    return f"{core}年产{rng.choice([5, 10, 20, 50])}万件{rng.choice(['生产线', '智能工厂', '扩建'])}项目"


def _month(month: int) -> str:
    return f"{YEAR - 1}-12" if month == 0 else f"{YEAR}-{month:02d}"


def _at_risk(rng: random.Random, plan: dict) -> list[RiskFirm]:
    """The plan's at-risk firms (levels sliding for about half of them) and up to two of the year's exits for
    falling below the threshold, listed until the month before they leave."""
    out = []
    for record in plan["at_risk"]:
        start = record["revenue"]
        drift = rng.choice((-0.025, -0.015, 0.0, 0.005))
        levels = {m: round(min(2990.0, max(1800.0, start * (1 + drift) ** (m - 2) * rng.uniform(0.99, 1.01))), 2)
                  for m in range(1, 13)}
        out.append(RiskFirm({k: record[k] for k in ("uscc", "name", "risk_reason", "help_measures", "helper")},
                            levels))
    entered = {r["uscc"] for r in plan["entries"]}
    leaving = [r for r in plan["exits"] if r["exit_reason"] == "营收降至标准以下" and r["uscc"] not in entered
               and int(r["exit_month"][5:]) >= 4][:2]
    for record in leaving:
        gone = int(record["exit_month"][5:])
        start = rng.uniform(2300, 2600)
        levels = {m: round(start - (start - 2010) * (m - 1) / max(1, gone - 2), 2) for m in range(1, gone)}
        out.append(RiskFirm({"uscc": record["uscc"], "name": record["name"], "risk_reason": "订单下滑",
                             "help_measures": "一企一策：组织产销对接，协调主要客户恢复订单",
                             "helper": plan["cover"]["unit"]}, levels, until=gone - 1))
    return out


def _ledger(rng: random.Random, plan: dict, pool: list[PoolFirm]) -> list[Problem]:
    """The plan's items (listed from the start, closed in their deadline month) and items opened during the year:
    some closed on time, some late, one still overdue at the year end."""
    out = []
    for record in plan["ledger"]:
        out.append(Problem(dict(record), 1, record["deadline"].month))
    firms = [f.record for f in pool[:8]]
    for index, firm in enumerate(rng.sample(firms, k=min(4, len(firms)))):
        problem, unit = rng.choice(_PROBLEMS)
        opened = rng.randint(6, 8)  # overdue from August on: the half-year returns carry no overdue item
        deadline = dt.date(YEAR, min(12, opened + rng.randint(1, 2)), 20)
        late = (0, 2, 3, None)[index]  # on time; 2 and 3 months late; still open at the year end
        closed = deadline.month + late if late is not None else None
        if closed is not None and closed > 12:
            closed = None
        item = Problem({"uscc": firm["uscc"], "name": firm["name"], "problem": problem, "assigned_to": unit,
                        "deadline": deadline}, opened, closed)
        out.append(item)
    return out


def _follow_rows(county: str, planted: list) -> list[dict]:
    """The county's candidates of the screen with how its answers progress (month → values)."""
    if county == SILENT:
        return []
    rows = []
    for index, firm in enumerate(p for p in planted if p.county == county and p.kind != NOT_LISTED):
        contacted = dt.date(YEAR, 7, 18 + 3 * index % 12)
        steps: dict[int, dict] = {7: {"contacted": contacted, "result": "跟进中"}}
        if firm.kind == LIKELY and county == "石峰区":
            steps = {7: {"result": "跟进中", "note": "企业负责人出差，尚未联系上"},
                     10: {"contacted": dt.date(YEAR, 10, 12), "result": "跟进中"}}
        elif firm.kind == QUALIFIED and county == "醴陵市" and firm.basis == "上年":
            steps[8] = {"contacted": contacted, "result": "不符合条件", "reason": NOT_QUALIFIED_REASON}
        elif firm.kind == NEW_BUILD and county == "炎陵县":
            steps[8] = {"contacted": contacted, "result": "企业暂不申报", "reason": DEFERRED_REASON}
        elif firm.kind == QUALIFIED:
            month = 8 + index % 2
            steps[month] = {"contacted": contacted, "applied": "已申报", "applied_on": dt.date(YEAR, month, 16),
                            "result": "跟进中", "note": "已报送申报材料，待统计部门审核"}
        elif firm.kind == LIKELY:
            steps[11] = {"contacted": contacted, "applied": "已申报", "applied_on": dt.date(YEAR, 11, 21),
                         "result": "跟进中", "note": "1—10月销售额已过2000万元，企业已申报"}
        rows.append({"uscc": firm.code, "name": firm.name, "steps": steps,
                     "note": "登记机关在天元区，企业在天元区生产经营" if firm.flags and "区域不一致" in firm.flags else ""})
    return rows


def county_pipeline(policy: Policy, county: County, plan: dict, maker_of, planted: list) -> CountyPipeline:
    """The county's lists of the year; ``maker_of(rng)``: a maker of new firms (codes and names unused by the
    plan) drawing on ``rng``; ``planted``: the department samples' planted firms."""
    rng = random.Random(f"pipeline-{YEAR}-{county.name}")
    pool = _pool(rng, policy, county, plan, maker_of(rng))
    return CountyPipeline(pool, _projects(rng, county, plan), _at_risk(rng, plan), _ledger(rng, plan, pool),
                          _follow_rows(county.name, planted))


def lists_at(pipeline: CountyPipeline, period: Period) -> dict[str, list[dict]]:
    """The pool, at-risk, ledger, project and follow-up rows of the county's return for ``period``."""
    month = period.month
    pool = []
    for firm in pipeline.pool:
        if month > firm.until:
            continue
        revenue = firm.revenue(month)
        note = GREW_NOTE.format(year=YEAR + 1) if revenue >= 2000 else (firm.note if month == firm.until else "")
        pool.append({**firm.record, "revenue": revenue, "note": note})
    at_risk = [{**f.record, "revenue": f.levels[month]} for f in pipeline.at_risk if month <= f.until]
    ledger = []
    end = dt.date(period.year, month, 28)
    for item in pipeline.ledger:
        if month < item.opened:
            continue
        closed = item.closed is not None and month >= item.closed
        overdue = not closed and item.record["deadline"] < end
        status = "已办结" if closed else ("办理中" if month > item.opened else "未办结")
        note = OVERDUE_NOTE.format(month=min(12, month + 1)) if overdue else ""
        if closed and item.closed > item.record["deadline"].month:
            note = f"逾期办结（{YEAR}年{item.closed}月办结）"
        ledger.append({**item.record, "status": status, "note": note})
    projects = []
    for project in pipeline.projects:
        producing = project.actual is not None and project.actual <= month
        if project.entry_month is not None and month >= project.entry_month:
            milestone = "已投产，已月度入库"
        elif producing:
            milestone = "已投产"
        else:
            milestone = "设备安装" if month >= 6 else "土建施工"
        row = {**project.record, "actual_month": _month(project.actual) if producing else None,
               "revenue": project.revenue_at.get(month) if producing else None, "milestone": milestone}
        if not producing and Period.parse(row["planned_month"]) < period:
            row["planned_month"] = str(period)  # the county moves a slipped plan on
        projects.append(row)
    follow_up = []
    if period >= FOLLOW_FROM:
        for row in pipeline.follow_up:
            values: dict = {}
            for step_month in sorted(row["steps"]):
                if step_month <= month:
                    values.update(row["steps"][step_month])
            if row["note"] and not values.get("note"):
                values["note"] = row["note"]
            follow_up.append({"uscc": row["uscc"], "name": row["name"], **values})
    return {"pool": pool, "at_risk": at_risk, "ledger": ledger, "projects": projects, "follow_up": follow_up}
