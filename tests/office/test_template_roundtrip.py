"""A county template re-saved by LibreOffice (#17): protection, the live red/yellow checks and the stamp survive;
the dropdowns are kept for 1,000 rows beyond the last row holding data — LibreOffice 7.4 cuts a data
validation range there when it writes .xlsx (measured: a range to row 5003 on a sheet whose last data is in
row 1500 comes back as rows up to 2500). An empty template therefore keeps dropdowns on rows 4–1003, far more
than any county's list; the live checks (conditional formats) and the city's own checks are not affected."""

from __future__ import annotations

import re
import zipfile

import openpyxl

from conftest import plain_openings, valid_uscc
from county_files import entry, write_report
from toolkit.domain import report_schema as S
from toolkit.domain.periods import Period
from toolkit.services.checking import check_file
from toolkit.services.templates import make_templates


def _ranges(path, part: str, tag: str) -> list[tuple[int, int]]:
    xml = zipfile.ZipFile(path).read(part).decode()
    found = re.findall(rf'<{tag} [^>]*?sqref="([^"]+)"', xml)
    rows = []
    for sqref in found:
        for ref in sqref.split():
            numbers = [int(n) for n in re.findall(r"\d+", ref)]
            rows.append((numbers[0], numbers[-1]))
    return rows


def _first_column_unlocked(path, part: str) -> bool:
    """Whether the input column A is left unlocked by its column style (cells in it have no style of their own)."""
    archive = zipfile.ZipFile(path)
    col = re.search(r'<col [^>]*?min="1"[^>]*>|<col min="1"[^>]*>', archive.read(part).decode()).group(0)
    style = int(re.search(r'style="(\d+)"', col).group(1))
    styles = archive.read("xl/styles.xml").decode()
    xfs = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1), re.S)
    return bool(re.search(r'locked="(?:0|false)"', xfs[style]))


def _entries_part(path) -> str:
    book = openpyxl.load_workbook(path)
    return f"xl/worksheets/sheet{book.sheetnames.index('新增入规企业') + 1}.xml"


def test_a_libreoffice_resave_keeps_protection_live_checks_and_enough_dropdowns(tmp_path, policy, soffice):
    (template,) = make_templates(policy, Period(2022, 6), [policy.find_county("天元区")], tmp_path)
    filled = write_report(tmp_path, policy, "天元区", "2022-06",
                          [entry(valid_uscc(body=f"MA4L{n:05d}"), "2022-03") for n in range(43)], name="已填.xlsx")
    out = tmp_path / "另存"
    out.mkdir()
    assert soffice([template, filled], "xlsx", out).returncode == 0
    last_input_row = S.FIRST_DATA_ROW + S.TEMPLATE_ROWS - 1
    for source, last_data_row in ((template, S.FIRST_DATA_ROW - 1), (filled, S.FIRST_DATA_ROW + 42)):
        resaved = out / source.name
        part = _entries_part(resaved)
        assert all(last == last_input_row for _, last in _ranges(resaved, part, "conditionalFormatting"))
        kept = [last for _, last in _ranges(resaved, part, "dataValidation")]
        assert kept and min(kept) >= last_data_row + 1000  # LibreOffice's cut, never fewer rows than that
        sheet = openpyxl.load_workbook(resaved)["新增入规企业"]
        assert sheet.protection.sheet and _first_column_unlocked(resaved, part)  # protected, input cells open
        assert check_file(resaved, policy).verdict == check_file(source, policy).verdict  # and read the same


def test_libreoffice_parts_take_the_archive_checks_shortcut(tmp_path, policy, soffice):
    """The XML parts of a workbook LibreOffice saved open as the archive check's shortcut expects (no parser)."""
    filled = write_report(tmp_path, policy, "天元区", "2022-06", [entry(valid_uscc(body="MA4L00001"), "2022-03")],
                          name="已填.xlsx")
    out = tmp_path / "另存"
    out.mkdir()
    assert soffice([filled], "xlsx", out).returncode == 0
    assert plain_openings(out / filled.name) > 10
