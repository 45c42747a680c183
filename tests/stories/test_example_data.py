"""Example data stays example data (#18): values the plan does not give are marked 示例数据 in the sample
policy; they are marked wherever they appear, and a document citing them can be drafted but not issued
until the city replaces them and deletes the mark — the message names the sheet and the cell."""

from __future__ import annotations

import shutil

import openpyxl

from conftest import SAMPLES
from toolkit.cli import main
from toolkit.demo.samples import accept_examples
from toolkit.domain import policy_layout as L



def _workspace(tmp_path, capsys):
    root = tmp_path / "工作区"
    assert main(["init", str(root)]) == 0
    for path in (SAMPLES / "县区报表" / "2022-03").glob("*.xlsx"):
        shutil.copy(path, root / "收件箱")
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-03"]) == 0
    capsys.readouterr()
    return root


def test_notices_citing_example_settings_are_drafts_until_the_city_replaces_them(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    root = _workspace(tmp_path, capsys)
    folder = root / "输出" / "公文" / "2022-03"
    assert main(["notices", "--workspace", str(root), "--period", "2022-03", "--date", "2022-04-08", "--number"]) == 2
    out = capsys.readouterr().out
    assert "仍标为示例数据的“发文设置”表（A2）、“报送日历”表（A2），不能签发" in out and "政策参数.xlsx" in out
    assert f"guishang notices --workspace {root} --period 2022-03 --draft" in out  # the way on, as a command
    assert not folder.exists()
    assert main(["status", "--workspace", str(root), "--period", "2022-03"]) in (0, 1)
    assert "封账" not in capsys.readouterr().out  # nothing issued, nothing closed
    assert main(["notices", "--workspace", str(root), "--period", "2022-03", "--draft"]) == 0
    assert sorted(p.name for p in folder.glob("*.docx")) == ["2022年1-3月工作情况通报.docx", "2022年1-3月表扬通报.docx"]

    # the clerk checks the sheets in Excel and deletes the marks: now the notices are issued (and numbered)
    assert accept_examples(root / "政策参数.xlsx") == list(L.EXAMPLE_SHEETS)
    capsys.readouterr()
    assert main(["notices", "--workspace", str(root), "--period", "2022-03", "--date", "2022-04-08", "--number"]) == 0
    assert "已封账" in capsys.readouterr().out


def test_example_net_targets_are_marked_in_the_summary_and_on_the_county_cover(tmp_path, capsys):
    root = _workspace(tmp_path, capsys)
    (summary,) = (root / "输出" / "汇总").glob("*2022-03*.xlsx")
    sheet = openpyxl.load_workbook(summary)["概览"]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "净增目标（示例）" in texts and "净增完成率（示例）" in texts
    assert any("净增目标是政策参数“净增目标”表中的示例数据（A2 标有“示例数据”）" in t for t in texts)
    assert main(["template", "--workspace", str(root), "--period", "2022-06", "--county", "天元区",
                 "--out", str(tmp_path / "下发")]) == 0
    (template,) = (tmp_path / "下发").glob("*.xlsx")
    cover = [str(c.value) for row in openpyxl.load_workbook(template)["封面"].iter_rows() for c in row if c.value]
    assert any("示例数据，市里尚未核定" in t for t in cover)

    accept_examples(root / "政策参数.xlsx")  # once replaced, no mark
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-03"]) == 0
    latest = max((root / "输出" / "汇总").glob("*2022-03*.xlsx"), key=lambda p: p.stat().st_mtime)
    texts = [str(c.value) for row in openpyxl.load_workbook(latest)["概览"].iter_rows() for c in row if c.value]
    assert "净增目标" in texts and not any("示例" in t for t in texts)


def test_a_reward_batch_on_example_ratios_is_only_a_draft(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    root = _workspace(tmp_path, capsys)
    for period in ("2022-06", "2022-12"):
        for path in (SAMPLES / "县区报表" / period).glob("*.xlsx"):
            shutil.copy(path, root / "收件箱")
        main(["consolidate", "--workspace", str(root), "--period", period])
    offices = SAMPLES / "部门数据"
    assert main(["register", "import", "--workspace", str(root), "--confirmed", "--period", "2022-12",
                 str(offices / "2022年规上工业企业新增退库确认名单（统计局）.xlsx")]) == 0
    assert main(["tax", "import", "--workspace", str(root), "--year", "2022",
                 str(offices / "2022年新入规企业税收（税务局）.xlsx")]) == 0
    capsys.readouterr()
    assert main(["rewards", "approve", "--workspace", str(root), "--year", "2022"]) == 2
    out = capsys.readouterr().out
    assert "“市县分担”表（A2）、“县级就高政策”表（A2）、“发文设置”表（A2），不能签发" in out
    assert not (root / "输出" / "奖励" / "2022年度第1批").exists()
    assert main(["rewards", "draft", "--workspace", str(root), "--year", "2022"]) == 0
    (book,) = (root / "输出" / "奖励" / "2022年度（草稿）" / "明细").glob("*（全市）.xlsx")
    rules = [c.value for c in openpyxl.load_workbook(book)["计算规则"]["A"] if c.value]
    assert any("市县分担" in r and r.endswith("（示例数据）") for r in rules)
    assert any("县级标准" in r and r.endswith("（示例数据）") for r in rules)
