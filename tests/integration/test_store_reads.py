"""The store's bulk reads (one query per 500 submissions, rows as plain tuples) give what the reads of one
submission give, in the same order: findings (also held to the table read directly), and the entry and exit lists
the register sees."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT
from toolkit.cli import main
from toolkit.domain.periods import Period
from toolkit.services.consolidation import consolidate
from toolkit.services.workspace import Workspace

SAMPLES = ROOT / "samples" / "县区报表"


def _workspace(tmp_path: Path) -> Workspace:
    root = tmp_path / "工作区"
    assert main(["init", str(root)]) == 0
    workspace = Workspace(root)
    for folder in ("2022-03", "2022-06"):
        for path in (SAMPLES / folder).glob("*.xlsx"):
            shutil.copy2(path, workspace.inbox / path.name)
        consolidate(workspace, Period.parse(folder), write=False, parallel=False)
    return workspace


def _as_stored(store, submission_id: int, origin: str | None = None) -> list[tuple]:
    """A submission's findings straight from the table (a reference that shares no code with the store's reader)."""
    return [tuple(r) for r in store.db.execute(
        "SELECT code, level, message, sheet, row, column_name, cell, value, explained, advisory FROM findings "
        "WHERE submission_id = ? AND (? IS NULL OR origin = ?) ORDER BY origin DESC, rowid",
        (submission_id, origin, origin))]


def _fields(findings) -> list[tuple]:
    return [(f.code, f.level.value, f.message, f.sheet, f.row, f.column, f.cell, f.value, int(f.explained),
             int(f.advisory)) for f in findings]


def test_bulk_reads_are_the_single_reads(tmp_path):
    workspace = _workspace(tmp_path)
    store = workspace.open_store()
    try:
        subs = store.submissions()
        assert len(subs) >= 19 and any(s.status == "rejected" for s in subs)
        named, plain = store.findings_of(subs), store.findings_of(subs, named=False)
        for origin in ("file", "cross"):
            by_origin = store.findings_of(subs, origin=origin, named=False)
            for sub in subs:
                assert by_origin[sub.id] == store.findings(sub.id, origin=origin)
                assert _fields(by_origin[sub.id]) == _as_stored(store, sub.id, origin)
        assert sum(len(v) for v in named.values()) > 20
        for sub in subs:
            assert named[sub.id] == store.findings(sub.id, file=sub.file_name)
            assert plain[sub.id] == store.findings(sub.id)
            assert _fields(plain[sub.id]) == _as_stored(store, sub.id)
            assert {f.file for f in named[sub.id]} <= {sub.file_name}
        bulk = {s.submission_id: s for s in store.accepted()}
    finally:
        store.close()
    for sub in subs:  # a fresh store per submission: its lists read on their own
        if sub.id not in bulk:
            continue
        single = workspace.open_store()
        try:
            alone = single.submitted(sub)
        finally:
            single.close()
        assert alone == bulk[sub.id]
        for one, other in zip(alone.entries + alone.exits, bulk[sub.id].entries + bulk[sub.id].exits, strict=True):
            assert one == other and one.values == other.values  # (values are not compared by ==)
