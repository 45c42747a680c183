"""The workspace and its store: init never overwrites, the store refuses what it cannot trust, the inbox
is read with care (lock files, folders, generated copies, other periods, broken files)."""

import shutil
import sqlite3
import tempfile
from pathlib import Path

from conftest import SAMPLE_REPORTS, examples, new_workspace, sha256
from county_files import entry, firm, write_report
from toolkit.adapters.store import SCHEMA_VERSION, Store
from toolkit.cli import main
from toolkit.domain.periods import Period
from toolkit.services.consolidation import status
from toolkit.services.workspace import Workspace



def test_init_creates_and_never_overwrites(tmp_path, capsys):
    root = tmp_path / "工作区"
    assert main(["init", str(root)]) == 0
    workspace = Workspace.at(root)
    assert workspace.policy_path.is_file() and workspace.inbox.is_dir() and workspace.output.is_dir()
    with sqlite3.connect(workspace.store_path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    edited = sha256(workspace.policy_path)
    workspace.policy_path.write_bytes(workspace.policy_path.read_bytes())  # the clerk's edited copy stays
    assert main(["init", str(root)]) == 0
    assert "未改动任何文件" in capsys.readouterr().out
    assert sha256(workspace.policy_path) == edited


def test_init_tells_first_use_as_a_sequence_of_real_commands(tmp_path, capsys, monkeypatch):
    """核对政策参数 → policy --check → 起始名录 → 模板 → 下发 → 汇总, in that order, each command one the parser takes."""
    import re
    import shlex

    from toolkit.cli import build_parser

    monkeypatch.setenv("COLUMNS", "400")
    root = tmp_path / "市 工作区"
    assert main(["init", str(root)]) == 0
    out = capsys.readouterr().out
    steps = re.findall(r"^  (\d)\. (.*)$", out, re.M)
    assert [n for n, _ in steps] == ["1", "2", "3", "4", "5", "6"]
    order = ["示例数据", "policy --check", "register import", "template", "下发", "consolidate"]
    assert all(word in text for word, (_, text) in zip(order, steps))
    for _, text in steps:
        if "guishang " in text:
            argv = shlex.split(text.split("guishang ", 1)[1].replace("YYYY-MM", "2024-03"))
            build_parser().parse_args(argv)  # a wrong verb or flag exits (SystemExit fails the test)


def test_init_refuses_a_file_and_a_foreign_database(tmp_path, capsys):
    target = tmp_path / "a.txt"
    target.write_text("x")
    assert main(["init", str(target)]) == 2
    root = tmp_path / "ws"
    (root / "数据库").mkdir(parents=True)
    with sqlite3.connect(root / "数据库" / "guishang.sqlite") as db:
        db.execute("CREATE TABLE other (x)")
    assert main(["init", str(root)]) == 2
    assert "不是本工具的数据库" in capsys.readouterr().out


def test_newer_store_is_refused(tmp_path, capsys):
    root = new_workspace(tmp_path / "ws")
    with sqlite3.connect(root / "数据库" / "guishang.sqlite") as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    assert main(["status", "--workspace", str(root), "--period", "2022-06"]) == 2
    assert "请升级工具" in capsys.readouterr().out


def test_inbox_is_read_with_care(tmp_path, policy, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    root = new_workspace(tmp_path / "ws")
    inbox = root / "收件箱"
    for path in (SAMPLE_REPORTS / "2022-06").glob("*.xlsx"):
        shutil.copy(path, inbox)
    shutil.copy(SAMPLE_REPORTS / "2022-03" / "天元区_2022-03_规上工业企业报表.xlsx", inbox)  # another period
    (inbox / "~$天元区_2022-06_规上工业企业报表.xlsx").write_bytes(b"\x00lock")
    (inbox / "文件夹.xlsx").mkdir()
    (inbox / "损坏.xlsx").write_bytes(b"PK\x03\x04 truncated")
    hashes = {p.name: sha256(p) for p in inbox.glob("*.xlsx") if p.is_file()}
    main(["check", str(inbox / "攸县_2022-06_规上工业企业报表.xlsx"), "--mark", "--out", str(inbox)])
    capsys.readouterr()

    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) == 2  # a broken file
    out = capsys.readouterr().out
    for text in ("临时锁定文件", "是一个文件夹", "不属于 2022-06", "校验标注副本", "损坏.xlsx", "校验结果"):
        assert text in out, text
    summary = status(Workspace.at(root), Period(2022, 6))
    assert sum(s.status == "已受理" for s in summary.statuses) == 8  # the others are processed all the same
    assert {p.name: sha256(p) for p in inbox.glob("*.xlsx") if p.name in hashes} == hashes  # inputs untouched


def test_a_file_without_a_stamp_is_named_and_skipped(tmp_path, policy, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    import openpyxl

    root = new_workspace(tmp_path / "ws")
    path = write_report(root / "收件箱", policy, "天元区", "2022-06", [entry(firm(policy, "天元区", 1), "2022-02")])
    workbook = openpyxl.load_workbook(path)
    del workbook["_stamp"]
    workbook.save(path)
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) == 2
    assert "无法确定所属县市区" in capsys.readouterr().out


def test_store_transaction_rolls_back(tmp_path):
    store = Store.open(tmp_path / "s.sqlite", create=True)
    try:
        with store.transaction():
            store.submissions.add(sha256="a" * 64, file_name="x.xlsx", county="天元区", period=Period(2022, 6),
                                 received_at="2022-07-01 09:00:00", file_mtime="2022-07-01 08:00:00")
            raise RuntimeError("power cut")
    except RuntimeError:
        pass
    assert store.submissions.all() == []
    store.close()


def test_second_writer_gets_a_clear_message(tmp_path):
    from toolkit.adapters.store import StoreError

    first = Store.open(tmp_path / "s.sqlite", create=True)
    second = Store.open(tmp_path / "s.sqlite")
    second.db.execute("PRAGMA busy_timeout = 100")
    with first.transaction():
        try:
            with second.transaction():
                raise AssertionError("two writers at once")
        except StoreError as error:
            assert "另一个程序" in str(error)
    first.close()
    second.close()


def test_long_detail_lists_go_to_csv_beside_the_summary(tmp_path, policy, monkeypatch):
    import csv

    import openpyxl

    from toolkit.adapters import summary_workbook

    monkeypatch.setattr(summary_workbook, "DETAIL_ROW_LIMIT", 5)
    root = new_workspace(tmp_path / "ws")
    rows = [entry(firm(policy, "天元区", n), "2022-02") for n in range(8)]
    rows[3]["name"] = '=HYPERLINK("http://example.invalid","点我")'
    write_report(root / "收件箱", policy, "天元区", "2022-06", rows)
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) == 1  # nine units missing
    (book,) = (root / "输出" / "汇总").glob("*.xlsx")
    (spilled,) = (root / "输出" / "汇总").glob("*_新增明细.csv")
    with spilled.open(encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle))
    assert lines[0][:3] == ["县市区", "统一社会信用代码", "企业名称"] and len(lines) == 9
    assert "'=HYPERLINK" in {line[2][:11] for line in lines}  # never a live formula when opened
    sheet = openpyxl.load_workbook(book)["新增明细"]
    assert "已另存为" in sheet["A3"].value and spilled.name in sheet["A3"].value


def test_text_from_counties_is_never_a_formula_in_the_summary(tmp_path, policy):
    import openpyxl

    root = new_workspace(tmp_path / "ws")
    rows = [entry(firm(policy, "天元区", 1), "2022-02", name="=1+1"), entry(firm(policy, "天元区", 2), "2022-03",
                                                                          name="@SUM(A1)")]
    write_report(root / "收件箱", policy, "天元区", "2022-06", rows)
    main(["consolidate", "--workspace", str(root), "--period", "2022-06"])
    (book,) = (root / "输出" / "汇总").glob("*.xlsx")
    sheet = openpyxl.load_workbook(book)["新增明细"]
    names = [sheet.cell(row, 3) for row in (4, 5)]
    assert [c.value for c in names] == ["=1+1", "@SUM(A1)"] and all(c.data_type == "s" for c in names)


def test_an_unforeseen_problem_in_one_file_does_not_stop_the_others(tmp_path, policy, monkeypatch, capsys):
    from toolkit.services import intake

    root = new_workspace(tmp_path / "ws")
    for county in ("天元区", "攸县"):
        write_report(root / "收件箱", policy, county, "2022-06", [entry(firm(policy, county, 1), "2022-02")])
    real = intake.check_sheets

    def fragile(sheets, file, *args, **kwargs):
        if file.startswith("攸县"):
            raise KeyError("a case nobody foresaw")
        return real(sheets, file, *args, **kwargs)

    monkeypatch.setattr(intake, "check_sheets", fragile)
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) == 2
    assert "KeyError" in capsys.readouterr().out
    statuses = {s.county: s.status for s in status(Workspace.at(root), Period(2022, 6)).statuses}
    assert statuses["天元区"] == "已受理" and statuses["攸县"] == "未报送"


def _csv_cells():
    from hypothesis import strategies as st

    texts = st.one_of(st.sampled_from(["", "=1+1", "+86", "-5", "@A1", "\tx", "\rx", "a\n=b", "株洲", "'引号",
                                       "a,b", '"q"', "\ue000"]), st.text(max_size=8))
    numbers = st.one_of(st.integers(-3, 10**12), st.floats(allow_nan=True, allow_infinity=True), st.just(-0.0),
                        st.just(0.0))
    return st.one_of(st.none(), texts, numbers, st.booleans())


def test_long_lists_are_written_column_by_column_as_row_by_row():
    """The CSV of a long list, decided a column at a time (a column needing nothing written as it is), is byte
    for byte the file made row by row with _csv_value: formula-like text, negative numbers and -0.0 marked."""
    import csv
    import io

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from toolkit.adapters import summary_workbook as sw

    def by_row(rows):
        buffer = io.StringIO()
        out = csv.writer(buffer)
        out.writerow(["甲", "乙", "丙"])
        out.writerows([sw._csv_value(v) for v in row] for row in rows)
        return buffer.getvalue()

    kinds = [_csv_cells(),  # each column mixed, or of one kind as the detail lists' columns are
             st.one_of(st.none(), st.text(max_size=5), st.sampled_from(["=x", "-", "@", "\t", "\n=", "a"])),
             st.one_of(st.none(), st.floats(0.001, 1e9), st.integers(1, 10**6)),
             st.one_of(st.none(), st.floats(-5, 5), st.just(-0.0))]

    @settings(max_examples=examples(300), deadline=None)
    @given(st.data(), st.integers(1, 7))
    def check(data, chunk):
        columns = data.draw(st.tuples(*(st.sampled_from(kinds) for _ in range(3))))
        rows = data.draw(st.lists(st.tuples(*columns), min_size=1, max_size=40))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "明细.csv"
            original = sw._CSV_CHUNK
            sw._CSV_CHUNK = chunk
            try:
                sw._write_csv(path, ["甲", "乙", "丙"], rows)
            finally:
                sw._CSV_CHUNK = original
            assert path.read_bytes() == ("\ufeff" + by_row(rows)).encode("utf-8")

    check()
    plain = [("株洲", 1.5, 3), ("攸县", 2.0, None)] * 5  # columns that need nothing: the same tuples go out
    assert sw._csv_column(tuple(r[0] for r in plain)) == tuple(r[0] for r in plain)
    assert type(sw._csv_column(tuple(r[1] for r in plain))) is tuple
    assert sw._csv_column(("a", "-1")) == ["a", "'-1"] and sw._csv_column((2.0, -0.0)) == [2.0, "'-0.0"]
