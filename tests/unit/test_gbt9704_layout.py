"""Layout rules finish() applies to every rendered 公文, whatever the names and titles (GB/T 9704)."""

from __future__ import annotations

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from toolkit.adapters.gbt9704_docx import WORD_JOINER, OfficialDocument, finish
from toolkit.domain import gbt9704 as G
from docx.oxml.ns import qn


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


@pytest.mark.parametrize("signer, date, centred", [
    ("株洲市工业和信息化局", "2022年7月15日", True),  # 10 characters centred over the 6.5 of the date
    ("株洲市打造“三个高地”建设指挥部", "2022年7月15日", False),  # longer than it can centre: flush with the margin
    ("市工信局", "2022年7月15日", True),
])
def test_the_issuer_is_centred_above_a_date_four_characters_in(signer, date, centred):
    paragraphs = _document(signer, date).doc.paragraphs
    issuer = next(p for p in paragraphs if p.text == signer)
    dated = next(p for p in paragraphs if p.text.replace(WORD_JOINER, "") == date)  # a date is kept on one line
    assert dated.alignment == WD_ALIGN_PARAGRAPH.RIGHT and _indent_chars(dated) == pytest.approx(4)
    if not centred:
        assert issuer.alignment == WD_ALIGN_PARAGRAPH.RIGHT and _indent_chars(issuer) == 0
    else:  # 以成文日期为准居中: the middle of the issuer's line is the middle of the date
        assert issuer.alignment == WD_ALIGN_PARAGRAPH.CENTER
        width = 156 * 56.7 / 20 / G.BODY_PT  # the type area in characters of 三号
        left = issuer.paragraph_format.left_indent.pt / G.BODY_PT
        middle = (left + width - _indent_chars(issuer)) / 2
        assert middle == pytest.approx(width - 4 - 6.5 / 2, abs=0.01)
        name = sum(1 if ord(c) > 0x2E7F else 0.5 for c in signer)
        assert width - left - _indent_chars(issuer) >= name + 2  # room to spare: the name never wraps
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
    # “关于对2022年1-6月新增规模以上工业企业” sets 19.8 characters wide with the space around the digits: too
    # wide for one line, so three, the first two level and the last the longest (a trapezoid)
    assert title.text == "关于对2022年1-6月\n新增规模以上工业企业\n未按要求报送报表县市区的通报批评"


def test_numbers_and_codes_are_marked_latin_so_no_line_breaks_inside_them():
    doc = OfficialDocument()
    doc.paragraph("县级承担的572.4万元，分担比例50%，代码91430202MA49A168EF，电话0731-28××××××。")
    finish(doc.doc)
    runs = doc.doc.paragraphs[0].runs
    latin = [r.text for r in runs if r._r.rPr is not None and r._r.rPr.find(qn("w:lang")) is not None]
    assert [text for text in latin if text.isascii()] == ["572.4", "50%", "91430202MA49A168EF", "0731-28"]
    text = "".join(r.text for r in runs)
    assert text.replace(WORD_JOINER, "") == "县级承担的572.4万元，分担比例50%，代码91430202MA49A168EF，电话0731-28××××××。"
    assert all(r.font.name == G.BODY_FONT for r in runs)  # each piece keeps the run's fonts


def test_a_list_is_fitted_to_its_rows_within_its_width():
    doc = OfficialDocument()
    rows = [["1", "荷塘区", "株洲云龙华能工艺礼品有限责任公司", "91430202MA49A168EF", "50,000"],
            ["218", "株洲经开区", "株洲某有限公司", "91430200MA45WUFWMW", "1,250,000"]]
    doc.grid(["序号", "县市区", "企业名称", "统一社会信用代码", "本次兑现（元）"], rows, [20, 20, 60, 30, 26], size_pt=12)
    finish(doc.doc)
    table = doc.doc.tables[0]
    widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) == round(20 * 56.7) + round(20 * 56.7) + round(60 * 56.7) + round(30 * 56.7) + round(26 * 56.7)
    # the code and the amount on one line: as wide as their text at 12 pt (capitals up to an em), with margins
    assert widths[3] >= (12 * 0.5 + 2 * 1 + 4 * 0.75) * 240 + 2 * 57
    assert widths[4] >= 9 * 0.5 * 240 + 2 * 57
    # the names (the longest text) take what is left, and wrap; a short list widens every column alike
    assert widths[2] < 16 * 240 and widths[1] >= 5 * 240
    doc = OfficialDocument()
    doc.grid(["县市区", "金额"], [["荷塘区", "1"]], [60, 60], size_pt=12)
    finish(doc.doc)
    widths = [int(c.get(qn("w:w"))) for c in doc.doc.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) == 2 * round(60 * 56.7) and widths[0] > widths[1]


def test_the_last_line_of_text_keeps_with_the_signature():
    paragraphs = _document("株洲市工业和信息化局", "2022年7月15日").doc.paragraphs
    text = next(p for p in paragraphs if p.text == "正文。")
    assert text.paragraph_format.keep_with_next


def test_a_year_and_a_rank_are_kept_whole_a_document_number_may_break():
    # “2022/年” and “第/10位” were broken at line ends (#36 review); a document number kept whole stretched the
    # line before it across the measure, so it may still break at its 〔
    doc = OfficialDocument()
    doc.paragraph("2022年1—9月，渌口区居全市10个县市区第10位，经催报（株工信函〔2022〕2号）后补报。")
    finish(doc.doc)
    text = doc.doc.paragraphs[0].text
    assert f"2022{WORD_JOINER}年" in text and f"第{WORD_JOINER}10{WORD_JOINER}位" in text
    assert "株工信函〔2022〕2号" in text  # no joiner inside
    assert text.replace(WORD_JOINER, "") == "2022年1—9月，渌口区居全市10个县市区第10位，经催报（株工信函〔2022〕2号）后补报。"


def test_a_range_keeps_its_dash_between_its_ends():
    # the 调度通报's “（47—48家）” broke as “（47” / “—48家）”: a 连接号 must not start a line (GB/T 15834)
    doc = OfficialDocument()
    doc.paragraph("醴陵市预计全年新增约48家（47—48家），完成年度目标的91%—92%。")
    finish(doc.doc)
    text = doc.doc.paragraphs[0].text
    assert f"47{WORD_JOINER}—{WORD_JOINER}48" in text and f"91%{WORD_JOINER}—{WORD_JOINER}92%" in text
    assert text.replace(WORD_JOINER, "") == "醴陵市预计全年新增约48家（47—48家），完成年度目标的91%—92%。"
