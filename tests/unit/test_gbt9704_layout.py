"""Layout rules finish() applies to every rendered 公文, whatever the names and titles (GB/T 9704)."""

from __future__ import annotations

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from toolkit.adapters.gbt9704_docx import OfficialDocument, finish
from toolkit.domain import gbt9704 as G


def _document(signer: str, date: str, title: str = "关于拨付奖励资金的请示") -> OfficialDocument:
    doc = OfficialDocument()
    doc.mark("株洲市工业和信息化局文件")
    doc.number("株工信发〔2022〕1号")
    doc.title(title)
    doc.recipients("各县市区")
    doc.paragraph("一、总体情况", heading=1)
    doc.paragraph("正文。")
    doc.signature(signer, date)
    finish(doc.doc)
    return doc


def _indent_chars(paragraph) -> float:
    return paragraph.paragraph_format.right_indent.pt / G.BODY_PT


@pytest.mark.parametrize("signer, date, issuer_indent", [
    ("株洲市工业和信息化局", "2022年7月15日", 2.25),  # 10 characters centred over 6.5: 4 + (6.5 − 10) / 2
    ("株洲市打造“三个高地”建设指挥部", "2022年7月15日", 0.0),  # longer than it can centre: flush with the margin
    ("市工信局", "2022年7月15日", 5.25),
])
def test_the_issuer_is_centred_above_a_date_four_characters_in(signer, date, issuer_indent):
    paragraphs = _document(signer, date).doc.paragraphs
    issuer = next(p for p in paragraphs if p.text == signer)
    dated = next(p for p in paragraphs if p.text == date)
    assert dated.alignment == issuer.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert _indent_chars(dated) == pytest.approx(4)
    expected = max(0.0, 4 + (6.5 - sum(1 if ord(c) > 0x2E7F or c in "“”" else 0.5 for c in signer)) / 2)
    assert _indent_chars(issuer) == pytest.approx(expected) and expected == pytest.approx(issuer_indent)
    assert issuer.paragraph_format.keep_with_next  # never the issuer without its date


def test_the_body_is_justified_and_a_heading_keeps_with_its_text():
    doc = _document("株洲市工业和信息化局", "2022年7月15日")
    assert doc.doc.styles["Normal"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    heading = next(p for p in doc.doc.paragraphs if p.text == "一、总体情况")
    assert heading.paragraph_format.keep_with_next


def test_a_long_title_gets_line_breaks_between_words():
    doc = _document("株洲市工业和信息化局", "2022年7月15日",
                    "关于对2022年1-6月新增规模以上工业企业未按要求报送报表县市区的通报批评")
    title = next(p for p in doc.doc.paragraphs if p.text.startswith("关于"))
    assert title.text == "关于对2022年1-6月新增规模以上工业企业\n未按要求报送报表县市区的通报批评"
