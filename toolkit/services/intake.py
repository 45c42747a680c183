"""Taking county workbooks in: scanning the inbox, reading and checking each file (in worker processes
when there are many), and recording new submissions in the store. The same code takes files from the
archive when the store is rebuilt.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from toolkit.domain.carried_policy import carried_policy, rule_differences
from toolkit.domain.file_names import TEMP_PREFIX
from toolkit.domain.intake_outcome import IntakeOutcome
from toolkit.domain.level import Level as AdminLevel
from toolkit.domain.findings import MACROS_LOST, UNREADABLE, Finding, Level, make_finding
from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy
from toolkit.domain.register import LIST_KEYS, ListRow, Submitted, listings_of
from toolkit.domain.report_parsing import reads_sheet
from toolkit.domain.stamp import STAMP_SHEET, Stamp
from toolkit.domain.submissions import named_county, named_period
from toolkit.ports.files import UnreadableWorkbook
from toolkit.ports.store import Store
from toolkit.ports.tools import Archive, tools
from toolkit.services.checking import check_sheets
from toolkit.services.province_intake import SummaryLists, examine_summary
from toolkit.services.province_intake import wanted as summary_sheet

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# what counties also send when they save in WPS or LibreOffice, or in an old format: received, and returned
# with what to do when the name says whose it is
OTHER_SPREADSHEETS = (".ods", ".xls", ".et", ".xlsb", ".csv")
PARALLEL_FROM = 40  # files; below this, worker processes cost more than they save
MAX_WORKERS = 8

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class InboxNote:
    """What happened to one file in the inbox, in words for the clerk."""

    file: str
    what: IntakeOutcome
    message: str


@dataclass(frozen=True)
class Incoming:
    """A file to take in: where to read it, and its name, content hash and time as received."""

    path: Path
    name: str
    sha256: str
    mtime: str


@dataclass(frozen=True)
class Recorded:
    """A new submission just recorded in the store."""

    submission_id: int
    incoming: Incoming
    county: str
    findings: tuple[Finding, ...]
    cover_note: str = ""  # the cover's 情况说明: the county's own word on this submission
    archived: bool = False  # already kept in the archive, from the very bytes that were read and hashed


def _mtime(path: Path) -> str:
    return dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0).isoformat(sep=" ")


def inbox_name(inbox: Path, path: Path) -> str:
    """A file's name as the clerk sees it: its path inside the inbox, with "/" between folders."""
    try:
        return path.relative_to(inbox).as_posix()
    except ValueError:
        return path.name


def not_yet_taken_in(inbox: Path, period: Period, known: set[tuple[str, str]]) -> list[str]:
    """The inbox's workbooks named for ``period`` that no consolidation has taken in yet, by their inbox path —
    told by name and file time against the submissions recorded (``known``: (name, file time) pairs), without
    reading them: cheap enough for every page view. A file replaced under the same name counts as new."""
    if not inbox.is_dir():
        return []
    waiting = []
    for path in sorted(inbox.rglob("*")):
        spreadsheet = path.suffix.lower() in (*WORKBOOK_SUFFIXES, *OTHER_SPREADSHEETS)
        if path.name.startswith((TEMP_PREFIX, "~$")) or not spreadsheet:
            continue
        name = inbox_name(inbox, path)
        try:
            if named_period(name) == period and path.is_file() and (name, _mtime(path)) not in known:
                waiting.append(name)
        except OSError:
            continue
    return waiting


def scan_inbox(inbox: Path) -> tuple[list[Incoming], list[InboxNote]]:
    """Workbooks in the inbox (any depth, in name order) and notes on what is skipped. Each file is named by its
    path inside the inbox ("攸县/攸县_2024-03_规上工业企业报表.xlsx"): two files of one name in different folders
    are told apart everywhere (console, workbench, store, ``choose``)."""
    files, notes = [], []
    for path in sorted(inbox.rglob("*")):
        name = inbox_name(inbox, path)
        if path.name.startswith(TEMP_PREFIX):
            continue
        if path.name.startswith("~$"):
            notes.append(InboxNote(name, IntakeOutcome.IGNORED, "Office 临时锁定文件（报表正在 Excel 中打开），已跳过。"))
            continue
        if path.is_dir():
            if path.suffix.lower() in WORKBOOK_SUFFIXES:
                notes.append(InboxNote(name, IntakeOutcome.IGNORED, "这是一个文件夹，不是工作簿，已跳过。"))
            continue
        if path.suffix.lower() not in (*WORKBOOK_SUFFIXES, *OTHER_SPREADSHEETS):
            notes.append(InboxNote(name, IntakeOutcome.IGNORED, "不是表格文件，已跳过。"))
            continue
        try:
            files.append(Incoming(path, name, tools().files.sha256_of(path), _mtime(path)))
        except OSError:
            notes.append(InboxNote(name, IntakeOutcome.UNREADABLE, f"“{name}”无法打开（可能正被占用或没有权限）。请关闭后重试。"))
    return files, notes


@dataclass
class Examined:
    """One file read and checked (possibly in a worker process), not yet recorded."""

    incoming: Incoming
    note: InboxNote | None = None  # set when the file is not a submission of this period
    county: str = ""
    findings: list[Finding] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # as the store keeps them
    # the entry and exit lists as listings_of takes them, by LIST_KEYS: ListRow tuples travel from a worker
    # process at a fraction of the cost of the Listing objects made from them (which the receiving process makes)
    lists: dict[str, list[ListRow]] = field(default_factory=dict)
    cover_note: str = ""
    saved_at: str = ""  # the workbook's own last-saved time (UTC), '' when it has none
    archived: bool = False  # kept in the archive by the process that read it
    # where the rules the county's own check used (its template's policy) differ from the city's now, in words
    other_rules: tuple[str, ...] = ()


def examine(incoming: Incoming, policy: Policy, period: Period, archive: Archive | None = None) -> Examined:
    """Read and check one workbook (no store access: safe in a worker process); a submission is kept in
    ``archive`` from the bytes just read (when that fails, the caller keeps it and reports why).

    One bad file never stops the others: even a problem this program did not foresee becomes a
    note on that file (and exit code 2), not the end of the run.
    """
    try:
        return _examine(incoming, policy, period, archive)
    except Exception as error:  # noqa: BLE001 - reported to the user with what to do
        return Examined(incoming, InboxNote(incoming.name, IntakeOutcome.UNREADABLE,
                                            f"读取时遇到本程序未能处理的情况（{type(error).__name__}），"
                                            "已跳过此文件，其他文件照常处理。请把该文件发给维护人员。"))


def _examine(incoming: Incoming, policy: Policy, period: Period, archive: Archive | None) -> Examined:
    name, sha = incoming.name, incoming.sha256
    try:
        data = tools().workbooks.load_bytes(incoming.path)
        province = policy.level is AdminLevel.PROVINCE  # a 市州's summary, not a county's report
        book = tools().workbooks.read_workbook(incoming.path, layout=True, data=data,
                                               wanted=summary_sheet if province else reads_sheet)
    except UnreadableWorkbook as problem:
        why = str(problem).replace(incoming.path.name, name)
        county = named_county(policy, name)
        claimed = named_period(name)
        if county and claimed in (None, period):  # whose it is, by its name: received and returned, not 未报送
            return Examined(incoming, county=county, findings=[make_finding(UNREADABLE, file=name, expected=why)])
        return Examined(incoming, InboxNote(name, IntakeOutcome.UNREADABLE, why))
    if book.sha256 != sha:  # replaced, or still being written, since the inbox was scanned
        return Examined(incoming, InboxNote(name, IntakeOutcome.UNREADABLE,
                                            f"“{name}”在读取过程中被改动（可能正在保存、复制或同步），"
                                            "本次未处理。请待文件保存完毕后重新运行汇总。"))
    sheets = book.sheets
    if province:
        note, unit_name, findings, lists = examine_summary(name, sheets, policy, period)
        if note is not None:
            return Examined(incoming, InboxNote(name, *note))
        return Examined(incoming, county=unit_name, findings=findings, rows=tools().store_rows(SummaryLists(lists)),
                        lists=lists, saved_at=book.saved_at, archived=_keep(archive, data, incoming))
    stamp = Stamp.from_rows(sheets[STAMP_SHEET]) if STAMP_SHEET in sheets else None
    if stamp is not None and not stamp.kind.is_submission:
        return Examined(incoming, InboxNote(name, IntakeOutcome.IGNORED, f"这是系统生成的“{stamp.kind.label}”，不是县市区报表，已跳过。"))
    report, findings = check_sheets(sheets, name, policy, expect_period=period, layout=book)
    if book.macros_lost:
        findings.append(make_finding(MACROS_LOST, file=name))
    if report.period is not None and report.period != period and named_period(name) != period:
        return Examined(incoming, InboxNote(name, IntakeOutcome.OTHER_PERIOD,
                                            f"报送期为 {report.period}，不属于 {period}，本次不处理。"))
    # another period's workbook sent under this period's name (last period's, carried on without updating its
    # cover) is this county's submission for this period: it is received and returned with E005
    unit = policy.find_county(report.county or (stamp.county if stamp else ""))
    if unit is None:
        reason = findings[0].message if findings else "缺少模板标识。"
        return Examined(incoming, InboxNote(name, IntakeOutcome.UNRECOGNISED,
                                            f"无法确定所属{policy.unit_label}：{reason}请使用下发的模板。"))
    lists = {key: [ListRow(r.sheet, r.row, str(r.values.get("uscc") or ""), str(r.values.get("name") or ""), r.values)
                   for r in report.records(key)] for key in LIST_KEYS}
    carried = carried_policy(sheets[STAMP_SHEET], stamp.generated_at) if stamp is not None else None
    return Examined(incoming, county=unit.name, findings=findings, rows=tools().store_rows(report), lists=lists,
                    cover_note=str(report.cover.get("note") or ""), saved_at=book.saved_at,
                    archived=_keep(archive, data, incoming),
                    other_rules=tuple(rule_differences(carried.policy, policy)) if carried else ())


def other_rules(differences: tuple[str, ...]) -> str:
    """What to tell the city of a workbook the county checked against other rules than the city's now."""
    if not differences:
        return ""
    return (f"注意：县市区自查所用的模板附带的政策参数与市里现行的不同（{'；'.join(differences)}），"
            "自查结果可能与本次校验不同，以本次按现行参数的校验为准。")


def _keep(archive: Archive | None, data: bytes, incoming: Incoming) -> bool:
    """Keep the bytes that were read (hashed to the inbox file's SHA-256 above) in the archive; False when there
    is no archive or writing fails (the consolidation then keeps the file itself and says what went wrong)."""
    if archive is None:
        return False
    try:
        archive.keep_bytes(data, incoming.sha256, incoming.path.suffix)
    except OSError:
        return False
    return True


_WORKER: dict = {}


def _worker_init(policy: Policy, period: Period, archive: Archive | None, parent: int = 0) -> None:
    tools().processes.die_with_parent(parent)
    _WORKER.update(policy=policy, period=period, archive=archive)


def _worker_examine(incoming: Incoming) -> Examined:
    return examine(incoming, _WORKER["policy"], _WORKER["period"], _WORKER["archive"])


def _examine_all(jobs: list[Incoming], policy: Policy, period: Period, parallel: bool,
                 on_file: Progress | None, archive: Archive | None) -> Iterator[Examined]:
    """Examine files in order; with many files, in worker processes (reading and checking are CPU-bound)."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if parallel and workers > 1 and len(jobs) >= PARALLEL_FROM:
        with ProcessPoolExecutor(workers, initializer=_worker_init,
                                 initargs=(policy, period, archive, os.getpid())) as pool:
            for index, result in enumerate(pool.map(_worker_examine, jobs, chunksize=4), start=1):
                if on_file:
                    on_file(index, len(jobs), result.incoming.name)
                yield result
        return
    for index, incoming in enumerate(jobs, start=1):
        if on_file:
            on_file(index, len(jobs), incoming.name)
        yield examine(incoming, policy, period, archive)


def receive(store: Store, policy: Policy, period: Period, files: list[Incoming], received_at: str,
            notes: list[InboxNote], *, parallel: bool = True, on_file: Progress | None = None,
            archive: Archive | None = None) -> list[Recorded]:
    """Record every new file in the store (or say why not); a file already known changes nothing. With
    ``archive``, each submission is kept there by the process that read it, where it can (Recorded.archived)."""
    jobs = []
    for incoming in files:
        known = store.submissions.by_hash(incoming.sha256, period)
        if known is not None:
            notes.append(InboxNote(incoming.name, IntakeOutcome.ALREADY_TAKEN,
                                   f"与 {known.received_at} 收到的“{known.file_name}”内容相同，未重复计入。"))
        elif store.submissions.by_hash(incoming.sha256) is None or named_period(incoming.name) == period:
            # new; or a file received for another period now sent again under this period's name (last
            # period's workbook, renamed): this county's submission for this period, returned (E005)
            jobs.append(incoming)
    recorded = []
    for result in _examine_all(jobs, policy, period, parallel, on_file, archive):
        incoming = result.incoming
        if result.note is not None:
            notes.append(result.note)
            continue
        if store.submissions.by_hash(incoming.sha256, period) is not None:  # the same content twice in the inbox
            notes.append(InboxNote(incoming.name, IntakeOutcome.ALREADY_TAKEN, "与收件箱中另一文件内容相同，未重复计入。"))
            continue
        submission_id = store.submissions.add(sha256=incoming.sha256, file_name=incoming.name, county=result.county,
                                             period=period, received_at=received_at, file_mtime=incoming.mtime,
                                             saved_at=result.saved_at)
        store.submissions.replace_findings(submission_id, "file", result.findings)
        store.submissions.add_rows(submission_id, result.rows)
        entries, exits = (listings_of(key, result.lists.get(key, ()), result.county, period, incoming.name,
                                      incoming.sha256) for key in LIST_KEYS)
        store.submissions.remember(Submitted(submission_id, result.county, period, incoming.name, incoming.sha256,
                                             entries, exits))
        recorded.append(Recorded(submission_id, incoming, result.county, tuple(result.findings), result.cover_note,
                                 result.archived))
        unreadable = next((f for f in result.findings if f.code == UNREADABLE), None)
        if unreadable is not None:  # received, and returned with what to do: the county is not 未报送
            notes.append(InboxNote(incoming.name, IntakeOutcome.UNREADABLE, f"{result.county} {period} 的报表，已记为收到并退回"
                                                            f"（结果文件发回县市区）：{unreadable.message}"))
            continue
        errors = sum(f.level is Level.ERROR for f in result.findings)
        notes.append(InboxNote(incoming.name, IntakeOutcome.NEW, f"{result.county} {period}，本表校验：错误 {errors} 条，"
                                                      f"提示 {len(result.findings) - errors} 条。"
                                                      + other_rules(result.other_rules)))
    return recorded


@dataclass(frozen=True)
class Placed:
    """A file put into the inbox from elsewhere (the workbench's upload): under which name, or why not."""

    name: str  # the name it has in the inbox ('' when it was not stored)
    renamed: bool  # another file already had the name it was sent with
    same_as: str  # an inbox file with the same content ('' when none): nothing was stored
    path: Path | None


def in_inbox(inbox: Path, source: Path, digest: str) -> str:
    """The inbox file (its path under the inbox) whose content is ``source``'s (SHA-256 ``digest``); "" if none."""
    size = source.stat().st_size
    for path in sorted(inbox.rglob("*")) if inbox.is_dir() else ():
        if path.is_file() and not path.name.startswith(TEMP_PREFIX) and path.stat().st_size == size \
                and tools().files.sha256_of(path) == digest:
            return path.relative_to(inbox).as_posix()
    return ""


def place_in_inbox(inbox: Path, source: Path, name: str, modified: float | None = None,
                   digest: str | None = None) -> Placed:
    """Copy ``source`` into ``inbox`` as ``name`` (already a plain file name), never over another file: a name in
    use gets “（2）”, “（3）”...; a file whose content is already in the inbox is not stored twice. The copy appears
    whole or not at all (written beside, flushed, then linked in; a link never replaces an existing name).
    ``modified`` (seconds since 1970, as the county's computer had it) is kept as the file's time, which decides
    between two files of a county when neither says when it was saved. ``digest``: the source's SHA-256 when the
    caller has it already."""
    inbox.mkdir(parents=True, exist_ok=True)
    digest = digest or tools().files.sha256_of(source)
    same = in_inbox(inbox, source, digest)
    if same:
        return Placed("", False, same, None)
    stem, suffix = Path(name).stem, Path(name).suffix
    handle, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=suffix, dir=inbox)  # skipped by scan_inbox
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out, source.open("rb") as sent:
            shutil.copyfileobj(sent, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        temp.chmod(0o644)
        if modified is not None:
            os.utime(temp, (modified, modified))
        for number in range(1, 1000):
            target = inbox / (name if number == 1 else f"{stem}（{number}）{suffix}")
            try:
                os.link(temp, target)
            except FileExistsError:
                continue
            except OSError:  # a file system without links (FAT, some network shares): the name is checked first
                if target.exists():
                    continue
                shutil.copy2(temp, target)
            return Placed(target.name, number > 1, "", target)
    finally:
        temp.unlink(missing_ok=True)
    raise OSError(f"收件箱中名为“{name}”的文件过多")
