"""Use case: 应入尽入's first step — import the departments' data as they send it (guishang screen import).

Each file (the tax office's monthly declared sales, the market-registration extract, the power company's monthly
use; xlsx or csv, UTF-8 or GBK) is read by the department-file reader, its columns mapped by the departments' own
names, its sales unit told from its header. The files of one run go in together or not at all: one refused file
(its unit or a key column cannot be told, ID-card numbers as codes, a month twice, a total row amid the data, a
GBK file already garbled) leaves the store as it was. A file imported before (same SHA-256) changes nothing.
Every file taken is archived and journalled (the archive's journal, which ``guishang rebuild`` replays, and the
store's ``department_files``: kind, sheets, encoding, unit, columns taken, months, rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from toolkit.domain.department_data import DepartmentTable, ImportedFile, Kind, Problem
from toolkit.domain.industries import Classification, parse_classification
from toolkit.ports.files import ArchiveError
from toolkit.ports.store import Store
from toolkit.ports.tools import tools
from toolkit.resources import INDUSTRIES, resource_path
from toolkit.services.clock import now_text
from toolkit.services.closing import keep_policy
from toolkit.services.errors import UserError
from toolkit.services.workspace import Workspace

EVENT = "import_department"


@dataclass
class DepartmentImport:
    """One file of a ``guishang screen import`` run: what was taken from it, or why it was refused."""

    file: str
    tables: list[DepartmentTable] = field(default_factory=list)
    sha256: str = ""
    unchanged: bool = False  # imported before: nothing changed
    refused_with_others: bool = False  # good, but another file of the run was refused: nothing stored

    @property
    def problems(self) -> list[Problem]:
        found = [p for table in self.tables for p in table.problems]
        kinds = {table.kind for table in self.tables if table.kind is not None}
        if len(kinds) > 1:
            found.append(Problem(f"“{self.file}”", "各工作表不是同一个部门的数据。请把不同部门的数据分成不同文件。"))
        return found

    @property
    def kind(self) -> Kind | None:
        return self.tables[0].kind if self.tables else None

    @property
    def records(self) -> list[tuple]:
        return [record for table in self.tables for record in table.records]

    def journal_line(self, sha256: str, at: str) -> ImportedFile:
        first = self.tables[0]
        months = [table.months for table in self.tables if table.months]
        return ImportedFile(sha256, self.file, first.kind, "、".join(t.sheet for t in self.tables if t.sheet),
                            first.encoding, first.unit, first.unit_from, dict(first.taken),
                            min((m[0] for m in months), default=""), max((m[1] for m in months), default=""),
                            len(self.records), at)


def classification() -> Classification:
    """GB/T 4754-2017 as shipped in the package (sections and divisions)."""
    return parse_classification(resource_path(INDUSTRIES).read_text(encoding="utf-8"))


def read_department(path: Path, kind: Kind | None = None, name: str | None = None) -> DepartmentImport:
    tables = tools().workbooks.read_department(path, kind)
    if name:
        for table in tables:
            table.file = name
    return DepartmentImport(name or Path(path).name, tables)


def import_department_files(workspace: Workspace, paths: list[Path],
                            kind: Kind | None = None) -> list[DepartmentImport]:
    """Read every file, then store the new ones in one transaction — or none, when any file is refused."""
    paths = [Path(p) for p in paths]
    for path in paths:
        if not path.is_file():
            raise UserError(f"找不到部门数据文件“{path}”。请检查路径。")
    results, seen = [], set()
    for path in paths:
        result = read_department(path, kind)
        result.sha256 = tools().files.sha256_of(path)
        if result.sha256 in seen:
            continue  # the same file named twice in one run
        seen.add(result.sha256)
        results.append((path, result))
    if any(result.problems for _, result in results):
        for _, result in results:
            result.refused_with_others = not result.problems
        return [result for _, result in results]
    with workspace.writing("导入部门数据") as store:
        new = []
        for path, result in results:
            if store.screening.department_file(result.sha256) is not None:
                result.unchanged = True
            else:
                new.append((path, result))
        if new:
            with store.transaction():
                at = now_text()
                for path, result in new:
                    workspace.archive.keep(path, result.sha256)
                    apply_department(store, result, result.sha256, at)
                    workspace.archive.record({"event": EVENT, "sha256": result.sha256, "name": result.file,
                                              "kind": result.kind.value, "at": at,
                                              "policy": keep_policy(workspace, workspace.archive)})
    return [result for _, result in results]


def apply_department(store: Store, result: DepartmentImport, sha256: str, at: str) -> None:
    store.screening.add_department_file(result.journal_line(sha256, at), result.records)


def replay_department(store: Store, path: Path, event: dict) -> None:
    """``guishang rebuild``: the archived file imported again as it was then."""
    result = read_department(path, Kind(event["kind"]), event["name"])
    if result.problems:
        raise ArchiveError(f"存档中的部门数据“{event['name']}”读取有误，无法重建。")
    if store.screening.department_file(event["sha256"]) is None:
        apply_department(store, result, event["sha256"], event["at"])
