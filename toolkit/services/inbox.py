"""Use case: take a county's workbook into the inbox from elsewhere (the workbench's drag and drop) and check it at
once, so that the clerk sees its findings before consolidating. The file is stored whole, never over another file,
never twice; the store is not touched (consolidation records it, as it would a file saved into the folder)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.domain.file_check import FileCheck
from toolkit.domain.submissions import Submission, named_period
from toolkit.ports.tools import tools
from toolkit.services.checking import Budget, DueRule, check_and_write, current_day
from toolkit.services.intake import OTHER_SPREADSHEETS, WORKBOOK_SUFFIXES, Placed, in_inbox, place_in_inbox

# what may be put in the inbox: workbooks, and the other spreadsheet files counties send by mistake (received and
# returned with what to do, as when saved into the folder)
INBOX_SUFFIXES = WORKBOOK_SUFFIXES + OTHER_SPREADSHEETS
from toolkit.services.workspace import Workspace


@dataclass(frozen=True)
class Taken:
    sent_as: str  # the name it was sent with
    placed: Placed
    check: FileCheck | None  # None when it was not stored (its content is already in the inbox)
    received: Submission | None  # its content was already received by a consolidation (when, as which file)
    results: Path | None = None  # what to send back at once, when something was found and a folder was given
    marked: Path | None = None


def take_into_inbox(workspace: Workspace, source: Path, name: str, modified: float | None = None, *,
                    budget: Budget | None = None, results_in: Path | None = None) -> Taken:
    """Check ``source`` on its own (its own period: the one its name or cover gives; the checks against other
    counties and the register wait for consolidation), then store it in the inbox as ``name``. With ``budget``
    the check runs within it and a file it had to stop is not stored (``UserError``: the clerk asks the county
    for a sound file). With ``results_in``, the results workbook and marked copy are written there when
    something was found."""
    digest = tools().files.sha256_of(source)
    store = workspace.open_store()
    try:
        received = store.submissions.by_hash(digest)
    finally:
        store.close()
    same = in_inbox(workspace.inbox, source, digest)
    if same:
        return Taken(name, Placed("", False, same, None), None, received)
    # the one rule (domain.period_due), the file's name as the period named: what the county says it sent
    due = DueRule(current_day(), named_period(name))
    done = check_and_write(source, workspace.policy(), due, results_in, budget=budget, only_with_findings=True,
                           for_city=True)
    placed = place_in_inbox(workspace.inbox, source, name, modified, digest)
    if placed.path is None:  # the same content placed meanwhile
        return Taken(name, placed, None, received)
    return Taken(name, placed, done.check.moved_to(placed.path), received, done.results, done.marked)
