"""The province sample year (#39): the 14 市州's period summaries, each made by a 市州 with guishang from its 县市区's
report workbooks, as the province receives them.

``province_year(folder)`` writes ``folder/市州汇总/<报送期>/<the summary's own file name>`` for each 市州 and period
(2022-06 and 2022-12 by default). For each 市州 of the province sample (``hunan_policy``):
- a city policy (``city_policy_of``): its 县市区 with their codes and credit-code prefixes, the province's 新增 and
  净增 targets for the 市州 split over them by a seeded weight, the Zhuzhou sample's calendar, thresholds, assessment
  rules and documents (with the 市州's names), every invented sheet still marked 示例数据 (nothing generated can be
  signed);
- each 县市区's report workbooks by the city sample generator (``samples._year_plan`` and ``samples._reports``):
  fictional firms named after the 市州 (衡阳…, 湘西…) with codes of the county's area, entries near the target at a
  seeded pace; only the entries and exits matter to the province (the pools are the generator's plan lists);
- the real ``consolidate`` in a temporary workspace of the 市州, period after period, and its summary copied out.
株洲市 is the city demo's own: the city samples (政策参数.xlsx, 县区报表/<报送期>/ as make samples writes them) consolidated the
same way, so the province sees the summaries the city sample makes.

Deliberate cases, recorded in ``ProvinceYear`` (all other 市州 are clean):
- 衡阳市 is late for 2022-12: its summary is in ``市州汇总/2022-12补报/``;
- a firm of 长沙县 (长沙市) is reported by 湘潭县 (湘潭市) too, explained there (its 生产基地 is in 湘潭县): the province
  holds it as 待认定 (W202);
- 常德市 gave its 县市区 新增 targets that add up to less than the province set it (W305);
- 娄底市 has not accepted 涟源市's 2022-12 report (a credit code with a wrong check character, E103 in 娄底市): the
  province is told (W308).

株洲市 keeps the city sample's own cases: in 2022-06 茶陵县 and 攸县 are returned (W308 at the province) and a firm of
天元区 that 株洲经开区 also reports is held within the city.

Deterministic: fixed seeds (running twice gives the same figures and lists; only the workbooks' timestamps differ).
Measured on the 2-core development machine (14 市州 × 2 periods: 244 county report workbooks, 28 consolidations):
8.6 s with ``workers=2`` when the machine is otherwise idle, 12–13 s with ``workers=1``; 13–21 s either way while
other work loads both cores. Per 市州 and period about 0.5 s go to writing the county workbooks and 0.3 s to the
consolidation; a spawned worker first spends about a second importing the toolkit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import random
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import __version__
from toolkit.adapters.policy_workbook import write_policy
from toolkit.demo import samples
from toolkit.demo.hunan_policy import hunan_policy
from toolkit.demo.zhuzhou_policy import zhuzhou_policy
from toolkit.domain import policy_layout as L
from toolkit.domain.periods import Period
from toolkit.domain.policy import CityGoals, County, DocumentSettings, ExampleMark, Policy
from toolkit.domain.uscc import with_check_character
from toolkit.services import consolidation
from toolkit.services.workspace import init_workspace

SEED = 20220915
PERIODS = (Period(2022, 6), Period(2022, 12))
SUMMARIES_DIR = "市州汇总"
LATE_DIR = "{period}补报"  # 市州汇总/2022-12补报/: a summary the province receives after the due date
ZHUZHOU = "株洲市"  # the city sample's own: its shipped reports and policy

# the deliberate cases
LATE = ("衡阳市", Period(2022, 12))
DOUBLE_CLAIM = (("长沙市", "长沙县"), ("湘潭市", "湘潭县"))  # (市州, 县市区) that lists the firm first, then the other
LOW_TARGETS = "常德市"
LOW_SHARE = 0.9  # the W305 市州's 县市区 targets add up to this share of the province's target for it
UNACCEPTED = ("娄底市", "涟源市", Period(2022, 12))
BY_TEMPLATE = ("张家界市", "湘西土家族苗族自治州")  # without guishang: the province template, filled in
CLAIM_NOTE = "该企业注册地在长沙县，生产基地和统计关系在湘潭县，经湘潭县统计局核实在本县纳统"

SHORT_NAMES = {"湘西土家族苗族自治州": "湘西"}
NUMBER_MARKS = {"湘潭市": "潭", "湘西土家族苗族自治州": "州"}  # 发文字号: 潭工信发, 州工信发 (else the name's first)
PACE_RANGE = (0.6, 1.3)  # each 县市区's entries against its target: some ahead, some behind
WEIGHT_RANGE = (0.5, 1.5)  # each 县市区's share of its 市州's targets


@dataclass(frozen=True)
class ProvinceYear:
    """What ``province_year`` wrote, and the deliberate cases a story checks the province's outcome of."""

    folder: Path
    periods: tuple[Period, ...]
    summaries: dict[tuple[str, Period], Path]  # (市州, period) -> the summary as the province receives it
    late: tuple[str, Period] = LATE  # the 市州 whose summary arrives late for that period (…补报/)
    double_claim: tuple[str, str, tuple[tuple[str, str], ...]] = ("", "", ())  # USCC, name, ((市州, 县市区), …)
    low_targets: str = LOW_TARGETS  # the 市州 whose 县市区 targets add up below the province's (W305)
    unaccepted: tuple[str, str, Period] = UNACCEPTED  # (市州, 县市区, period) the 市州 did not accept (W308)
    cases: dict[str, str] = field(default_factory=dict)  # 市州 -> its planted case in words ('' when clean)


def short_name(unit: str) -> str:
    """The 市州's short name that starts its firms' names: 衡阳, 湘西."""
    return SHORT_NAMES.get(unit, unit.removesuffix("市"))


def _split(total: int, weights: list[float]) -> list[int]:
    """``total`` split by ``weights`` into whole numbers adding up to it (largest remainders)."""
    shares = [total * w / sum(weights) for w in weights]
    out = [int(s) for s in shares]
    for index in sorted(range(len(shares)), key=lambda i: (out[i] - shares[i], i))[:total - sum(out)]:
        out[index] += 1
    return out


def _weights(unit: County) -> list[float]:
    rng = random.Random(f"{SEED}-weights-{unit.name}")
    return [rng.uniform(*WEIGHT_RANGE) for _ in unit.members]


def _documents(region: str) -> tuple[DocumentSettings, ...]:
    """The Zhuzhou sample's issuers with the 市州's names (still 示例数据)."""
    short = short_name(region)

    def local(text: str) -> str:
        for zone in ("，株洲经开区经济发展部门", "，株洲经开区管委会"):
            text = text.replace(zone, "")
        return text.replace("株洲市", region).replace("株洲", short)

    out = []
    for doc in zhuzhou_policy().documents:
        changed = {f.name: local(getattr(doc, f.name)) for f in dataclasses.fields(doc)
                   if isinstance(getattr(doc, f.name), str)}
        changed["number_prefix"] = NUMBER_MARKS.get(region, short[0]) + doc.number_prefix[1:]  # 株工信发 -> 衡工信发
        changed["address"] = f"{region}工业和信息化局中小企业科" if doc.address else ""
        changed["email"] = ""
        out.append(dataclasses.replace(doc, **changed))
    return tuple(out)


def city_policy_of(province: Policy, unit: County) -> Policy:
    """The city policy a 市州 of ``province`` consolidates its 县市区 with: its members, the province's targets for it
    split over them by a seeded weight (``LOW_TARGETS``: 新增 below the province's), the rest as the Zhuzhou sample."""
    base = zhuzhou_policy()
    weights = _weights(unit)
    new_targets: dict[str, dict[int, int]] = {m.name: {} for m in unit.members}
    net_targets: dict[str, dict[int, int]] = {m.name: {} for m in unit.members}
    for year in base.years:
        given = province.new_target(unit.name, year) or 0
        new_total = round(given * LOW_SHARE) if unit.name == LOW_TARGETS else given
        for member, new, net in zip(unit.members, _split(new_total, weights),
                                    _split(province.net_target(unit.name, year) or 0, weights)):
            new_targets[member.name][year] = max(1, new)
            net_targets[member.name][year] = net
    totals = {year: sum(t[year] for t in new_targets.values()) for year in base.years}
    scale = totals[base.first_year] / base.total_new_targets[base.first_year]
    goals = base.goals
    return dataclasses.replace(
        base,
        region=unit.name,
        plan_title=f"{unit.name}培育规模以上工业企业实施方案（示例）",
        counties=tuple(dataclasses.replace(m, members=()) for m in unit.members),
        new_targets=new_targets,
        total_new_targets=totals,
        net_targets=net_targets,
        goals=CityGoals(round(goals.avg_new_per_year * scale), round(goals.avg_net_per_year * scale),
                        goals.goal_first_year, goals.goal_last_year, round(goals.total_in_register * scale),
                        goals.total_in_register_year),
        rewards=(), cost_sharing=(), county_rewards=(),  # the province reads no reward figures
        documents=_documents(unit.name),
        examples=tuple(ExampleMark(sheet) for sheet in (L.SHEET_ANNEX, L.SHEET_NET, L.SHEET_DOCUMENTS,
                                                         L.SHEET_CALENDAR)),
        placeholders=(),
        builtin=False,
    )


def _rng(unit: str, county: str) -> random.Random:
    return random.Random(f"{SEED}-{unit}-{county}")


def _plan(policy: Policy, unit: str, county: County, year: int) -> tuple[random.Random, dict]:
    """A 县市区's year (its generator and lists), the same wherever it is asked for."""
    rng = _rng(unit, county.name)
    pace = random.Random(f"{SEED}-pace-{unit}-{county.name}").uniform(*PACE_RANGE)
    return rng, samples._year_plan(rng, policy, county, year, prefix=short_name(unit), pace=pace)


def claimed_firm(province: Policy | None = None, year: int = 2022) -> dict:
    """The firm both 市州 of ``DOUBLE_CLAIM`` report: the first taxed 小升规 entry (January: in every report of the
    year) of the first 县市区, explained by the second."""
    province = province or hunan_policy()
    (unit, county), _ = DOUBLE_CLAIM
    policy = city_policy_of(province, province.find_county(unit))
    _, plan = _plan(policy, unit, policy.find_county(county), year)
    firm = next(r for r in plan["entries"] if r["entry_kind"] == "小升规" and r["tax"] > 0)
    return {**firm, "note": CLAIM_NOTE}


def _spoil(plan: dict, period: Period) -> None:
    """A clerk's typing slip: the credit code of an entry new since the half year with a wrong check character
    (E103), so that the 市州 returns the report."""
    firm = next(r for r in reversed(plan["entries"]) if Period.parse(r["entry_month"]) > Period(period.year, 6))
    good = firm["uscc"]
    firm["uscc"] = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert with_check_character(firm["uscc"][:-1]) != firm["uscc"]


def _reports(province: Policy, policy: Policy, unit: str, period: Period, out: Path) -> list[Path]:
    """The 县市区's report workbooks of ``unit`` for ``period`` (with the deliberate cases that are theirs)."""
    written = []
    for county in policy.counties:
        rng, plan = _plan(policy, unit, county, period.year)
        extra = claimed_firm(province, period.year) if (unit, county.name) == DOUBLE_CLAIM[1] else None
        if (unit, county.name, period) == UNACCEPTED:
            _spoil(plan, period)
        written.append(samples._reports(policy, county, plan, period, rng, out, extra)[0])
    return written


def _unit_year(unit_name: str, periods: tuple[Period, ...], folder: Path, city_samples: Path | None) -> list[tuple]:
    """One 市州's summaries for ``periods``, consolidated in a temporary workspace and copied into ``folder``;
    returns (period, path) for each."""
    province = hunan_policy()
    out = []
    with tempfile.TemporaryDirectory(prefix="guishang-city-") as temp:
        workspace, _ = init_workspace(Path(temp) / "工作区")
        if unit_name == ZHUZHOU:
            shutil.copyfile(city_samples / samples.POLICY_FILE_NAME, workspace.policy_path)
        else:
            policy = city_policy_of(province, province.find_county(unit_name))
            write_policy(workspace.policy_path, policy, created=samples.CREATED)
        for period in periods:
            if unit_name == ZHUZHOU:
                reports = sorted((city_samples / samples.REPORTS_DIR_NAME / str(period)).glob("*.xlsx"))
            else:
                reports = _reports(province, policy, unit_name, period, Path(temp) / "报表")
            for report in reports:
                shutil.copy2(report, workspace.inbox / report.name)
            run = consolidation.consolidate(workspace, period, parallel=False)
            summary = run.summary_path
            where = LATE_DIR.format(period=period) if (unit_name, period) == LATE else str(period)
            target = folder / SUMMARIES_DIR / where / summary.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(summary, target)
            out.append((period, target))
    return out


def _cases(firm: dict) -> dict[str, str]:
    (a_unit, a_county), (b_unit, b_county) = DOUBLE_CLAIM
    late_unit, late_period = LATE
    unit, county, period = UNACCEPTED
    return {
        late_unit: f"{late_period} 的汇总表逾期报送（{SUMMARIES_DIR}/{LATE_DIR.format(period=late_period)}/）",
        a_unit: f"{a_county}的新增企业{firm['name']}也被{b_unit}{b_county}报为新增（待认定）",
        b_unit: f"{b_county}报送了{a_unit}{a_county}的新增企业{firm['name']}并作了说明（待认定）",
        LOW_TARGETS: f"给所辖县市区的年度新增目标合计约为省定目标的 {LOW_SHARE:.0%}（W305）",
        unit: f"{period} 未受理{county}的报表（信用代码校验位错误，被退回；W308）",
        ZHUZHOU: "城市样例的一年：2022-06 茶陵县、攸县被退回（W308）；株洲经开区与天元区重复报送的企业在市内待认定",
    }


def province_year(folder: Path, periods: tuple[Period, ...] = PERIODS, *, workers: int = 2,
                  city_samples: Path | None = None) -> ProvinceYear:
    """The 14 市州's summaries of ``periods`` in ``folder/市州汇总/``; ``city_samples``: the city samples 株洲市's
    come from (default: generated into a temporary folder, the same as the shipped samples/)."""
    folder = Path(folder)
    province = hunan_policy()
    names = [unit.name for unit in province.counties]
    with tempfile.TemporaryDirectory(prefix="guishang-samples-") as temp:
        if city_samples is None:  # the city samples as make samples writes them (deterministic), made here
            city_samples = Path(temp)
            samples.generate_into(city_samples)
        jobs = (names, [tuple(periods)] * len(names), [folder] * len(names), [city_samples] * len(names))
        if workers > 1:
            # spawned, not forked: a fork of a process that has run a consolidation (threads, locks) can hang
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
                results = list(pool.map(_unit_year, *jobs))
        else:
            results = list(map(_unit_year, *jobs))
    summaries = {(name, period): path for name, made in zip(names, results) for period, path in made}
    for key in [k for k in summaries if k[0] in BY_TEMPLATE]:  # these 市州 do not run guishang: the template instead
        summaries[key] = _as_template(province, key[0], key[1], summaries[key])
    firm = claimed_firm(province, periods[-1].year)
    cases = {name: "" for name in names} | _cases(firm) | {
        name: "未使用本工具，用省级报表模板报送（各县市区情况和名单）" for name in BY_TEMPLATE}
    return ProvinceYear(folder, tuple(periods), summaries, double_claim=(firm["uscc"], firm["name"], DOUBLE_CLAIM),
                        cases=cases)


def _as_template(province, name: str, period: Period, summary_path: Path) -> Path:
    """The 市州's figures and lists, as its own summary has them, typed into the province template the way a 市州
    without guishang fills it in (no 计入情况: the rows it counts; the 县市区 file and row kept where it has them);
    the summary itself is not sent."""
    import openpyxl

    from toolkit.adapters.city_report_workbook import write_city_report
    from toolkit.adapters.workbook_file import read_sheets
    from toolkit.domain import city_report
    from toolkit.domain.city_summary import read_city_summary
    from toolkit.domain.stamp import STAMP_SHEET, FileKind, Stamp

    sheets = read_sheets(summary_path)
    figures = read_city_summary(sheets, summary_path.name, sheets[STAMP_SHEET])
    unit = province.find_county(name)
    path = summary_path.with_name(f"{name}_{period}_规上工业企业报表（报省）.xlsx")
    made = dt.datetime(period.year + (period.month == 12), period.month % 12 + 1, 5, 9, 0)
    stamp = Stamp(FileKind.CITY_REPORT, city_report.SCHEMA_VERSION, name, str(period), f"{made:%Y-%m-%d %H:%M:%S}",
                  __version__)
    write_city_report(path, province, unit, period, stamp, created=made)
    book = openpyxl.load_workbook(path)
    lines = {u.unit: u for u in figures.units}
    ws = book[city_report.UNITS]
    for offset, member in enumerate(unit.members):
        u = lines[member.name]
        for col, value in enumerate((u.status, u.new_build, u.upgrade, u.other, u.new, u.exits, u.target,
                                     u.net_target, u.pending), start=2):
            ws.cell(4 + offset, col).value = value
    for sheet, rows, keys in ((city_report.ENTRIES, figures.entries,
                               ("mode", "month", "industry", "revenue", "tax")),
                              (city_report.EXITS, figures.exits, ("month", "code", "revenue"))):
        ws = book[sheet]
        for offset, r in enumerate(rows):
            if sheet == city_report.ENTRIES:
                line = (r.unit, r.uscc, r.name, r.code, r.values.get("mode"), r.month, r.values.get("industry"),
                        r.values.get("revenue"), r.values.get("tax"), r.origin_file, r.origin_row)
            else:
                line = (r.unit, r.uscc, r.name, r.month, r.code, r.values.get("revenue"), r.origin_file, r.origin_row)
            for col, value in enumerate(line, start=1):
                ws.cell(4 + offset, col).value = value
    book.save(path)
    summary_path.unlink()
    return path


def main(argv: list[str]) -> None:
    """``python -m toolkit.demo.province_samples DIR``: write the province sample year into DIR."""
    import time

    started = time.perf_counter()
    year = province_year(Path(argv[0]) if argv else Path.cwd())
    for path in sorted(year.summaries.values()):
        print(path.relative_to(year.folder))
    print(f"{len(year.summaries)} summaries in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
