"""Properties: whatever a clerk types, the checker does not crash and every finding points at a real cell."""

import datetime as dt

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import entry, examples, layout_sheets, new_workspace, valid_uscc
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


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
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


@settings(max_examples=examples(60), deadline=None)
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


# --- real workbooks: written as a county would send them, read and checked from the file
file_values = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=25),
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXYabc ０１２３－-", min_size=15, max_size=20),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.integers(min_value=-10**9, max_value=10**12),
    st.booleans(),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.sampled_from(["2022-03", "2022年13月", "小升规", "新建投产", "是", "否", "3311", "0610", "=SUM(A1)", "+1", "@x"]),
)


def file_rows_for(spec):
    return st.lists(st.fixed_dictionaries({c.key: file_values for c in spec.columns}), max_size=4)


@settings(max_examples=examples(40), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(entries=file_rows_for(S.ENTRIES), exits=file_rows_for(S.EXITS), pool=file_rows_for(S.POOL),
       ledger=file_rows_for(S.LEDGER), phone=file_values)
def test_checker_on_real_workbooks_never_crashes(policy, tmp_path_factory, entries, exits, pool, ledger, phone):
    """Valid and invalid values in every column, through a real .xlsx: the check reads the file, never
    fails, and every finding points at a cell that exists in the sheet as read."""
    from county_files import write_report
    from toolkit.adapters.workbook_file import read_workbook
    from toolkit.services.checking import check_file

    folder = tmp_path_factory.mktemp("prop")
    path = write_report(folder, policy, "天元区", "2022-06", [entry(), *entries], exits,
                        more={"pool": pool, "ledger": ledger})
    check = check_file(path, policy)
    assert not check.unreadable and check.report.county == "天元区"
    sheets = read_workbook(path).sheets
    for finding in check.findings:
        assert finding.code in KINDS and finding.message and finding.file == path.name
        if not finding.cell:
            continue  # a finding about the workbook or a sheet as a whole
        rows = sheets[finding.sheet]
        assert 1 <= finding.row <= len(rows)
        width = len(rows[finding.row - 1])
        assert any(cell_address(finding.row, c) == finding.cell for c in range(width)), finding


# --- consolidation: the figures are what the counties sent, however many times it is imported
def county_reports(policy):
    counties = st.lists(st.sampled_from(policy.county_names), min_size=1, max_size=4, unique=True)
    sizes = st.tuples(st.integers(0, 5), st.integers(0, 3), st.lists(st.sampled_from(
        ["新建投产", "小升规", "其他"]), min_size=5, max_size=5), st.lists(st.integers(1, 6), min_size=5, max_size=5))
    return counties.flatmap(lambda names: st.fixed_dictionaries({name: sizes for name in names}))


@settings(max_examples=examples(15), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_consolidation_invariants(policy, tmp_path_factory, data):
    from county_files import entry as firm_entry
    from county_files import exit_row, firm, write_report
    from toolkit.domain import report_schema as schema
    from toolkit.domain.periods import Period
    from toolkit.services.consolidation import consolidate
    from toolkit.services.workspace import Workspace

    reports = data.draw(county_reports(policy))
    root = new_workspace(tmp_path_factory.mktemp("ws") / "工作区")
    sent = {}
    for county, (n_new, n_exits, kinds, months) in reports.items():
        kinds = [k if k in schema.ENTRY_KINDS else schema.ENTRY_KINDS[-1] for k in kinds]
        entries = [firm_entry(firm(policy, county, i + 1), f"2022-{months[i]:02d}", kind=kinds[i]) for i in range(n_new)]
        exits = [exit_row(firm(policy, county, 100 + i), f"2022-{months[i]:02d}") for i in range(n_exits)]
        write_report(root / "收件箱", policy, county, "2022-06", entries, exits)
        sent[county] = (n_new, n_exits)

    workspace, period = Workspace.at(root), Period(2022, 6)
    first = consolidate(workspace, period, write=False, parallel=False).summary
    again = consolidate(workspace, period, write=False, parallel=False).summary
    assert again == first  # importing the same files twice is importing them once
    accepted = [f for f in first.counties if f.has_figures]
    for figures in first.counties:
        assert figures.target == policy.new_target(figures.county, 2022)
        if not figures.has_figures:
            assert figures.county not in sent or figures.status != "已受理"
            continue
        assert figures.net == figures.new - figures.exits
        if figures.target:
            assert figures.completion == pytest.approx(figures.new / figures.target)
        if figures.status == "已受理":
            assert (figures.new, figures.exits) == sent[figures.county]  # every row sent is counted, once
            assert sum(figures.new_by_kind.values()) == figures.new
    assert first.city.new == sum(f.new for f in accepted)
    assert first.city.exits == sum(f.exits for f in accepted)
    assert first.city.net == first.city.new - first.city.exits
