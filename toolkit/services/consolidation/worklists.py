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
import hashlib
import json
from pathlib import Path

from toolkit import __version__
from toolkit.domain.figures import ACCEPTED
from toolkit.domain.period_summary import PeriodSummary
from toolkit.domain.periods import Period
from toolkit.domain.stamp import FileKind
from toolkit.domain.worklist import Worklist, worklist_name, worklists
from toolkit.ports.tools import tools
from toolkit.services.checking import generated_stamp

WORKLIST_DIR_NAME = "工作清单"
FINGERPRINTS = ".工作清单指纹.json"


def worklist_folder(output: Path, period: Period) -> Path:
    """输出/工作清单/2022-09: one folder per period, one file per county."""
    return Path(output) / WORKLIST_DIR_NAME / str(period)


def fingerprint(w: Worklist) -> str:
    """What the worklist says (every row, the file, the as-of date) and this tool's version; not when written."""
    return hashlib.sha256(f"{__version__}\n{w!r}".encode("utf-8")).hexdigest()


def _known(path: Path) -> dict:
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def write_worklists(output: Path, summary: PeriodSummary, now: dt.datetime) -> list[Path]:
    """The worklist of every county whose current report is accepted (one with nothing to act on too: it says
    so), written where it changed, under the next free name beside the period's earlier worklists of the county
    (never over one). Returns every current worklist, written now or before."""
    if summary.pipeline is None:
        return []
    accepted = {s.county: s.file for s in summary.statuses if s.status == ACCEPTED}
    folder = worklist_folder(output, summary.period)
    files = tools().files
    record = folder.parent / FINGERPRINTS
    known = _known(record)
    before = known.get(str(summary.period))
    before = before if isinstance(before, dict) else {}
    now_known: dict[str, list[str]] = {}
    paths = []
    for w in worklists(summary.pipeline, accepted):
        mark = fingerprint(w)
        seen = before.get(w.county)
        if isinstance(seen, list) and len(seen) == 2 and seen[0] == mark and (folder / str(seen[1])).is_file():
            path = folder / seen[1]
        else:
            stamp = generated_stamp(FileKind.WORKLIST, now, w.county, w.period)
            name = Path(worklist_name(w.county, w.period))
            # an earlier list may have been sent already (or be open in Excel): it keeps its bytes, the new one
            # takes the next free name (“（2）”), as every other output does
            path = tools().workbooks.write_worklist(files.unused_path(folder, name.stem, name.suffix), w, stamp,
                                                    created=now)
        now_known[w.county] = [mark, path.name]
        paths.append(path)
    if now_known != before:
        known[str(summary.period)] = now_known
        with files.atomic_output(record) as temp:
            temp.write_text(json.dumps(known, ensure_ascii=False, indent=1), encoding="utf-8")
    return paths
