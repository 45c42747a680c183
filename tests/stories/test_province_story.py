"""The province's year (#39), as ``guishang demo --province`` runs it: fourteen 市州's files of 2022-06 and 2022-12
(twelve summaries each 市州 made with guishang from its 县市区's reports, two province templates filled in by 市州
that do not run it) taken in, one 市州 late, one firm claimed by two
市州 and then attributed, one 市州's targets below the province's, one 县市区 report a 市州 did not accept — each 市州's
outcome checked, and the province's figures recomputed here from the 市州's files alone (openpyxl, none of the
toolkit's code), to the firm."""

from __future__ import annotations

from collections import Counter
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console

from conftest import docx_text
from toolkit.cli import main
from toolkit.cli.demo import PROVINCE_WORKSPACE_DIR, SAMPLES_DIR, run_province_demo
from toolkit.demo.province_samples import BY_TEMPLATE, LATE, LOW_TARGETS, UNACCEPTED

UNITS = ["长沙市", "株洲市", "湘潭市", "衡阳市", "邵阳市", "岳阳市", "常德市", "张家界市", "益阳市", "郴州市", "永州市",
         "怀化市", "娄底市", "湘西土家族苗族自治州"]


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    root = tmp_path_factory.mktemp("province") / "省级演示"
    assert run_province_demo(root, Console(file=StringIO(), width=200), main, pdf=False) == 0
    return root


def _rows(path: Path, sheet: str) -> list[dict]:
    """A sheet's rows as dicts by its header (the first row holding 统一社会信用代码, or the 概览's unit column)."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()
    at = next(i for i, r in enumerate(rows) if {"统一社会信用代码", "新增合计", "梯队", "代码"} & set(r))
    return [dict(zip(rows[at], r)) for r in rows[at + 1:] if any(v not in (None, "") for v in r)]


def _latest(folder: Path, pattern: str) -> Path:
    return sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime)[-1]


def _lists(unit: str, path: Path) -> tuple[list[dict], list[dict]]:
    """A 市州's counted entries and its exits: a guishang summary's 新增明细 rows 计入 and 退库明细; a filled province
    template's 新增入规企业 and 退库企业 (every row counts)."""
    if unit in BY_TEMPLATE:
        return _rows(path, "新增入规企业"), _rows(path, "退库企业")
    return [r for r in _rows(path, "新增明细") if r["计入情况"] == "计入"], _rows(path, "退库明细")


def _city_files(year: Path, period: str) -> dict[str, Path]:
    """Each 市州's summary of the period as the province received it (the late one from its 补报 folder)."""
    found = {}
    for folder in (year / SAMPLES_DIR / "市州汇总").glob(f"{period}*"):
        for path in folder.glob("*.xlsx"):
            found[next(u for u in UNITS if path.name.startswith(u))] = path
    return found


def test_each_city_stands_where_its_case_puts_it(year):
    summary = _latest(year / PROVINCE_WORKSPACE_DIR / "输出" / "汇总", "湖南省规上工业企业汇总表_2022-12*.xlsx")
    overview = {r["市州"]: r for r in _rows(summary, "概览") if r.get("市州") in UNITS}
    assert set(overview) == set(UNITS)
    assert all(r["报送状态"] == "已受理" for r in overview.values())  # 衡阳市 too, once its late summary came in
    findings = _rows(summary, "问题清单")
    codes = Counter((f["代码"], next(u for u in UNITS if f["文件"].startswith(u))) for f in findings)
    assert codes[("W305", LOW_TARGETS)] == 1  # 常德市's own targets below the province's: told, not rejected
    assert sum(n for (code, _), n in codes.items() if code == "W305") == 1
    unit, county, _ = UNACCEPTED
    (w308,) = [f for f in findings if f["代码"] == "W308" and f["文件"].startswith(unit)]
    assert county in w308["处理意见"] and w308["单元格"].startswith("B")  # the 报送状态 cell of its row
    assert not any(f["代码"].startswith("E") for f in findings)  # 涟源市's firms are set aside, not vanished
    assert all(f["单元格"].startswith("B") for f in findings if f["代码"] == "W204")  # the code's own column
    tiers = {r["市州"]: r["梯队"] for r in _rows(summary, "排名梯队")}
    assert Counter(tiers.values()) == {"第一梯队": 5, "第二梯队": 5, "第三梯队": 4}  # ⌈14/3⌉ = 5, ⌈28/3⌉ = 10


def test_the_provinces_figures_recomputed_from_the_cities_files(year):
    """Per 市州: its counted 新增明细 rows (计入) and 退库明细 rows in its latest summary; the firm two 市州 claimed
    counts for the one the province attributed it to, and for no one before."""
    files = _city_files(year, "2022-12")
    assert set(files) == set(UNITS)
    claimed_twice = Counter()
    new, gone = {}, {}
    for unit, path in files.items():
        entries, exits = _lists(unit, path)
        new[unit] = {r["统一社会信用代码"] for r in entries}
        gone[unit] = len(exits)
        claimed_twice.update(new[unit])
    twice = {code for code, n in claimed_twice.items() if n > 1}
    assert len(twice) == 1
    (code,) = twice
    summary = _latest(year / PROVINCE_WORKSPACE_DIR / "输出" / "汇总", "湖南省规上工业企业汇总表_2022-12*.xlsx")
    overview = {r["市州"]: r for r in _rows(summary, "概览") if r.get("市州") in UNITS}
    owner = next(u for u in UNITS if code in new[u] and u == "长沙市")  # the demo attributes it to 长沙市
    for unit in UNITS:
        expected = len(new[unit]) - (code in new[unit] and unit != owner)
        assert overview[unit]["新增合计"] == expected, unit
        assert overview[unit]["退库"] == gone[unit], unit
    details = _rows(summary, "新增明细")
    assert {(r["市州"], r["统一社会信用代码"]) for r in details if r["计入情况"] == "计入"} == {
        (u, c) for u in UNITS for c in new[u] if c != code or u == owner}
    # the 市州 without guishang are counted from their filled templates, like the others from their summaries
    for unit in BY_TEMPLATE:
        assert files[unit].name.endswith("规上工业企业报表（报省）.xlsx")
        assert {r["来源文件（市州汇总表）"] for r in details if r["市州"] == unit} == {files[unit].name}
    # every province row names the 市州's file and row, and the county's file and row behind it
    sample = next(r for r in details if r["市州"] not in BY_TEMPLATE)
    city_row = _rows(files[sample["市州"]], "新增明细")[int(sample["行号"]) - 4]
    assert (city_row["统一社会信用代码"], city_row["来源文件"], city_row["行号"]) == (
        sample["统一社会信用代码"], sample["县市区来源文件"], sample["县市区行号"])


def test_the_first_half_counts_every_city_and_holds_the_firm_claimed_twice(year):
    files = _city_files(year, "2022-06")
    summary = _latest(year / PROVINCE_WORKSPACE_DIR / "输出" / "汇总", "湖南省规上工业企业汇总表_2022-06*.xlsx")
    overview = {r["市州"]: r for r in _rows(summary, "概览") if r.get("市州") in UNITS}
    held = [r for r in _rows(summary, "新增明细") if r["计入情况"] == "待认定"]
    assert {r["市州"] for r in held} == {"长沙市", "湘潭市"} and len({r["统一社会信用代码"] for r in held}) == 1
    for unit in UNITS:
        counted = len(_lists(unit, files[unit])[0])
        assert overview[unit]["新增合计"] == counted - (unit in ("长沙市", "湘潭市")), unit


def test_the_year_end_notice_names_the_late_city_the_tiers_and_the_quality(year):
    folder = year / PROVINCE_WORKSPACE_DIR / "输出" / "公文" / "2022-12"
    text = docx_text(next(folder.glob("*工作情况通报.docx")))
    assert "关于2022年1—12月全省新增规模以上工业企业工作情况的通报" in text.replace("\n", "")
    assert "各市州工业和信息化局" in text and "第一梯队" in text and "主营业务收入1亿元及以上" in text
    late_unit, _ = LATE
    assert late_unit in text  # its summary came after the due date: the reporting sentence says so
    criticism = docx_text(next(folder.glob("*通报批评.docx")))
    assert "湖南省人民政府办公厅" in criticism and "常德市" in criticism
