"""lint-doc checks what the eye sees on the rendered pages (#19): each check finds its defect in a document
made to have it, and a document as the builder makes it passes them all. Rendered by LibreOffice with the
product's own font configuration, as `guishang lint-doc` does."""

from __future__ import annotations

import pytest
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

from toolkit.adapters.gbt9704_docx import OfficialDocument, TYPE_WIDTH, _page_number, finish, imprint_spacer_pt
from toolkit.adapters.imprint_layout import AFTER_BLANK, OWN_PAGE, SAME_PAGE, arrange, place_imprint
from toolkit.services.doc_check import check_document

TITLE = "关于表扬2022年1—6月新增规模以上工业企业工作成效明显县市区的通报"


@pytest.fixture(autouse=True)
def _office(soffice):
    """Skips without LibreOffice (fails under REQUIRE_OFFICE=1, as in CI)."""


def _messages(path) -> list[str]:
    check = check_document(path)
    assert check.rendered
    return [f"{p.where}：{p.message}" for p in check.problems]


def _head(doc: OfficialDocument, title: str = TITLE) -> None:
    doc.mark("株洲市工业和信息化局文件")
    doc.number("株工信发〔2022〕1号")
    doc.title(title)
    doc.recipients("各县市区工业和信息化主管部门")


def _lines(doc: OfficialDocument, count: int, start: int = 1) -> None:
    for n in range(start, start + count):
        doc.paragraph(f"正文第{n}行。")


def test_a_document_as_the_builder_makes_it_passes(tmp_path):
    doc = OfficialDocument()
    _head(doc)
    doc.paragraph("一、总体情况", heading=1)
    doc.paragraph("全市新增规模以上工业企业工作情况如下。")
    doc.grid(["序号", "县市区", "代码", "金额（元）"], [["1", "株洲经开区", "91430202MA49A168EF", "1,250,000"]],
             [20, 40, 60, 36])
    doc.closing("特此通报。")
    doc.signature("株洲市工业和信息化局", "2022年7月15日")
    doc.imprint("抄送：市委办公室，市人大常委会办公室，市人民政府办公室，市政协办公室，市统计局。", "株洲市工业和信息化局办公室",
                "2022年7月15日印发")
    finish(doc.doc)
    path = doc.save(tmp_path / "good.docx")
    assert place_imprint(path) == SAME_PAGE  # the text ends on page 2 with room under it
    assert _messages(path) == []


def test_a_title_a_rule_and_a_table_cell_broken_as_the_eye_sees_them(tmp_path):
    doc = OfficialDocument()
    _head(doc)  # no finish(): the title is left for LibreOffice to break where it likes
    number = next(p for p in doc.doc.paragraphs if "株工信发" in p.text)
    number.paragraph_format.left_indent = number.paragraph_format.right_indent = Pt(16)  # the red rule indented
    doc.grid(["序号", "代码"], [["1", "91430202MA49A168EF"]], [20, 25])  # too narrow for the code
    messages = _messages(doc.save(tmp_path / "broken.docx"))
    assert any(m.startswith("标题：") and "回行处在词的中间" in m for m in messages), messages
    assert any("红色分隔线长 145 毫米，应为 156 毫米" in m for m in messages), messages
    assert any("“91430202MA49A168EF”在表格中被折成两行" in m for m in messages), messages


def test_a_title_set_as_an_hourglass(tmp_path):
    doc = OfficialDocument()
    _head(doc, "关于表扬2022年1—9月新增规模以上工业企业工作成效明显县市区的通报")
    doc.paragraph("正文。")
    finish(doc.doc)
    assert _messages(doc.save(tmp_path / "diamond.docx")) == []  # 关于表扬2022年1—9月／…工作／成效明显…: a diamond
    title = next(p for p in doc.doc.paragraphs if p.text.startswith("关于表扬"))
    title.runs[0].text = "关于表扬2022年1—9月\n新增规模以上工业企业\n工作成效明显县市区的通报"  # long–short–long
    messages = _messages(doc.save(tmp_path / "hourglass.docx"))
    assert any(m.startswith("标题：") and "沙漏形" in m for m in messages), messages


def test_a_heading_last_on_a_page_and_a_signature_alone(tmp_path):
    doc = OfficialDocument()
    _lines(doc, 21)
    heading = doc.paragraph("一、总体情况", heading=1)
    heading.paragraph_format.keep_with_next = False
    _lines(doc, 22, start=22)  # fills the second page to its last line
    doc.signature("株洲市工业和信息化局", "2022年7月15日")
    for paragraph in doc.doc.paragraphs[-5:-2]:  # the last line of text and the blank line let go
        paragraph.paragraph_format.keep_with_next = False
    messages = _messages(doc.save(tmp_path / "stranded.docx"))
    assert "第1页：标题“一、总体情况”在页面最后一行，与正文分在两页。请在 Word 的“段落—换行和分页”中勾选“与下段同页”。" in messages
    assert any(m.startswith("第3页：署名和成文日期单独在一页上") for m in messages), messages


def test_a_note_alone_on_a_page(tmp_path):
    doc = OfficialDocument()
    _lines(doc, 19)
    doc.signature("株洲市工业和信息化局", "2022年7月15日")  # lines 20-22: the page is full
    doc.note("（此件主动公开）")
    doc.doc.paragraphs[-2].paragraph_format.keep_with_next = False  # the date let go of its note
    messages = _messages(doc.save(tmp_path / "note.docx"))
    assert any(m.startswith("第2页：附注“（此件主动公开）”单独在一页上") for m in messages), messages


def test_an_imprint_narrower_than_the_type_area_and_above_its_bottom(tmp_path):
    doc = OfficialDocument()
    _lines(doc, 3)
    doc.imprint("抄送：市统计局。", "株洲市工业和信息化局办公室", "2022年7月15日印发")
    table = doc.doc.tables[-1]
    narrow = TYPE_WIDTH - round(10 * 56.7)
    table._tbl.tblGrid.find(qn("w:gridCol")).set(qn("w:w"), str(narrow))
    table._tbl.tblPr.find(qn("w:tblW")).set(qn("w:w"), str(narrow))
    for row in table.rows:
        row.cells[0].width = Twips(narrow)
    spacer = table._tbl.getprevious()
    spacer.get_or_add_pPr().get_or_add_spacing().set(qn("w:line"), str(400 * 20))  # not down to the bottom
    messages = _messages(doc.save(tmp_path / "imprint.docx"))
    assert any("版记分隔线长 146 毫米，应与版心等宽（156 毫米）" in m for m in messages), messages
    assert any("版记最后一条分隔线高于版心下边缘" in m for m in messages), messages


def test_an_attachment_that_does_not_start_a_page(tmp_path):
    doc = OfficialDocument()
    _lines(doc, 2)
    doc.paragraph("附件", heading=1, indent=False)
    doc.paragraph("名单")
    messages = _messages(doc.save(tmp_path / "attachment.docx"))
    assert any("“附件”没有另起一页" in m for m in messages), messages


def test_an_amount_split_across_two_lines(tmp_path):
    """#36: the capitals of a sum broken after 玖佰 (no finish(): nothing keeps the amount together)."""
    doc = OfficialDocument()
    doc.paragraph("根据方案，经县市区申报、统计部门确认、税务部门核实，2022年度奖励资金拟兑现218家（次）、905万元"
                  "（人民币玖佰零伍万元整），均为新入规企业首期奖励。")
    messages = _messages(doc.save(tmp_path / "amount.docx"))
    assert "第1页：金额“人民币玖佰零伍万元整”被折成两行（“人民币玖佰／零伍万元整”）。金额及其大写应在同一行：" \
           "请用本工具重新生成，或调整措辞。" in messages, messages
    finish(doc.doc)  # the word joiners keep it whole
    assert not any("被折成两行" in m for m in _messages(doc.save(tmp_path / "kept.docx")))


def test_a_table_cell_with_one_character_alone_on_its_last_line(tmp_path):
    """#36: a name one character too long for its column (“…有限公／司”) and a header too narrow (“序／号”)."""
    doc = OfficialDocument()
    doc.paragraph("名单如下：")
    doc.grid(["序号", "企业名称"], [["1", "株洲天易鑫盛金属表面处理股份有限公司"]], [6, 66], size_pt=10.5)
    messages = _messages(doc.save(tmp_path / "lone.docx"))
    assert any(m.startswith("第1页：表格中第1页“序号”（末行只剩“号”）、第1页“株洲天易鑫盛金属表面处理股份有限公司”"
                            "（末行只剩“司”）回行后末行只剩一个字。") for m in messages), messages
    finish(doc.doc)  # fitted: the header whole; the name, too long for what is left, wraps with two on its last line
    assert not any("末行只剩" in m for m in _messages(doc.save(tmp_path / "fitted.docx")))


def _imprint(doc: OfficialDocument) -> None:
    doc.imprint("抄送：市统计局。", "株洲市工业和信息化局办公室", "2022年7月15日印发")
    finish(doc.doc)


def test_an_imprint_on_an_odd_page_or_before_more_text(tmp_path):
    doc = OfficialDocument()
    _lines(doc, 30)  # the text ends on page 2
    _imprint(doc)
    arrange(doc.doc, OWN_PAGE, imprint_spacer_pt(1))  # the 版记 alone on page 3
    messages = _messages(doc.save(tmp_path / "odd.docx"))
    assert any(m.startswith("第3页：版记在单页上。") for m in messages), messages
    later = doc.doc.add_paragraph("正文。")
    later.paragraph_format.page_break_before = True
    messages = _messages(doc.save(tmp_path / "not_last.docx"))
    assert any(m.startswith("第3页：版记不在最后一页（共 4 页）") for m in messages), messages


def test_pages_numbered_where_they_must_not_be_and_not_where_they_must(tmp_path):
    doc = OfficialDocument()
    _lines(doc, 30)  # the text ends on page 2
    _imprint(doc)
    arrange(doc.doc, AFTER_BLANK, imprint_spacer_pt(1))
    messages = _messages(doc.save(tmp_path / "after_blank.docx"))
    assert not any("页码" in m or "版记" in m for m in messages), messages  # blank page 3, 版记 page 4: unnumbered
    doc = OfficialDocument()
    _lines(doc, 10)  # the text ends on page 1: the 版记 page follows with no blank page, and needs its number
    _imprint(doc)
    messages = _messages(doc.save(tmp_path / "unnumbered.docx"))  # as built: page 2 alone, without a number
    assert any(m.startswith("第2页：没有页码。") for m in messages), messages
    doc = OfficialDocument()
    _lines(doc, 30)
    _imprint(doc)
    arrange(doc.doc, AFTER_BLANK, imprint_spacer_pt(1))
    section = doc.doc.sections[-1]
    for footer, align in ((section.footer, 2), (section.even_page_footer, 0)):
        _page_number(footer, align)  # numbers on the blank page and on the 版记 page after it
    messages = _messages(doc.save(tmp_path / "numbered_blank.docx"))
    assert any(m.startswith("第3页：空白页编排了页码“—3—”。") for m in messages), messages
    assert any(m.startswith("第4页：空白页之后的版记页编排了页码“—4—”。") for m in messages), messages


def _landscape(doc: OfficialDocument) -> None:
    _lines(doc, 3)
    doc.landscape_attachment("附件", "名单")
    _lines(doc, 3, start=4)


def test_a_landscape_page_numbered_at_its_own_foot_or_out_of_place(tmp_path):
    doc = OfficialDocument()
    _landscape(doc)
    assert not any("页码" in m for m in _messages(doc.save(tmp_path / "turned.docx")))  # turned with the sheet
    table = doc.doc.sections[-1].even_page_footer._element.find(qn("w:tbl"))
    table.find(".//" + qn("w:tblpPr")).set(qn("w:tblpY"), "3000")  # 70 mm down the page's left edge
    messages = _messages(doc.save(tmp_path / "misplaced.docx"))
    assert any(m.startswith("第2页：横排页的页码“—2—”位置与其他页不一致。") for m in messages), messages
    doc = OfficialDocument()
    _landscape(doc)
    section = doc.doc.sections[-1]
    section.footer.is_linked_to_previous = section.even_page_footer.is_linked_to_previous = True  # the old way
    messages = _messages(doc.save(tmp_path / "flat.docx"))
    assert any(m.startswith("第2页：横排页的页码“—2—”排在横排页面的下边。") for m in messages), messages
