"""Properties: whatever a clerk types, the checker does not crash and every finding points at a real cell."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import entry, layout_sheets, valid_uscc
from toolkit.domain import report_schema as S
from toolkit.domain.findings import KINDS, cell_address
from toolkit.services.checking import check_sheets

cell_values = st.one_of(
    st.none(),
    st.text(max_size=25),
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXYabc ０１２３－-", min_size=15, max_size=20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10**9, max_value=10**12),
    st.booleans(),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.sampled_from(["2022-03", "2022年13月", "小升规", "新建投产", "是", "否", "3311", "0610", "１２３４", "=SUM(A1)"]),
)


def rows_for(spec):
    return st.lists(st.fixed_dictionaries({c.key: cell_values for c in spec.columns}), max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=rows_for(S.ENTRIES), exits=rows_for(S.EXITS), pool=rows_for(S.POOL), at_risk=rows_for(S.AT_RISK),
       ledger=rows_for(S.LEDGER), cover_phone=cell_values, cover_date=cell_values)
def test_checker_never_crashes_and_findings_point_at_cells(policy, entries, exits, pool, at_risk, ledger, cover_phone,
                                                           cover_date):
    lists = {"entries": [entry(), *entries], "exits": exits, "pool": pool, "at_risk": at_risk, "ledger": ledger}
    sheets = layout_sheets(lists=lists, cover={"phone": cover_phone, "date": cover_date})
    report, findings = check_sheets(sheets, "p.xlsx", policy)
    assert report.county == "天元区"
    for finding in findings:
        assert finding.code in KINDS and finding.message
        rows = sheets[finding.sheet]
        assert finding.row is not None and 1 <= finding.row <= len(rows)
        col = next(c for c in range(len(rows[finding.row - 1]) + 1) if cell_address(finding.row, c) == finding.cell)
        assert col < len(rows[finding.row - 1])  # the cell exists in the sheet as read


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=8))
def test_blank_rows_never_change_the_findings(policy, gaps):
    """Blank rows inside the data move findings down but never add, drop or change one."""
    kinds = [{"revenue": -1}, {"name": None}, {"industry": "5179"}, {}]
    records = [entry(uscc=valid_uscc(body=f"MA4L0{i:04d}"), **kinds[i % len(kinds)]) for i in range(len(gaps))]
    spaced = []
    for gap, record in zip(gaps, records):
        spaced += [{}] * gap + [record]
    _, plain_findings = check_sheets(layout_sheets(lists={"entries": records}), "p.xlsx", policy)
    _, spaced_findings = check_sheets(layout_sheets(lists={"entries": spaced}), "p.xlsx", policy)
    assert sorted((f.code, f.column) for f in spaced_findings) == sorted((f.code, f.column) for f in plain_findings)
    shift = {4 + i: 4 + i + sum(gaps[: i + 1]) for i in range(len(gaps))}
    assert sorted(f.row for f in spaced_findings) == sorted(shift[f.row] for f in plain_findings)
