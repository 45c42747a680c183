"""Closed periods (封账): signed figures never change behind the director's back."""

from __future__ import annotations

import sqlite3

import openpyxl

from county_files import entry, firm, write_report
from test_rebuild import snapshot
from conftest import new_workspace, without_version_4, without_version_5
from toolkit.adapters.store import SCHEMA_VERSION, Store
from toolkit.cli import main
from toolkit.domain.periods import Period
from toolkit.services.consolidation import status
from toolkit.services.workspace import Workspace


def test_resubmission_after_closing_is_an_adjustment(tmp_path, policy, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    root = new_workspace(tmp_path / "ws")
    inbox = root / "收件箱"
    tianyuan = [entry(firm(policy, "天元区", n), "2022-0" + str(1 + n % 5)) for n in range(6)]
    write_report(inbox, policy, "天元区", "2022-06", tianyuan[:5])
    write_report(inbox, policy, "攸县", "2022-06", [entry(firm(policy, "攸县", n), "2022-03") for n in range(3)])
    main(["consolidate", "--workspace", str(root), "--period", "2022-06"])
    workspace = Workspace.at(root)
    assert main(["close", "--workspace", str(root), "--period", "2022-06", "--reason", "上半年工作情况通报已印发"]) == 0
    signed = snapshot(workspace, ("2022-06",))["2022-06"]
    capsys.readouterr()

    # 天元区 finds a firm it forgot and sends a corrected June workbook after the bulletin went out
    write_report(inbox, policy, "天元区", "2022-06", tianyuan, name="天元区_2022-06_补报.xlsx",
                 cover_note="补报漏填的新增企业1家（6月核定入库）")
    main(["consolidate", "--workspace", str(root), "--period", "2022-06"])
    out = capsys.readouterr().out
    assert "记为调整" in out and "封账数字不变" in out
    summary = status(workspace, Period(2022, 6))
    now = snapshot(workspace, ("2022-06",))["2022-06"]
    assert now[:3] == signed[:3]  # statuses, figures and decisions as signed
    (adjustment,) = summary.adjustments
    assert (adjustment.county, adjustment.new_closed, adjustment.new_now) == ("天元区", 5, 6)
    assert adjustment.reason == "补报漏填的新增企业1家（6月核定入库）"
    assert summary.closed.reason == "上半年工作情况通报已印发"

    # the next summary shows the adjustment too
    for county, rows in (("天元区", tianyuan), ("攸县", [entry(firm(policy, "攸县", n), "2022-03") for n in range(3)])):
        write_report(inbox / "9月", policy, county, "2022-09", rows)
    main(["consolidate", "--workspace", str(root), "--period", "2022-09"])
    assert "调整" in capsys.readouterr().out
    later = status(workspace, Period(2022, 9))
    assert [(a.period, a.county) for a in later.adjustments] == [(Period(2022, 6), "天元区")]
    (book,) = (root / "输出" / "汇总").glob("*2022-09*.xlsx")
    sheet = openpyxl.load_workbook(book)["调整记录"]
    assert [c.value for c in sheet[4]][:2] == ["2022-06", "天元区"]

    # closing again changes nothing; the rebuilt store keeps the closing and the adjustment
    assert main(["close", "--workspace", str(root), "--period", "2022-06"]) == 0
    assert "未改动" in capsys.readouterr().out
    before = snapshot(workspace, ("2022-06", "2022-09"))
    workspace.store_path.unlink()
    assert main(["rebuild", "--workspace", str(root)]) == 0
    assert snapshot(workspace, ("2022-06", "2022-09")) == before
    assert [a.county for a in status(workspace, Period(2022, 9)).adjustments] == ["天元区"]


def test_a_consolidation_reads_the_policy_workbook_once(tmp_path, policy, monkeypatch):
    """An open period's summary rests on the policy the run read at its start (a national plan takes a quarter of
    a second to read), not on a second reading."""
    root = new_workspace(tmp_path / "ws")
    write_report(root / "收件箱", policy, "攸县", "2022-06", [entry(firm(policy, "攸县", n), "2022-03") for n in range(3)])
    reads = []
    read = Workspace.policy
    monkeypatch.setattr(Workspace, "policy", lambda self: reads.append(self.policy_path) or read(self))
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) in (0, 1)
    assert len(reads) == 1
    assert status(Workspace.at(root), Period(2022, 6)).statuses[0].county


def test_decisions_after_closing_leave_closed_periods_alone(tmp_path, policy):
    root = new_workspace(tmp_path / "ws")
    shared = entry(firm(policy, "天元区", 9), "2022-02")
    write_report(root / "收件箱", policy, "天元区", "2022-03", [dict(shared)])
    write_report(root / "收件箱", policy, "株洲经开区", "2022-03", [dict(shared)])
    main(["consolidate", "--workspace", str(root), "--period", "2022-03"])
    main(["close", "--workspace", str(root), "--period", "2022-03"])
    workspace = Workspace.at(root)
    signed = snapshot(workspace, ("2022-03",))["2022-03"]
    assert main(["assign", "--workspace", str(root), "--uscc", shared["uscc"], "--county", "天元区",
                 "--year", "2022"]) == 0
    # and the city revises its annex afterwards (天元区 50 -> 60, total 260 -> 270)
    book = openpyxl.load_workbook(workspace.policy_path)
    annex = book["目标附件"]
    for row in annex.iter_rows(min_row=4):
        if row[0].value in ("天元区", "全市"):
            row[1].value += 10
    book.save(workspace.policy_path)
    assert workspace.policy().new_target("天元区", 2022) == 60
    after = snapshot(workspace, ("2022-03",))["2022-03"]
    assert after == signed  # statuses, figures, decisions, pending and findings all as signed
    assert status(workspace, Period(2022, 3)).city.target == 260


def test_a_period_never_consolidated_cannot_be_closed(tmp_path, capsys):
    root = new_workspace(tmp_path / "ws")
    assert main(["close", "--workspace", str(root), "--period", "2022-06"]) == 2
    assert "还没有汇总过" in capsys.readouterr().out


def test_an_older_store_is_migrated(tmp_path):
    path = tmp_path / "s.sqlite"
    Store.open(path, create=True).close()
    with sqlite3.connect(path) as db:  # what version 1 looked like: no closures, no confirmed lists, no rewards
        for table in ("reward_lines", "reward_batches", "taxes"):
            db.execute(f"DROP TABLE {table}")
        db.execute("DROP TABLE closures")
        db.execute("DROP TABLE confirmed")
        db.execute("DROP TABLE doc_numbers")
        without_version_4(db)
        db.execute("PRAGMA user_version = 1")
    store = Store.open(path)
    assert store.schema_version == SCHEMA_VERSION and store.decisions.closures() == {}
    assert store.register.confirmed(Period(2022, 6)) is None
    assert store.rewards.batches() == [] and store.department.taxes(2022) is None
    store.close()


def _older_store(tmp_path, version: int, take_back, status: str) -> Store:
    """A store as ``version`` left it (``take_back`` undoes what came after), holding one submission."""
    path = tmp_path / "s.sqlite"
    Store.open(path, create=True).close()
    with sqlite3.connect(path) as db:
        take_back(db)
        db.execute("INSERT INTO submissions (sha256, file_name, county, period, received_at, file_mtime, status) "
                   "VALUES ('x', '旧.xlsx', '荷塘区', '2022-06', '2022-07-01 09:00:00', '2022-07-01 08:00:00', ?)",
                   (status,))
        db.execute(f"PRAGMA user_version = {version}")
    return Store.open(path)


def test_a_version_3_store_gains_saved_times_and_choices(tmp_path):
    store = _older_store(tmp_path, 3, without_version_4, "accepted")
    (old,) = store.submissions.all()
    assert store.schema_version == SCHEMA_VERSION == 8 and old.saved_at == ""
    assert store.submissions.choices(Period(2022, 6)) == {}
    store.close()


def test_a_version_4_store_gains_the_record_of_results_sent_back(tmp_path):
    """Results numbered "（2）" are found again by the store, not by their name; an older store starts with none
    recorded (its results keep their plain names, which a consolidation still recognises)."""
    store = _older_store(tmp_path, 4, without_version_5, "rejected")
    assert store.schema_version == SCHEMA_VERSION == 8 and store.submissions.sent_back(Period(2022, 6)) == {}
    (old,) = store.submissions.all()
    store.submissions.record_sent_back(old.id, "旧_校验结果（2）.xlsx", "2022-07-02 09:00:00")
    assert store.submissions.sent_back(Period(2022, 6)) == {old.id: "旧_校验结果（2）.xlsx"}
    assert store.submissions.sent_back(Period(2022, 9)) == {}
    store.close()
