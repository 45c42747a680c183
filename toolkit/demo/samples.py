"""Deterministic generator of the shipped samples (fixed seed): the sample policy workbook and filled
county workbooks for all units, for the four quarters of 2022 (the year-end report is 2022-12), as clerks
really fill them.

The year has what a real one has (the story ``guishang demo`` tells and tests/stories/test_full_year.py checks):
- 2022-06: 茶陵县 and 攸县 are returned (deliberate mistakes); 茶陵县 sends a corrected workbook within the
  resubmission deadline (县区报表/2022-06补报/), 攸县 does not and is criticised for it;
- 2022-09: 炎陵县 misses the due date, is reminded and sends its workbook within the deadline
  (县区报表/2022-09补报/);
- a double claim: 株洲经开区 reports one of 天元区's firms in 2022-06 and 2022-09 and drops it at year end
  (the natural way to settle it); at year end it reports another 天元区 firm, which the city attributes after
  the first reward batch, so that firm is paid in the second batch;
- the tax office's first list leaves out one taxed firm of 渌口区; its supplementary list names it
  (部门数据/2022年新入规企业税收（税务局，补充）.xlsx), and the second batch pays it;
- counties at different paces: some lag the time progress and are criticised at the quarter ends.

Also a simulated 2023 (one period, 2023-12, in which some of 2022's new enterprises leave), and the
lists the other offices send for each year: the statistics office's confirmed entries and exits and
the tax office's tax per enterprise, each with a few deliberate differences from the county reports
(a firm not confirmed, a kind confirmed differently, a firm without tax), so that the reward batch
shows what it excludes and why.

It ships inside the package: ``guishang demo DIR`` writes the same year into DIR/样例 and runs the story on
it. ``make samples`` (``python -m toolkit.demo.samples .``) rewrites the repository's samples/ and the sample
policy in toolkit/resources; those files are committed so that a user can open them, and a test checks that
they are what this module writes.

Fictional but plausible: enterprise names, USCCs with valid check characters and the right area
codes, revenues and taxes with a realistic spread, entry counts near each county's target pace
(some ahead, some behind). Deliberate mistakes are made in two counties (茶陵县 and 攸县, 2022-06)
so that the demo shows what the checks find; in 2022-06 株洲经开区 also reports one of 天元区's firms
(the zone's firms register in the districts around it), so consolidation holds it as 待认定; the other counties carry only the harmless quirks
clerks produce (full-width digits, numbers stored as text, lower-case codes, blank rows, trailing
spaces), which the reader must tolerate.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import openpyxl

from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.county_workbook import file_name, write_county_workbook
from toolkit.adapters.policy_workbook import EXAMPLE_NOTE, write_policy
from toolkit.adapters.xlsx_styles import formats, new_workbook
from toolkit.demo import department_samples, monthly_samples
from toolkit.demo.hunan_policy import hunan_policy
from toolkit.demo.zhuzhou_policy import zhuzhou_policy
from toolkit.domain import policy_layout as L
from toolkit.domain.periods import Period
from toolkit.domain.policy import County, Policy
from toolkit.domain.uscc import ALPHABET, with_check_character
from toolkit.resources import SAMPLE_PROVINCE_POLICY
from toolkit.services.templates import template_stamp

SEED = 20220701
PERIODS = (Period(2022, 3), Period(2022, 6), Period(2022, 9), Period(2022, 12))
FAULTY = Period(2022, 6)  # the period whose reports carry the deliberate mistakes
YEAR_END = Period(2022, 12)
# workbooks that arrive after the due date, within the resubmission deadline: (period, county) -> (file suffix,
# the day the clerk sends it); 茶陵县's replaces its returned June report, 炎陵县 had sent nothing for September
LATE = {(Period(2022, 6), "茶陵县"): ("（更正）", dt.date(2022, 7, 12)),
        (Period(2022, 9), "炎陵县"): ("", dt.date(2022, 10, 10))}
LATE_DIR = "{period}补报"  # 县区报表/2022-06补报/: the late files, put into the inbox after the first notices
SIMULATED = Period(2023, 12)  # the simulated next year
REPORTS_DIR_NAME = "县区报表"
OFFICES_DIR_NAME = "部门数据"  # what the statistics and tax offices send
POLICY_FILE_NAME = "政策参数.xlsx"
CREATED = dt.datetime(2022, 1, 10, 9, 0, 0)

# pace of each county against its annual target: some ahead, some behind
PACE = {"荷塘区": 1.1, "芦淞区": 0.7, "石峰区": 0.95, "株洲经开区": 1.3, "天元区": 1.05, "渌口区": 0.6,
        "攸县": 0.9, "茶陵县": 0.75, "炎陵县": 1.2, "醴陵市": 1.0}

_PLACE = ["湘", "株", "炎帝", "神农", "湘江", "云龙", "金山", "凤凰", "白关", "枫溪", "攸州", "茶乡", "鹿原", "渌湘", "瓷城", "天易"]
_WORD = ["恒达", "宏远", "鑫盛", "瑞丰", "精工", "华能", "博创", "众合", "联科", "新锐", "中泰", "嘉和", "长弘", "同创", "天成", "佳美"]
_TRADE = [("3311", "金属结构制造"), ("3484", "机械零部件"), ("3670", "汽车零部件"), ("3715", "轨道交通装备"),
          ("3831", "电线电缆"), ("3979", "电子元件"), ("3072", "陶瓷制品"), ("3071", "日用陶瓷"), ("1391", "食品"),
          ("2438", "工艺礼品"), ("2929", "塑料制品"), ("3360", "金属表面处理"), ("2641", "涂料"), ("1761", "服饰"),
          ("4011", "仪器仪表"), ("0610", "煤业")]
_SUFFIX = ["有限公司", "有限责任公司", "科技有限公司", "股份有限公司"]
_PEOPLE = ["张", "王", "李", "刘", "陈", "杨", "黄", "周", "吴", "谭", "彭", "邓"]


class _Maker:
    def __init__(self, rng: random.Random, county: County, prefix: str = "株洲"):
        self.rng = rng
        self.county = county
        self.prefix = prefix  # the city's short name that starts every firm's name
        self.used_codes: set[str] = set()
        self.used_names: set[str] = set()

    def uscc(self) -> str:
        while True:
            area = self.rng.choice(self.county.uscc_prefixes)
            body = "MA4" + "".join(self.rng.choice(ALPHABET) for _ in range(6))
            code = with_check_character("91" + area + body)
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def enterprise(self) -> tuple[str, str, str]:
        while True:
            industry, trade = self.rng.choice(_TRADE)
            name = f"{self.prefix}{self.rng.choice(_PLACE)}{self.rng.choice(_WORD)}{trade}{self.rng.choice(_SUFFIX)}"
            if self.prefix == "株洲" and self.county.name in ("攸县", "茶陵县", "炎陵县", "醴陵市", "渌口区"):
                name = name.replace("株洲", self.county.name.rstrip("县市区"), 1)
            if name not in self.used_names:
                self.used_names.add(name)
                return self.uscc(), name, industry

    def person(self) -> str:
        return self.rng.choice(_PEOPLE) + self.rng.choice(["晓", "建", "志", "丽", "国", "海", "敏", "文"]) + \
            self.rng.choice(["华", "军", "平", "芳", "强", "红", "明", "燕"])


def _year_plan(rng: random.Random, policy: Policy, county: County, year: int, *, prefix: str = "株洲",
               pace: float | None = None) -> dict[str, list[dict]]:
    """The county's whole-year lists; each period's report is the part up to its month. ``prefix`` starts the
    firms' names (the city's short name); ``pace``: entries against the target (default: ``PACE``, else 1)."""
    maker = _Maker(rng, county, prefix)
    target = policy.new_target(county.name, year) or 10
    planned = max(2, round(target * (PACE.get(county.name, 1.0) if pace is None else pace)))
    entries = []
    for _ in range(planned):
        code, name, industry = maker.enterprise()
        upgrade = rng.random() < 0.55
        month = 1 if upgrade else rng.randint(1, 12)
        revenue = round(2000 + rng.lognormvariate(7.3, 0.8), 2)
        tax = 0.0 if rng.random() < 0.12 else round(revenue * rng.uniform(0.01, 0.05), 2)
        entries.append({"uscc": code, "name": name, "entry_kind": "小升规" if upgrade else "新建投产",
                        "entry_mode": "年度入库" if upgrade else "月度入库", "entry_month": f"{year}-{month:02d}",
                        "industry": industry, "revenue": revenue, "tax": tax, "employees": rng.randint(20, 320)})
    exits = []
    for _ in range(max(1, round(target * 0.3 * rng.uniform(0.5, 1.5)))):
        code, name, _industry = maker.enterprise()
        month = rng.randint(1, 12)
        exits.append({"uscc": code, "name": name, "exit_month": f"{year}-{month:02d}",
                      "exit_reason": rng.choice(["停产", "营收降至标准以下", "营收降至标准以下", "注销吊销", "迁出本地"]),
                      "revenue": round(rng.uniform(900, 1990), 2)})
    pool = []
    for _ in range(rng.randint(5, 12)):
        code, name, industry = maker.enterprise()
        spin_off = rng.random() < 0.1
        revenue = round(rng.uniform(300, 990) if spin_off else rng.uniform(1000, 1990), 2)
        pool.append({"uscc": code, "name": name, "industry": industry, "revenue": revenue,
                     "spin_off": "是" if spin_off else "否", "expected_entry": f"{year}-12",
                     "measures": rng.choice(["上门走访，帮助对接订单和融资", "协调用地用电，加快技改项目投产", "指导财务统计规范，做好入统准备"])})
    at_risk = []
    for _ in range(rng.randint(3, 8)):
        code, name, _industry = maker.enterprise()
        at_risk.append({"uscc": code, "name": name, "revenue": round(rng.uniform(2050, 2980), 2),
                        "risk_reason": rng.choice(["订单下滑", "成本上升", "资金紧张"]),
                        "help_measures": rng.choice(["一企一策：对接银行续贷", "一企一策：组织产销对接", "一企一策：落实减税降费"]),
                        "helper": f"{county.name}工信局"})
    ledger = []
    for record in rng.sample(at_risk, k=min(3, len(at_risk))):
        ledger.append({"uscc": record["uscc"], "name": record["name"],
                       "problem": rng.choice(["流动资金紧张，需续贷支持", "用工短缺", "用电增容审批慢"]),
                       "assigned_to": rng.choice(["县金融办", "县人社局", "国网供电公司"]),
                       "deadline": dt.date(year, rng.randint(2, 12), 28), "status": "办理中"})
    cover = {"unit": f"{county.name}工业和信息化局", "preparer": maker.person(), "reviewer": maker.person(),
             "phone": f"1{rng.choice('35789')}{rng.randint(100000000, 999999999)}"}
    return {"entries": entries, "exits": exits, "pool": pool, "at_risk": at_risk, "ledger": ledger, "cover": cover}


def _up_to(plan: dict, pipeline: monthly_samples.CountyPipeline, period: Period) -> dict[str, list[dict]]:
    """The county's lists at ``period``: the year's entries and exits so far; the pool, at-risk firms, problems,
    projects and follow-up answers as they stand that month (monthly_samples)."""
    def month_ok(text: str) -> bool:
        return Period.parse(text) <= period

    return {
        "entries": [dict(r) for r in plan["entries"] if month_ok(r["entry_month"])],
        "exits": [dict(r) for r in plan["exits"] if month_ok(r["exit_month"])],
        **monthly_samples.lists_at(pipeline, period),
    }


def pipelines(policy: Policy, plans: dict[str, dict], planted: list) -> dict[str, monthly_samples.CountyPipeline]:
    """Each county's pool, projects, at-risk firms, problems and follow-up answers through 2022; new firms get
    codes and names the plan does not use."""
    out = {}
    for county in policy.counties:
        plan = plans[county.name]

        def maker_of(rng: random.Random, county: County = county, plan: dict = plan) -> _Maker:
            maker = _Maker(rng, county)
            maker.used_codes |= {r["uscc"] for key in ("entries", "exits", "pool", "at_risk") for r in plan[key]}
            maker.used_names |= {r["name"] for key in ("entries", "exits", "pool", "at_risk") for r in plan[key]}
            return maker

        out[county.name] = monthly_samples.county_pipeline(policy, county, plan, maker_of, planted)
    return out


def _plan_lists(plan: dict, period: Period) -> dict[str, list[dict]]:
    """The simulated next year's lists: its plan's, the problems due by ``period`` done."""
    lists = {key: [dict(r) for r in plan[key] if key not in ("entries", "exits")
                   or Period.parse(r["entry_month" if key == "entries" else "exit_month"]) <= period]
             for key in ("entries", "exits", "pool", "at_risk", "ledger")}
    for record in lists["ledger"]:
        if record["deadline"] <= dt.date(period.year, period.month, 28):
            record["status"] = "已办结"
    return lists


def _clerk_quirks(rng: random.Random, county: str, lists: dict) -> None:
    """Harmless things clerks do, which the reader tolerates."""
    entries = lists["entries"]
    if county == "醴陵市" and entries:
        entries[0]["uscc"] = entries[0]["uscc"].lower()
        entries.insert(min(2, len(entries)), {})  # a blank row inside the data
    if county == "天元区" and len(entries) > 1:
        entries[1]["revenue"] = str(entries[1]["revenue"]).translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
        entries[0]["name"] = entries[0]["name"] + "　"  # a trailing full-width space
    if county == "荷塘区" and entries:
        entries[-1]["employees"] = str(entries[-1]["employees"])  # a number stored as text


def _deliberate_mistakes(county: str, lists: dict, period: Period) -> None:
    """Mistakes the demo should find (only in 茶陵县 and 攸县, only in the latest period)."""
    entries, exits = lists["entries"], lists["exits"]
    if county == "茶陵县":
        good = entries[0]["uscc"]
        entries[0]["uscc"] = good[:-1] + ("0" if good[-1] != "0" else "1")  # wrong check character
        entries[1]["revenue"] = round(entries[1]["revenue"] * 10000)  # typed in 元
        entries[2]["industry"] = "5179"  # a wholesale trade code: not industrial
        entries[3]["name"] = ""  # a required cell left empty
        lists["pool"][0]["revenue"] = 180.0  # below the pool's floor for 1–6月 (300) and not a spin-off
        lists["pool"][0]["spin_off"] = "否"
    if county == "攸县":
        entries.append(dict(entries[0]))  # the same enterprise twice
        exits.append({"uscc": entries[1]["uscc"], "name": entries[1]["name"], "exit_month": str(period),
                      "exit_reason": "停产", "revenue": 1500.0})  # entered and exited in the same year
        entries[2]["revenue"] = 1850.0  # below the threshold, but explained
        entries[2]["note"] = "按统计部门核定的上年主营业务收入填报，已达入库标准（2022年1月核定）"
        lists["at_risk"][0]["revenue"] = 3200.0  # not an at-risk firm
        new_build = next(r for r in entries[3:] if r.get("entry_kind") == "新建投产")
        new_build["entry_mode"] = "年度入库"  # unusual for a new build, unexplained


def _shared_firms(plans: dict[str, dict]) -> dict[Period, dict]:
    """Firms of 天元区 that 株洲经开区 reports too: the zone's firms register in the districts around it, so
    two units may claim one firm. Not a mistake of either (待认定). The first is claimed in 2022-06 and
    2022-09 and dropped by the zone at year end; the second, which entered in the fourth quarter, is claimed at
    year end and attributed by the city. Both are taxed: each is due a reward once settled."""
    tianyuan = plans["天元区"]["entries"]
    before = [r for r in tianyuan if Period.parse(r["entry_month"]) <= FAULTY]
    first = next(r for r in before[4:] if r["tax"] > 0)
    late = [r for r in tianyuan if Period.parse(r["entry_month"]) > Period(2022, 9) and r["tax"] > 0 and r is not first]
    second = late[0] if late else next(r for r in tianyuan[4:] if r["tax"] > 0 and r is not first)
    return {Period(2022, 6): dict(first), Period(2022, 9): dict(first), YEAR_END: dict(second)}


def _same_year_exit(plan: dict, year: int) -> None:
    """One 新建投产 firm of the year leaves again in October (explained, as W107 asks)."""
    firm = next(r for r in plan["entries"] if r["entry_kind"] == "新建投产" and int(r["entry_month"][5:]) <= 8)
    note = f"该企业{firm['entry_month']}投产入规，{year}年10月因主要客户破产停产退库，已核实"
    firm["note"] = note
    plan["exits"].append({"uscc": firm["uscc"], "name": firm["name"], "exit_month": f"{year}-10", "exit_reason": "停产",
                          "revenue": firm["revenue"], "note": note})


LEAVING_NEXT_YEAR = {"芦淞区": "2023-05", "醴陵市": "2023-08", "攸县": "2023-11"}  # one 2022 firm each leaves


def _next_year(rng: random.Random, policy: Policy, county: County, last: dict, year: int,
               registered: list[tuple[str, str]]) -> dict:
    """The simulated next year; its exits are firms of the starting register (``registered``: the county's (code,
    name) there, those that left in the year before taken out), as the register's cross-period check asks."""
    plan = _year_plan(rng, policy, county, year)
    plan["cover"] = last["cover"]
    for record, (code, name) in zip(plan["exits"], registered[::7]):
        record["uscc"], record["name"] = code, name
    month = LEAVING_NEXT_YEAR.get(county.name)
    if month:
        firm = [r for r in last["entries"] if r["tax"] > 0][1]
        plan["exits"].append({"uscc": firm["uscc"], "name": firm["name"], "exit_month": month,
                              "exit_reason": "营收降至标准以下", "revenue": round(firm["revenue"] * 0.6, 2)})
    return plan


def _reports(policy: Policy, county: County, plan: dict, period: Period, rng: random.Random, out: Path,
             extra: dict | None = None, late: tuple[str, dt.date] | None = None,
             pipeline: monthly_samples.CountyPipeline | None = None) -> tuple[Path, dict]:
    """The county's workbook for ``period``; ``late`` (file suffix, day sent) for one sent after the due date,
    written to 县区报表/<period>补报/ — a corrected one carries none of the period's deliberate mistakes;
    ``pipeline``: the county's lists of the year (None: the simulated next year, its plan's lists as they are)."""
    lists = _up_to(plan, pipeline, period) if pipeline is not None else _plan_lists(plan, period)
    _clerk_quirks(rng, county.name, lists)
    if period == FAULTY and late is None:
        _deliberate_mistakes(county.name, lists, period)
    if extra:
        lists["entries"].append(dict(extra))
    end = dt.date(period.year, period.month, 1) + dt.timedelta(days=35)
    sent = late[1] if late else dt.date(end.year, end.month, 5)
    cover = {**plan["cover"], "date": sent}
    created = (dt.datetime.combine(sent, dt.time(9, 0)) if late else dt.datetime(period.year, period.month, 25, 9, 0, 0))
    folder = out / (LATE_DIR.format(period=period) if late else str(period))
    path = folder / file_name(county.name, period)
    if late and late[0]:
        path = path.with_name(path.stem + late[0] + path.suffix)
    stamp = template_stamp(county, period, created)
    return write_county_workbook(path, policy, county, period, stamp, cover=cover, lists=lists, created=created), lists


def _office_list(path: Path, title: str, headers: list[str], rows: list[list], created: dt.datetime) -> Path:
    """A list as an office sends it: a title line, then a header row and the rows."""
    with atomic_output(path) as temp:
        wb = new_workbook(temp, title=title, created=created)
        f = formats(wb)
        ws = wb.add_worksheet("Sheet1")
        ws.write_string(0, 0, title, f["bold"])
        for col, header in enumerate(headers):
            ws.write_string(2, col, header, f["header"])
            ws.set_column(col, col, 24 if col < 3 else 14)
        for r, row in enumerate(rows, start=3):
            for col, value in enumerate(row):
                if isinstance(value, (int, float)):
                    ws.write_number(r, col, value)
                else:
                    ws.write_string(r, col, str(value))
        wb.close()
    return path


def _clean(code: str) -> str:
    return code.strip().upper()


def _confirmed(year_lists: dict[str, dict], year: int, out: Path, differences: bool) -> Path:
    """The statistics office's confirmed entries and exits of the year (from the year-end reports)."""
    rows = []
    for county, lists in year_lists.items():
        entries = [r for r in lists["entries"] if r.get("uscc")]
        first_new_build = next((r for r in entries if r["entry_kind"] == "新建投产"), None)
        for index, r in enumerate(entries):
            if county == "株洲经开区" and r is entries[-1] and differences:
                continue  # the firm the zone also reported is 天元区's: confirmed there only
            if differences and county == "石峰区" and index == 1:
                continue  # not (yet) confirmed by the statistics office
            kind = r["entry_kind"]
            if differences and county == "炎陵县" and r is first_new_build:
                kind = "小升规"  # the office confirmed it as a grown-above enterprise
            rows.append([_clean(r["uscc"]), r["name"].strip(), county, "新增", r["entry_month"], kind])
        for r in lists["exits"]:
            rows.append([_clean(r["uscc"]), r["name"].strip(), county, "退库", r["exit_month"], ""])
    return _office_list(out / f"{year}年规上工业企业新增退库确认名单（统计局）.xlsx",
                        f"{year}年规模以上工业企业新增、退库确认名单（株洲市统计局，截至{year}年12月）",
                        ["统一社会信用代码", "企业名称", "县市区", "变动类型", "月份", "入规类型"], rows,
                        dt.datetime(year + 1, 1, 20, 9, 0, 0))


def _taxes(year_lists: dict[str, dict], year: int, out: Path, in_yuan: bool, differences: bool) -> Path:
    """The tax office's tax formed in the year per enterprise (万元, or 元 in the simulated year)."""
    rows, seen = [], set()
    for county, lists in year_lists.items():
        entries = [x for x in lists["entries"] if x.get("uscc")]
        taxed = next((r for r in entries if r.get("tax")), None)
        for index, r in enumerate(entries):
            if _clean(r["uscc"]) in seen:
                continue  # one firm reported by two counties: the tax office lists it once
            seen.add(_clean(r["uscc"]))
            tax = float(str(r.get("tax") or 0).translate(str.maketrans("０１２３４５６７８９．", "0123456789.")))
            if differences and county == "渌口区" and r is taxed:
                continue  # not in the tax office's list at all (the county reported tax: listed as a difference)
            if differences and county == "醴陵市" and index == 2:
                tax = 0.0  # the county reported tax, the tax office has none
            if differences and county == "荷塘区" and index == 1:
                tax = round(tax * 0.8, 2)  # a different amount: paid, the difference listed
            rows.append([_clean(r["uscc"]), r["name"].strip(), round(tax * 10000) if in_yuan else tax])
    header = "税收合计（元）" if in_yuan else "当年形成税收（万元）"
    return _office_list(out / f"{year}年新入规企业税收（税务局）.xlsx", f"{year}年度新入规企业税收情况（国家税务总局株洲市税务局）",
                        ["纳税人识别号", "纳税人名称", header], rows, dt.datetime(year + 1, 2, 10, 9, 0, 0))


def _tax_supplement(year_lists: dict[str, dict], year: int, out: Path) -> Path:
    """The tax office's supplementary list: the taxed firm of 渌口区 its first list left out."""
    entries = [r for r in year_lists["渌口区"]["entries"] if r.get("uscc")]
    firm = next(r for r in entries if r.get("tax"))
    rows = [[_clean(firm["uscc"]), firm["name"].strip(), float(firm["tax"])]]
    return _office_list(out / f"{year}年新入规企业税收（税务局，补充）.xlsx",
                        f"{year}年度新入规企业税收情况（补充）（国家税务总局株洲市税务局）",
                        ["纳税人识别号", "纳税人名称", "当年形成税收（万元）"], rows, dt.datetime(year + 1, 4, 10, 9, 0, 0))


def accept_examples(path: Path) -> list[str]:
    """What the city does once it has checked the policy's example data against its own decisions: it deletes
    the 示例数据 marks (here, for the demo, keeping the sample values). Returns the sheets unmarked."""
    book = openpyxl.load_workbook(path)
    unmarked = []
    for name in L.MARKABLE_SHEETS:  # a province's targets annex is marked too (a city's never is)
        if name not in book.sheetnames:
            continue
        for row in book[name].iter_rows(min_row=1, max_row=2):
            for cell in row:
                if isinstance(cell.value, str) and EXAMPLE_NOTE in cell.value:
                    cell.value = cell.value.replace(EXAMPLE_NOTE, "") or None
                    unmarked.append(name)
    with atomic_output(Path(path)) as temp:
        book.save(temp)
    return unmarked


def attributed_by_the_city() -> tuple[str, str]:
    """(USCC, county) of the year-end double claim the city attributes after the first reward batch (the
    demo's ``assign``): 天元区's firm that 株洲经开区 also reports at 2022-12."""
    policy = zhuzhou_policy()
    rngs = {c.name: random.Random(f"{SEED}-{c.name}") for c in policy.counties}
    plans = {c.name: _year_plan(rngs[c.name], policy, c, 2022) for c in policy.counties}
    return _clean(_shared_firms(plans)[YEAR_END]["uscc"]), "天元区"


def policy_and_plans() -> tuple[Policy, dict[str, dict]]:
    """The sample policy and each county's plan of 2022 as ``generate`` makes them (the department samples
    name the same firms)."""
    policy = zhuzhou_policy()
    rngs = {c.name: random.Random(f"{SEED}-{c.name}") for c in policy.counties}
    plans = {c.name: _year_plan(rngs[c.name], policy, c, 2022) for c in policy.counties}
    _same_year_exit(plans["荷塘区"], 2022)
    return policy, plans


def generate_into(folder: Path) -> list[Path]:
    """The whole sample year in ``folder``: 政策参数.xlsx, 县区报表/<报送期>/, 部门数据/ (as shipped in samples/)."""
    folder = Path(folder)
    return generate(folder / REPORTS_DIR_NAME, (folder / POLICY_FILE_NAME,), folder / OFFICES_DIR_NAME)


def generate(out_reports: Path, policy_paths: tuple[Path, ...], out_offices: Path) -> list[Path]:
    policy = zhuzhou_policy()
    written = [write_policy(path, policy, created=CREATED) for path in policy_paths]
    rngs = {c.name: random.Random(f"{SEED}-{c.name}") for c in policy.counties}
    plans = {c.name: _year_plan(rngs[c.name], policy, c, 2022) for c in policy.counties}
    _same_year_exit(plans["荷塘区"], 2022)
    shared = _shared_firms(plans)
    firms, planted = department_samples.build(policy, plans)
    lists_of = pipelines(policy, plans, planted)
    year_end: dict[str, dict] = {}
    for county in policy.counties:
        rng, plan, pipeline = rngs[county.name], plans[county.name], lists_of[county.name]
        for period in sorted(PERIODS + monthly_samples.MONTHLY_PERIODS):
            # the zone carries the first shared firm forward in its monthly returns until it drops it at year end
            claimed = shared.get(period, shared[FAULTY] if FAULTY < period < YEAR_END else None)
            extra = claimed if county.name == "株洲经开区" else None
            late = LATE.get((period, county.name))
            if late is None or late[0]:  # a county that sent nothing on time has only the late file
                path, lists = _reports(policy, county, plan, period, rng, out_reports, extra, pipeline=pipeline)
                written.append(path)
            if late is not None:
                path, lists = _reports(policy, county, plan, period, rng, out_reports, extra, late, pipeline)
                written.append(path)
        year_end[county.name] = lists
    written.append(_confirmed(year_end, 2022, out_offices, differences=True))
    written.append(_taxes(year_end, 2022, out_offices, in_yuan=False, differences=True))
    written.append(_tax_supplement(year_end, 2022, out_offices))
    simulated: dict[str, dict] = {}
    for county in policy.counties:
        rng = random.Random(f"{SEED}-{SIMULATED.year}-{county.name}")
        left = {r["uscc"] for r in plans[county.name]["exits"]}
        registered = sorted((f.code, f.name) for f in firms if f.in_register and f.county == county.name
                            and f.code not in left and not f.planted)
        plan = _next_year(rng, policy, county, plans[county.name], SIMULATED.year, registered)
        path, simulated[county.name] = _reports(policy, county, plan, SIMULATED, rng, out_reports)
        written.append(path)
    written.append(_confirmed(simulated, SIMULATED.year, out_offices, differences=False))
    written.append(_taxes(simulated, SIMULATED.year, out_offices, in_yuan=True, differences=False))
    written.extend(department_samples.write(out_offices, policy, plans))  # 应入尽入: tax, registration, power
    return written


def main(argv: list[str]) -> None:
    """``python -m toolkit.demo.samples REPO``: regenerate the repository's samples/ and the sample policies
    the package ships, the city's and the province's (``make samples``)."""
    repo = Path(argv[0]) if argv else Path.cwd()
    written = generate(repo / "samples" / REPORTS_DIR_NAME,
                       (repo / "toolkit" / "resources" / "sample_policy.xlsx", repo / "samples" / POLICY_FILE_NAME),
                       repo / "samples" / OFFICES_DIR_NAME)
    province = repo / "toolkit" / "resources" / SAMPLE_PROVINCE_POLICY
    written.append(write_policy(province, hunan_policy(), created=CREATED))
    for path in written:
        print(path.relative_to(repo))


if __name__ == "__main__":
    main(sys.argv[1:])
