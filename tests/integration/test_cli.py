"""The command line: verbs, exit codes, outputs, and one clear sentence for files that cannot be read."""

import datetime as dt
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from conftest import JUNE_REPORTS, ROOT, sha256
from toolkit.cli import main

CLEAN = JUNE_REPORTS / "醴陵市_2022-06_规上工业企业报表.xlsx"
FAULTY = JUNE_REPORTS / "茶陵县_2022-06_规上工业企业报表.xlsx"


def copy(path: Path, folder: Path, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (name or path.name)
    shutil.copy(path, target)
    return target


def test_clean_file_exits_0_and_writes_results_beside_it(tmp_path, capsys):
    source = copy(CLEAN, tmp_path / "醴陵")
    before = sha256(source)
    assert main(["check", str(source)]) == 0
    assert (tmp_path / "醴陵" / "校验结果" / f"{source.stem}_校验结果.xlsx").is_file()
    assert sha256(source) == before
    assert "通过" in capsys.readouterr().out


def test_inbox_results_go_to_the_workspace_output(tmp_path):
    source = copy(CLEAN, tmp_path / "工作区" / "收件箱")
    assert main(["check", str(source)]) == 0
    assert list((tmp_path / "工作区" / "收件箱").iterdir()) == [source]  # nothing written into the inbox
    assert (tmp_path / "工作区" / "输出" / "校验结果" / f"{source.stem}_校验结果.xlsx").is_file()


def test_json_for_scripts(tmp_path, capsys):
    source = copy(FAULTY, tmp_path)
    assert main(["check", str(source), "--json", "--out", str(tmp_path / "o")]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert {"code", "level", "file", "sheet", "row", "column", "cell", "value", "message"} <= set(rows[0])
    assert {r["code"] for r in rows} == {"E103", "E117", "E109", "E101", "E120"}
    assert all(r["level"] == "错误" for r in rows)


def test_json_gives_an_unreadable_file_the_same_row_shape_as_any_finding(tmp_path, capsys):
    good, bad = copy(FAULTY, tmp_path), _not_zip(tmp_path)
    assert main(["check", str(good), str(bad), "--json", "--out", str(tmp_path / "o")]) == 2
    rows = json.loads(capsys.readouterr().out)
    assert len({tuple(sorted(r)) for r in rows}) == 1  # one shape for every row
    (unreadable,) = [r for r in rows if r["file"] == str(bad)]
    assert unreadable["code"] == "E000" and unreadable["level"] == "错误" and unreadable["blocking"]
    assert "损坏.xlsx" in unreadable["message"] or "不是" in unreadable["message"]


def _not_zip(folder: Path) -> Path:
    path = folder / "损坏.xlsx"
    path.write_bytes(b"\x00\x01garbage" * 100)
    return path


def _truncated(folder: Path) -> Path:
    path = folder / "截断.xlsx"
    path.write_bytes(CLEAN.read_bytes()[:3000])
    return path


def _encrypted(folder: Path) -> Path:
    path = folder / "加密.xlsx"
    with CLEAN.open("rb") as source, path.open("wb") as out:
        OOXMLFile(source).encrypt("1234", out)
    return path


def _old_xls(folder: Path) -> Path:
    path = folder / "旧格式.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    return path


def _csv_renamed(folder: Path) -> Path:
    path = folder / "名单.xlsx"
    path.write_text("统一社会信用代码,企业名称\n91430211MA4L12345X,株洲某某公司\n", encoding="gbk")
    return path


def _huge(folder: Path) -> Path:
    path = folder / "超大.xlsx"
    with path.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB without using the disk
    return path


def _docx(folder: Path) -> Path:
    path = folder / "通知.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return path


def _folder(folder: Path) -> Path:
    path = folder / "文件夹.xlsx"
    path.mkdir()
    return path


@pytest.mark.parametrize("make, words", [
    (_not_zip, "不是 Excel 工作簿"),
    (_truncated, "损坏"),
    (_encrypted, "密码"),
    (_old_xls, "另存为"),
    (_csv_renamed, "CSV"),
    (_huge, "200 MB"),
    (_docx, "不是 Excel 工作簿"),
    (_folder, "文件夹"),
])
def test_unreadable_files_get_one_sentence_and_exit_2(tmp_path, capsys, make, words):
    bad = make(tmp_path)
    good = copy(CLEAN, tmp_path)
    assert main(["check", str(bad), str(good), "--out", str(tmp_path / "out")]) == 2
    out = capsys.readouterr().out
    assert words in out and bad.name in out
    assert "Traceback" not in out
    assert "通过" in out  # the other file is still checked


def test_no_traceback_from_the_installed_command(tmp_path):
    bad = _not_zip(tmp_path)
    result = subprocess.run([sys.executable, "-m", "toolkit", "check", str(bad)], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert "损坏.xlsx" in result.stdout


def test_template_verb(tmp_path, capsys, monkeypatch):
    """Outside a workspace and with no policy named, nothing is made: the built-in sample only when asked for by
    name, and then its covers say so."""
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.chdir(tmp_path)
    assert main(["template", "--period", "2022-06", "--county", "攸 县", "--out", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert "没有指定政策参数" in out and "--policy" in out and "--sample" in out and not list(tmp_path.iterdir())
    assert main(["template", "--period", "2022-06", "--county", "攸 县", "--out", str(tmp_path), "--sample"]) == 0
    assert "内置样例" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["攸县_2022-06_规上工业企业报表.xlsx"]
    cover = openpyxl.load_workbook(tmp_path / "攸县_2022-06_规上工业企业报表.xlsx")["封面"]
    assert any("内置样例" in str(c.value) for row in cover.iter_rows() for c in row if c.value)
    assert main(["template", "--period", "2022-06", "--county", "攸县", "--out", str(tmp_path), "--sample"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["攸县_2022-06_规上工业企业报表.xlsx",
                                                          "攸县_2022-06_规上工业企业报表（2）.xlsx"]  # never over
    assert main(["template", "--period", "2022-06", "--county", "长沙县", "--out", str(tmp_path), "--sample"]) == 2
    assert "没有“长沙县”" in capsys.readouterr().out


def test_bad_period_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["template", "--period", "6月", "--all", "--out", str(tmp_path)])
    assert caught.value.code == 2
    assert "YYYY-MM" in capsys.readouterr().err


def test_policy_verbs(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.chdir(tmp_path)
    assert main(["policy"]) == 2  # outside a workspace: which policy is meant must be said
    assert "没有指定政策参数" in capsys.readouterr().out
    assert main(["policy", "--sample"]) == 0
    out = capsys.readouterr().out
    assert "260" in out and "内置样例" in out
    assert "5 张表仍标为“示例数据”" in out and "不能审批奖励资金" in out  # listed with what they block
    assert main(["policy", "--out", str(tmp_path)]) == 0
    exported = tmp_path / "政策参数.xlsx"
    assert main(["policy", "--check", str(exported)]) == 0
    assert main(["policy", "--out", str(tmp_path)]) == 2  # never over an existing, edited workbook
    named = tmp_path / "新文件夹" / "株洲市政策参数2023.xlsx"  # --out may name the file itself
    assert main(["policy", "--out", str(named)]) == 0
    assert named.is_file() and main(["policy", "--check", str(named)]) == 0
    import openpyxl

    wb = openpyxl.load_workbook(exported)
    wb["目标附件"]["B5"] = 19
    wb.save(exported)
    capsys.readouterr()
    assert main(["policy", "--check", str(exported)]) == 2
    out = capsys.readouterr().out
    assert "目标附件!B4" in out and "合计" in out


def test_template_with_a_broken_policy_stops_before_writing(tmp_path, capsys):
    assert main(["policy", "--out", str(tmp_path)]) == 0
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "政策参数.xlsx")
    wb["报送单位"]["A5"] = "荷塘区"
    wb.save(tmp_path / "政策参数.xlsx")
    out = tmp_path / "模板"
    assert main(["template", "--period", "2022-06", "--all", "--policy", str(tmp_path / "政策参数.xlsx"),
                 "--out", str(out)]) == 2
    assert not out.exists()


def test_the_workspace_is_found_from_the_current_folder_like_git(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "200")
    root = tmp_path / "市工信局" / "工作区"
    assert main(["init", str(root)]) == 0
    capsys.readouterr()
    monkeypatch.chdir(root / "收件箱")  # a clerk working in the inbox
    assert main(["status", "--period", "2022-06"]) == 1  # nobody has submitted yet: a finding, not an error
    assert "未报送" in capsys.readouterr().out
    monkeypatch.chdir(tmp_path)  # above the workspace: none found, and the message says what to do
    assert main(["status", "--period", "2022-06"]) == 2
    out = capsys.readouterr().out
    assert "都不是工作区" in out and "--workspace" in out
    assert main(["status", "--workspace", str(root), "--period", "2022-06"]) == 1  # naming it still works


def test_a_missing_workspace_suggests_the_command_that_makes_one(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    assert main(["consolidate", "--workspace", str(tmp_path / "没有"), "--period", "2022-06"]) == 2
    out = capsys.readouterr().out
    assert "不存在" in out and f"下一步（建立工作区）：guishang init {tmp_path / '没有'}" in out


def test_check_knows_the_period_due_from_the_reporting_calendar(tmp_path, capsys, monkeypatch):
    from toolkit.cli import files

    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.setattr(files, "today", lambda: dt.date(2022, 7, 3))  # the June reports are being collected
    samples = ROOT / "samples" / "县区报表"
    reused = tmp_path / "荷塘区_2022-06_规上工业企业报表.xlsx"  # last period's workbook, renamed
    shutil.copy(samples / "2022-03" / "荷塘区_2022-03_规上工业企业报表.xlsx", reused)
    assert main(["check", str(reused), "--out", str(tmp_path / "结果")]) == 1
    out = capsys.readouterr().out
    assert "本期应报：2022年1-6月" in out and "E005" in out and "这是 2022年1-3月 的报表" in out
    right = samples / "2022-06" / "荷塘区_2022-06_规上工业企业报表.xlsx"
    assert main(["check", str(right), "--out", str(tmp_path / "结果2")]) == 0
    monkeypatch.setattr(files, "today", lambda: dt.date(2030, 1, 1))  # the sample calendar has run out
    assert main(["check", str(right), "--out", str(tmp_path / "结果3")]) == 0
    out = capsys.readouterr().out  # the file's name says the period: checked against it, and the verdict says so
    assert "通过，可以报送" in out and "注意：报送日历中今天没有应报的报送期，按文件名核对报送期：2022年1-6月" in out
    # last period's workbook renamed to this period is caught by its name when the calendar has nothing due
    assert main(["check", str(reused), "--out", str(tmp_path / "结果4")]) == 1
    out = capsys.readouterr().out
    assert "E005" in out and "这是 2022年1-3月 的报表" in out and "通过，可以报送" not in out
    unnamed = tmp_path / "报表.xlsx"
    shutil.copy(right, unnamed)
    assert main(["check", str(unnamed), "--out", str(tmp_path / "结果5")]) == 0
    assert "未核对报送期" in capsys.readouterr().out
