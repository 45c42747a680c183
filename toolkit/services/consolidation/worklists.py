"""Use case step: each county's 培育工作清单 (worklist), written with the summary at every consolidation, for every
county with an accepted report, into 输出/工作清单/<期>/ — the folder a clerk empties into the counties' e-mails.

A worklist is written again only when what it says has changed (or its file is gone): a fingerprint of each one
written is kept in 输出/工作清单/.工作清单指纹.json (outside the period folders that are sent). A changed list never
replaces the earlier one, which may have been sent: it takes the next free name (“（2）”). Without the fingerprint
file every worklist is written again (beside the earlier ones); so a consolidation that changes one county's report
writes that county's list anew (and any other whose lists it changed, such as a firm now in two counties' pools),
not thousands."""

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
from toolkit.services.kept_outputs import KeptOutputs

WORKLIST_DIR_NAME = "工作清单"
FINGERPRINTS = ".工作清单指纹.json"


def worklist_folder(output: Path, period: Period) -> Path:
    """输出/工作清单/2022-09: one folder per period, one file per county."""
    return Path(output) / WORKLIST_DIR_NAME / str(period)


def write_worklists(output: Path, summary: PeriodSummary, now: dt.datetime) -> list[Path]:
    """The worklist of every county whose current report is accepted (one with nothing to act on too: it says
    so), written where it changed, under the next free name beside the period's earlier worklists of the county
    (never over one). Returns every current worklist, written now or before."""
    if summary.pipeline is None:
        return []
    accepted = {s.county: s.file for s in summary.statuses if s.status == ACCEPTED}
    folder = worklist_folder(output, summary.period)
    kept = KeptOutputs(folder.parent / FINGERPRINTS, str(summary.period))
    paths = []
    for w in worklists(summary.pipeline, accepted):
        stamp = generated_stamp(FileKind.WORKLIST, now, w.county, w.period)
        paths.append(kept.output(folder, w.county, worklist_name(w.county, w.period), w,
                                 lambda path, w=w, stamp=stamp: tools().workbooks.write_worklist(path, w, stamp,
                                                                                                 created=now)))
    kept.save()
    return paths
