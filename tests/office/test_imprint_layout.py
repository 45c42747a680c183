"""The 版记 at the foot of the last page, an even one (GB/T 9704 7.4, 7.5; issue #36): placed from the pages as
LibreOffice sets them. Three texts, ending on page 1, on page 2 with room, and on a full page 2, give the three
layouts, each checked on its rendered pages by lint-doc; without LibreOffice the builder's layout is kept."""

from __future__ import annotations

import pytest

from toolkit.adapters import imprint_layout
from toolkit.adapters.gbt9704_docx import OfficialDocument, finish
from toolkit.adapters.imprint_layout import AFTER_BLANK, OWN_PAGE, SAME_PAGE, Measure, choose, place_imprint
from toolkit.adapters.office_pdf import to_pdf
from toolkit.adapters.rendered_lint import check_rendered, imprint_page, read_pdf


def _document(tmp_path, lines: int):
    doc = OfficialDocument()
    for n in range(1, lines + 1):
        doc.paragraph(f"正文第{n}行。")
    doc.imprint("抄送：市委办公室，市人大常委会办公室，市人民政府办公室，市政协办公室，市统计局。",
                "株洲市工业和信息化局办公室", "2022年7月15日印发")
    finish(doc.doc)
    return doc.save(tmp_path / f"text{lines}.docx")


def _numbers(pages) -> list[str]:
    """Each page's number as printed, "" for none."""
    return [next((line.text for line in page if line.text.startswith("—")), "") for page in pages.lines]


@pytest.mark.parametrize("lines, layout, numbers", [
    (10, OWN_PAGE, ["—1—", "—2—"]),  # ends on page 1: the 版记 alone on page 2, numbered
    (30, SAME_PAGE, ["—1—", "—2—"]),  # ends on page 2 with room: under the text
    (42, AFTER_BLANK, ["—1—", "—2—", "", ""]),  # page 2 full: a blank page, then the 版记; neither numbered
])
def test_the_imprint_goes_where_the_text_ends(tmp_path, soffice, lines, layout, numbers):
    path = _document(tmp_path, lines)
    assert place_imprint(path) == layout
    pdf = to_pdf(path, tmp_path / "placed.pdf")
    pages = read_pdf(pdf)
    assert _numbers(pages) == numbers
    assert imprint_page(pages) == len(numbers)
    found = [f"{p.where}：{p.message}" for p in check_rendered(path, pdf)]
    assert found == []


def test_without_libreoffice_the_builders_layout_stays(tmp_path, monkeypatch):
    path = _document(tmp_path, 10)
    before = path.read_bytes()
    monkeypatch.setattr(imprint_layout, "soffice", lambda: None)
    assert place_imprint(path) == ""
    assert path.read_bytes() == before


def _seen(text_page: int, bottom: float, landscape: bool = False) -> Measure:
    return Measure(text_page + 1, text_page, bottom, landscape, text_page + 1, 651.8, 740.4)


def test_the_layout_follows_the_page_the_text_ends_on():
    assert choose(_seen(1, 300))[0] == OWN_PAGE
    assert choose(_seen(3, 700))[0] == OWN_PAGE
    layout, spacer = choose(_seen(2, 446))
    assert layout == SAME_PAGE and spacer == pytest.approx(197.6, abs=1)
    assert choose(_seen(2, 648.6))[0] == AFTER_BLANK  # 33 mm left under the text: too little for 31 mm and a gap
    assert choose(_seen(2, 300, landscape=True))[0] == AFTER_BLANK  # never under a landscape table
