"""The summary's 培育跟踪, 风险跟踪, 问题台账 (首次报送, 状态变化), 预测 and 预测明细 sheets and ``guishang pipeline``
(#37) recompute from the accepted county workbooks themselves.

The shipped 2022-03, 2022-06 and 2022-09 reports are consolidated in turn; in September 天元区 drops a pool firm and
reports another one past 2000 万元, and 攸县 drops an at-risk firm. Everything is then worked out here from the
accepted workbooks read with openpyxl — the tracks, each problem's status history, and the forecast by the method
docs/预测.md describes (no 2021 returns: straight-line with the fallback spread, sd 0.35·√((12−m)/10) of log revenue)
— and compared with the summary workbook and the console.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import openpyxl
import pytest

from county_files import edit_workbook, list_rows
from toolkit.cli.app import main
from toolkit.demo.samples import accept_examples
from toolkit.domain.periods import Period
from toolkit.services.consolidation import consolidate
from toolkit.services.workspace import init_workspace

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PERIODS = (Period(2022, 3), Period(2022, 6), Period(2022, 9))
P = PERIODS[-1]
FIRST = 5  # first data row of a list sheet
SD = 0.35 * math.sqrt((12 - P.month) / 10)  # the fallback spread at 1–9月 (no calibration year in the store)


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _table(book, sheet: str) -> list[dict]:
    rows = list(book[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[2], r)) for r in rows[3:] if any(v not in (None, "") for v in r)]


def _month_end(p: Period) -> dt.date:
    return dt.date(p.year, p.month, calendar.monthrange(p.year, p.month)[1])


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    workspace, _ = init_workspace(tmp_path_factory.mktemp("pipeline") / "工作区")
    shutil.copy2(SAMPLES / "政策参数.xlsx", workspace.policy_path)
    accept_examples(workspace.policy_path)
    accepted: dict[Period, list[str]] = {}
    changed = {}
    for period in PERIODS:
        for folder in (str(period), f"{period}补报"):  # (a folder that is not there globs nothing)
            for path in sorted((SAMPLES / "县区报表" / folder).glob("*.xlsx")):
                shutil.copy2(path, workspace.inbox / path.name)
        if period == P:
            tianyuan = workspace.inbox / "天元区_2022-09_规上工业企业报表.xlsx"
            youxian = workspace.inbox / "攸县_2022-09_规上工业企业报表.xlsx"
            pool = list_rows(openpyxl.load_workbook(tianyuan), "重点培育企业")
            risk = list_rows(openpyxl.load_workbook(youxian), "退规风险企业")
            ledger = list_rows(openpyxl.load_workbook(tianyuan), "问题台账")
            assert ledger[0][1][5] != "已办结"  # an open problem the county stops reporting
            changed = {"dropped": pool[0][1][0], "crossed": pool[1][1][0], "risk_dropped": risk[0][1][0],
                       "problem_dropped": ledger[0][1][3]}
            edit_workbook(tianyuan, [("重点培育企业", FIRST, col, "") for col in range(1, 9)]
                          + [("重点培育企业", FIRST + 1, 4, 2100), ("重点培育企业", FIRST + 1, 8, "已督促申报")]
                          + [("问题台账", FIRST, col, "") for col in range(1, 8)])
            edit_workbook(youxian, [("退规风险企业", FIRST, col, "") for col in range(1, 8)])
        run = consolidate(workspace, period)
        accepted[period] = [s.file for s in run.summary.statuses if s.status == "已受理"]
    assert len(accepted[P]) == 10, run.summary.statuses
    return workspace, accepted, run.summary_files[0], changed


def _rows(workspace, accepted):
    """Per period, per accepted file: the county and its list rows, as openpyxl reads them."""
    out = {}
    for period, names in accepted.items():
        for name in names:
            book = openpyxl.load_workbook(workspace.inbox / name, data_only=True)
            out[(period, name)] = {sheet: list_rows(book, sheet) for sheet in
                                   ("重点培育企业", "退规风险企业", "问题台账", "新增入规企业", "退库企业", "重点项目")}
    return out


def test_the_tracking_sheets_recompute_from_every_periods_accepted_files(year):
    workspace, accepted, summary, changed = year
    rows = _rows(workspace, accepted)
    out = openpyxl.load_workbook(summary, read_only=True)
    for sheet, key, value_col in (("培育跟踪", "重点培育企业", 3), ("风险跟踪", "退规风险企业", 2)):
        seen = defaultdict(dict)
        for (period, name), lists in rows.items():
            for _, v in lists[key]:
                seen[(name.split("_")[0], v[0])][period] = float(v[value_col])
        got = {(r["县市区"], r["统一社会信用代码"]): r for r in _table(out, sheet)}
        assert set(got) == set(seen)
        for code, by_period in seen.items():
            r = got[code]
            assert {p: r[f"{p}（万元）"] for p in PERIODS if r[f"{p}（万元）"] is not None} == by_period
            first, last = min(by_period), max(by_period)
            in_now = P in by_period  # every county reported in September
            assert (r["首次列入"], r["最后列入"], r["状态"]) == (str(first), str(last), "在库" if in_now else "已离库")
            assert r["在库天数"] == (_month_end(P if in_now else last) - _month_end(first)).days
            assert r["各期来源（报送期 文件 行号）"].count("第") == len(by_period)
    pool = {(r["县市区"], r["统一社会信用代码"]): r for r in _table(out, "培育跟踪")}
    risk = {(r["县市区"], r["统一社会信用代码"]): r for r in _table(out, "风险跟踪")}
    entered = {v[0] for (period, _), lists in rows.items() for _, v in lists["新增入规企业"]}
    assert changed["dropped"] not in entered  # so the drop has no reason the files give
    assert pool[("天元区", changed["dropped"])]["离库原因"] == "移出（未说明原因）"
    assert risk[("攸县", changed["risk_dropped"])]["离库原因"] == "移出（未说明原因）"
    listed_now = {(name.split("_")[0], v[0]) for (period, name), lists in rows.items() if period == P
                  for _, v in lists["重点培育企业"]}
    gone = {key for key in pool if key not in listed_now}  # the samples' own firms leave the pool too
    assert {k for k, r in pool.items() if r["状态"] == "已离库"} == gone and ("天元区", changed["dropped"]) in gone
    assert pool[("天元区", changed["crossed"])][f"{P}（万元）"] == 2100


def test_each_problem_keeps_its_first_period_and_status_history(year):
    workspace, accepted, summary, _ = year
    history = defaultdict(dict)
    for (period, name), lists in _rows(workspace, accepted).items():
        for _, v in lists["问题台账"]:
            problem = re.sub(r"[\s，,。.；;]", "", v[2])
            history[(name.split("_")[0], v[0], problem)][period] = v[5]
    ledger = _table(openpyxl.load_workbook(summary, read_only=True), "问题台账")
    assert ledger
    changes = 0
    for r in ledger:
        statuses = history[(r["县市区"], r["统一社会信用代码"], re.sub(r"[\s，,。.；;]", "", r["问题描述"]))]
        assert r["首次报送"] == str(min(statuses))
        steps, last = [], None
        for period in sorted(statuses):
            if statuses[period] != last:
                steps.append(f"{period} {statuses[period]}")
                last = statuses[period]
        assert r["状态变化"] == " → ".join(steps)
        changes += len(steps) > 1
    assert changes >= 3  # the samples close problems between periods


def test_each_units_year_counts_every_problem_once_and_the_ones_dropped_unclosed(year):
    workspace, accepted, summary, changed = year
    last: dict[tuple, tuple] = {}  # (county, uscc, problem) -> (last period listed, unit, status)
    for (period, name), lists in sorted(_rows(workspace, accepted).items(), key=lambda kv: kv[0][0]):
        for _, v in lists["问题台账"]:
            last[(name.split("_")[0], v[0], re.sub(r"[\s，,。.；;]", "", v[2]))] = (period, v[3], v[5])
    seen, dropped = Counter(), Counter()
    for (county, _, _), (period, unit, status) in last.items():
        seen[(county, unit)] += 1
        dropped[(county, unit)] += period != P and status != "已办结"
    assert dropped[("天元区", changed["problem_dropped"])] == 1
    got = {(r["县市区"], r["交办单位"]): r for r in _table(openpyxl.load_workbook(summary, read_only=True), "台账分单位")}
    assert {k: r["本年交办（条）"] for k, r in got.items()} == dict(seen)
    assert {k: r["未办结即不再报送（条）"] for k, r in got.items() if r["未办结即不再报送（条）"]} == \
        {k: n for k, n in dropped.items() if n}
    now = sum(name.startswith("天元区_") and v[3] == changed["problem_dropped"]
              for (period, name), lists in _rows(workspace, accepted).items() if period == P for _, v in lists["问题台账"])
    assert got[("天元区", changed["problem_dropped"])]["交办（条）"] == now  # the dropped one is not counted this period


def _expected_forecast(workspace, accepted):
    """Per county: entries and exits so far, the expected year-end exits and next year's 小升规 pipeline."""
    latest = {name.split("_")[0]: lists for (period, name), lists in _rows(workspace, accepted).items() if period == P}
    claims = Counter(code for lists in latest.values() for code in {v[0] for _, v in lists["新增入规企业"]})
    entered = {v[0] for lists in latest.values() for _, v in lists["新增入规企业"]}
    exited = {v[0] for lists in latest.values() for _, v in lists["退库企业"]}
    out = {}
    for county, lists in latest.items():
        chances = []
        for _, v in lists["重点培育企业"]:
            ytd = float(v[3])
            if v[0] not in entered:
                chances.append(1.0 if ytd >= 2000 else _phi(math.log(ytd * 12 / P.month / 2000) / SD))
        below = [1 - _phi(math.log(float(v[2]) / 2000) / SD) for _, v in lists["退规风险企业"] if v[0] not in exited]
        producing = {v[1] or v[0] for _, v in lists["重点项目"] if v[5] not in (None, "") and v[1] not in entered}
        out[county] = {"已入库": sum(claims[v[0]] == 1 for _, v in lists["新增入规企业"]), "producing": len(producing),
                       "已退库": len(lists["退库企业"]), "exits": len(lists["退库企业"]) + sum(below),
                       "pipeline": sum(chances)}
    return out


def test_the_forecast_sheet_recomputes_from_the_accepted_files_by_the_documented_method(year):
    workspace, accepted, summary, changed = year
    expected = _expected_forecast(workspace, accepted)
    policy = workspace.policy()
    book = openpyxl.load_workbook(summary, read_only=True)
    rows = list(book["预测"].iter_rows(values_only=True))
    assert "不是计划数字" in rows[1][0] and "未经校准" in rows[1][0] and "回测" in rows[1][0]
    headers = rows[2]
    table = {r[0]: r for r in rows[3:] if r[0]}
    col = {h: i for i, h in reversed(list(enumerate(headers)))}  # the first of each header (范围 repeats)
    for county, want in expected.items():
        r = table[county]
        target, next_target = policy.new_targets[county].get(2022), policy.new_targets[county].get(2023)
        assert (r[col["已入库"]], r[col["已退库"]], r[col["2022年新增目标"]]) == (want["已入库"], want["已退库"], target)
        further = r[col["预计年内还将入库"]]  # new builds producing and not yet in: each a chance between 0 and 1
        assert 0 <= further <= want["producing"] and (want["producing"] or further == 0)
        assert r[col["预计全年新增"]] == pytest.approx(want["已入库"] + further)
        assert r[col["预计完成率"]] == pytest.approx((want["已入库"] + further) / target)
        assert r[col["预计全年退库"]] == pytest.approx(want["exits"], abs=1e-6)
        assert r[col["预计全年净增"]] == pytest.approx(want["已入库"] + further - want["exits"], abs=1e-6)
        assert r[col["2023年小升规后备（预计）"]] == pytest.approx(want["pipeline"], abs=1e-6)
        assert r[col["后备覆盖率"]] == pytest.approx(want["pipeline"] / next_target, abs=1e-6)
        low, high = (float(x) for x in r[col["预计全年退库"] + 1].split("–"))
        assert low <= want["exits"] <= high
    city = table["全市"]
    assert city[col["2023年小升规后备（预计）"]] == pytest.approx(sum(w["pipeline"] for w in expected.values()))
    assert city[col["已入库"]] == sum(w["已入库"] for w in expected.values())

    firms = {(r["类别"], r["县市区"], r["统一社会信用代码"]): r for r in _table(book, "预测明细")}
    crossed = firms[("培育库", "天元区", changed["crossed"])]
    assert (crossed["预计全年营收（万元）"], crossed["可能性"], crossed["预计累计达2000万元月份"]) == \
        (pytest.approx(2100 * 12 / 9, abs=0.01), 1.0, "2022-09")
    assert crossed["推算依据"] == "按月数直线推算" and "次年年度入库" in crossed["入规途径"]
    assert ("培育库", "天元区", changed["dropped"]) not in firms and ("风险库", "攸县", changed["risk_dropped"]) not in firms
    latest = [lists for (period, _), lists in _rows(workspace, accepted).items() if period == P]
    pools = sum(len(lists["重点培育企业"]) + len(lists["退规风险企业"]) for lists in latest)
    assert sum(kind != "重点项目" for kind, _, _ in firms) == pools
    assert 0 < sum(kind == "重点项目" for kind, _, _ in firms) <= sum(len(lists["重点项目"]) for lists in latest)


def test_guishang_pipeline_prints_the_forecast_per_county_and_points_to_the_summary(year, capsys):
    workspace, accepted, summary, _ = year
    expected = _expected_forecast(workspace, accepted)
    assert main(["pipeline", "--period", str(P), "--workspace", str(workspace.root)]) == 0
    printed = capsys.readouterr().out
    city = sum(w["pipeline"] for w in expected.values())
    lines = [line for line in printed.splitlines() if line.strip().startswith("全市")]
    assert len(lines) == 3 and f"{city:.1f} (" in lines[2]
    assert f"{sum(w['已入库'] for w in expected.values())} " in lines[0]
    for county, want in expected.items():
        assert any(line.strip().startswith(county) and f"{want['exits']:.1f} (" in line
                   for line in printed.splitlines())
    assert "不是计划数字" in printed and summary.name in printed.replace("\n", "")
    assert not list((workspace.output / "汇总").glob("*_2022-09（*"))  # it wrote nothing


def test_a_producing_new_build_on_the_project_list_is_expected_to_enter_this_year(tmp_path):
    """A county's return with a 重点项目 in production since April (template 2022.2): its chance of reaching
    2000 万元 this year is the county's expected further entry, worked out here by the documented method (the
    straight-line share counted from April; a new build's fallback spread is twice an established firm's)."""
    from conftest import valid_uscc  # noqa: PLC0415
    from county_files import write_report  # noqa: PLC0415

    workspace, _ = init_workspace(tmp_path / "工作区")
    shutil.copy2(SAMPLES / "政策参数.xlsx", workspace.policy_path)
    accept_examples(workspace.policy_path)
    policy = workspace.policy()
    code = valid_uscc(area=policy.find_county("渌口区").uscc_prefixes[0], body="MA4PRJ001")
    project = {"project": "年产5万吨新材料项目", "uscc": code, "name": "株洲渌湘新材料有限公司", "industry": "2641",
               "planned_month": "2022-03", "actual_month": "2022-04", "planned_revenue": 6000.0, "revenue": 1900.0,
               "milestone": "已投产", "responsible": "渌口区工信局"}
    path = write_report(workspace.inbox, policy, "渌口区", str(P), more={"projects": [project]})
    run = consolidate(workspace, P)
    assert [s.status for s in run.summary.statuses if s.county == "渌口区"] == ["已受理"], run.summary.statuses
    share = (P.month - 3) / (12 - 3)  # April to September of April to December
    sd = 2 * SD
    chance = _phi(math.log(1900 / share / 2000) / sd)
    book = openpyxl.load_workbook(run.summary_files[0], read_only=True)
    rows = list(book["预测"].iter_rows(values_only=True))
    row = next(r for r in rows[3:] if r[0] == "渌口区")
    assert row[rows[2].index("预计年内还将入库")] == pytest.approx(chance, abs=1e-6)
    firm = next(r for r in _table(book, "预测明细") if r["统一社会信用代码"] == code)
    assert (firm["类别"], firm["预计全年营收（万元）"]) == ("重点项目", pytest.approx(1900 / share, abs=0.01))
    assert firm["入规途径"] == "新建投产，本年可月度入库" and firm["来源文件"] == path.name
