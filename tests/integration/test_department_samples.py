"""The demo city's department data (toolkit/demo/department_samples.py): every file imports with the ordinary
commands as the departments send it, and each planted firm is where it was planted — its code valid, its figures,
dates, statuses and register membership what its kind needs, and the county samples' firms consistent."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from conftest import ROOT, new_workspace
from toolkit.cli import main
from toolkit.demo import department_samples as S
from toolkit.demo.samples import policy_and_plans
from toolkit.domain.department_data import Kind, code_problem

OFFICES = ROOT / "samples" / "部门数据"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The shipped files imported into a new workspace: the departments' data and the starting register."""
    root = new_workspace(tmp_path_factory.mktemp("samples") / "工作区")
    files = [OFFICES / name for name in (S.TAX_CSV, S.TAX_XLSX, S.REGISTRATION_XLSX, S.POWER_CSV)]
    assert main(["screen", "import", *map(str, files), "--workspace", str(root)]) == 0
    assert main(["register", "import", str(OFFICES / S.STARTING_XLSX), "--workspace", str(root)]) == 0
    from toolkit.adapters.store import Store

    store = Store.open(root / "数据库" / "guishang.sqlite")
    try:
        frames = {kind: store.screening.department_frame(kind) for kind in Kind}
        starting = {row[0] for row in store.db.execute("SELECT uscc FROM starting_register")}
        files = {f.file_name: f for f in store.screening.department_files()}
    finally:
        store.close()
    return frames, starting, files


@pytest.fixture(scope="module")
def built():
    return S.build(*policy_and_plans())


def test_the_files_are_in_the_departments_shapes_and_import_as_sent(imported):
    _, starting, files = imported
    tax_csv, tax_xlsx = files[S.TAX_CSV], files[S.TAX_XLSX]
    assert tax_csv.encoding == "GBK（GB18030）" and tax_csv.unit == "元"
    assert (tax_csv.first_month, tax_csv.last_month) == ("2021-01", "2022-06")
    assert tax_xlsx.unit == "万元" and (tax_xlsx.first_month, tax_xlsx.last_month) == ("2022-07", "2022-12")
    assert tax_xlsx.columns["销售额"] == "“申报销售额（万元）”（D 列）"  # the merged two-row header's sub-title
    assert files[S.POWER_CSV].encoding == "UTF-8"
    assert (files[S.POWER_CSV].first_month, files[S.POWER_CSV].last_month) == ("2022-01", "2022-12")
    assert 20_000 <= files[S.REGISTRATION_XLSX].rows <= 40_000
    assert 2_400 < len(starting) < 3_000
    text = (OFFICES / S.TAX_CSV).read_bytes()
    assert text.decode("gbk").splitlines()[-1].startswith("合计,")
    with pytest.raises(UnicodeDecodeError):
        text.decode("utf-8")


def test_most_firms_are_small_or_not_industrial(imported):
    tax = imported[0][Kind.TAX]
    year = (tax.filter(pl.col("month").str.starts_with("2021"))
            .group_by("code").agg(pl.col("sales_wan").cast(pl.Float64).sum().alias("sales"),
                                  pl.col("industry").first()))
    industrial = year["industry"].str.extract(r"(\d{2})", 1).cast(pl.Int32).is_between(6, 46)
    big_industrial = year.filter(industrial & (pl.col("sales") >= 2000)).height
    assert big_industrial < 0.2 * year.height and industrial.sum() < 0.5 * year.height


def _sums(tax: pl.DataFrame, code: str) -> dict[str, float]:
    mine = tax.filter(pl.col("code") == code)
    return {m: float(v) for m, v in zip(mine["month"], mine["sales_wan"])}


def test_each_planted_firm_is_where_it_was_planted(imported, built):
    frames, starting, _ = imported
    tax, registration, power = frames[Kind.TAX], frames[Kind.REGISTRATION], frames[Kind.POWER]
    planted = S.planted_firms()
    kinds = {p.kind for p in planted}
    assert kinds == {S.QUALIFIED, S.LIKELY, S.NEW_BUILD, S.NOT_LISTED}
    assert {p.basis for p in planted if p.kind == S.QUALIFIED} == {"本年", "上年"}
    assert {f for p in planted for f in p.flags} == {S.SPIKE, S.NO_POWER, S.POWER_NO_SALES, S.NAME_DIFFERS,
                                                    S.AREA_DIFFERS}
    entered = {r["uscc"].strip().upper() for plan in policy_and_plans()[1].values() for r in plan["entries"]}
    for firm in planted:
        assert code_problem(firm.code) is None, firm
        sales = _sums(tax, firm.code)
        last = sum(v for m, v in sales.items() if m.startswith("2021"))
        half = sum(v for m, v in sales.items() if "2022-01" <= m <= S.SCREEN_MONTH)
        reg = registration.filter(pl.col("code") == firm.code).row(0, named=True)
        established = dt.date.fromisoformat(reg["established"])
        industry = tax.filter(pl.col("code") == firm.code)["industry"][0]
        division = int(next(part for part in [industry.lstrip("BCDEFA")[:2]] if part))
        active = reg["status"].startswith("存续") and tax.filter(pl.col("code") == firm.code)["status"][0] == "正常"
        out_of_register = firm.code not in starting and firm.code not in entered
        candidate_facts = 6 <= division <= 46 and active and out_of_register
        if firm.kind == S.QUALIFIED:
            assert candidate_facts and established < S.WINDOW_START, firm
            assert (half >= 2000) if firm.basis == "本年" else (last >= 2000 > half), firm
        elif firm.kind == S.LIKELY:
            assert candidate_facts and last < 2000 and half < 2000 and established < S.WINDOW_START, firm
            share = sum(v for m, v in sales.items() if "2021-01" <= m <= "2021-06") / last
            assert half / share >= 2000 or half * 2 >= 2000, firm
        elif firm.kind == S.NEW_BUILD:
            assert candidate_facts and established >= S.WINDOW_START and 0 < half < 1000, firm
        else:
            below = last < 2000 and half * 2 < 2000 and established < S.WINDOW_START
            assert not candidate_facts or below, firm
        if S.NO_POWER in firm.flags:
            accounts = power.filter(pl.col("code") == firm.code)
            months = set(accounts["month"])
            assert accounts.is_empty() or {m for m, v in sales.items() if m >= "2022" and v > 0} - months, firm
        if S.NAME_DIFFERS in firm.flags:
            assert tax.filter(pl.col("code") == firm.code)["name"][0] != reg["name"]
        if S.AREA_DIFFERS in firm.flags:
            assert firm.code[2:8] == "430223" and "天元区" in reg["authority"]
    assert {p.code for p in planted} <= {f.code for f in built[0]}


def test_the_county_samples_firms_agree_with_what_the_counties_report(imported):
    frames, starting, _ = imported
    tax, registration = frames[Kind.TAX], frames[Kind.REGISTRATION]
    plans = policy_and_plans()[1]
    for county, plan in plans.items():
        for record in plan["at_risk"]:
            assert record["uscc"] in starting
        for record in plan["entries"]:
            code = record["uscc"].strip().upper()
            assert code not in starting
            sales = _sums(tax, code)
            if record["entry_kind"] == "小升规":  # the annual batch, on last year's sales
                assert sum(v for m, v in sales.items() if m.startswith("2021")) >= 2000
            else:  # a new build reaches 2,000 万元 by its entry month
                assert sum(v for m, v in sales.items() if "2022-01" <= m <= record["entry_month"]) >= 2000
                established = registration.filter(pl.col("code") == code)["established"][0]
                assert established >= "2021-10-01"
        for record in plan["pool"]:
            sales = _sums(tax, record["uscc"])
            assert sum(v for m, v in sales.items() if m.startswith("2022")) < 2000
    assert S.sample_entry_decoy(plans)["uscc"].strip().upper() in {p.code for p in S.planted_firms()}


def test_the_screen_lists_each_planted_firm_as_planted(imported, built):
    """Against the rules as implemented (toolkit/domain/screening.py): each planted firm's kind, county and flags
    at the screen month and at the year end. The firm already reported by its county is left out of this check:
    what excludes it is the county's accepted report, which only the demo year has."""
    screening = pytest.importorskip("toolkit.domain.screening")
    from toolkit.demo.zhuzhou_policy import zhuzhou_policy
    from toolkit.domain.periods import Period
    from toolkit.services.screening import classification

    frames, starting, _ = imported
    reported = S.sample_entry_decoy(policy_and_plans()[1])["uscc"]
    for period, expected in (("2022-06", lambda p: p.kind), ("2022-12", lambda p: p.kind_at_year_end)):
        found = screening.screen(Period.parse(period), tax=frames[Kind.TAX], registration=frames[Kind.REGISTRATION],
                                 power=frames[Kind.POWER], held={code: "起始名录" for code in starting},
                                 counties=zhuzhou_policy().counties, classes=classification())
        listed = {c.code: c for c in found.candidates}
        for firm in S.planted_firms():
            if firm.code == reported:
                continue
            got = listed.get(firm.code)
            assert (got.kind if got else S.NOT_LISTED) == expected(firm), (period, firm)
            if got is not None:
                assert got.county == firm.county and len(got.flags) == len(firm.flags), (period, firm, got.flags)
