"""A store written by an older version is brought up to date on opening, its records read through the repositories
(moved here from the rewards story when the store was split into repositories: it tests the store, not a story)."""

from __future__ import annotations

import sqlite3

from conftest import without_version_4
from toolkit.adapters.store import SCHEMA_VERSION, Store
from toolkit.domain.periods import Period
from toolkit.domain.register_list import ConfirmedChange


def test_a_version_2_store_is_migrated(tmp_path):
    path = tmp_path / "s.sqlite"
    Store.open(path, create=True).close()
    with sqlite3.connect(path) as db:  # version 2: confirmed lists without kinds, no taxes, no ledger
        for table in ("reward_lines", "reward_batches", "taxes"):
            db.execute(f"DROP TABLE {table}")
        db.execute("DROP TABLE confirmed")
        db.execute("CREATE TABLE confirmed (period TEXT NOT NULL, uscc TEXT NOT NULL, name TEXT NOT NULL, "
                   "county TEXT NOT NULL, change TEXT NOT NULL, month TEXT NOT NULL, source TEXT NOT NULL)")
        db.execute("INSERT INTO confirmed VALUES ('2022-06', 'U', '某企业', '荷塘区', 'entry', '', 'x')")
        db.execute("INSERT INTO meta VALUES ('confirmed:2022-06', '{\"file\": \"x\"}')")
        without_version_4(db)
        db.execute("PRAGMA user_version = 2")
    store = Store.open(path)
    assert store.schema_version == SCHEMA_VERSION == 8
    assert store.register.confirmed(Period(2022, 6)) == [ConfirmedChange("U", "某企业", "荷塘区", "entry", "", "x", "")]
    assert store.rewards.batches() == [] and store.rewards.approved_keys() == set()
    store.close()


def test_a_version_5_store_gains_the_department_tables(tmp_path):
    from conftest import without_version_6
    from toolkit.domain.department_data import ImportedFile, Kind

    path = tmp_path / "s.sqlite"
    Store.open(path, create=True).close()
    with sqlite3.connect(path) as db:  # version 5: no 应入尽入 tables
        without_version_6(db)
        db.execute("PRAGMA user_version = 5")
    store = Store.open(path)
    assert store.schema_version == SCHEMA_VERSION and store.screening.department_files() == []
    line = ImportedFile("ab", "税务.csv", Kind.TAX, "", "UTF-8", "元", "列标题", {"销售额": "“销售额（元）”（第 4 列）"},
                        "2024-01", "2024-01", 1, "2024-02-01 09:00:00")
    with store.transaction():
        store.screening.add_department_file(line, [("U", "甲", "2024-01", "1.5", "", "", 2)])
    assert store.screening.department_file("ab") == line
    assert store.screening.department_rows(Kind.TAX) == [("U", "甲", "2024-01", "1.5", "", "", 2)]
    store.close()


def test_a_version_6_store_gains_the_screen_tables(tmp_path):
    from conftest import without_version_7
    from toolkit.domain.screening import ListedFirm

    path = tmp_path / "s.sqlite"
    Store.open(path, create=True).close()
    with sqlite3.connect(path) as db:  # version 6: department data, no screen runs
        without_version_7(db)
        db.execute("PRAGMA user_version = 6")
    store = Store.open(path)
    assert store.schema_version == SCHEMA_VERSION and store.screening.screen_run(Period(2022, 9)) is None
    firm = ListedFirm("U", "甲", "天元区", "达标未入规", "2022年1—9月累计销售额2,700.00万元", ("9月有销售无用电",))
    with store.transaction():
        store.screening.replace_screen(Period(2022, 9), "2022-10-08 09:00:00", Period(2022, 9), [firm])
    assert store.screening.screen_run(Period(2022, 9)) == ("2022-10-08 09:00:00", Period(2022, 9), 1)
    assert store.screening.screened(Period(2022, 9)) == [firm]
    assert store.screening.latest_screen(Period(2022, 12)) == Period(2022, 9)
    assert store.screening.latest_screen(Period(2022, 8)) is None
    store.close()


def test_a_version_7_store_keeps_its_department_rows_and_new_files_go_beside_it(tmp_path):
    """Version 8 keeps a department file's rows in a Parquet file beside the store, its SHA-256 journalled; rows an
    older version put in SQLite are still read, in the order imported, and a changed or lost copy is said."""
    import pytest

    from conftest import without_version_8
    from toolkit.domain.department_data import ImportedFile, Kind
    from toolkit.ports.store import StoreError

    path = tmp_path / "s.sqlite"
    Store.open(path, create=True).close()
    with sqlite3.connect(path) as db:  # version 7: the rows in the department_tax table
        without_version_8(db)
        db.execute("INSERT INTO department_files (sha256, file_name, kind, sheets, encoding, unit, unit_from, columns,"
                   " first_month, last_month, rows, imported_at) VALUES ('old', '旧.csv', 'tax', '', 'UTF-8', '元', "
                   "'列标题', '{}', '2024-01', '2024-01', 1, '2024-02-01 09:00:00')")
        db.execute("INSERT INTO department_tax VALUES (1, 'U1', '甲', '2024-01', '1.5', '', '', 2)")
        db.execute("PRAGMA user_version = 7")
    store = Store.open(path)
    assert store.schema_version == SCHEMA_VERSION == 8
    line = ImportedFile("new", "新.csv", Kind.TAX, "", "UTF-8", "万元", "列标题", {}, "2024-02", "2024-02", 1,
                        "2024-03-01 09:00:00")
    with store.transaction():
        store.screening.add_department_file(line, [("U2", "乙", "2024-02", "2", "", "", 3)])
    assert store.screening.department_rows(Kind.TAX) == [("U1", "甲", "2024-01", "1.5", "", "", 2),
                                                        ("U2", "乙", "2024-02", "2", "", "", 3)]
    assert store.screening.department_frame(Kind.TAX)["file"].to_list() == ["旧.csv", "新.csv"]
    copy = tmp_path / "部门数据" / "new.parquet"
    assert copy.is_file()
    assert sqlite3.connect(path).execute("SELECT count(*) FROM department_tax").fetchone()[0] == 1
    copy.write_bytes(copy.read_bytes() + b"\0")
    with pytest.raises(StoreError, match="已被改动"):
        store.screening.department_frame(Kind.TAX)
    copy.unlink()
    with pytest.raises(StoreError, match="缺失.*guishang rebuild"):
        store.screening.department_frame(Kind.TAX)
    store.close()
