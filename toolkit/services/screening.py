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

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.domain.department_data import (KIND_LABEL, DepartmentTable, ImportedFile, Kind, Problem, records_of,
                                            superseded_notes)
from toolkit.domain.hints import Action, Hint
from toolkit.domain.industries import Classification, parse_classification
from toolkit.domain.periods import Period
from toolkit.domain.register import STARTING_KIND
from toolkit.domain.screening import Answer, FunnelView, Screen, frame_rows, funnel, listed, screen
from toolkit.domain.submissions import SubmissionStatus
from toolkit.domain.stamp import FileKind
from toolkit.ports.files import ArchiveError
from toolkit.ports.store import Store
from toolkit.ports.tools import tools
from toolkit.resources import INDUSTRIES, resource_path
from toolkit.services.checking import generated_stamp
from toolkit.services.clock import now_text
from toolkit.services.closing import keep_policy
from toolkit.services.errors import UserError
from toolkit.services.kept_outputs import KeptOutputs
from toolkit.services.workspace import Workspace

EVENT = "import_department"
SCREEN_EVENT = "screen_run"
SCREEN_DIR_NAME = "应入尽入"
CITY_ONLY = "市级候选企业（仅限市级，不外发）"
FINGERPRINTS = ".应入尽入指纹.json"


@dataclass
class DepartmentImport:
    """One file of a ``guishang screen import`` run: what was taken from it, or why it was refused."""

    file: str
    tables: list[DepartmentTable] = field(default_factory=list)
    sha256: str = ""
    unchanged: bool = False  # imported before: nothing changed
    refused_with_others: bool = False  # good, but another file of the run was refused: nothing stored
    replaces: list[str] = field(default_factory=list)  # the earlier files whose rows it gives again (taken from it)

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
    def records(self):
        """The file's rows, its sheets' together, as one polars frame (``COLUMNS[kind]``); None when none."""
        return records_of(self.tables)

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)

    def journal_line(self, sha256: str, at: str) -> ImportedFile:
        first = self.tables[0]
        months = [table.months for table in self.tables if table.months]
        return ImportedFile(sha256, self.file, first.kind, "、".join(t.sheet for t in self.tables if t.sheet),
                            first.encoding, first.unit, first.unit_from, dict(first.taken),
                            min((m[0] for m in months), default=""), max((m[1] for m in months), default=""),
                            self.rows, at)


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

    def read(path: Path) -> DepartmentImport:
        result = read_department(path, kind)
        result.sha256 = tools().files.sha256_of(path)
        return result

    # the files read side by side: a province's GBK tax extract keeps one core decoding while the engine checks
    # on the other, and the registration and power files fill the gaps (benchmarks/bench_screening.py)
    with ThreadPoolExecutor(max_workers=2) as pool:
        read_all = list(pool.map(read, paths))
    results, seen = [], set()
    for path, result in zip(paths, read_all):
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
                    result.replaces = superseded_notes(store.screening.department_files(result.kind), result.sha256)
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


# ---- the screen ---------------------------------------------------------------------------------------------------

@dataclass
class ScreenRun:
    """A ``guishang screen run``: the screen, the city's workbook and each county's worklist (paths current now)."""

    screen: Screen
    city: Path
    counties: dict[str, Path]
    held_from: str


def screen_folder(output: Path, period: Period) -> Path:
    """输出/应入尽入/2022-09: the counties' worklists; the city's workbook in a sub-folder that is not sent."""
    return Path(output) / SCREEN_DIR_NAME / str(period)


def held_register(store: Store, period: Period, workspace_root: Path) -> tuple[dict[str, str], str]:
    """Every firm in the register at the end of ``period`` (code → how it is held) and what that was read from:
    the register the accepted lists make from the starting list, and the entries of the year's confirmed lists.
    Without the starting list nothing can be screened: most firms over the threshold are in the register."""
    info = store.register.starting_info()
    if info is None:
        raise UserError("尚未导入规划起始时的规上工业企业名录，无法判断企业是否已在库（达到2000万元的企业大多已在库）。"
                        "请先导入统计部门的在库名录，再筛选。", Hint.of(Action.IMPORT_STARTING, workspace=workspace_root))
    month = str(period)
    held: dict[str, str] = {}
    for row in store.register.rows():
        if row.exit_period and row.exit_period <= month:
            continue
        if row.entry_kind == STARTING_KIND or not row.entry_period:
            held[row.uscc] = "规划起始名录"
        elif row.entry_period <= month:
            held[row.uscc] = f"{row.entry_period}入库，{row.county or '归属待认定'}报表"
    confirmed = []
    for list_period in store.register.confirmed_periods(period.year):
        for firm in store.register.confirmed(list_period) or []:
            if firm.change == "entry" and firm.month <= month:
                held.setdefault(firm.uscc, f"{firm.month}入库，统计局确认名单")
            elif firm.change == "exit" and firm.month <= month:
                held.pop(firm.uscc, None)
        confirmed.append(str(list_period))
    said = f"规划起始名录（{info.get('file', '')}）和已受理报表的新增、退库"
    if confirmed:
        said += f"，以及统计局确认名单（{'、'.join(confirmed)}）"
    return held, said + f"，截至{period.year}年{period.month}月末，共 {len(held):,} 家在库。"


def _screen(store: Store, policy, period: Period, root: Path) -> tuple[Screen, str, list]:
    """The screen of the store's department data as of ``period`` (read only), what the register was read from,
    and the department files it rests on (kind, name, months, rows)."""
    tax = store.screening.department_frame(Kind.TAX, lazy=True)  # read column by column as the screen asks
    if not frame_rows(tax):
        raise UserError("还没有导入税务部门的申报销售额，无法筛选。请先导入税务、市场监管和电力部门的数据。",
                        Hint.of(Action.IMPORT_DEPARTMENTS, workspace=root))
    held, held_from = held_register(store, period, root)
    files = [(KIND_LABEL[f.kind], f.file_name, f"{f.first_month}至{f.last_month}" if f.first_month else "",
              f"{f.rows:,}行") for f in store.screening.department_files()]
    try:
        found = screen(period, tax=tax, registration=store.screening.department_frame(Kind.REGISTRATION, lazy=True),
                       power=store.screening.department_frame(Kind.POWER, lazy=True), held=held,
                       counties=policy.counties, classes=classification())
    except ValueError as error:
        raise UserError(f"{error}。请导入 {period.year} 年的税务数据后再筛选。") from None
    for kind in Kind:
        found.notes.extend(superseded_notes(store.screening.department_files(kind)))
    return found, held_from, files


def run_screen(workspace: Workspace, period: Period, now: dt.datetime | None = None) -> ScreenRun:
    """Screen the imported department data as of ``period``; keep what it listed (the counties' follow-up sheets
    are prefilled from it, the funnel counts it; journalled, so a rebuild lists the same) and write the city's
    candidates workbook and each county's worklist (only its own firms) — each written again only when what it
    says has changed, never over an earlier one."""
    policy = workspace.policy()
    now = now or dt.datetime.now().replace(microsecond=0)
    with workspace.writing(f"应入尽入{period}") as store:
        found, held_from, files = _screen(store, policy, period, workspace.root)
        at = now.isoformat(sep=" ")
        with store.transaction():
            store.screening.replace_screen(period, at, found.period, listed(found.candidates))
            workspace.archive.record({"event": SCREEN_EVENT, "period": str(period), "at": at,
                                      "policy": keep_policy(workspace, workspace.archive)})
    folder = screen_folder(workspace.output, period)
    kept = KeptOutputs(folder.parent / FINGERPRINTS, str(period))
    workbooks = tools().workbooks
    stamp = generated_stamp(FileKind.SCREENING, now, period=period)
    city = kept.output(folder / CITY_ONLY, "", f"应入尽入候选企业_{period}.xlsx",
                       (found, held_from, files),
                       lambda path: workbooks.write_screen_candidates(path, found, policy.county_names, files,
                                                                      held_from, stamp, created=now))
    counties = {}
    for county in policy.county_names:
        mine = found.of(county)
        county_stamp = generated_stamp(FileKind.SCREENING, now, county, period)
        counties[county] = kept.output(
            folder, county, f"{county}_{period}_应入尽入工作清单.xlsx", (county, mine, found.notes, files),
            lambda path, county=county, county_stamp=county_stamp: workbooks.write_screen_county(
                path, found, county, files, county_stamp, created=now))
    kept.save()
    return ScreenRun(found, city, counties, held_from)


def replay_screen(store: Store, policy, root: Path, event: dict) -> None:
    """``guishang rebuild``: the screen run again on the data imported before it, its list kept as then."""
    period = Period.parse(event["period"])
    found, _, _ = _screen(store, policy, period, root)
    store.screening.replace_screen(period, event["at"], found.period, listed(found.candidates))


# ---- the funnel -----------------------------------------------------------------------------------------------------

def entered_this_year(store: Store, period: Period) -> dict[str, str]:
    """Firms that entered the register in ``period``'s year up to the period: the statistics office's confirmed
    lists first, then the counties' accepted 新增 lists (code → how it is known)."""
    month = str(period)
    out: dict[str, str] = {}
    for listed_in in store.register.confirmed_periods(period.year):
        for firm in store.register.confirmed(listed_in) or []:
            if firm.change == "entry" and firm.month <= month:
                out.setdefault(firm.uscc, f"{firm.month}入库（统计局确认名单）")
    for row in store.register.rows():
        if row.entry_period.startswith(f"{period.year}-") and row.entry_period <= month:
            out.setdefault(row.uscc, f"{row.entry_period}入库（{row.county or '归属待认定'}报表新增）")
    return out


def answers_upto(store: Store, period: Period) -> dict[str, list[Answer]]:
    """Each county's 应入尽入跟踪 rows from its latest accepted return of the year on or before the period."""
    latest: dict[str, object] = {}
    for sub in store.submissions.all():
        if (sub.status == SubmissionStatus.ACCEPTED and sub.period.year == period.year and sub.period <= period
                and (sub.county not in latest or sub.period > latest[sub.county].period)):
            latest[sub.county] = sub
    out: dict[str, list[Answer]] = {}
    for county, sub in latest.items():
        out[county] = [Answer(r.uscc, r.name, _day(r.values.get("contacted")), r.values.get("applied") or "",
                              _day(r.values.get("applied_on")), r.values.get("result") or "",
                              r.values.get("reason") or "", sub.file_name, r.sheet, r.row)
                       for r in store.submissions.sourced_rows(sub.id, "follow_up")]
    return out


def _day(value) -> str:
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value or "")[:10]


def funnel_at(store: Store, policy, period: Period) -> FunnelView | None:
    """The funnel as of ``period`` (None when no screen of its year ran on or before it)."""
    screened = store.screening.latest_screen(period)
    if screened is None:
        return None
    run_at, month, _ = store.screening.screen_run(screened)
    rows, followed = funnel(policy.county_names, store.screening.screened(screened), answers_upto(store, period),
                            entered_this_year(store, period))
    return FunnelView(screened, run_at, month, rows, followed)


# ---- for the workbench (read only) ------------------------------------------------------------------------------

@dataclass
class ScreeningBoard:
    """What the 应入尽入 page shows: the departments' files imported, the periods screened, the funnel at the
    period asked (None: no screen of its year on or before it), and whether the starting register is in."""

    files: list[ImportedFile]
    screened: list[Period]
    funnel: FunnelView | None
    register_in: bool
    period: Period | None  # the period asked, else the latest screened; None when nothing was screened


def screening_board(workspace: Workspace, period: Period | None) -> ScreeningBoard:
    """The board at ``period`` (None: at the latest period screened), from one read of the store."""
    store = workspace.open_store()
    try:
        screened = store.screening.screen_periods()
        period = period or (screened[-1] if screened else None)
        view = funnel_at(store, workspace.policy(), period) if period else None
        return ScreeningBoard(store.screening.department_files(), screened, view,
                              store.register.starting_info() is not None, period)
    finally:
        store.close()
