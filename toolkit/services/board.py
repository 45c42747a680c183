"""What the workbench shows of a workspace, read only: the periods it knows, a period's board (报送情况 with the
reporting calendar's deadlines and the reminders issued), the files of its inbox, the outputs to download and the
firms waiting for the city's decision (待认定) with each county's claim and the statistics office's word.

Nothing here writes; the use cases that write (consolidate, assign, ...) live in their own services.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.domain.calendar import Reminder, ReportingPeriod, due_period, entry_for, reminders_of
from toolkit.domain.period_summary import PendingClaim, PeriodSummary, StatusRow
from toolkit.domain.periods import Period
from toolkit.domain.register import contested, effective
from toolkit.domain.policy import Policy
from toolkit.domain.register_list import ConfirmedChange
from toolkit.domain.file_names import TEMP_PREFIX
from toolkit.domain.submissions import Submission, SubmissionStatus, named_period
from toolkit.services.closing import policy_for
from toolkit.services.consolidation import RESULTS_DIR_NAME, SUMMARY_DIR_NAME, period_summary, results_name
from toolkit.services.intake import InboxNote, not_yet_taken_in, scan_inbox
from toolkit.services.notices import NOTICES_DIR_NAME
from toolkit.services.reward_documents import REWARDS_DIR_NAME
from toolkit.services.screening import SCREEN_DIR_NAME
from toolkit.services.workspace import Workspace

# the folders of 输出 whose files the workbench offers for download, by a short name used in addresses
OUTPUT_AREAS = {"summary": SUMMARY_DIR_NAME, "results": RESULTS_DIR_NAME, "notices": NOTICES_DIR_NAME,
                "rewards": REWARDS_DIR_NAME, "screening": SCREEN_DIR_NAME}


def known_periods(workspace: Workspace, policy: Policy) -> list[Period]:
    """The periods of the reporting calendar and those with files received, newest first."""
    store = workspace.open_store()
    try:
        received = {row.period for row in store.submissions.all()}
    finally:
        store.close()
    return sorted(received | {entry.period for entry in policy.calendar}, reverse=True)


def default_period(workspace: Workspace, policy: Policy, today: dt.date | None = None) -> Period | None:
    """The period due by the calendar; else the latest one with files received; else the calendar's first."""
    due = due_period(policy.calendar, today or dt.date.today())
    if due is not None:
        return due
    store = workspace.open_store()
    try:
        received = [row.period for row in store.submissions.all()]
    finally:
        store.close()
    if received:
        return max(received)
    return min((entry.period for entry in policy.calendar), default=None)


@dataclass(frozen=True)
class BoardRow:
    """One county on the period's board."""

    status: StatusRow
    pending: int  # its entries waiting for the city's decision (待认定), not counted yet
    reminded: tuple[Reminder, ...]  # reminders (催报通知) that named it, oldest first
    results_file: str  # the results workbook sent back for its current file ('' when none was written)


@dataclass
class Board:
    period: Period
    today: dt.date
    summary: PeriodSummary
    entry: ReportingPeriod | None  # the calendar's line for the period (None: the calendar has none)
    rows: list[BoardRow]
    summary_files: list[str] = field(default_factory=list)  # the period's summary workbooks, newest first
    waiting: list[str] = field(default_factory=list)  # the inbox's files of the period not yet taken in

    @property
    def nothing_taken_in(self) -> bool:
        """No file of the period consolidated yet: no figures, rates or ratings to show, only what to do."""
        return not any(s.file for s in self.summary.statuses)

    @property
    def deadline(self) -> dt.date | None:
        return self.entry.deadline if self.entry else None

    @property
    def deadline_passed(self) -> bool:
        return self.deadline is not None and self.today > self.deadline

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status.status == status)

    @property
    def pending(self) -> int:
        return len([c for c in self.summary.pending if not c.decided])


def period_board(workspace: Workspace, period: Period, today: dt.date | None = None) -> Board:
    today = today or dt.date.today()
    store = workspace.open_store()
    try:
        policy = policy_for(workspace, store, period)
        summary = period_summary(store, policy, period, today)
        reminders = store.papers.reminders(period)
        written = store.submissions.sent_back(period)
        recorded = store.submissions.all()
        sent_by_file = {row.file_name: written[row.id] for row in sorted(recorded, key=lambda r: r.id)
                        if row.period == period and row.id in written}
    finally:
        store.close()
    results = output_files(workspace, "results")
    pending = {f.county: f.pending for f in summary.counties}
    rows = []
    for status in summary.statuses:
        # the results written for this file (numbered when the name was taken); before the store kept that, the
        # file's plain results name
        sent_back = sent_by_file.get(status.file) or (results_name(status.file) if status.file else "")
        rows.append(BoardRow(status, pending.get(status.county, 0),
                             tuple(reminders_of(reminders, status.county, None)),
                             sent_back if sent_back in results else ""))
    waiting = not_yet_taken_in(workspace.inbox, period, {(r.file_name, r.file_mtime) for r in recorded})
    return Board(period, today, summary, entry_for(policy.calendar, period), rows,
                 summary_files_of(workspace, policy, period), waiting)


def output_files(workspace: Workspace, area: str, sub: str = "") -> list[str]:
    """The names of the finished files in one of ``OUTPUT_AREAS`` (in its folder ``sub``, one of the folders
    listed there: a period's notices, a reward batch); temporary files of a run never, nor a link (a symbolic
    link or a junction put there would serve whatever it points at: the store, a system file)."""
    folder = output_folder(workspace, area, sub)
    if folder is None:
        return []
    with os.scandir(folder) as entries:
        return sorted(e.name for e in entries if not e.name.startswith((TEMP_PREFIX, "~$"))
                      and e.is_file(follow_symlinks=False) and not _is_link(e.path))


def output_folders(workspace: Workspace, area: str, sub: str = "") -> list[str]:
    """The folders in an output area (or in its folder ``sub``), by name."""
    folder = output_folder(workspace, area, sub)
    if folder is None:
        return []
    with os.scandir(folder) as entries:
        return sorted(e.name for e in entries if e.is_dir(follow_symlinks=False) and not _is_link(e.path)
                      and not e.name.startswith(TEMP_PREFIX))


def output_folder(workspace: Workspace, area: str, sub: str) -> Path | None:
    """The folder ``sub`` (``a/b``) of an output area, each step looked up among the folders listed there, never
    joined blindly onto a path."""
    if area not in OUTPUT_AREAS:
        return None
    folder = workspace.output / OUTPUT_AREAS[area]
    if _is_link(folder):
        return None
    for step in [s for s in sub.split("/") if s] if sub else []:
        if not folder.is_dir() or step not in os.listdir(folder) or not (folder / step).is_dir() \
                or _is_link(folder / step) or step.startswith((".", TEMP_PREFIX)):
            return None
        folder = folder / step
    return folder if folder.is_dir() else None


def _is_link(path) -> bool:
    """A symbolic link, or on Windows a junction (a link to a folder that is_symlink does not see)."""
    path = Path(path)
    return path.is_symlink() or (hasattr(path, "is_junction") and path.is_junction())


def output_file(workspace: Workspace, area: str, name: str, sub: str = "") -> Path | None:
    """The file called ``name`` in an output area, only when it is one of the names listed there (a name from a
    browser is looked up, never joined onto a path)."""
    if name not in output_files(workspace, area, sub):
        return None
    path = output_folder(workspace, area, sub) / name
    return path if path.resolve().is_relative_to(workspace.output.resolve()) else None


def summary_files_of(workspace: Workspace, policy: Policy, period: Period) -> list[str]:
    """The period's summary workbooks, newest first (each run writes a new one, never over an annotated one)."""
    stem = f"{policy.region}规上工业企业汇总表_{period}"
    folder = workspace.output / SUMMARY_DIR_NAME
    names = [n for n in output_files(workspace, "summary") if n.startswith(stem) and n.endswith(".xlsx")]
    return sorted(names, key=lambda n: (folder / n).stat().st_mtime, reverse=True)


# --- the inbox ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class InboxFile:
    name: str
    size: int
    modified: str
    period: Period | None  # as its name says ('' when the name does not say)
    imported: Submission | None  # the first time its content was received, if ever
    state: str  # what became of that submission, in words ('' when never received)


def inbox_files(workspace: Workspace) -> tuple[list[InboxFile], list[InboxNote]]:
    """Every file of the inbox with what became of it: received (for which period, when) or waiting."""
    incoming, notes = scan_inbox(workspace.inbox) if workspace.inbox.is_dir() else ([], [])
    store = workspace.open_store()
    try:
        out = []
        for item in incoming:
            known = store.submissions.by_hash(item.sha256)
            out.append(InboxFile(item.name, item.path.stat().st_size, item.mtime, named_period(item.name), known,
                                 known.status.label if known else ""))
    finally:
        store.close()
    return sorted(out, key=lambda f: (f.imported is not None, f.name)), notes  # the files still to consolidate first


# --- firms claimed by two counties -------------------------------------------------------------------------
@dataclass(frozen=True)
class Dispute:
    claim: PendingClaim
    period: Period  # the latest period of the year with the claims
    confirmed: tuple[ConfirmedChange, ...]  # what the statistics office's confirmed lists of the year say of it
    closed: bool = False  # the period is closed: a decision now changes the rewards, not the signed figures


def disputes(workspace: Workspace, year: int) -> list[Dispute]:
    """The firms two or more counties report as new in ``year``, decided or not, each with every county's claim
    (file, sheet, row) and the statistics office's confirmed lists of the year that name it. The claims are
    those of each county's latest accepted list of the year — the lists the register and the rewards count
    (domain.register.effective) — so a firm claimed in an earlier period by a county that has not yet sent a
    later one is here, as it waits in the rewards (J101), not only a firm claimed twice in the latest period."""
    store = workspace.open_store()
    try:
        periods = sorted({r.period for r in store.submissions.all() if r.period.year == year
                          and r.status != SubmissionStatus.SUPERSEDED})
        if not periods:
            return []
        claims = contested(s for (_, y), s in effective(store.submissions.accepted()).items() if y == year)
        confirmed = [c for p in periods for c in (store.register.confirmed(p) or [])]
        # as of now: a closed period's summary keeps the decisions made by its closing
        decided = store.decisions.attributions()
        closed = periods[-1] in store.decisions.closures()
    finally:
        store.close()
    return [Dispute(PendingClaim(uscc, rows[0].name, year, tuple(rows), decided.get((uscc, year), "")), periods[-1],
                    tuple(c for c in confirmed if c.uscc == uscc and c.change == "entry"), closed)
            for uscc, rows in claims.items()]

