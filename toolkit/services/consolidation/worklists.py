"""Use case step: each county's 培育工作清单 (worklist), written with the summary at every consolidation, for every
county with an accepted report, into 输出/工作清单/<期>/ — the folder a clerk empties into the counties' e-mails."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.domain.figures import ACCEPTED
from toolkit.domain.period_summary import PeriodSummary
from toolkit.domain.periods import Period
from toolkit.domain.stamp import FileKind
from toolkit.domain.worklist import worklist_name, worklists
from toolkit.ports.tools import tools
from toolkit.services.checking import generated_stamp

WORKLIST_DIR_NAME = "工作清单"


def worklist_folder(output: Path, period: Period) -> Path:
    """输出/工作清单/2022-09: one folder per period, one file per county."""
    return Path(output) / WORKLIST_DIR_NAME / str(period)


def write_worklists(output: Path, summary: PeriodSummary, now: dt.datetime) -> list[Path]:
    """Write the worklist of every county whose current report is accepted (one with nothing to act on too: it
    says so). Each run replaces the period's earlier worklist of the same county (the folder holds the latest,
    judged on the latest accepted reports); one that cannot be replaced (open in Excel) gets a numbered name."""
    if summary.pipeline is None:
        return []
    accepted = {s.county: s.file for s in summary.statuses if s.status == ACCEPTED}
    folder = worklist_folder(output, summary.period)
    files = tools().files
    written = []
    for w in worklists(summary.pipeline, accepted):
        stamp = generated_stamp(FileKind.WORKLIST, now, w.county, w.period)
        path = folder / worklist_name(w.county, w.period)
        try:
            written.append(tools().workbooks.write_worklist(path, w, stamp, created=now))
        except PermissionError:  # Windows keeps a file open in Excel from being replaced: a new name beside it
            path = files.unused_path(folder, path.stem, path.suffix)
            written.append(tools().workbooks.write_worklist(path, w, stamp, created=now))
    return written
