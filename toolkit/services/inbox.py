"""Use case: take a county's workbook into the inbox from elsewhere (the workbench's drag and drop) and check it at
once, so that the clerk sees its findings before consolidating. The file is stored whole, never over another file,
never twice; the store is not touched (consolidation records it, as it would a file saved into the folder)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.adapters.archive import sha256_of
from toolkit.adapters.store import SubmissionRow
from toolkit.domain.file_check import FileCheck
from toolkit.domain.submissions import named_period
from toolkit.services.checking import DueRule, check_file, current_day
from toolkit.services.intake import OTHER_SPREADSHEETS, WORKBOOK_SUFFIXES, Placed, place_in_inbox

# what may be put in the inbox: workbooks, and the other spreadsheet files counties send by mistake (received and
# returned with what to do, as when saved into the folder)
INBOX_SUFFIXES = WORKBOOK_SUFFIXES + OTHER_SPREADSHEETS
from toolkit.services.workspace import Workspace


@dataclass(frozen=True)
class Taken:
    sent_as: str  # the name it was sent with
    placed: Placed
    check: FileCheck | None  # None when it was not stored (its content is already in the inbox)
    received: SubmissionRow | None  # its content was already received by a consolidation (when, as which file)


def take_into_inbox(workspace: Workspace, source: Path, name: str, modified: float | None = None) -> Taken:
    """Store ``source`` in the inbox as ``name`` and check it on its own (its own period: the one its name or
    cover gives; the checks against other counties and the register wait for consolidation)."""
    digest = sha256_of(source)
    store = workspace.open_store()
    try:
        received = store.submission_by_hash(digest)
    finally:
        store.close()
    placed = place_in_inbox(workspace.inbox, source, name, modified, digest)
    if placed.path is None:
        return Taken(name, placed, None, received)
    # the one rule (domain.period_due), the file's name as the period named: what the county says it sent
    check = check_file(placed.path, workspace.policy(), due=DueRule(current_day(), named_period(placed.name)))
    return Taken(name, placed, check, received)
