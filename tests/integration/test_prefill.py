"""Pre-filled templates: what the city knows is filled in once, and survives check and consolidation."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3

import openpyxl

from county_files import entry, exit_row, firm, write_report
from conftest import new_workspace
from toolkit.cli import main
from toolkit.domain import report_schema as S
from toolkit.domain.periods import Period
from toolkit.services.consolidation import status
from toolkit.services.workspace import Workspace


def pool_row(uscc, revenue, spin_off="否"):
    return {"uscc": uscc, "name": f"株洲{uscc[-5:-1]}新材料有限公司", "industry": "2641", "revenue": revenue,
            "spin_off": spin_off, "expected_entry": "2022-12", "measures": "上门走访，帮助对接订单"}


def test_prefilled_rows_survive_check_and_consolidation(tmp_path, policy, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    root = new_workspace(tmp_path / "ws")
    pool = [pool_row(firm(policy, "天元区", 50), 1500.0), pool_row(firm(policy, "天元区", 51), 620.0, "是")]
    at_risk = [{"uscc": firm(policy, "天元区", 60), "name": "株洲老厂电器有限公司", "revenue": 2400.0,
                "risk_reason": "订单下滑", "help_measures": "一企一策：对接银行续贷", "helper": "天元区工信局"}]
    ledger = [
        {"uscc": firm(policy, "天元区", 60), "name": "株洲老厂电器有限公司", "problem": "流动资金紧张", "assigned_to": "区金融办",
         "deadline": dt.date(2022, 12, 28), "status": "办理中"},
        {"uscc": firm(policy, "天元区", 60), "name": "株洲老厂电器有限公司", "problem": "用电增容", "assigned_to": "供电公司",
         "deadline": dt.date(2022, 3, 20), "status": "已办结"},
    ]
    entries = [entry(firm(policy, "天元区", n), "2022-02") for n in range(2)]
    write_report(root / "收件箱", policy, "天元区", "2022-03", entries, [exit_row(firm(policy, "天元区", 90), "2022-02")],
                 more={"pool": pool, "at_risk": at_risk, "ledger": ledger})
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-03"]) == 1  # the others are missing
    capsys.readouterr()

    assert main(["template", "--workspace", str(root), "--period", "2022-06", "--county", "天元区"]) == 0
    out = capsys.readouterr().out
    assert "预填" in out and "培育库 2 行" in out and "未办结台账 1 行" in out and "在库名录 2 家" in out
    (template,) = (root / "输出" / "模板" / "2022-06").glob("*.xlsx")
    book = openpyxl.load_workbook(template)
    assert [r[0] for r in book["重点培育企业"].iter_rows(min_row=S.FIRST_DATA_ROW, values_only=True) if r[0]] == [p["uscc"] for p in pool]
    assert [r[2] for r in book["问题台账"].iter_rows(min_row=S.FIRST_DATA_ROW, values_only=True) if r[0]] == ["流动资金紧张"]
    assert [r[0] for r in book["新增入规企业"].iter_rows(min_row=S.FIRST_DATA_ROW, values_only=True) if r[0]] == [e["uscc"] for e in entries]
    reference = book["在库企业名录"]
    assert sorted(r[0] for r in reference.iter_rows(min_row=4, values_only=True) if r[0]) == sorted(e["uscc"] for e in entries)
    assert reference.protection.sheet  # read only

    # the pre-filled rows pass the same checks as typed ones (only the cover is left for the clerk)
    main(["check", str(template), "--out", str(tmp_path / "结果"), "--json"])
    findings = json.loads(capsys.readouterr().out)
    assert findings and {f["sheet"] for f in findings} == {"封面"}

    # the clerk adds one new entry in June and sends it back
    sheet = book["新增入规企业"]
    new = entry(firm(policy, "天元区", 3), "2022-05")
    for col, key in enumerate(("uscc", "name", "entry_kind", "entry_mode", "entry_month", "industry", "revenue", "tax",
                               "employees"), start=1):
        sheet.cell(S.FIRST_DATA_ROW + len(entries), col).value = new[key]
    cover = book["封面"]
    for row in cover.iter_rows(min_row=4, max_row=14):
        row[1].value = {"填报人": "刘志强", "联系电话": "0731-22881234", "填报日期": dt.datetime(2022, 7, 5),
                        "审核人": "彭国平"}.get(row[0].value, row[1].value)
    returned = root / "收件箱" / "天元区_2022-06_规上工业企业报表.xlsx"
    book.save(tmp_path / "filled.xlsx")
    shutil.copy(tmp_path / "filled.xlsx", returned)
    main(["consolidate", "--workspace", str(root), "--period", "2022-06"])
    summary = status(Workspace.at(root), Period(2022, 6))
    tianyuan = next(s for s in summary.statuses if s.county == "天元区")
    assert tianyuan.status == "已受理", summary.findings
    assert next(f for f in summary.counties if f.county == "天元区").new == 3
    with sqlite3.connect(Workspace.at(root).store_path) as db:
        june_pool = db.execute("SELECT uscc FROM rows JOIN submissions ON submissions.id = rows.submission_id "
                               "WHERE sheet_key = 'pool' AND period = '2022-06' ORDER BY rows.rowid").fetchall()
    assert [u for (u,) in june_pool] == [p["uscc"] for p in pool]


def test_a_county_without_history_gets_the_register_only(tmp_path, policy, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    root = new_workspace(tmp_path / "ws")
    assert main(["template", "--workspace", str(root), "--period", "2022-06", "--county", "攸县"]) == 0
    assert "此前无已受理报表" in capsys.readouterr().out
    assert main(["template", "--period", "2022-06", "--county", "攸县"]) == 2  # no folder given
