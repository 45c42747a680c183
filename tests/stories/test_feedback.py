"""What a county is sent back is what it can act on (#18): its results file carries only what it can fix or
explain (what only the city can verify stays in the city's summary), and one mistyped code is one error —
the year-to-date list's “vanished” firm is the same firm under the mistyped code (W213, for the city), not a
second error in the counts the notices and the criticism use."""

from __future__ import annotations

import shutil

import openpyxl

from conftest import SAMPLE_REPORTS
from toolkit.cli import main
from toolkit.domain.findings import KINDS
from toolkit.domain.periods import Period
from toolkit.services.checking import check_file
from toolkit.services.consolidation import status
from toolkit.services.workspace import Workspace



def test_counties_are_sent_what_they_can_act_on_and_one_typo_counts_once(tmp_path, policy):
    root = tmp_path / "工作区"
    assert main(["init", str(root)]) == 0
    for period in ("2022-03", "2022-06"):
        for path in (SAMPLE_REPORTS / period).glob("*.xlsx"):
            shutil.copy(path, root / "收件箱" / path.name)
        main(["consolidate", "--workspace", str(root), "--period", period])
    summary = status(Workspace.at(root), Period(2022, 6))
    rows = {s.county: s for s in summary.statuses}
    own = check_file(SAMPLE_REPORTS / "2022-06" / "茶陵县_2022-06_规上工业企业报表.xlsx", policy)
    assert rows["茶陵县"].errors == own.errors  # the city counts what the county's own check counts
    assert "E205" not in {f.code for f in summary.findings if f.file.startswith("茶陵县")}
    for results in (root / "输出" / "校验结果").glob("*_校验结果.xlsx"):
        sheet = openpyxl.load_workbook(results, read_only=True)["问题清单"]
        codes = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True) if row[2]}
        assert codes and not [c for c in codes if KINDS[c].advisory], results.name  # nothing only the city can do
    assert any(f.code == "W204" for f in summary.findings)  # the city's items are still in its own summary
