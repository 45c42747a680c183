"""The summary's 培育库, 风险库 and 问题台账 sheets (#37) recompute from the county workbooks themselves.

The shipped 2022-09 reports, with a few rows changed the way a real quarter brings them (a pool firm that has
reached 2000 万元, a firm in two counties' pools, an expected month gone by, an at-risk firm at 3000 万元, problems
past their deadline), are consolidated; the counts are then worked out here from the county workbooks read with
openpyxl — not with the code under test — and compared with the summary workbook.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from io import StringIO
from pathlib import Path

import openpyxl
from rich.console import Console

from county_files import edit_workbook, list_rows
from toolkit.cli.workspace import print_summary
from toolkit.demo.samples import accept_examples
from toolkit.domain.periods import Period
from toolkit.services.consolidation import consolidate
from toolkit.services.workspace import init_workspace

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PERIOD = Period(2022, 9)
AS_OF = dt.date(2022, 10, 8)  # the sample policy's 报送日历: 2022-09 is due on 2022-10-08
FIRST = 5  # first data row of a list sheet


def _table(book, sheet: str) -> list[dict]:
    ws = book[sheet]
    rows = list(ws.iter_rows(values_only=True))
    headers = rows[2]
    return [dict(zip(headers, r)) for r in rows[3:] if any(v not in (None, "") for v in r)]


def test_the_pipeline_sheets_recompute_from_the_county_workbooks(tmp_path):
    workspace, _ = init_workspace(tmp_path / "工作区")
    shutil.copy2(SAMPLES / "政策参数.xlsx", workspace.policy_path)
    accept_examples(workspace.policy_path)
    for folder in ("2022-09", "2022-09补报"):  # 炎陵县's report came late
        for path in sorted((SAMPLES / "县区报表" / folder).glob("*.xlsx")):
            shutil.copy2(path, workspace.inbox / path.name)
    tianyuan = workspace.inbox / "天元区_2022-09_规上工业企业报表.xlsx"
    youxian = workspace.inbox / "攸县_2022-09_规上工业企业报表.xlsx"
    book = openpyxl.load_workbook(tianyuan)
    shared = [c.value for c in book["重点培育企业"][FIRST]]  # 天元区's first pool firm, also in 攸县's pool
    # the county's own checks ask for a 说明 on the first and the overdue ones (W121, W127): given, so accepted
    edit_workbook(tianyuan, [("重点培育企业", FIRST, 4, 2000), ("重点培育企业", FIRST, 8, "已督促申报"),  # at the threshold
                     ("重点培育企业", FIRST + 1, 4, 1999.99),  # just under: not
                     ("重点培育企业", FIRST + 2, 6, "2022-08"),  # expected before the period: past
                     ("问题台账", FIRST, 5, dt.datetime(2022, 9, 1)), ("问题台账", FIRST, 6, "办理中"),  # 37 days
                     ("问题台账", FIRST, 7, "正在协调"),
                     ("问题台账", FIRST + 1, 5, dt.datetime(2022, 10, 8)), ("问题台账", FIRST + 1, 6, "未办结"),  # 0
                     ("问题台账", FIRST + 1, 7, "正在协调")])
    youxian_book = openpyxl.load_workbook(youxian)
    free = FIRST + len(list_rows(youxian_book, "重点培育企业"))
    shared[7] = "厂区在两县交界，两县均在培育"  # its code is registered in 天元区 (W105): explained
    edit_workbook(youxian, [("重点培育企业", free, col, value) for col, value in enumerate(shared, start=1) if value is not None])

    run = consolidate(workspace, PERIOD)
    accepted = [s.file for s in run.summary.statuses if s.status == "已受理"]
    assert len(accepted) == 10, [(s.county, s.status, s.note) for s in run.summary.statuses]

    # independently: the accepted county workbooks as openpyxl reads them
    pool, risk, ledger = [], [], []
    for name in accepted:
        county = name.split("_")[0]
        book = openpyxl.load_workbook(workspace.inbox / name, data_only=True)  # consolidation leaves them there
        pool += [(county, name, n, v) for n, v in list_rows(book, "重点培育企业")]
        risk += [(county, name, n, v) for n, v in list_rows(book, "退规风险企业")]
        ledger += [(county, name, n, v) for n, v in list_rows(book, "问题台账")]
    in_pools = Counter(code for _, code in {(county, v[0]) for county, _, _, v in pool})  # counties per firm
    expected_pool_flags = Counter()
    for county, _, _, v in pool:
        expected_pool_flags["threshold"] += float(v[3]) >= 2000
        expected_pool_flags["twice"] += in_pools[v[0]] > 1
        expected_pool_flags["past"] += bool(v[5]) and str(v[5])[:7] < str(PERIOD)
    overdue = {}
    for county, name, n, v in ledger:
        deadline = v[4].date() if isinstance(v[4], dt.datetime) else dt.date.fromisoformat(str(v[4])[:10])
        if v[5] != "已办结" and (AS_OF - deadline).days > 0:
            overdue[(name, n)] = (AS_OF - deadline).days
    assert expected_pool_flags == Counter(threshold=1, twice=2, past=1)  # the edits, as the files now say
    assert overdue[(tianyuan.name, FIRST)] == 37 and (tianyuan.name, FIRST + 1) not in overdue

    summary = run.summary_files[0]
    out = openpyxl.load_workbook(summary, read_only=True)
    pool_sheet, risk_sheet, ledger_sheet = (_table(out, s) for s in ("培育库", "风险库", "问题台账"))
    assert sorted((r["来源文件"], r["行号"]) for r in pool_sheet) == sorted((name, n) for _, name, n, _ in pool)
    assert sorted((r["来源文件"], r["行号"]) for r in risk_sheet) == sorted((name, n) for _, name, n, _ in risk)
    assert sorted((r["来源文件"], r["行号"]) for r in ledger_sheet) == sorted((name, n) for _, name, n, _ in ledger)
    flags = [r["需处理"] or "" for r in pool_sheet]
    assert sum("已达规模标准" in f for f in flags) == expected_pool_flags["threshold"]
    assert sum("跨县市区重复：天元区、攸县均列入培育库" in f for f in flags) == expected_pool_flags["twice"]
    assert sum("预计入规月份已过" in f for f in flags) == expected_pool_flags["past"]
    # an at-risk firm at 3000 万元 is an error in the county's own checks (E122): no accepted report holds one
    assert sum("3000万元" in (r["需处理"] or "") for r in risk_sheet) == sum(float(v[2]) >= 3000
                                                                           for _, _, _, v in risk) == 0
    got_overdue = {(r["来源文件"], r["行号"]): r["逾期天数"] for r in ledger_sheet if r["逾期天数"]}
    assert got_overdue == overdue
    assert [r["逾期天数"] for r in ledger_sheet[:len(overdue)]] == sorted(overdue.values(), reverse=True)  # first

    by_county = {r["县市区"]: r for r in _table(out, "培育库分县")}
    total = by_county.pop("全市")  # all ten accepted: the whole city
    assert total["培育库企业（家）"] == len(pool)
    sizes = Counter(county for county, _, _, _ in pool)
    assert {c: r["培育库企业（家）"] for c, r in by_county.items()} == dict(sizes)
    assert by_county["天元区"]["已达2000万元（家）"] == 1
    units = _table(out, "台账分单位")
    assert sum(u["交办（条）"] for u in units) == len(ledger)
    assert sum(u["已办结（条）"] for u in units) == sum(v[5] == "已办结" for _, _, _, v in ledger)
    assert sum(u["逾期（条）"] for u in units) == len(overdue)

    overview = [r[0] for r in out["概览"].iter_rows(values_only=True) if r[0]]
    assert f"培育库：{len(pool)} 家，需处理 3 家（已达2000万元应督促申报入统 1 家、跨县市区重复 2 家、预计入规月份已过 1 家）。" \
           "见“培育库”表。" in overview
    assert any(line.startswith(f"问题台账：{len(ledger)} 条") and f"逾期 {len(overdue)} 条" in line for line in overview)

    console = Console(file=StringIO(), width=200)
    print_summary(console, run.summary)
    printed = console.file.getvalue()
    assert f"培育库：{len(pool)} 家，需处理 3 家" in printed and f"截至 {AS_OF} 逾期 {len(overdue)} 条" in printed
