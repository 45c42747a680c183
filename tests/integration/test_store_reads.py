"""The store's bulk reads (one query per 500 submissions, rows as plain tuples) give what the reads of one
submission give, in the same order: findings (also held to the table read directly), and the entry and exit lists
the register sees; and rows are encoded as the standard JSON encoder would."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLE_REPORTS, examples, new_workspace
from toolkit.adapters.store import rows as store_module
from toolkit.domain.periods import Period
from toolkit.services.consolidation import consolidate
from toolkit.services.workspace import Workspace



def _workspace(tmp_path: Path) -> Workspace:
    root = new_workspace(tmp_path / "工作区")
    workspace = Workspace(root)
    for folder in ("2022-03", "2022-06"):
        for path in (SAMPLE_REPORTS / folder).glob("*.xlsx"):
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
        subs = store.submissions.all()
        assert len(subs) >= 19 and any(s.status == "rejected" for s in subs)
        named, plain = store.submissions.findings_of(subs), store.submissions.findings_of(subs, named=False)
        for origin in ("file", "cross"):
            by_origin = store.submissions.findings_of(subs, origin=origin, named=False)
            for sub in subs:
                assert by_origin[sub.id] == store.submissions.findings(sub.id, origin=origin)
                assert _fields(by_origin[sub.id]) == _as_stored(store, sub.id, origin)
        assert sum(len(v) for v in named.values()) > 20
        for sub in subs:
            assert named[sub.id] == store.submissions.findings(sub.id, file=sub.file_name)
            assert plain[sub.id] == store.submissions.findings(sub.id)
            assert _fields(plain[sub.id]) == _as_stored(store, sub.id)
            assert {f.file for f in named[sub.id]} <= {sub.file_name}
        bulk = {s.submission_id: s for s in store.submissions.accepted()}
    finally:
        store.close()
    for sub in subs:  # a fresh store per submission: its lists read on their own
        if sub.id not in bulk:
            continue
        single = workspace.open_store()
        try:
            alone = single.submissions.submitted(sub)
        finally:
            single.close()
        assert alone == bulk[sub.id]
        for one, other in zip(alone.entries + alone.exits, bulk[sub.id].entries + bulk[sub.id].exits, strict=True):
            assert one == other and one.values == other.values  # (values are not compared by ==)


@settings(max_examples=examples(300), deadline=None)
@given(values=st.dictionaries(
    st.text(max_size=12),
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
              st.text(max_size=30), st.builds(Period, st.integers(2000, 2100), st.integers(1, 12)),
              st.dates(), st.datetimes(), st.decimals(allow_nan=False, places=2)),
    max_size=12))
def test_rows_are_encoded_as_the_standard_encoder_would(values):
    """The store's row encoder (its C encoder made once) writes each row's values exactly as json.JSONEncoder with
    the same settings, and the row reader gives them back."""
    reference = json.JSONEncoder(ensure_ascii=False, default=store_module._json_default).encode(values)
    assert store_module._ENCODE(values) == reference
    assert store_module._ENCODE(store_module._decode_row(reference)) == reference  # (NaN is not equal to itself)


def test_the_year_of_lists_read_at_once_is_each_submissions_rows(tmp_path):
    """sourced_lists (the pipeline's read of a year of returns, one query per 500 submissions) gives each
    submission's rows of each list as sourced_rows does, in the same order: over the 500-submission boundary, with
    lists left empty, rows of another list between them and ids asked in no particular order."""
    from toolkit.adapters.store import Store

    store = Store.open(tmp_path / "store.sqlite", create=True)
    keys = ("pool", "at_risk", "ledger", "projects")
    with store.transaction():
        for sid in range(1, 1203):
            store.db.execute("INSERT INTO submissions (id, sha256, file_name, county, period, received_at, file_mtime,"
                             " status) VALUES (?, ?, ?, '天元区', '2022-05', '', '', 'accepted')",
                             (sid, f"{sid:064x}", f"{sid}.xlsx"))
            rows = [(key, f"表{key}", 5 + n, f"9143{sid:06d}{n:08d}", f"企业{n}",
                     store_module._ENCODE({"revenue": sid + n / 10, "note": key}))
                    for n in range(sid % 4) for key in (*keys, "entries") if (sid + n) % 5 or key != "ledger"]
            store.submissions.add_rows(sid, rows[::-1] if sid % 2 else rows)
    try:
        ids = list(range(1202, 0, -3)) + list(range(1, 1203, 3))
        read = store.submissions.sourced_lists(ids, keys)
        assert set(read) == set(ids)
        assert sum(len(read[sid]["pool"]) for sid in ids) > 500 and any(not read[sid]["ledger"] for sid in ids)
        for sid in ids:
            for key in keys:
                assert read[sid][key] == store.submissions.sourced_rows(sid, key), (sid, key)
        assert store.submissions.sourced_lists([], keys) == {}
    finally:
        store.close()
