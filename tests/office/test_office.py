"""A real office suite: LibreOffice opens what we write, and computes the live-check formulas."""

import csv
import shutil

import openpyxl
import pytest
from stdnum.cn import uscc as stdnum_uscc

from conftest import ROOT, new_workspace, valid_uscc
from toolkit.adapters import live_checks as LC
from toolkit.cli import main
from toolkit.domain.periods import Period
from toolkit.services.templates import make_templates

SAMPLE = ROOT / "samples" / "县区报表" / "2022-06" / "攸县_2022-06_规上工业企业报表.xlsx"


def test_template_and_outputs_open_in_libreoffice(tmp_path, policy, soffice):
    (template,) = make_templates(policy, Period(2022, 6), [policy.find_county("株洲经开区")], tmp_path)
    source = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, source)
    assert main(["check", str(source), "--mark", "--out", str(tmp_path / "out")]) == 1
    outputs = [template, ROOT / "samples" / "政策参数.xlsx", *sorted((tmp_path / "out").glob("*.xlsx"))]
    assert len(outputs) == 4
    for path in outputs:
        result = soffice(path, "pdf", tmp_path / "pdf")
        pdf = tmp_path / "pdf" / (path.stem + ".pdf")
        assert result.returncode == 0 and pdf.is_file() and pdf.stat().st_size > 1000, (path.name, result.stderr)


CASES = [
    valid_uscc(),
    valid_uscc(body="MA4L55555").lower(),
    " " + valid_uscc(body="MA4L66666"),
    valid_uscc()[:-1] + ("0" if valid_uscc()[-1] != "0" else "1"),
    valid_uscc()[:17],
    valid_uscc()[:9] + "I" + valid_uscc()[10:],
    "",
]
INDUSTRY = ["3311", "0610", "5179", "331", "abcd", ""]
DUPLICATES = ["A1", "B2", "A1", "C3", None, None]
REVENUES = [999.99, 1000, 1999.99, 2000, "1500", None]


def test_live_check_formulas_compute_in_libreoffice(tmp_path, policy, soffice):
    (template,) = make_templates(policy, Period(2022, 6), [policy.find_county("天元区")], tmp_path)
    wb = openpyxl.load_workbook(template)
    lab = wb.create_sheet("LAB", 0)
    for row, code in enumerate(CASES, start=1):
        lab.cell(row, 1).value = code
        lab.cell(row, 2).value = LC.uscc_validation(f"A{row}")
        lab.cell(row, 3).value = LC.uscc_invalid(f"A{row}")
    for row, code in enumerate(INDUSTRY, start=1):
        lab.cell(row, 4).value = code
        lab.cell(row, 5).value = LC.industry_validation(f"D{row}")
        lab.cell(row, 6).value = LC.empty_in_started_row(f"D{row}", f"$D{row}:$E{row}")
    for row, (code, revenue) in enumerate(zip(DUPLICATES, REVENUES), start=1):
        lab.cell(row, 7).value = code
        lab.cell(row, 8).value = LC.duplicate_in_column(f"G{row}", f"$G$1:$G${len(DUPLICATES)}")
        lab.cell(row, 9).value = revenue
        lab.cell(row, 10).value = LC.outside(f"I{row}", 1000, 2000)
    lab_path = tmp_path / "lab.xlsx"
    wb.save(lab_path)
    result = soffice(lab_path, 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1',
                     tmp_path / "csv")
    assert result.returncode == 0, result.stderr
    (out,) = (tmp_path / "csv").glob("*.csv")
    rows = list(csv.reader(out.open(encoding="utf-8")))
    for row, code in zip(rows, CASES):
        valid = stdnum_uscc.is_valid(code.strip().upper()) if code.strip() else None
        if valid is None:
            assert (row[1], row[2]) == ("TRUE", "FALSE"), (code, row)
        else:
            assert row[1] == ("TRUE" if valid else "FALSE"), (code, row)
            assert row[2] == ("FALSE" if valid else "TRUE"), (code, row)
    expected_industry = {"3311": "TRUE", "0610": "TRUE", "5179": "FALSE", "331": "FALSE", "abcd": "FALSE", "": "TRUE"}
    for row, code in zip(rows, INDUSTRY):
        assert row[4] == expected_industry[code], (code, row)
        assert row[5] == ("TRUE" if code == "" else "FALSE"), (code, row)  # required cell empty in a started row
    for row, code, revenue in zip(rows, DUPLICATES, REVENUES):
        assert row[7] == ("TRUE" if code == "A1" else "FALSE"), (code, row)
        outside_range = isinstance(revenue, (int, float)) and not 1000 <= revenue < 2000
        assert row[9] == ("TRUE" if outside_range else "FALSE"), (revenue, row)


def test_old_xls_saved_by_an_office_suite_is_refused_clearly(tmp_path, soffice, capsys):
    result = soffice(SAMPLE, "xls", tmp_path)
    assert result.returncode == 0, result.stderr
    (xls,) = tmp_path.glob("*.xls")
    assert main(["check", str(xls), "--out", str(tmp_path / "out")]) == 2
    assert "另存为" in capsys.readouterr().out


def test_summary_formulas_recompute_to_pythons_figures(tmp_path, soffice):
    """LibreOffice recalculates the summary's formulas on load; they must equal what Python computed."""
    from toolkit.adapters.summary_workbook import COL, FIRST_ROW
    from toolkit.services.consolidation import status
    from toolkit.services.workspace import Workspace

    root = new_workspace(tmp_path / "工作区")
    for path in (ROOT / "samples" / "县区报表" / "2022-06").glob("*.xlsx"):
        shutil.copy(path, root / "收件箱" / path.name)
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-06"]) == 1
    summary = status(Workspace.at(root), Period(2022, 6))
    (book,) = (root / "输出" / "汇总").glob("*.xlsx")
    assert soffice(book, "pdf", tmp_path / "pdf").returncode == 0
    result = soffice(book, 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1', tmp_path / "csv")
    assert result.returncode == 0, result.stderr
    (out,) = (tmp_path / "csv").glob("*.csv")
    rows = list(csv.reader(out.open(encoding="utf-8")))

    def number(text):  # percentages come out with their sign even as raw values
        if text == "":
            return None
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)

    for offset, figures in enumerate([*summary.counties, summary.city]):
        row = rows[FIRST_ROW + offset]
        assert row[COL["county"]] == (figures.county if offset < len(summary.counties) else figures.row_label)
        expected = {"new": figures.new, "exits": figures.exits, "net": figures.net, "completion": figures.completion,
                    "gap": figures.gap_points}
        if offset == len(summary.counties):  # the totals: the accepted counties against their own targets (#18)
            assert figures.row_label == "已受理合计（8/10）" and figures.reporting_target == 200
            expected.update(target=figures.reporting_target, completion=156 / 200)
        if offset < len(summary.counties):
            expected.update(rank=figures.rank, net_completion=figures.net_completion, pending=figures.pending
                            if figures.has_figures else None)
        for key, value in expected.items():
            seen = number(row[COL[key]])
            if value is None:
                assert seen is None, (figures, key, row)
            else:
                assert seen == pytest.approx(value), (row[COL["county"]], key, row)


def test_a_county_list_prints_every_row_it_holds(soffice, tmp_path):
    """#19: 醴陵市 sends 42 new firms; every one of them is on the printed pages (no fixed print area)."""
    import subprocess

    import openpyxl

    from conftest import ROOT
    from toolkit.adapters.office_pdf import to_pdf
    from toolkit.domain import report_schema as S
    source = ROOT / "samples" / "县区报表" / "2022-06" / "醴陵市_2022-06_规上工业企业报表.xlsx"
    names = [r[1] for r in openpyxl.load_workbook(source)["新增入规企业"].iter_rows(min_row=S.FIRST_DATA_ROW, values_only=True) if r[0]]
    assert len(names) > 24
    pdf = to_pdf(source, tmp_path / "printed.pdf")
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    assert [n for n in names if n not in text] == []


def test_a_document_rendered_a_moment_ago_is_not_rendered_again(tmp_path, soffice, monkeypatch):
    """Placing the 版记 renders the finished document to check it; `--pdf` then asks for the same PDF: the bytes
    of that render are reused, and a changed document is rendered afresh."""
    from toolkit.adapters import office_pdf
    from toolkit.adapters.gbt9704_docx import OfficialDocument

    doc = OfficialDocument()
    doc.paragraph("第一稿。")
    path = doc.save(tmp_path / "稿.docx")
    first = office_pdf.to_pdf(path, tmp_path / "1.pdf")
    real = office_pdf._render
    monkeypatch.setattr(office_pdf, "_render", lambda *args: pytest.fail("rendered again"))
    assert office_pdf.to_pdf(path, tmp_path / "2.pdf").read_bytes() == first.read_bytes()
    doc.paragraph("第二稿。")
    doc.save(path)
    monkeypatch.setattr(office_pdf, "_render", real)
    assert office_pdf.to_pdf(path, tmp_path / "3.pdf").read_bytes() != first.read_bytes()
