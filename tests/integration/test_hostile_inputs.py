"""What a county can send, by mistake or on purpose: every file of the corpus gets one Chinese sentence
naming it and saying what to do, the right exit code and no traceback; the other counties go on; no
input changes; outputs are complete or absent; nothing from an input cell comes alive in an output."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest

import hostile_files as H
from conftest import new_workspace, sha256
from county_files import entry, firm, write_report
from toolkit.domain.file_names import MAX_NAME_BYTES, TEMP_PREFIX
from toolkit.adapters.workbook_file import read_workbook
from toolkit.adapters.xlsx_styles import ERROR_FILL
from toolkit.cli import main
from toolkit.domain.periods import Period
from toolkit.services.consolidation import status
from toolkit.services.workspace import Workspace


@pytest.fixture(scope="session")
def corpus(tmp_path_factory, policy) -> dict[str, Path]:
    """Every case of the corpus, generated once (the zip bombs take a few seconds to compress)."""
    folder = tmp_path_factory.mktemp("corpus")
    made = {}
    for label, maker in [*((label, maker) for label, (maker, _) in H.MAKERS.items()), *H.READABLE.items()]:
        (folder / label).mkdir()
        made[label] = maker(folder / label, policy)
    return made


def _copy(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    if source.is_dir():
        target.mkdir()
    else:
        shutil.copy2(source, target)
    return target


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def _assert_outputs_complete(folder: Path) -> None:
    """No half-written file: temp files (if a run was killed) carry our prefix; every workbook opens."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.name.startswith(TEMP_PREFIX) and path.suffix in (".xlsx", ".xlsm"):
            read_workbook(path)


def _assert_nothing_live(path: Path) -> None:
    """In a written .xlsx: no formula carries an input's formula, no link points outside, no external link."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            assert not name.startswith("xl/externalLinks/"), (path.name, name)
            data = archive.read(name)
            if name.endswith(".rels"):
                assert b"evil.invalid" not in data and b"file:" not in data, (path.name, name)
            for formula in re.findall(rb"<f[^>]*>(.*?)</f>", data):
                assert b"evil" not in formula and b"cmd" not in formula and b"PLACEHOLDER" not in formula, formula


@pytest.mark.parametrize("label", list(H.MAKERS))
def test_a_file_that_cannot_be_read_gets_one_sentence(label, corpus, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    source = _copy(corpus[label], tmp_path / "来件")
    before = _hashes(tmp_path / "来件")
    code = main(["check", str(source), "--out", str(tmp_path / "结果")])
    out = capsys.readouterr().out
    assert code == 2, out
    phrase = H.MAKERS[label][1]
    (line,) = [line for line in out.splitlines() if line.startswith(f"无法读取“{source.name}”")]
    assert phrase in line and "请" in line and line.endswith("。"), out
    assert "Traceback" not in out and "内部错误" not in out
    assert _hashes(tmp_path / "来件") == before  # nothing the user gave us changed
    _assert_outputs_complete(tmp_path / "结果")


def test_the_limits_are_named_in_the_messages(corpus, tmp_path, capsys, monkeypatch):
    from toolkit.adapters import workbook_file as W

    monkeypatch.setenv("COLUMNS", "400")
    for label, limit in (("压缩炸弹", f"{W.MAX_UNCOMPRESSED_MB} MB"), ("谎报大小的压缩炸弹", f"{W.MAX_UNCOMPRESSED_MB} MB"),
                         ("百万行", f"{W.MAX_ROWS:,} 行"), ("数百个工作表", f"{W.MAX_SHEETS} 个")):
        main(["check", str(_copy(corpus[label], tmp_path / label)), "--out", str(tmp_path / "结果")])
        assert f"上限 {limit}" in capsys.readouterr().out, label


def test_entities_are_refused_and_defusedxml_is_active(corpus, tmp_path, monkeypatch):
    """Every XML part's prolog is parsed by defusedxml with DTDs forbidden: the refusal comes from it (with
    it switched off, the same files are no longer refused at that step)."""
    import defusedxml.ElementTree

    from toolkit.adapters import workbook_file as W
    from toolkit.adapters.workbook_file import UnreadableWorkbook, preflight

    for label in ("实体膨胀", "外部实体"):
        with zipfile.ZipFile(corpus[label]) as archive:
            part = archive.read("xl/sharedStrings.xml")
        check = W._PrologCheck()
        check.feed(part)
        assert check.decided and check.refused
        with pytest.raises(UnreadableWorkbook, match="DTD"):
            preflight(corpus[label])
    with monkeypatch.context() as patch:  # the proof that defusedxml, not luck, refuses them
        patch.setattr(W, "DefusedXMLParser", lambda **kw: defusedxml.ElementTree.DefusedXMLParser(
            target=kw["target"], forbid_dtd=False, forbid_entities=False, forbid_external=False))
        preflight(corpus["外部实体"])
    # and nothing of the local file the entity points at reaches any output
    source = _copy(corpus["外部实体"], tmp_path / "来件")
    assert main(["check", str(source), "--mark", "--out", str(tmp_path / "结果")]) == 2
    for path in (tmp_path / "结果").rglob("*"):
        assert H.SECRET.encode() not in path.read_bytes()


def test_formulas_and_injections_never_come_alive(corpus, tmp_path, policy, capsys):
    """Names that look like formulas are names (no finding), and in the city's summary they are text."""
    source = _copy(corpus["公式与注入"], tmp_path / "来件")
    before = sha256(source)
    assert main(["check", str(source), "--out", str(tmp_path / "结果")]) == 0
    assert sha256(source) == before
    root = new_workspace(tmp_path / "工作区")
    _copy(source, root / "收件箱")
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) in (0, 1)  # others missing
    summary = next((root / "输出").rglob("*汇总表*.xlsx"))
    _assert_nothing_live(summary)
    cells = [cell for ws in openpyxl.load_workbook(summary).worksheets for row in ws.iter_rows() for cell in row]
    names = {cell.value: cell.data_type for cell in cells if isinstance(cell.value, str)}
    for name in (*H.HOSTILE_NAMES, H.FORMULA_SHOWS):  # the real formula cell: the text it displayed
        assert names.get(name) == "s", name
    assert all("evil" not in (cell.hyperlink.target or "") for cell in cells if cell.hyperlink)


def test_marked_copy_freezes_the_inputs_formulas(corpus, tmp_path):
    """The marked copy (an output the city may open) keeps no formula, link or external link from the
    county's file: a formula becomes the value it showed, as text."""
    from toolkit.domain.findings import make_finding
    from toolkit.services.marking import write_marked_copy

    finding = make_finding("E101", sheet=H.ENTRIES_SHEET, row=4, col=2, column="入规类型")
    source = _copy(corpus["公式与注入"], tmp_path / "来件")
    rows = read_workbook(source).sheets[H.ENTRIES_SHEET]
    formula_row = next(r for r, row in enumerate(rows, start=1) if row[1] == H.FORMULA_SHOWS)
    target = write_marked_copy(source, tmp_path / "标注.xlsx", [finding])
    _assert_nothing_live(target)
    cell = openpyxl.load_workbook(target)[H.ENTRIES_SHEET].cell(formula_row, 2)
    assert cell.value == H.FORMULA_SHOWS and cell.data_type == "s"

    workbook = openpyxl.load_workbook(source)  # now a hyperlink and a DDE formula added by another program
    sheet = workbook[H.ENTRIES_SHEET]
    sheet["B4"].hyperlink = "http://evil.invalid/z"
    sheet["L4"] = "=cmd|' /C calc'!A0"
    workbook.save(source)
    target = write_marked_copy(source, tmp_path / "标注2.xlsx", [finding])
    _assert_nothing_live(target)
    copied = openpyxl.load_workbook(target)[H.ENTRIES_SHEET]
    assert copied["B4"].hyperlink is None and copied["L4"].data_type != "f"


def test_long_and_invisible_text_is_reported_and_written_safely(corpus, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    source = _copy(corpus["超长与不可见字符"], tmp_path / "来件")
    assert main(["check", str(source), "--mark", "--out", str(tmp_path / "结果")]) == 1
    out = capsys.readouterr().out
    assert "E130" in out and "E131" in out and "[U+0007]" in out and "[U+202E]" in out
    assert "40,000" in out and "上限 100 个字" in out
    results = openpyxl.load_workbook(tmp_path / "结果" / f"{source.stem}_校验结果.xlsx")
    findings = results["问题清单"]
    assert sorted(row[6] for row in findings.iter_rows(min_row=2, values_only=True)) == ["B5", "B6"]  # not B7: 😀 is fine
    assert max(findings.row_dimensions[r].height or 0 for r in (2, 3)) > 3 * 15  # the quoted value's lines all show
    for sheet in results.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not isinstance(value, str) or (len(value) <= 32_767 and "\x07" not in value)
    marked = openpyxl.load_workbook(tmp_path / "结果" / f"{source.stem}_标注.xlsx")
    assert "校验结果" in marked.sheetnames


def test_merged_cells_and_hidden_rows_in_the_data_are_reported(corpus, tmp_path, policy):
    from toolkit.services.checking import check_file

    check = check_file(_copy(corpus["合并单元格与隐藏行"], tmp_path / "来件"), policy)
    found = {(f.code, f.sheet, f.cell) for f in check.findings}
    assert ("E132", H.ENTRIES_SHEET, "C4") in found  # 入规类型 typed once for two rows
    assert ("W133", H.ENTRIES_SHEET, "A6") in found  # the third enterprise, hidden
    merged = next(f for f in check.findings if f.code == "E132")
    assert "C4:C5" in merged.message and "取消合并" in merged.message


def test_a_marked_copy_of_merged_cells_marks_what_shows(corpus, tmp_path, capsys):
    """A finding on a cell covered by a merge (C5 under C4:C5) is shown on the merge's top-left cell,
    the only one Excel shows and the only one that can carry a comment."""
    source = _copy(corpus["合并单元格与隐藏行"], tmp_path / "来件")
    assert main(["check", str(source), "--mark", "--out", str(tmp_path / "结果")]) == 1
    assert "Traceback" not in capsys.readouterr().err
    marked = openpyxl.load_workbook(next((tmp_path / "结果").glob("*_标注.xlsx")))[H.ENTRIES_SHEET]
    note = marked["C4"].comment.text
    assert "E132" in note and "[C5]" in note and "E101" in note
    assert marked["C4"].fill.fgColor.rgb.endswith(ERROR_FILL.lstrip("#").upper())
    assert marked["A6"].comment is not None and "W133" in marked["A6"].comment.text


def test_an_unreadable_file_is_named(tmp_path, policy, capsys, monkeypatch):
    source = H.base_report(tmp_path / "来件", policy)
    if os.geteuid() != 0:
        source.chmod(0)
    else:  # root reads anything: make the file system refuse as it would for a clerk without rights
        real_open = Path.open

        def refuse(self, *args, **kwargs):
            if self.name == source.name:
                raise PermissionError(13, "Permission denied")
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", refuse)
    try:
        assert main(["check", str(source), "--out", str(tmp_path / "结果")]) == 2
    finally:
        source.chmod(0o644)
    out = capsys.readouterr().out
    assert source.name in out and "无法打开" in out and "读取权限" in out


def test_non_ascii_and_very_long_paths(tmp_path, policy, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "2000")
    deep = tmp_path
    for level in range(6):
        deep = deep / f"第{level}层_株洲市工业和信息化局规上工业企业培育工作专班文件夹[旧]"
    name = "[旧]" + "天元区规上工业企业报表" * 6 + "😀 最终版（2）.xlsx"
    source = H.base_report(deep, policy, name=name)
    assert len(str(source)) > 300 and len(source.name.encode("utf-8")) > 200
    before = sha256(source)
    assert main(["check", str(source), "--mark"]) in (0, 1)
    out = capsys.readouterr().out
    assert "[旧]" in out  # printed as it is: brackets are not taken for markup
    written = list((deep / "校验结果").glob("*.xlsx"))
    assert written and all(len(p.name.encode("utf-8")) <= MAX_NAME_BYTES for p in written)
    assert sha256(source) == before


def _workspace_with(tmp_path: Path, policy, files: list[Path]) -> Path:
    root = new_workspace(tmp_path / "工作区")
    for path in files:
        _copy(path, root / "收件箱")
    for county in ("攸县", "醴陵市"):
        write_report(root / "收件箱", policy, county, "2022-06", [entry(firm(policy, county, 1), "2022-02")])
    return root


def test_an_inbox_full_of_bad_files(corpus, tmp_path, policy, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    root = _workspace_with(tmp_path, policy, list(corpus.values()))
    inbox = root / "收件箱"
    before = _hashes(inbox)
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) == 2
    out = capsys.readouterr().out
    assert "Traceback" not in out and "内部错误" not in out
    for label in H.MAKERS:
        assert corpus[label].name in out, label
    statuses = {s.county: s.status for s in status(Workspace.at(root), Period(2022, 6)).statuses}
    assert statuses["攸县"] == statuses["醴陵市"] == "已受理"  # the others are processed all the same
    assert _hashes(inbox) == before
    _assert_outputs_complete(root / "输出")
    for path in (root / "输出").rglob("*.xlsx"):
        _assert_nothing_live(path)
    with sqlite3.connect(root / "数据库" / "guishang.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        submissions = db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    assert statuses["天元区"] != "未报送"  # files named as 天元区's were received (and returned), never missing
    # the same inbox again: nothing is counted twice (the unreadable files were received and returned the first
    # time: now only a county returned remains to report)
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) == 1
    with sqlite3.connect(root / "数据库" / "guishang.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == submissions


def test_a_file_replaced_while_it_is_read(tmp_path, policy, capsys):
    """The inbox is scanned (hashes taken), then each file read: a file that changed in between is
    not taken in with the hash of one version and the figures of another."""
    from dataclasses import replace

    from toolkit.ports.tools import tools, using

    root = _workspace_with(tmp_path, policy, [])
    path = write_report(root / "收件箱", policy, "天元区", "2022-06", [entry(firm(policy, "天元区", 1), "2022-02")])
    newer = write_report(tmp_path, policy, "天元区", "2022-06", [entry(firm(policy, "天元区", 1), "2022-02"),
                                                                 entry(firm(policy, "天元区", 2), "2022-03")],
                         name="newer.xlsx")
    real = tools().workbooks.load_bytes  # where a file's content is first read after the scan

    def replaced_meanwhile(target, *args, **kwargs):
        if Path(target) == path and path.read_bytes() != newer.read_bytes():
            shutil.copy(newer, path)  # the clerk saves again while the city's run reads
        return real(target, *args, **kwargs)

    with using(workbooks=replace(tools().workbooks, load_bytes=replaced_meanwhile)):
        assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) == 2
    assert "在读取过程中被改动" in capsys.readouterr().out
    statuses = {s.county: s.status for s in status(Workspace.at(root), Period(2022, 6)).statuses}
    assert statuses["天元区"] == "未报送" and statuses["攸县"] == "已受理"
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) == 1  # other counties missing
    figures = {f.county: f for f in status(Workspace.at(root), Period(2022, 6)).counties}
    assert figures["天元区"].new == 2  # the version as it now is, read whole


def test_a_date_cell_beyond_the_calendar_is_pointed_at(tmp_path, policy):
    """calamine panics on such a cell (found by the property tests); the sheet is then read through
    openpyxl, and the check names the cell instead of refusing the file or stopping the program."""
    from toolkit.services.checking import check_file

    path = write_report(tmp_path, policy, "天元区", "2022-06", [entry(firm(policy, "天元区", 1), "2022-02")],
                        more={"ledger": [{"deadline": -1e12}]})
    check = check_file(path, policy)
    assert not check.unreadable
    assert any(f.code == "E116" and f.sheet == "问题台账" and f.row == 5 for f in check.findings)
