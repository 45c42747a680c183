"""应入尽入's first step through the command line: real department files (xlsx with a merged title and a note, GBK
csv with a title row, 元 and 万元, totals) imported, twice without double counting; each bad file refused with a
message that names it, and the store left as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import xlsxwriter

from conftest import new_workspace
from toolkit.cli import main
from toolkit.domain.uscc import with_check_character

FIRMS = [with_check_character(f"91430200MA4L{n:04d}0") for n in range(3)]
TABLES = ("department_files", "department_tax", "department_registration", "department_power")


def tax_xlsx(path: Path, *, sales_title: str = "申报销售额（元）", rows: list[list] | None = None) -> Path:
    """The tax office's extract as its system exports it: a merged title, a note, the table, a total row."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("申报销售额")
    text = book.add_format({"num_format": "@"})
    sheet.merge_range("A1:F1", "2024年1—2月纳税人申报销售额")
    sheet.write("A2", "注：数据来源于金税三期系统，仅供工业部门掌握情况使用")
    header = ["纳税人识别号", "纳税人名称", "税款所属期", sales_title, "国标行业", "登记状态"]
    sheet.write_row("A3", header)
    data = rows if rows is not None else [
        [FIRMS[0], "株洲甲机械有限公司", "2024-01", 12_345_600.5, "C3311 金属结构制造", "正常"],
        [FIRMS[0], "株洲甲机械有限公司", "2024-02", 9_000_000, "C3311 金属结构制造", "正常"],
        [FIRMS[1], "株洲乙商贸有限公司", "2024-01", 300_000, "F5191", "正常"]]
    for offset, row in enumerate(data):
        for column, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(3 + offset, column, value, text)
            else:
                sheet.write(3 + offset, column, value)
    sheet.write_row(3 + len(data), 0, ["合计", "", "", 21_645_600.5])
    book.close()
    return path


def registration_csv_gbk(path: Path) -> Path:
    lines = ["株洲市市场主体登记信息（2024年2月导出）",
             "统一社会信用代码,企业名称,成立日期,登记状态,住所,登记机关,经营范围",
             f"{FIRMS[0]},株洲甲机械有限公司,2023-10-08,存续（在营、开业、在册）,株洲市荷塘区金山路1号,"
             "株洲市荷塘区市场监督管理局,\"金属结构制造；通用设备制造\"",
             f"{FIRMS[2]},株洲丙科技有限公司,2019/5/20,存续,株洲市天元区,株洲市市场监督管理局,软件开发"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


def power_csv(path: Path) -> Path:
    lines = ["户号,户名,统一社会信用代码,电费年月,用电量(kWh)",
             f"0731000001,株洲甲机械有限公司,{FIRMS[0]},202401,180000",
             f"0731000001,株洲甲机械有限公司,{FIRMS[0]},202402,150000",
             "0731000002,荷塘区某门店,,202401,900",
             "合计,,,,330900"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(root: Path) -> dict[str, int]:
    """The files journalled and each kind's rows (kept columnar beside the store, a Parquet file per file)."""
    from toolkit.adapters.store import Store
    from toolkit.domain.department_data import Kind

    with sqlite3.connect(root / "数据库" / "guishang.sqlite") as connection:
        files = connection.execute("SELECT count(*) FROM department_files").fetchone()[0]
    store = Store.open(root / "数据库" / "guishang.sqlite")
    try:
        rows = {t: store.screening.department_frame(k).height for t, k in zip(TABLES[1:], Kind)}
    finally:
        store.close()
    return {"department_files": files, **rows}


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    return new_workspace(tmp_path / "工作区")


def screen(root: Path, *files: Path, kind: str | None = None) -> int:
    return main(["screen", "import", *map(str, files), "--workspace", str(root), *(["--kind", kind] if kind else [])])


def test_the_departments_files_are_imported_as_sent_and_a_second_time_change_nothing(workspace, tmp_path, capsys):
    files = [tax_xlsx(tmp_path / "税务申报销售额.xlsx"), registration_csv_gbk(tmp_path / "市场主体.csv"),
             power_csv(tmp_path / "用电量.csv")]
    capsys.readouterr()
    assert screen(workspace, *files) == 0
    out = capsys.readouterr().out
    assert "已导入“税务申报销售额.xlsx”：税务申报销售额" in out and "表头在第 3 行" in out and "3 行" in out
    assert "销售额 ← “申报销售额（元）”（D 列）" in out and "销售额单位：元（据列标题），已按万元保存" in out
    assert "所属期：2024-01 至 2024-02" in out and "第 7 行（合计行，不计入）" in out
    assert "编码 GBK（GB18030）" in out and "市场监管登记信息" in out and "成立日期 ← “成立日期”（第 3 列）" in out
    assert "电力用电量" in out and "编码 UTF-8" in out
    assert counts(workspace) == {"department_files": 3, "department_tax": 3, "department_registration": 2,
                                 "department_power": 3}
    from toolkit.adapters.store import Store
    from toolkit.domain.department_data import Kind

    store = Store.open(workspace / "数据库" / "guishang.sqlite")
    try:
        assert store.screening.department_rows(Kind.TAX)[0] == (
            FIRMS[0], "株洲甲机械有限公司", "2024-01", "1234.56005", "C3311金属结构制造", "正常", 4)
        (registration,) = store.screening.department_files(Kind.REGISTRATION)
        assert registration.encoding == "GBK（GB18030）" and registration.rows == 2
        assert store.screening.department_rows(Kind.REGISTRATION)[0][1:4] == (
            "株洲甲机械有限公司", "2023-10-08", "存续（在营、开业、在册）")
    finally:
        store.close()

    assert screen(workspace, *files) == 0  # the same files again: nothing counted twice
    out = capsys.readouterr().out
    assert out.count("已导入过，内容相同，未改动") == 3
    assert counts(workspace)["department_tax"] == 3


def test_sales_in_wan_are_kept_as_given(workspace, tmp_path):
    path = tax_xlsx(tmp_path / "税务（万元）.xlsx", sales_title="销售额（万元）",
                    rows=[[FIRMS[0], "株洲甲机械有限公司", "2024-01", 1234.56, "C33", "正常"]])
    assert screen(workspace, path, kind="tax") == 0
    assert counts(workspace)["department_tax"] == 1


def test_a_cumulative_extract_replaces_the_months_it_repeats_and_never_adds_to_them(workspace, tmp_path, capsys):
    """The tax office sends 1—2月, then a corrected 1—3月: the months given again are taken from the later file
    only (a firm's sales never counted twice), a month only the earlier file has is kept, and the import says so."""
    first = tax_xlsx(tmp_path / "税务1—2月.xlsx")
    later = tax_xlsx(tmp_path / "税务1—3月.xlsx", rows=[
        [FIRMS[0], "株洲甲机械有限公司", "2024-01", 12_000_000, "C3311 金属结构制造", "正常"],  # corrected
        [FIRMS[0], "株洲甲机械有限公司", "2024-02", 9_000_000, "C3311 金属结构制造", "正常"],
        [FIRMS[0], "株洲甲机械有限公司", "2024-03", 8_000_000, "C3311 金属结构制造", "正常"]])
    assert screen(workspace, first) == 0 and screen(workspace, later) == 0
    out = capsys.readouterr().out
    assert ("税务申报销售额“税务1—2月.xlsx”与其后导入的“税务1—3月.xlsx”月份重叠（2024-01至2024-02）："
            "同一纳税人同一月份以后导入的文件为准") in out
    from toolkit.adapters.store import Store
    from toolkit.domain.department_data import Kind

    store = Store.open(workspace / "数据库" / "guishang.sqlite")
    try:
        rows = store.screening.department_frame(Kind.TAX).sort("code", "month")
    finally:
        store.close()
    assert rows.select("code", "month", "sales_wan", "file").rows() == [
        (FIRMS[0], "2024-01", "1200.0", "税务1—3月.xlsx"), (FIRMS[0], "2024-02", "900.0", "税务1—3月.xlsx"),
        (FIRMS[0], "2024-03", "800.0", "税务1—3月.xlsx"),
        (FIRMS[1], "2024-01", "30.0", "税务1—2月.xlsx")]  # only the earlier file has it: kept
    assert counts(workspace)["department_files"] == 2

def gbk_read_as_utf8(path: Path) -> Path:
    """A GBK csv someone opened as UTF-8 (Latin-1 shown) and saved: the Chinese is gone."""
    text = "纳税人识别号,纳税人名称,所属期,销售额（元）\n" + f"{FIRMS[0]},株洲甲机械有限公司,2024-01,100\n"
    path.write_text(text.encode("gbk").decode("latin-1"), encoding="utf-8")
    return path


def written(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def id_card() -> str:
    from stdnum.cn import uscc

    from toolkit.domain.department_data import looks_like_id_card

    return next(n for s in range(1000) for n in [f"43020319850612{s:03d}" + uscc.calc_check_digit(
        f"43020319850612{s:03d}")] if looks_like_id_card(n))


BAD = {
    "wrong unit": (lambda p: tax_xlsx(p, sales_title="申报销售额"), "没有注明单位"),
    "missing key column": (lambda p: written(p, "纳税人识别号,纳税人名称,销售额（元）\n1,2,3\n"), "缺少“所属期”列"),
    "ID numbers as codes": (lambda p: tax_xlsx(p, rows=[[id_card(), "张三", "2024-01", 100, "", ""]]), "居民身份证号码"),
    "a code read as a number": (lambda p: tax_xlsx(p, rows=[[9.14302e17, "甲", "2024-01", 100, "", ""]]), "数字形式"),
    "duplicated months": (lambda p: tax_xlsx(p, rows=[[FIRMS[0], "甲", "2024-01", 100, "", ""],
                                                      [FIRMS[0], "甲", "202401", 200, "", ""]]), "第 4、5 行"),
    "a GBK file read as UTF-8": (gbk_read_as_utf8, "乱码"),
    "a total row amid the data": (lambda p: tax_xlsx(p, rows=[[FIRMS[0], "甲", "2024-01", 100, "", ""],
                                                              ["小计", "", "", 100, "", ""],
                                                              [FIRMS[1], "乙", "2024-01", 5, "", ""]]), "合计行夹在数据中间"),
}


@pytest.mark.parametrize("fault", list(BAD))
def test_a_bad_file_is_refused_with_a_message_and_nothing_is_stored(workspace, tmp_path, capsys, fault):
    make, said = BAD[fault]
    suffix = ".csv" if fault in ("missing key column", "a GBK file read as UTF-8") else ".xlsx"
    bad = make(tmp_path / f"坏文件{suffix}")
    good = power_csv(tmp_path / "用电量.csv")
    before = counts(workspace)
    capsys.readouterr()
    assert screen(workspace, good, bad) == 2
    out = capsys.readouterr().out
    assert said in out and f"“坏文件{suffix}”" in out and "未导入" in out
    assert "用电量.csv" in out  # the good file of the run waits for the bad one
    assert counts(workspace) == before  # one transaction: nothing, not even the good file


def test_a_rebuild_replays_the_departments_files_from_the_archive(workspace, tmp_path):
    assert screen(workspace, tax_xlsx(tmp_path / "税务.xlsx"), registration_csv_gbk(tmp_path / "登记.csv")) == 0
    before = counts(workspace)
    assert main(["rebuild", "--workspace", str(workspace)]) == 0
    assert counts(workspace) == before == {"department_files": 2, "department_tax": 3, "department_registration": 2,
                                           "department_power": 0}


def test_a_csv_read_in_small_blocks_gives_what_one_block_gives(tmp_path, monkeypatch):
    """A province's csv is read a block of whole lines at a time: a quoted cell holding a line break stays in its
    block, GBK characters are never cut, and the records and row numbers are those of reading it in one go."""
    from toolkit.adapters import department_files

    lines = ["株洲市市场主体登记信息（2024年2月导出）", "统一社会信用代码,企业名称,成立日期,登记状态,住所,登记机关,经营范围"]
    codes = [with_check_character(f"91430200MA4L{n:04d}0") for n in range(40)]
    for n, code in enumerate(codes):
        scope = f"\"金属结构制造；\n通用设备制造（第{n}项）\"" if n % 3 == 0 else "软件开发"
        lines.append(f"{code},株洲第{n}机械有限公司,2019-05-{n % 28 + 1:02d},存续,株洲市天元区,株洲市市场监督管理局,{scope}")
    path = tmp_path / "登记.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    (whole,) = department_files.read_department_file(path)
    monkeypatch.setattr(department_files, "BLOCK", 97)  # a block ends mid-character and mid-cell again and again
    (small,) = department_files.read_department_file(path)
    assert not whole.problems and not small.problems and whole.encoding == "GBK（GB18030）"
    assert small.records == whole.records and len(whole.records) == 40
    assert whole.records[3][6] == "金属结构制造；通用设备制造（第3项）" and whole.records[3][7] == 6
