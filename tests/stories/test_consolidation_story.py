"""The city clerk's story over three periods for ten counties: consolidate, resubmit, attribute, recheck.

2022-06: 炎陵县 does not submit, 茶陵县 is rejected and resubmits, 天元区 and 株洲经开区 both report one
firm (held 待认定 until the city attributes it). 2022-12: 攸县 drops an entry without an exit
(rejected) and 醴陵市 sends two files (the newest wins). 2023-03: 荷塘区 reports as new a firm already
in the register since 2022 (rejected). Figures are checked against a recomputation from the rows the
test wrote, and every run is idempotent.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import openpyxl
import pytest

from county_files import entry, exit_row, firm, write_report
from toolkit.cli import main
from toolkit.domain.periods import Period
from toolkit.services.consolidation import status
from toolkit.services.workspace import Workspace

COUNTIES = ("荷塘区", "芦淞区", "石峰区", "株洲经开区", "天元区", "渌口区", "攸县", "茶陵县", "炎陵县", "醴陵市")
PACE = {"荷塘区": 14, "芦淞区": 6, "石峰区": 10, "株洲经开区": 9, "天元区": 36, "渌口区": 4, "攸县": 30, "茶陵县": 8,
        "炎陵县": 12, "醴陵市": 40}  # entries in 2022


def plan_2022(policy) -> dict[str, list[dict]]:
    """Each county's whole-year entries (months spread over the year; a few 小升规 in January)."""
    plans = {}
    for county in COUNTIES:
        rows = []
        for n in range(PACE[county]):
            upgrade = n % 3 == 0
            month = 1 if upgrade else 1 + (n * 5) % 12
            rows.append(entry(firm(policy, county, n), f"2022-{month:02d}", kind="小升规" if upgrade else "新建投产"))
        plans[county] = rows
    return plans


def up_to(rows, period: str):
    return [r for r in rows if Period.parse(r["entry_month"]) <= Period.parse(period)]


def consolidate(workspace, period) -> int:
    return main(["consolidate", "--workspace", str(workspace), "--period", period])


def dump(store_path) -> dict:
    """Everything the store holds, for idempotence checks."""
    with sqlite3.connect(store_path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(map(repr, db.execute(f"SELECT * FROM {t}"))) for t in tables if t != "meta"}


def check_figures(summary, expected_new: dict, expected_exits: dict, policy):
    """The summary equals a recomputation from the rows the test wrote."""
    period = summary.period
    rates = {}
    for f in summary.counties:
        if f.county not in expected_new:
            assert not f.has_figures, f.county
            continue
        assert (f.new, f.exits) == (expected_new[f.county], expected_exits.get(f.county, 0)), f.county
        assert f.net == f.new - f.exits
        target = policy.new_target(f.county, period.year)
        assert f.completion == pytest.approx(f.new / target)
        assert f.gap_points == pytest.approx((f.new / target - period.month / 12) * 100)
        rates[f.county] = f.new / target
    for f in summary.counties:
        if f.county in rates:
            assert f.rank == 1 + sum(r > rates[f.county] + 1e-12 for r in rates.values())
    assert summary.city.new == sum(expected_new.values())
    assert summary.city.exits == sum(expected_exits.values())
    assert summary.city.target == policy.total_new_targets[period.year]


def test_three_periods_ten_counties(tmp_path, policy, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")  # rich tables unwrapped, so that messages can be searched
    root = tmp_path / "株洲市工信局" / "规上培育工作区"
    assert main(["init", str(root)]) == 0
    workspace = Workspace.at(root)
    inbox = workspace.inbox
    plans = plan_2022(policy)
    shared = plans["天元区"][1]  # also reported by 株洲经开区
    stranger = firm(policy, "石峰区", 900)  # an exit the store has never seen
    # the period folders a clerk might keep inside the inbox
    june = inbox / "2022年6月"
    june.mkdir()

    # --- 2022-06: 炎陵县 missing, 茶陵县 rejected, a firm claimed by two counties --------------------
    for county in COUNTIES:
        if county == "炎陵县":
            continue
        rows = up_to(plans[county], "2022-06")
        exits = [exit_row(stranger, "2022-04")] if county == "石峰区" else []
        if county == "株洲经开区":
            rows = rows + [dict(shared)]
        if county == "茶陵县":
            rows = [dict(r) for r in rows]
            rows[0]["uscc"] = rows[0]["uscc"][:-1] + ("0" if rows[0]["uscc"][-1] != "0" else "1")
        write_report(june, policy, county, "2022-06", rows, exits)
    (inbox / "~$茶陵县_2022-06_规上工业企业报表.xlsx").write_bytes(b"lock")
    (inbox / "说明.txt").write_text("各县市区报表", encoding="utf-8")

    assert consolidate(root, "2022-06") == 1  # a county rejected and one missing
    out = capsys.readouterr().out
    assert "Office 临时锁定文件" in out and "不是表格文件" in out and "待认定" in out
    summary = status(workspace, Period(2022, 6))
    state = {s.county: s.status for s in summary.statuses}
    assert state["炎陵县"] == "未报送" and state["茶陵县"] == "被退回"
    assert sum(s == "已受理" for s in state.values()) == 8
    assert [c.uscc for c in summary.pending] == [shared["uscc"]]
    assert {c.county for c in summary.pending[0].claims} == {"天元区", "株洲经开区"}
    assert summary.city.pending == 1  # one firm, although two units claim it
    new = {c: len(up_to(plans[c], "2022-06")) for c in COUNTIES if c not in ("炎陵县", "茶陵县")}
    new["天元区"] -= 1  # pending attribution: counted for nobody yet
    check_figures(summary, new, {"石峰区": 1}, policy)
    assert {d.county: d.outcome for d in summary.decisions}["炎陵县"] == "批评"
    assert all(f.code != "W204" or f.blocking is False for f in summary.findings)
    assert any(f.code == "W204" and f.file.startswith("2022年6月/石峰区") for f in summary.findings)
    assert any(f.code == "E103" and f.file.startswith("2022年6月/茶陵县") for f in summary.findings)

    # every counted row points at the file, sheet and row it came from
    for detail in summary.entries[:25]:
        source = detail.listing.source
        found = next(inbox.rglob(source.file))
        sheet = openpyxl.load_workbook(found, read_only=True)[source.sheet]
        assert next(sheet.iter_rows(min_row=source.row, max_row=source.row, values_only=True))[0] == detail.listing.uscc

    # --- re-running changes nothing in the store; the summary is a new file -------------------------
    before = dump(workspace.store_path)
    first_summary = sorted((workspace.output / "汇总").glob("*2022-06*.xlsx"))
    assert consolidate(root, "2022-06") == 1
    assert "未重复计入" in capsys.readouterr().out
    assert dump(workspace.store_path) == before
    second = sorted((workspace.output / "汇总").glob("*2022-06*.xlsx"))
    assert len(second) == len(first_summary) + 1

    # --- 茶陵县 resubmits a corrected workbook: it replaces the rejected one -------------------------
    write_report(june, policy, "茶陵县", "2022-06", up_to(plans["茶陵县"], "2022-06"),
                 name="茶陵县_2022-06_规上工业企业报表（更正）.xlsx")
    consolidate(root, "2022-06")
    capsys.readouterr()
    summary = status(workspace, Period(2022, 6))
    state = {s.county: s for s in summary.statuses}
    assert state["茶陵县"].status == "已受理" and "更正" in state["茶陵县"].file
    assert "替换了" in state["茶陵县"].note
    with sqlite3.connect(workspace.store_path) as db:
        trail = db.execute("SELECT file_name, status FROM submissions WHERE county = '茶陵县'").fetchall()
    assert sorted(s for _, s in trail) == ["accepted", "superseded"]  # the audit trail keeps both

    # --- the city attributes the shared firm to 天元区 ---------------------------------------------
    assert main(["assign", "--workspace", str(root), "--uscc", shared["uscc"], "--county", "天元区",
                 "--year", "2022", "--note", "经核实在天元区纳统"]) == 0
    assert main(["assign", "--workspace", str(root), "--uscc", shared["uscc"], "--county", "醴陵市",
                 "--year", "2022"]) == 2  # not a claimant
    capsys.readouterr()
    summary = status(workspace, Period(2022, 6))
    new["天元区"] += 1
    new["茶陵县"] = len(up_to(plans["茶陵县"], "2022-06"))
    check_figures(summary, new, {"石峰区": 1}, policy)
    assert summary.pending[0].decided == "天元区" and summary.city.pending == 0
    zone = [d for d in summary.entries if d.listing.county == "株洲经开区" and d.listing.uscc == shared["uscc"]]
    assert zone[0].counted == "属天元区"
    about_shared = {(f.file.split("/")[-1].split("_")[0], f.code)
                    for f in summary.findings if f.value == shared["uscc"]}
    assert about_shared == {("株洲经开区", "W206")}  # the findings follow the decision at once

    # --- 2022-12: 攸县 drops an entry without an exit; 醴陵市 sends two files ------------------------
    december = inbox / "2022年12月"
    december.mkdir()
    for county in COUNTIES:
        rows = list(plans[county])
        if county == "株洲经开区":
            rows.append(dict(shared))
        if county == "攸县":
            rows = [r for r in rows if r["uscc"] != plans["攸县"][3]["uscc"]]
        if county == "醴陵市":
            # the corrected workbook was saved later, but a chat app downloaded the old one last: its file
            # time is the newer one. The workbook's own saved time decides, never the file's time.
            write_report(december, policy, county, "2022-12", rows[:-5], name="醴陵市_2022-12_旧.xlsx",
                         mtime=1_700_100_000, saved=dt.datetime(2023, 1, 5, 9, 30))
            write_report(december, policy, county, "2022-12", rows, name="醴陵市_2022-12_新.xlsx",
                         mtime=1_700_000_000, saved=dt.datetime(2023, 1, 6, 16, 45))
            continue
        write_report(december, policy, county, "2022-12", rows, [exit_row(stranger, "2022-04")] if county == "石峰区" else [])
    assert consolidate(root, "2022-12") == 1
    out = capsys.readouterr().out
    assert "醴陵市_2022-12_旧.xlsx" in out and "被替换" in out
    assert "以工作簿保存时间最晚的“2022年12月/醴陵市_2022-12_新.xlsx”为准" in out  # the run says which it took and why
    summary = status(workspace, Period(2022, 12))
    state = {s.county: s for s in summary.statuses}
    assert state["攸县"].status == "被退回"
    assert any(f.code == "E205" and plans["攸县"][3]["uscc"] in f.message for f in summary.findings)
    assert state["醴陵市"].file == "2022年12月/醴陵市_2022-12_新.xlsx"
    new = {c: len(plans[c]) for c in COUNTIES if c != "攸县"}
    new["天元区"] = len(plans["天元区"])  # the shared firm is 天元区's
    check_figures(summary, new, {"石峰区": 1}, policy)

    # --- 2023-03: 荷塘区 reports again as new a firm in the register since 2022 ---------------------
    march = inbox / "2023年3月"
    march.mkdir()
    plans_2023 = {c: [entry(firm(policy, c, 500 + n), "2023-02") for n in range(3)] for c in COUNTIES}
    for county in COUNTIES:
        rows = list(plans_2023[county])
        if county == "荷塘区":
            rows.append(entry(plans["荷塘区"][4]["uscc"], "2023-01"))
        write_report(march, policy, county, "2023-03", rows)
    assert consolidate(root, "2023-03") == 1
    capsys.readouterr()
    summary = status(workspace, Period(2023, 3))
    state = {s.county: s.status for s in summary.statuses}
    assert state["荷塘区"] == "被退回" and sum(s == "已受理" for s in state.values()) == 9
    (e201,) = [f for f in summary.findings if f.code == "E201"]
    assert "荷塘区" in e201.message and "2022-" in e201.message and e201.file.startswith("2023年3月/荷塘区")
    check_figures(summary, {c: 3 for c in COUNTIES if c != "荷塘区"}, {}, policy)

    # the earlier periods keep their figures when re-run after later ones, and re-running is idempotent
    figures_before = {p: [(f.county, f.new, f.exits) for f in status(workspace, Period.parse(p)).counties]
                      for p in ("2022-06", "2022-12")}
    for _ in range(2):
        for period in ("2022-06", "2022-12", "2023-03"):
            consolidate(root, period)
        capsys.readouterr()
        if _ == 0:
            before = dump(workspace.store_path)
    assert dump(workspace.store_path) == before
    for p, rows in figures_before.items():
        assert [(f.county, f.new, f.exits) for f in status(workspace, Period.parse(p)).counties] == rows
    with sqlite3.connect(workspace.store_path) as db:
        registered = dict(db.execute("SELECT uscc, county FROM register WHERE exit_period = ''").fetchall())
    assert registered[shared["uscc"]] == "天元区"
    assert registered[plans["荷塘区"][4]["uscc"]] == "荷塘区"


def test_status_and_assign_need_a_workspace(tmp_path, capsys):
    assert main(["status", "--workspace", str(tmp_path / "无此文件夹"), "--period", "2022-06"]) == 2
    assert "guishang init" in capsys.readouterr().out
