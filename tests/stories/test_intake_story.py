"""A county sends last period's workbook under this period's name (#17): it is received and returned — with
a results file saying which period it is and which is due, and a 催报 — never shown as 未报送; once it sends
the right workbook it is accepted."""

from __future__ import annotations

import shutil


from conftest import SAMPLE_REPORTS, docx_text, settled_policy
from toolkit.cli import main
from toolkit.domain.periods import Period
from toolkit.services.consolidation import status
from toolkit.services.workspace import Workspace



def test_last_periods_workbook_is_returned_reminded_and_then_accepted(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    root = tmp_path / "工作区"
    assert main(["init", str(root)]) == 0
    settled_policy(root)
    inbox = root / "收件箱"
    for path in (SAMPLE_REPORTS / "2022-03").glob("*.xlsx"):
        shutil.copy(path, inbox / path.name)
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-03"]) == 0
    for path in (SAMPLE_REPORTS / "2022-06").glob("*.xlsx"):
        if not path.name.startswith("荷塘区"):
            shutil.copy(path, inbox / path.name)
    # 荷塘区 sends its March workbook again, saved under the June name, its cover untouched
    reused = inbox / "荷塘区_2022-06_规上工业企业报表.xlsx"
    shutil.copy(SAMPLE_REPORTS / "2022-03" / "荷塘区_2022-03_规上工业企业报表.xlsx", reused)
    capsys.readouterr()
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) == 1
    statuses = {s.county: s for s in status(Workspace.at(root), Period(2022, 6)).statuses}
    assert statuses["荷塘区"].status == "被退回" and statuses["荷塘区"].causes == ("报送期不符",)

    results = root / "输出" / "校验结果" / "荷塘区_2022-06_规上工业企业报表_校验结果.xlsx"
    assert results.is_file()  # to send back
    import openpyxl

    rows = list(openpyxl.load_workbook(results, read_only=True)["问题清单"].iter_rows(values_only=True))
    (wrong,) = [r for r in rows if r[2] == "E005"]
    assert "这是 2022年1-3月 的报表，本期应报 2022年1-6月" in wrong[9] and "改为 2022-06" in wrong[9]

    # issued on the due date (2022-07-08): reminded, not criticised, and the period stays open (#18)
    capsys.readouterr()
    assert main(["notices", "--workspace", str(root), "--period", "2022-06", "--date", "2022-07-08", "--number"]) == 0
    assert "本期暂不封账" in capsys.readouterr().out
    folder = root / "输出" / "公文" / "2022-06"
    (reminder,) = folder.glob("*催报通知*.docx")
    text = docx_text(reminder)
    assert "荷塘区" in text and "报送期不符" in text and "2022年7月13日前" in text
    assert not list(folder.glob("*通报批评*.docx"))

    # the right workbook, saved later: accepted, the returned one kept in the audit trail
    reused.unlink()
    shutil.copy(SAMPLE_REPORTS / "2022-06" / "荷塘区_2022-06_规上工业企业报表.xlsx", inbox / "荷塘区_2022-06_规上工业企业报表（重报）.xlsx")
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) in (0, 1)
    statuses = {s.county: s for s in status(Workspace.at(root), Period(2022, 6)).statuses}
    assert statuses["荷塘区"].status == "已受理" and "重报" in statuses["荷塘区"].file
    assert not any(a.county == "荷塘区" for a in status(Workspace.at(root), Period(2022, 6)).adjustments)  # counted, not an adjustment

    # after the deadline: only the counties still without an accepted report are criticised, and the period closes
    capsys.readouterr()
    assert main(["notices", "--workspace", str(root), "--period", "2022-06", "--date", "2022-07-15", "--number"]) == 0
    assert "已封账" in capsys.readouterr().out
    (criticism,) = folder.glob("*通报批评*.docx")
    text = docx_text(criticism)
    assert "荷塘区" not in text and "攸县" in text and "补报期限2022年7月13日已过" in text
