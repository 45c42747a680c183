"""Counties that save in WPS or LibreOffice send .ods, .xls or .et (#17): each is named with its remedy, and in
the city's inbox the county is received and returned — with a results file to send back — never 未报送.

The .ods and .xls are written by LibreOffice from a real county workbook. WPS is not available here: its .et is
an OLE compound file like .xls, so an .xls renamed .et stands in for it (the reader tells them apart by name)."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from conftest import JUNE_REPORTS, new_workspace
from toolkit.cli import main
from toolkit.domain.periods import Period
from toolkit.services.consolidation import status
from toolkit.services.workspace import Workspace

SOURCE = JUNE_REPORTS / "芦淞区_2022-06_规上工业企业报表.xlsx"


@pytest.fixture(scope="module")
def converted(soffice, tmp_path_factory):
    out = tmp_path_factory.mktemp("另存")
    for fmt in ("ods", "xls"):
        done = soffice(SOURCE, fmt, out)
        assert done.returncode == 0, done.stderr
    et = out / (SOURCE.stem + ".et")
    shutil.copy(out / (SOURCE.stem + ".xls"), et)
    return {"ods": out / (SOURCE.stem + ".ods"), "xls": out / (SOURCE.stem + ".xls"), "et": et}


@pytest.mark.parametrize("fmt, said", [("ods", "OpenDocument 表格（.ods"), ("xls", ".xls"), ("et", "WPS 表格自己的格式（.et）")])
def test_check_names_the_format_and_the_remedy(converted, tmp_path, fmt, said, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    assert main(["check", str(converted[fmt]), "--out", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert said in out and "另存为" in out and ".xlsx" in out


def test_a_county_that_sent_an_ods_is_returned_not_missing(converted, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    root = new_workspace(tmp_path / "工作区")
    for path in JUNE_REPORTS.glob("*.xlsx"):
        if path != SOURCE:
            shutil.copy(path, root / "收件箱" / path.name)
    shutil.copy(converted["ods"], root / "收件箱" / converted["ods"].name)
    capsys.readouterr()
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) == 2  # a file could not be read
    out = capsys.readouterr().out
    assert "已记为收到并退回" in out
    row = {s.county: s for s in status(Workspace.at(root), Period(2022, 6)).statuses}["芦淞区"]
    assert row.status == "被退回" and row.causes == ("文件无法读取",)
    results = root / "输出" / "校验结果" / f"{SOURCE.stem}_校验结果.xlsx"
    rows = list(openpyxl.load_workbook(results, read_only=True)["问题清单"].iter_rows(values_only=True))
    (unreadable,) = [r for r in rows if r[2] == "E000"]
    assert ".ods" in unreadable[9] and "另存为" in unreadable[9]
