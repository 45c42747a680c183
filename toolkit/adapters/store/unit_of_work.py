"""The store as one unit of work: one SQLite connection, its schema and migrations, its transactions, and the
repositories that share it (each keeps one kind of record; see ``toolkit/ports/store.py``)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from toolkit.adapters.store.decisions import SqliteDecisions
from toolkit.adapters.store.department import SqliteDepartmentData
from toolkit.adapters.store.papers import SqlitePapers
from toolkit.adapters.store.register import SqliteRegister
from toolkit.adapters.store.rewards import SqliteRewardsLedger
from toolkit.adapters.store.schema import MIGRATIONS, REBUILDS_TABLES, SCHEMA, SCHEMA_VERSION
from toolkit.adapters.store.screening import SqliteScreening
from toolkit.adapters.store.submissions import SqliteSubmissions
from toolkit.ports.store import StoreError


class Store:
    """``submissions``, ``register``, ``decisions``, ``department``, ``rewards``, ``papers`` and ``screening`` over one
    connection; ``transaction()`` makes a use case's writes land whole or not at all."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self.db = connection
        self.path = path
        self.submissions = SqliteSubmissions(connection)
        self.register = SqliteRegister(connection)
        self.decisions = SqliteDecisions(connection)
        self.department = SqliteDepartmentData(connection)
        self.rewards = SqliteRewardsLedger(connection)
        self.papers = SqlitePapers(connection)
        self.screening = SqliteScreening(connection)

    @classmethod
    def open(cls, path: Path, *, create: bool = False) -> "Store":
        path = Path(path)
        if not path.exists() and not create:
            raise StoreError(f"找不到数据库“{path}”：这个文件夹还不是工作区，或数据库文件被移走了。")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = sqlite3.connect(str(path), isolation_level=None, timeout=10)
            # reads by column name (the two bulk readers unpack plain tuples by the names their SELECT gives)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA foreign_keys = ON")
            version = connection.execute("PRAGMA user_version").fetchone()["user_version"]
        except sqlite3.DatabaseError:
            raise StoreError(f"数据库“{path.name}”已损坏或不是本工具的数据库。") from None
        store = cls(connection, path)
        if version == 0:
            tables = connection.execute("SELECT count(*) AS tables FROM sqlite_master").fetchone()["tables"]
            if tables:
                connection.close()
                raise StoreError(f"“{path.name}”不是本工具的数据库。")
            with store.transaction():
                for statement in SCHEMA.split(";"):  # not executescript: it would commit midway
                    if statement.strip():
                        connection.execute(statement)
                created = dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
                connection.execute("INSERT INTO meta VALUES ('created_at', ?)", (created,))
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        elif version > SCHEMA_VERSION:
            connection.close()
            raise StoreError(f"数据库由更新版本的工具建立（结构版本 {version}，本工具支持 {SCHEMA_VERSION}）。请升级工具。")
        elif version < SCHEMA_VERSION:
            store._migrate(version)
        return store

    def _migrate(self, version: int) -> None:
        """Bring an older store up to date, one version at a time, each step in one transaction. A step that
        rebuilds a table runs with foreign keys off and checks them before it commits (SQLite's procedure)."""
        while version < SCHEMA_VERSION:
            rebuilds = version in REBUILDS_TABLES
            if rebuilds:
                self.db.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction
            try:
                with self.transaction():
                    for statement in MIGRATIONS[version]:
                        self.db.execute(statement)
                    if rebuilds and self.db.execute("PRAGMA foreign_key_check").fetchone() is not None:
                        raise StoreError("数据库升级时发现数据不一致，已撤销升级。请联系维护人员。")
                    version += 1
                    self.db.execute(f"PRAGMA user_version = {version}")
            finally:
                if rebuilds:
                    self.db.execute("PRAGMA foreign_keys = ON")

    def close(self) -> None:
        self.db.close()

    def backup(self, target: Path) -> Path:
        """A consistent copy of the whole store (SQLite online backup), verified before it counts."""
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(target.name + ".part")
        copy = sqlite3.connect(str(temp))
        try:
            self.db.backup(copy)
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]  # a fresh connection: its one column
        finally:
            copy.close()
        if verdict != "ok":
            temp.unlink(missing_ok=True)
            raise StoreError(f"数据库备份校验未通过（{verdict}）。请勿继续写入，并联系维护人员。")
        os.replace(temp, target)
        return target

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing; BEGIN IMMEDIATE takes the write lock at once."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise StoreError("数据库正被另一个程序写入，请稍后再试。") from None
            raise
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()["user_version"]
