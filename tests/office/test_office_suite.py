"""Every file the tool generates in a whole year's work opens in a real office suite: LibreOffice
converts each .xlsx, .xlsm and .docx to PDF, and a conversion that fails fails the test.

(The summary's formulas are recalculated by LibreOffice and compared with Python's figures in
test_office.py.) Without LibreOffice this skips visibly; CI sets REQUIRE_OFFICE=1, so there it fails.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import openpyxl
import pytest
from rich.console import Console

from toolkit.adapters.atomic import TEMP_PREFIX
from toolkit.adapters.docx_render import render_docx
from toolkit.cli import main
from toolkit.cli.demo import SAMPLES_DIR, WORKSPACE_DIR, run_demo
from toolkit.ports.tools import tools, using

OFFICE_SUFFIXES = (".xlsx", ".xlsm", ".docx")


def _a_year_of_work(tmp_path: Path) -> list[Path]:
    """The demo's story (guishang demo, as make demo and CI's installed wheel run it), plus next year's
    pre-filled templates; returns every office file it wrote (not the samples it started from)."""
    out = tmp_path / "产出"
    assert run_demo(out, Console(file=io.StringIO()), main, pdf=False) == 0
    root = out / WORKSPACE_DIR
    assert main(["template", "--workspace", str(root), "--period", "2024-03", "--all"]) == 0  # pre-filled
    return sorted(p for p in out.rglob("*") if p.is_file() and p.suffix in OFFICE_SUFFIXES and not p.name.startswith(TEMP_PREFIX)
                  and p.parent.name != "收件箱" and "存档" not in p.parts and SAMPLES_DIR not in p.parts)


@pytest.fixture(scope="module")
def year_of_work(tmp_path_factory):
    """The story run once; also records every (template, context) the documents were rendered from."""
    rendered = []
    real = tools().documents.render_docx  # notices and reward papers render every document through the port

    def recording(template, context, target):
        rendered.append((Path(template), copy.deepcopy(context)))
        return real(template, context, target)

    with using(documents=replace(tools().documents, render_docx=recording)):
        folder = tmp_path_factory.mktemp("year")
        return folder, _a_year_of_work(folder), rendered


BATCH = 100  # files per LibreOffice call


def test_every_generated_file_opens_in_libreoffice(year_of_work, soffice):
    tmp_path, files, _ = year_of_work
    kinds = {p.suffix for p in files}
    assert kinds == set(OFFICE_SUFFIXES), kinds
    names = {p.name for p in files}
    for expected in ("市级控制台.xlsm", "市级控制台.xlsx", "政策参数.xlsx"):
        assert expected in names, expected
    assert any("汇总" in p.name for p in files) and any("校验结果" in p.name for p in files)
    assert any("标注" in p.name for p in files) and any("奖励" in str(p) for p in files)
    # one LibreOffice process per batch of distinct stems (a .xlsx and a .xlsm may share one), at most BATCH files:
    # a year of monthly returns makes 700 files, more than one soffice call converts (it stopped at 260, exit 0)
    batches: list[list[Path]] = []
    for path in files:
        batch = next((b for b in batches if len(b) < BATCH and all(p.stem != path.stem for p in b)), None)
        if batch is None:
            batches.append(batch := [])
        batch.append(path)
    failed = []
    for number, batch in enumerate(batches):
        pdf_dir = tmp_path / f"pdf{number}"
        result = soffice(batch, "pdf", pdf_dir)
        for path in batch:
            pdf = pdf_dir / f"{path.stem}.pdf"
            if result.returncode != 0 or not pdf.is_file() or pdf.stat().st_size < 1000 \
                    or not pdf.read_bytes().startswith(b"%PDF"):
                failed.append((str(path.relative_to(tmp_path)), result.returncode, result.stderr[-300:]))
    assert not failed, failed
    assert len(files) >= 40  # the whole year: templates, results, summaries, notices, rewards, workbooks


HOSTILE = '<w:fldSimple w:instr="HYPERLINK http://evil.invalid"/>{{ 7*7 }}{% if 1 %}真{% endif %}&<b>\x07\u202e'


def _poisoned(value):
    """Every string of a context with the hostile text in front: names, reasons, everything."""
    if isinstance(value, str):
        return HOSTILE + value
    if isinstance(value, dict):
        return {k: _poisoned(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_poisoned(v) for v in value)
    return value


def test_text_in_documents_is_only_ever_text(year_of_work, tmp_path):
    """Whatever a county or a clerk typed, rendered into every notice and reward document we make:
    it stays literal text (no field, no hyperlink, no template code run), and the document is valid."""
    _, _, rendered = year_of_work
    templates = {template.name for template, _ in rendered}
    assert len(templates) >= 5, templates  # the notices and the reward documents
    for number, (template, context) in enumerate(rendered):
        target = render_docx(template, _poisoned(context), tmp_path / f"{number}.docx")
        with zipfile.ZipFile(target) as archive:
            for name in archive.namelist():
                data = archive.read(name)
                # text parts only: the body, and a letter's header (its 机关名称), never a relationship or field;
                # and the file's properties, whose author is the issuing body's name (as plain, escaped text)
                text_part = re.fullmatch(r"word/(document|header\d+|footer\d+)\.xml", name) is not None
                if name == "docProps/core.xml":
                    assert b"<w:fldSimple" not in data and b"&lt;w:fldSimple" in data, template.name
                    continue
                assert b"evil.invalid" not in data or text_part, (template.name, name)
                if text_part:
                    assert not re.search(rb"<w:fldSimple[^>]*evil|<w:instrText[^>]*>[^<]*evil", data), template.name
        text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
        # the template code came through as the letters typed, so it was never run
        assert "{{ 7*7 }}" in text and "{% if 1 %}真{% endif %}" in text, template.name
        assert "<w:fldSimple" in text and "[U+0007]" in text and "[U+202E]" in text, template.name


def _smallest_print_pt(ws) -> float:
    """The size 11 pt text prints at on A4, as the sheet's page setup asks: fitted to the page width, or
    at its print scale."""
    landscape = ws.page_setup.orientation == "landscape"
    page = (297 if landscape else 210) - 25.4 * ((ws.page_margins.left or 0.7) + (ws.page_margins.right or 0.7))
    area = ws.print_area  # e.g. "'控制台'!$A$1:$C$30": only those columns print
    last = openpyxl.utils.column_index_from_string(area.split(":")[-1].split("$")[1]) if area else 10 ** 4
    # the width as set, without the 0.71 of padding a file stores (2 mm a unit on paper covers it)
    widths = [max((d.width or 9.71) - 0.71, 0) * (min(d.max or d.min, last) - d.min + 1)
              for d in ws.column_dimensions.values() if d.min and d.min <= last]
    fitted = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
    if fitted and ws.page_setup.fitToWidth in (None, 1, "1"):  # absent: the default, one page wide
        return 11 * min(1.0, page / max(sum(widths) * 2.0, 1))
    return 11 * (ws.page_setup.scale or 100) / 100


def test_every_sheet_prints_at_eight_points_or_more(year_of_work):
    """Nothing is shrunk below 8 pt to fit a page (#19): wide lists continue on the next page instead."""
    _, files, _ = year_of_work
    small = []
    for path in files:
        if path.suffix not in (".xlsx", ".xlsm"):
            continue
        book = openpyxl.load_workbook(path, keep_vba=path.suffix == ".xlsm")
        for ws in book.worksheets:
            if ws.sheet_state != "visible" or ws.max_row < 2:
                continue
            size = _smallest_print_pt(ws)
            if size < 7.95:
                small.append((path.name, ws.title, round(size, 1)))
    assert small == []
