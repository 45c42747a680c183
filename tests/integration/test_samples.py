"""The shipped samples are what the generator writes, and they show what the demo promises."""

from conftest import ROOT
from toolkit.demo import samples as generate
from toolkit.services.checking import check_files

REPORTS = ROOT / "samples" / "县区报表"


OFFICES = ROOT / "samples" / "部门数据"


def test_committed_samples_are_up_to_date(tmp_path):
    written = generate.generate_into(tmp_path)
    fresh = {p.relative_to(p.parents[1]): p.read_bytes() for p in written[1:]}
    committed = {p.relative_to(p.parents[1]): p.read_bytes()
                 for p in [*REPORTS.rglob("*.xlsx"), *OFFICES.glob("*.xlsx"), *OFFICES.glob("*.csv")]}
    assert set(fresh) == set(committed)
    stale = [str(k) for k in fresh if fresh[k] != committed[k]]
    assert not stale, f"run `make samples` and commit: {stale}"
    policy_bytes = (tmp_path / "政策参数.xlsx").read_bytes()
    assert policy_bytes == (ROOT / "samples" / "政策参数.xlsx").read_bytes()
    assert policy_bytes == (ROOT / "toolkit" / "resources" / "sample_policy.xlsx").read_bytes()


def test_every_period_for_every_county(policy):
    for period in ("2022-03", "2022-06", "2022-09", "2022-12", "2023-12"):
        files = sorted((REPORTS / period).glob("*.xlsx")) + sorted((REPORTS / f"{period}补报").glob("*.xlsx"))
        assert len({f.name.split("_")[0] for f in files}) == len(policy.counties)
    assert not (REPORTS / "2022-09" / "炎陵县_2022-09_规上工业企业报表.xlsx").exists()  # sent late, after the due date


def test_only_the_two_faulty_counties_are_refused(policy, tmp_path):
    run = check_files(sorted(REPORTS.rglob("*.xlsx")), policy, tmp_path, write=False)
    refused = {(c.county, c.period) for c in run.checks if c.blocking}
    assert refused == {("茶陵县", "2022-06"), ("攸县", "2022-06")}
    assert all(not c.unreadable for c in run.checks)


def test_year_to_date_lists_grow(policy, tmp_path):
    run = check_files(sorted(REPORTS.glob("2022-*/天元区_*.xlsx")), policy, tmp_path, write=False)
    checks = sorted(run.checks, key=lambda c: c.period)
    codes = lambda c: {r.values["uscc"] for r in c.report.records("entries")}  # noqa: E731
    assert [int(c.period[5:]) for c in checks] == list(range(2, 13))  # the monthly 调度 returns between quarter ends
    assert all(codes(a) <= codes(b) for a, b in zip(checks, checks[1:]))
    march, june, september, december = (c for c in checks if int(c.period[5:]) in (3, 6, 9, 12))
    assert codes(march) < codes(june) < codes(september) < codes(december)


def test_paces_differ_between_counties(policy, tmp_path):
    run = check_files(sorted(REPORTS.glob("2022-06/*.xlsx")), policy, tmp_path, write=False)
    ratio = {c.county: len(c.report.records("entries")) / policy.new_target(c.county, 2022) for c in run.checks}
    assert max(ratio.values()) > 0.8 and min(ratio.values()) < 0.5
