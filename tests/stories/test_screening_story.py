"""应入尽入 on the shipped samples, as the city lives it (#38): the statistics office's 2021 register imported, the
counties' returns of 2022-03 and 2022-06 consolidated, the departments' files of the first half-year imported as
the departments sent them, the screen of 2022-06 run; then the second half-year's tax file and the screen of 2022-12.

Every planted firm of the department samples (toolkit/demo/department_samples.py) lands where it was planted — its
kind, its county, the basis of its kind and exactly its red flags — and every decoy stays off the lists. Then every
firm the screen listed is checked against the rules recomputed here, independently of the screen's code, from the
rows the store holds: nothing outside the rules is listed, nothing inside them is missed."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict

import pytest

from conftest import SAMPLE_REPORTS, SAMPLES, new_workspace
from toolkit.cli import main
from toolkit.demo import department_samples as D
from toolkit.domain.department_data import Kind
from toolkit.domain.periods import Period
from toolkit.services.screening import classification
from toolkit.services.workspace import Workspace

OFFICES = SAMPLES / "部门数据"
FLAG_WORDS = {D.SPIKE: "倍，请核实", D.NO_POWER: "有销售无用电", D.POWER_NO_SALES: "有用电无销售",
              D.NAME_DIFFERS: "不一致", D.AREA_DIFFERS: "不属于"}
INACTIVE = ("注销", "吊销", "撤销", "迁出", "非正常", "未经营", "停业", "歇业", "清算")


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """The workspace after the two screens, and each screen's candidates (read from the store)."""
    root = new_workspace(tmp_path_factory.mktemp("screening") / "工作区")
    ws = ["--workspace", str(root)]
    assert main(["register", "import", *ws, str(OFFICES / D.STARTING_XLSX)]) == 0
    for period in ("2022-03", "2022-06"):
        for source in (SAMPLE_REPORTS / period).glob("*.xlsx"):
            shutil.copy2(source, root / "收件箱" / source.name)
        main(["consolidate", *ws, "--period", period])
    for source in (SAMPLE_REPORTS / "2022-06补报").glob("*.xlsx"):  # 茶陵县's correction
        shutil.copy2(source, root / "收件箱" / source.name)
    main(["consolidate", *ws, "--period", "2022-06"])
    assert main(["screen", "import", *ws, *(str(OFFICES / name) for name in
                                            (D.TAX_CSV, D.REGISTRATION_XLSX, D.POWER_CSV))]) == 0
    assert main(["screen", "run", *ws, "--period", "2022-06"]) == 0
    assert main(["screen", "import", *ws, str(OFFICES / D.TAX_XLSX)]) == 0
    assert main(["screen", "run", *ws, "--period", "2022-12"]) == 0
    return Workspace(root)


def _screened(city, period: Period):
    store = city.open_store()
    try:
        return {f.uscc: f for f in store.screening.screened(period)}
    finally:
        store.close()


@pytest.mark.parametrize("period, year_end", [(Period(2022, 6), False), (Period(2022, 12), True)])
def test_each_planted_firm_lands_where_it_was_planted(city, period, year_end):
    listed = _screened(city, period)
    for firm in D.planted_firms():
        kind = (firm.kind_at_year_end or firm.kind) if year_end else firm.kind
        if kind in (D.NOT_LISTED, ""):
            assert firm.code not in listed, (firm.name, firm.why)
            continue
        assert firm.code in listed, (firm.name, firm.why)
        got = listed[firm.code]
        assert (got.kind, got.county) == (kind, firm.county), (firm.name, firm.why)
        if kind == D.QUALIFIED and not year_end:
            assert ("2021年全年" if firm.basis == "上年" else "2022年1—6月") in got.reason, (firm.name, got.reason)
        for flag in firm.flags:
            assert any(FLAG_WORDS[flag] in said for said in got.flags), (firm.name, flag, got.flags)
        planted_words = {FLAG_WORDS[f] for f in firm.flags}
        extra = [said for said in got.flags if not any(w in said for w in planted_words)]
        assert extra == [], (firm.name, extra)


def _recomputed(city, period: Period) -> dict[str, set[str]]:
    """The rules applied here, from the store's rows, without the screen's code: code → the kinds it qualifies for
    (达标未入规 on either basis, 新建投产窗口); the firms off the rules are absent."""
    store = city.open_store()
    try:
        tax = store.screening.department_rows(Kind.TAX)
        registration = {r[0]: r for r in store.screening.department_rows(Kind.REGISTRATION)}
        held = {r.uscc for r in store.register.rows()
                if not (r.exit_period and r.exit_period <= str(period)) and (not r.entry_period
                                                                              or r.entry_period <= str(period))}
    finally:
        store.close()
    classes = classification()
    this, last, latest = defaultdict(float), defaultdict(float), {}
    for code, _name, month, sales, industry, status, _row in tax:
        if month.startswith(f"{period.year}-") and month <= str(period):
            this[code] += float(sales)
        elif month.startswith(f"{period.year - 1}-"):
            last[code] += float(sales)
        if code not in latest or month >= latest[code][0]:
            latest[code] = (month, industry or latest.get(code, ("", ""))[1], status)
    out = {}
    for code, (_month, industry, status) in latest.items():
        found = re.search(r"(?<!\d)(\d{2})(?:\d{1,2})?(?!\d)", industry)
        if not found or classes.section_of.get(found.group(1)) not in ("B", "C", "D"):
            continue
        reg = registration.get(code)
        if code in held or any(w in status or (reg and w in reg[3]) for w in INACTIVE):
            continue
        kinds = set()
        if this[code] >= 2000 - 1e-6 or last[code] >= 2000 - 1e-6:
            kinds.add(D.QUALIFIED)
        if reg and reg[2] >= "2021-10-01" and this[code] > 0:
            kinds.add(D.NEW_BUILD)
        if kinds:
            out[code] = kinds
    return out


@pytest.mark.parametrize("period", [Period(2022, 6), Period(2022, 12)])
def test_nothing_outside_the_rules_is_listed_and_nothing_inside_them_missed(city, period):
    listed = _screened(city, period)
    expected = _recomputed(city, period)
    surely = set(expected)
    sure_listed = {code for code, f in listed.items() if f.kind != D.LIKELY}
    assert sure_listed == surely
    for code, firm in listed.items():
        if firm.kind == D.LIKELY:  # projected, not yet there: none of the sure kinds, and inside the rules
            assert code not in expected
        else:
            assert firm.kind in expected[code], (firm.name, firm.kind, expected[code])


def test_the_counties_worklists_hold_only_their_own_firms(city):
    import openpyxl

    folder = city.output / "应入尽入" / "2022-06"
    listed = _screened(city, Period(2022, 6))
    for path in folder.glob("*_应入尽入工作清单.xlsx"):
        county = path.name.split("_")[0]
        book = openpyxl.load_workbook(path, read_only=True)
        codes = {row[0] for row in book["候选企业"].iter_rows(min_row=4, values_only=True) if row[0]}
        book.close()
        assert codes == {c for c, f in listed.items() if f.county == county}, county
