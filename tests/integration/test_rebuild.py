"""The store can always be rebuilt from the archive; one writer at a time; a verified backup before writing."""

from __future__ import annotations

import sqlite3

from county_files import entry, exit_row, firm, write_report
from conftest import new_workspace
from toolkit.cli import main
from toolkit.domain.periods import Period
from toolkit.services import workspace as workspace_module
from toolkit.services.consolidation import status
from toolkit.services.workspace import Workspace


def snapshot(workspace: Workspace, periods) -> dict:
    """Everything a user sees of each period: status, figures, decisions, pending, findings."""
    out = {}
    for period in periods:
        s = status(workspace, Period.parse(period))
        out[period] = (
            [(r.county, r.status, r.file, r.errors, r.hints, r.to_verify) for r in s.statuses],
            [(f.county, f.new, f.exits, f.net, f.rank, f.pending) for f in s.counties],
            [(d.county, d.outcome, d.reason) for d in s.decisions],
            [(c.uscc, c.decided) for c in s.pending],
            sorted((f.file, f.code, f.cell, f.message) for f in s.findings),
            [(d.listing.uscc, d.counted, d.listing.source.label) for d in s.entries],
        )
    return out


def busy_history(root, policy):
    """Two periods with a rejection, a resubmission, a firm claimed twice and an attribution."""
    inbox = root / "收件箱"
    shared = entry(firm(policy, "天元区", 7), "2022-02")
    for county in ("天元区", "株洲经开区", "攸县", "醴陵市"):
        rows = [entry(firm(policy, county, n), f"2022-0{1 + n % 3}") for n in range(4)]
        if county == "株洲经开区":
            rows.append(dict(shared))
        if county == "天元区":
            rows.append(dict(shared))
        if county == "攸县":
            rows[0] = {**rows[0], "industry": "5179"}  # not industrial: rejected
        write_report(inbox, policy, county, "2022-03", rows, [exit_row(firm(policy, county, 99), "2022-02")])
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-03"]) == 1
    write_report(inbox, policy, "攸县", "2022-03", [entry(firm(policy, "攸县", n), "2022-02") for n in range(4)],
                 name="攸县_2022-03_更正.xlsx")
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-03"]) == 1
    assert main(["assign", "--workspace", str(root), "--uscc", shared["uscc"], "--county", "株洲经开区",
                 "--year", "2022"]) == 0
    for county in ("天元区", "株洲经开区", "攸县"):
        rows = [entry(firm(policy, county, n), f"2022-0{1 + n % 3}") for n in range(6)]
        write_report(inbox / "6月", policy, county, "2022-06", rows)
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) == 1


def test_deleted_store_is_rebuilt_with_identical_figures(tmp_path, policy, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    root = new_workspace(tmp_path / "市工信局工作区")
    (root / "收件箱" / "6月").mkdir()
    busy_history(root, policy)
    workspace = Workspace.at(root)
    before = snapshot(workspace, ("2022-03", "2022-06"))
    assert before["2022-03"][3] == [(firm(policy, "天元区", 7), "株洲经开区")]

    workspace.store_path.unlink()  # lost
    for path in (root / "收件箱").rglob("*.xlsx"):
        path.unlink()  # and the inbox emptied: the archive alone must do
    capsys.readouterr()
    assert main(["rebuild", "--workspace", str(root)]) == 0
    assert "重放汇总 3 次、报表 8 份、其他记录 1 项（归属认定、名录和名单导入、封账、奖励批次、部门数据）" in capsys.readouterr().out
    assert snapshot(workspace, ("2022-03", "2022-06")) == before


def test_rebuild_keeps_the_old_store_and_a_broken_archive_changes_nothing(tmp_path, policy, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    root = new_workspace(tmp_path / "ws")
    write_report(root / "收件箱", policy, "天元区", "2022-03", [entry(firm(policy, "天元区", 1), "2022-02")])
    main(["consolidate", "--workspace", str(root), "--period", "2022-03"])
    workspace = Workspace.at(root)
    before = snapshot(workspace, ("2022-03",))
    assert main(["rebuild", "--workspace", str(root)]) == 0
    assert "原数据库保留为" in capsys.readouterr().out
    assert snapshot(workspace, ("2022-03",)) == before
    assert any("重建前" in p.name for p in workspace.backups.glob("*.sqlite"))

    for archived in (workspace.archive.root / "文件").rglob("*.xlsx"):
        archived.write_bytes(b"damaged")
    store_bytes = workspace.store_path.read_bytes()
    assert main(["rebuild", "--workspace", str(root)]) == 2
    assert "原数据库未改动" in capsys.readouterr().out
    assert workspace.store_path.read_bytes() == store_bytes


def test_a_second_writer_is_told_to_wait(tmp_path, policy, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(workspace_module, "LOCK_WAIT_SECONDS", 0.2)
    root = new_workspace(tmp_path / "ws")
    write_report(root / "收件箱", policy, "天元区", "2022-03", [entry(firm(policy, "天元区", 1), "2022-02")])
    workspace = Workspace.at(root)
    with workspace.locked():  # another colleague's run holds the workspace
        assert main(["consolidate", "--workspace", str(root), "--period", "2022-03"]) == 2
        assert "正被另一个程序写入" in capsys.readouterr().out
    with sqlite3.connect(workspace.store_path) as db:
        assert db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0  # nothing half-done
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-03"]) == 1  # afterwards it goes through


def test_every_writing_run_leaves_a_verified_backup(tmp_path, policy, monkeypatch):
    monkeypatch.setattr(workspace_module, "BACKUPS_KEPT", 3)
    root = new_workspace(tmp_path / "ws")
    write_report(root / "收件箱", policy, "天元区", "2022-03", [entry(firm(policy, "天元区", 1), "2022-02")])
    for _ in range(5):
        main(["consolidate", "--workspace", str(root), "--period", "2022-03"])
    backups = sorted(Workspace.at(root).backups.glob("*.sqlite"))
    assert len(backups) == 3 and all("汇总2022-03" in p.name for p in backups)
    with sqlite3.connect(backups[-1]) as db:
        assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 1  # the state before the last run


def _hold_lock_in_another_process(root, seconds: float):
    """Another program (a colleague's run) holding the workspace for a while."""
    import subprocess
    import sys
    import time

    from conftest import ROOT

    marker = root / "held.txt"
    code = ("import sys, time, pathlib; sys.path.insert(0, sys.argv[1]);"
            "from toolkit.services.workspace import Workspace;"
            "w = Workspace.at(pathlib.Path(sys.argv[2]));"
            "cm = w.locked(); cm.__enter__(); pathlib.Path(sys.argv[3]).write_text('1');"
            "time.sleep(float(sys.argv[4])); cm.__exit__(None, None, None)")
    process = subprocess.Popen([sys.executable, "-c", code, str(ROOT), str(root), str(marker), str(seconds)])
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert time.monotonic() < deadline and process.poll() is None, "the other process did not start"
        time.sleep(0.05)
    return process


def test_two_processes_the_second_stops_with_a_clear_message(tmp_path, policy, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(workspace_module, "LOCK_WAIT_SECONDS", 0.3)
    root = new_workspace(tmp_path / "ws")
    write_report(root / "收件箱", policy, "天元区", "2022-03", [entry(firm(policy, "天元区", 1), "2022-02")])
    other = _hold_lock_in_another_process(root, 5)
    try:
        assert main(["consolidate", "--workspace", str(root), "--period", "2022-03"]) == 2
        assert "正被另一个程序写入" in capsys.readouterr().out
    finally:
        other.wait(timeout=30)


def test_two_processes_the_second_waits_its_turn(tmp_path, policy, monkeypatch):
    monkeypatch.setattr(workspace_module, "LOCK_WAIT_SECONDS", 20)
    root = new_workspace(tmp_path / "ws")
    write_report(root / "收件箱", policy, "天元区", "2022-03", [entry(firm(policy, "天元区", 1), "2022-02")])
    other = _hold_lock_in_another_process(root, 1)
    try:
        assert main(["consolidate", "--workspace", str(root), "--period", "2022-03"]) == 1  # nine units missing
    finally:
        other.wait(timeout=30)
    assert [s.status for s in status(Workspace.at(root), Period(2022, 3)).statuses if s.county == "天元区"] == ["已受理"]
