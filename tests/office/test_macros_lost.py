"""A macro edition (.xlsm) round-tripped through .ods loses its whole VBA project (#17): the check says the
buttons will not work (W136, for information) and reads the data all the same."""

from __future__ import annotations

import zipfile

from toolkit.domain.periods import Period
from toolkit.services.checking import check_file
from toolkit.services.templates import make_templates


def test_an_xlsm_that_lost_its_macros_is_told_and_still_checked(tmp_path, policy, soffice):
    made = make_templates(policy, Period(2022, 6), [policy.find_county("天元区")], tmp_path, macros=True)
    (xlsm,) = [p for p in made if p.suffix == ".xlsm"]
    ods_dir, back_dir = tmp_path / "ods", tmp_path / "xlsm"
    ods_dir.mkdir(), back_dir.mkdir()
    assert soffice(xlsm, "ods", ods_dir).returncode == 0
    assert soffice(ods_dir / (xlsm.stem + ".ods"), "xlsm", back_dir).returncode == 0
    back = back_dir / xlsm.name
    assert "xl/vbaProject.bin" not in zipfile.ZipFile(back).namelist()  # LibreOffice dropped the project
    check = check_file(back, policy)
    (lost,) = [f for f in check.findings if f.code == "W136"]
    assert "按钮不能再用" in lost.message and not lost.blocking
    original = check_file(xlsm, policy)
    assert not [f for f in original.findings if f.code == "W136"]  # the original has its macros
    # the data is read and checked as before (an empty template: the cover's required fields are missing)
    assert [(f.code, f.cell) for f in check.findings if f.code != "W136"] == [(f.code, f.cell) for f in original.findings]
    assert check.verdict == original.verdict
