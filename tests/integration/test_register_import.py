"""The starting register from the statistics office: imported whole or not at all, and exits checked against it."""

from __future__ import annotations

import openpyxl

from conftest import new_workspace, sha256
from county_files import entry, exit_row, firm, register_file, write_report
from test_rebuild import snapshot
from toolkit.cli import main
from toolkit.domain.periods import Period
from toolkit.services.consolidation import status
from toolkit.services.workspace import Workspace


def starting_rows(policy):
    return [
        (firm(policy, "荷塘区", 300), "株洲荷塘老厂机械有限公司", "430202", "荷塘区"),
        (firm(policy, "攸县", 300), "攸县老厂煤业有限公司", "", "攸 县"),  # the annex's spacing
        (firm(policy, "醴陵市", 300), "醴陵老厂陶瓷有限公司", "430281", None),  # only the division code
        (firm(policy, "炎陵县", 300), "炎陵老厂食品有限公司", None, None),  # only the USCC's area
        (firm(policy, "荷塘区", 301), "株洲荷塘二厂有限公司", None, "荷塘区"),
    ]


def test_import_then_exits_and_entries_are_checked_against_it(tmp_path, policy, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    root = new_workspace(tmp_path / "ws")
    # before the list exists, an exit of a firm nobody reported is only for the city to verify
    write_report(root / "收件箱", policy, "荷塘区", "2022-03", [entry(firm(policy, "荷塘区", 1), "2022-01")],
                 [exit_row(firm(policy, "荷塘区", 300), "2022-02"), exit_row(firm(policy, "荷塘区", 555), "2022-02")])
    write_report(root / "收件箱", policy, "攸县", "2022-03", [entry(firm(policy, "攸县", 300), "2022-01")])
    write_report(root / "收件箱", policy, "醴陵市", "2022-03", [entry(firm(policy, "醴陵市", 1), "2022-01")],
                 [{**exit_row(firm(policy, "荷塘区", 301), "2022-03"), "note": "该企业2020年迁入醴陵市生产经营"}])
    main(["consolidate", "--workspace", str(root), "--period", "2022-03"])
    workspace = Workspace.at(root)
    before = {s.county: s.status for s in status(workspace, Period(2022, 3)).statuses}
    assert before["荷塘区"] == before["攸县"] == before["醴陵市"] == "已受理"
    capsys.readouterr()

    listing = register_file(tmp_path / "2021年末在库名录.xlsx", starting_rows(policy))
    assert main(["register", "import", "--workspace", str(root), str(listing)]) == 0
    out = capsys.readouterr().out
    assert "已导入起始名录" in out and "5 家" in out
    summary = status(workspace, Period(2022, 3))
    state = {s.county: s.status for s in summary.statuses}
    codes = {(f.file.split("_")[0], f.code, f.value) for f in summary.findings}
    # 荷塘区: firm 300 is in the list (fine); firm 555 is not: now an 错误
    assert ("荷塘区", "E203", firm(policy, "荷塘区", 555)) in codes
    assert not any(c == ("荷塘区", "E203", firm(policy, "荷塘区", 300)) for c in codes)
    assert state["荷塘区"] == "被退回"
    # 攸县 reported as new a firm already in the register since the plan's start
    assert ("攸县", "E201", firm(policy, "攸县", 300)) in codes and state["攸县"] == "被退回"
    # 醴陵市 exits a firm the list gives to 荷塘区: for the city to verify, not a rejection
    assert ("醴陵市", "W207", firm(policy, "荷塘区", 301)) in codes and state["醴陵市"] == "已受理"

    # the same file again changes nothing; the store can be rebuilt with the list
    assert main(["register", "import", "--workspace", str(root), str(listing)]) == 0
    assert "已导入过" in capsys.readouterr().out
    figures = snapshot(workspace, ("2022-03",))
    workspace.store_path.unlink()
    assert main(["rebuild", "--workspace", str(root)]) == 0
    assert snapshot(workspace, ("2022-03",)) == figures


def test_a_list_with_mistakes_is_refused_whole(tmp_path, policy, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    root = new_workspace(tmp_path / "ws")
    good = firm(policy, "荷塘区", 300)
    wrong_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [
        (good, "株洲荷塘老厂机械有限公司", "430202", "荷塘区"),
        (wrong_check, "株洲错码有限公司", "430202", "荷塘区"),  # row 4
        (good, "株洲荷塘老厂机械有限公司", "430202", "荷塘区"),  # row 5: the same firm twice
        (firm(policy, "攸县", 301), "长沙某厂", "", "长沙县"),  # row 6: not a unit of this city
        (firm(policy, "攸县", 302), "", "", "攸县"),  # row 7: no name
    ]
    listing = register_file(tmp_path / "名录.xlsx", rows)
    digest = sha256(listing)
    assert main(["register", "import", "--workspace", str(root), str(listing)]) == 1
    out = capsys.readouterr().out
    for where in ("在库名录!B4", "在库名录!B5", "在库名录!E6", "在库名录!C7"):
        assert where in out, where
    assert "未导入" in out and "长沙县" in out
    assert sha256(listing) == digest  # the office's file is never touched
    with __import__("sqlite3").connect(Workspace.at(root).store_path) as db:
        assert db.execute("SELECT count(*) FROM starting_register").fetchone()[0] == 0


def test_a_workbook_that_is_not_a_list_is_named(tmp_path, policy, capsys):
    root = new_workspace(tmp_path / "ws")
    workbook = openpyxl.Workbook()
    workbook.active.append(["甲", "乙"])
    workbook.save(tmp_path / "其他.xlsx")
    assert main(["register", "import", "--workspace", str(root), str(tmp_path / "其他.xlsx")]) == 1
    assert "统一社会信用代码" in capsys.readouterr().out
