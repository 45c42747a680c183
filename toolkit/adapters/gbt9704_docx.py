"""Building GB/T 9704 documents with python-docx: page, grid, fonts (East Asian too), the red mark and
line, page numbers "— 1 —" odd right / even left (turned with the sheet on a landscape page), and the 版记 at
the foot of the last, even page.

Used to build the editable templates in templates/ (their text carries Jinja tags for docxtpl).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips

from toolkit.domain import gbt9704 as G
from toolkit.domain.title_lines import break_title
from toolkit.domain.title_lines import width as text_width  # in characters: CJK 1, others ½

TYPE_WIDTH = G.PAGE_WIDTH - G.MARGIN_LEFT - G.MARGIN_RIGHT  # 156 mm
CELL_MARGIN = 57  # twips (1 mm) left and right in a list's cells: Word's 1.9 mm default wastes a column a row
CELL_PADDING = 2 * CELL_MARGIN + 60  # twips: the cell margins and a little air
SEAL_DATE_INDENT_CHARS = 4  # 成文日期右空四字 (7.3.5.1)
WORD_JOINER = "\u2060"  # no break on either side (Unicode WJ), invisible; LibreOffice honours it in Latin text
# an amount and its capitals: "905万元", "1,250,000元", "人民币玖佰零伍万元整"
AMOUNT = re.compile(r"人民币[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分]+整?|\d[\d,]*(?:\.\d+)?万?元")
# what else must not break: a year from its 年 (2022/年), a rank (第/10位) and a range of counts or percents
# (47/—/48, 91%/—/92%: a 连接号 never starts a line). Longer groups (a document number, a whole date) are left
# breakable: kept whole they would stretch the line before them across the measure
UNBROKEN = re.compile(AMOUNT.pattern + r"|\d{4}年|第\d+位|\d+%?—\d+%?")


def set_fonts(rpr_owner, name: str, size_pt: float | None = None, *, bold: bool | None = None,
              color: str | None = None) -> None:
    """Fonts on a run or a style: ascii, hAnsi AND eastAsia (python-docx sets only the first two)."""
    font = rpr_owner.font
    font.name = name
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = RGBColor.from_string(color)
    rpr = rpr_owner.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def set_chinese(document) -> None:
    """The document's language is Chinese (zh-CN), as Word in a Chinese office sets it (python-docx's default
    template says en-US): proofing, and punctuation and line-breaking rules, follow Chinese."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    _set_lang(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), "zh-CN")


def _set_lang(rpr, language: str) -> None:
    """The language of text under ``rpr`` (a run's or the defaults' properties), Latin and East Asian alike."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)


def _exact(paragraph_format, pt: float = G.LINE_PT) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(pt)
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


def _off_grid(paragraph) -> None:
    """Large type (the mark, the title) must not snap to two grid lines per line."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().append(snap)


_AFTER_PBDR = tuple(qn(f"w:{name}") for name in (
    "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
    "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
    "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange"))


def _border(paragraph, side: str, eighths: int, color: str, space_pt: int = 0, style: str = "single") -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        later = next((child for child in ppr if child.tag in _AFTER_PBDR), None)
        if later is None:
            ppr.append(borders)
        else:  # in its schema place: LibreOffice ignores a border after the spacing or alignment in a header
            later.addprevious(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), style)
    line.set(qn("w:sz"), str(eighths))
    line.set(qn("w:space"), str(space_pt))
    line.set(qn("w:color"), color)
    borders.append(line)


def _field(paragraph, instruction: str, font: str, size_pt: float) -> None:
    """A Word field (PAGE): python-docx has no field API, so fldChar/instrText are built by hand."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        set_fonts(run, font, size_pt)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text


def _page_number(footer, align, size_pt: float = G.FOOTNOTE_PT) -> None:
    """"— 1 —" in the footer; at the right or left edge one character in, or centred."""
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(size_pt)
    elif align == WD_ALIGN_PARAGRAPH.LEFT:
        fmt.left_indent = Pt(size_pt)
    before, after = G.PAGE_NUMBER_TEXT.split("{}")
    set_fonts(paragraph.add_run(before), G.PAGE_NUMBER_FONT, size_pt)
    _field(paragraph, "PAGE", G.PAGE_NUMBER_FONT, size_pt)
    set_fonts(paragraph.add_run(after), G.PAGE_NUMBER_FONT, size_pt)


# the page number of a landscape page, where the portrait pages have theirs once the sheet is bound (GB/T 9704
# §8: the table's head at the binding edge of an odd page, at the cut edge of an even one, so the landscape
# page is the portrait sheet turned a quarter left): its left edge is the sheet's foot, its top the sheet's left
TURNED_NUMBER_LEFT = G.FOOTER_DISTANCE + 8  # twips from the left edge: 7 mm under the turned type area (measured)
TURNED_NUMBER_WIDTH = 480  # twips: the height of the number's line, turned


def _turned_page_number(section) -> None:
    """The odd and even page numbers of a landscape section as on the portrait pages, turned with the sheet:
    in a one-cell table floating at the page's left edge, the cell's text running top to bottom (tbRl), the
    cell as long as the portrait type area is wide, so "居右空一字" on an odd page ends one character above
    the turned type area's foot and "居左空一字" on an even page starts one character below its top.
    (A floating table rather than a text box: LibreOffice 7.4 loses a text box's position on some pages.)"""
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                      WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        anchor = footer.paragraphs[0]
        table = footer.add_table(1, 1, Twips(TURNED_NUMBER_WIDTH))
        anchor._p.addprevious(table._tbl)  # a footer ends with a paragraph
        tblpr = table._tbl.tblPr
        place = OxmlElement("w:tblpPr")
        for name, value in (("leftFromText", 0), ("rightFromText", 0), ("topFromText", 0), ("bottomFromText", 0),
                            ("vertAnchor", "page"), ("horzAnchor", "page"), ("tblpX", TURNED_NUMBER_LEFT),
                            ("tblpY", G.MARGIN_LEFT)):
            place.set(qn(f"w:{name}"), str(value))
        tblpr.insert(0, place)  # first: the table has no style
        width = tblpr.find(qn("w:tblW"))
        width.set(qn("w:w"), str(TURNED_NUMBER_WIDTH))
        width.set(qn("w:type"), "dxa")
        table.autofit = False  # a fixed layout
        _cell_margins(table, 0)
        row = table.rows[0]
        row.height = Twips(TYPE_WIDTH)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
        cell = row.cells[0]
        cell.width = Twips(TURNED_NUMBER_WIDTH)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        direction = OxmlElement("w:textDirection")
        direction.set(qn("w:val"), "tbRl")
        cell._tc.get_or_add_tcPr().insert_element_before(direction, "w:tcFitText", "w:vAlign", "w:hideMark")
        _page_number(cell, align)


def _page_setup(section, *, landscape: bool = False) -> None:
    """A4 with the standard's margins; ``landscape``: the page turned a quarter left, so the binding edge
    (订口) is at the top and the type area is 225 mm wide and 156 mm high."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Twips(G.PAGE_HEIGHT), Twips(G.PAGE_WIDTH)
        section.top_margin, section.bottom_margin = Twips(G.MARGIN_LEFT), Twips(G.MARGIN_RIGHT)
        section.left_margin, section.right_margin = Twips(G.MARGIN_TOP), Twips(G.MARGIN_BOTTOM)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Twips(G.PAGE_WIDTH), Twips(G.PAGE_HEIGHT)
        section.top_margin, section.bottom_margin = Twips(G.MARGIN_TOP), Twips(G.MARGIN_BOTTOM)
        section.left_margin, section.right_margin = Twips(G.MARGIN_LEFT), Twips(G.MARGIN_RIGHT)
    # the page number 7 mm under the type area, whichever way the page is turned
    section.footer_distance = Twips(section.bottom_margin.twips - (G.MARGIN_BOTTOM - G.FOOTER_DISTANCE))
    section.header_distance = Twips(851)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(G.LINE_PT * 20)))


def grid_table(doc, headers: list[str], rows: list, widths_mm: list[float], size_pt: float,
               bold: tuple[int, ...] = (), row_pt: float | None = None, together: bool = False):
    """A centred, fixed-width table with a 黑体 header row; a row given as text is a docxtpl row tag;
    ``together``: a short table kept on one page (each row kept with the next)."""
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for c, width in enumerate(widths_mm):
        table.columns[c].width = Twips(round(width * 56.7))
    for r, values in enumerate([headers, *rows]):
        if isinstance(values, str):
            values = [values] + [""] * (len(headers) - 1)
        strong = r == 0 or (r - 1) in bold
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = Twips(round(widths_mm[c] * 56.7))
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _off_grid(paragraph)  # table lines take their own height, not two grid lines each
            _exact(paragraph.paragraph_format, row_pt or size_pt * 1.5)
            set_fonts(paragraph.add_run(value), G.HEADING1_FONT if strong else G.BODY_FONT, size_pt)
            paragraph.paragraph_format.keep_with_next = together and r < len(rows)
    _cell_margins(table, CELL_MARGIN)
    if headers:
        _repeat_header(table.rows[0])
    for row in table.rows:
        _cant_split(row)
    return table


# the three rules' own thickness (2.75 pt), the 1 pt paragraph a document must end with after a table, and
# LibreOffice's rounding of each row: measured, the last rule then ends within 1 pt of the type area's edge
IMPRINT_SLACK_PT = 5


def imprint_spacer_pt(copy_lines: int, print_lines: int = 1) -> float:
    """The height above the 版记 that puts its last rule on the bottom edge of the type area, when the 抄送
    takes ``copy_lines`` lines and the 印发 line ``print_lines``."""
    return G.TYPE_HEIGHT_PT - (copy_lines + print_lines) * G.LINE_PT - IMPRINT_SLACK_PT


def copy_to_lines(text: str, first: int, rest: int) -> list[str]:
    """The 抄送 line broken after a comma, never inside an office's name (“市政/协办公室”): as many names as fit
    on the first line (``first`` characters), then on each next line (``rest``, after the hanging indent)."""
    names = re.findall(r"[^，,]+[，,]?", text)
    lines, current = [], ""
    for name in names:
        if current and text_width(current + name) > (rest if lines else first):
            lines.append(current)
            current = ""
        current += name
    return [*lines, current] if current else lines


def _imprint_rules(table) -> None:
    """Top and bottom rules 0.35 mm, the one between the rows 0.25 mm, no vertical rules, flush with the
    type area (no indent)."""
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side, eighths in (("top", G.IMPRINT_OUTER_EIGHTHS), ("left", 0), ("bottom", G.IMPRINT_OUTER_EIGHTHS),
                          ("right", 0), ("insideH", G.IMPRINT_INNER_EIGHTHS), ("insideV", 0)):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single" if eighths else "nil")
        if eighths:
            line.set(qn("w:sz"), str(eighths))
            line.set(qn("w:space"), "0")
            line.set(qn("w:color"), "000000")
        borders.append(line)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(TYPE_WIDTH))
    width.set(qn("w:type"), "dxa")
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), "0")
    indent.set(qn("w:type"), "dxa")
    for old in tblpr.findall(qn("w:tblW")):
        tblpr.remove(old)
    jc = tblpr.find(qn("w:jc"))
    # schema order: tblStyle, tblpPr, tblOverlap, bidiVisual, tblStyleRowBandSize, tblStyleColBandSize, tblW, jc,
    # tblCellSpacing, tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook
    if jc is not None:
        jc.addprevious(width)
        jc.addnext(indent)
    else:
        tblpr.append(width)
        tblpr.append(indent)
    indent.addnext(borders)


def _cell_margins(table, twips: int) -> None:
    """Left and right margins of every cell of ``table`` (w:tblCellMar, last in the table properties but
    for the look and caption elements)."""
    tblpr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    later = next((child for child in tblpr if child.tag in (qn("w:tblLook"), qn("w:tblCaption"),
                                                             qn("w:tblDescription"))), None)
    if later is None:
        tblpr.append(margins)
    else:
        later.addprevious(margins)


_AFTER_CANT_SPLIT = tuple(qn(f"w:{name}") for name in ("trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden"))


def _cant_split(row) -> None:
    """A row is never split across two pages (w:cantSplit, in its schema place among the row properties)."""
    trpr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    later = next((child for child in trpr if child.tag in _AFTER_CANT_SPLIT), None)
    if later is None:
        trpr.append(element)
    else:
        later.addprevious(element)


def _repeat_header(row) -> None:
    """The header row repeats on every page of a long table."""
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


class OfficialDocument:
    """A 公文 under construction; each method adds one element in the standard's order."""

    def __init__(self) -> None:
        self.doc = Document()
        set_chinese(self.doc)
        normal = self.doc.styles["Normal"]
        set_fonts(normal, G.BODY_FONT, G.BODY_PT)
        _exact(normal.paragraph_format)
        normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY  # 两端对齐: body lines end flush
        spacing = OxmlElement("w:spacing")  # character spacing: 28 characters per line in LibreOffice
        spacing.set(qn("w:val"), str(round(G.CHAR_SPACING_PT * 20)))
        normal.element.get_or_add_rPr().append(spacing)
        section = self.doc.sections[0]
        _page_setup(section)
        self.doc.settings.odd_and_even_pages_header_footer = True
        _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages
        _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    # --- the head (版头)
    def mark(self, text: str) -> None:
        """发文机关标志: centred, red, 小标宋, 35 mm below the top of the type area."""
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = paragraph.paragraph_format
        fmt.space_before = Twips(round(35 * 56.7))
        fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _off_grid(paragraph)
        set_fonts(paragraph.add_run(text), G.MARK_FONT, G.MARK_PT, color=G.RED)

    def letterhead(self, mark: str) -> None:
        """信函格式 (GB/T 9704 10.1) on the first page: the issuing authority's name (without 文件) in red 小标宋
        30 mm from the top edge, a red double rule (thick over thin) 4 mm under it and another (thin over thick)
        about 20 mm from the bottom edge, both 170 mm long and centred; no page number on the first page."""
        section = self.doc.sections[0]
        section.different_first_page_header_footer = True
        section.header_distance = Twips(round(G.LETTER_MARK_TOP_MM * 56.7))
        overhang = Twips(round((G.LETTER_RULE_MM * 56.7 - TYPE_WIDTH) / 2))
        head = section.first_page_header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        head.paragraph_format.left_indent = head.paragraph_format.right_indent = -overhang
        head.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _off_grid(head)
        set_fonts(head.add_run(mark), G.MARK_FONT, G.LETTER_MARK_PT, color=G.RED)
        _border(head, "bottom", G.LETTER_RULE_EIGHTHS, G.RED, space_pt=11, style="thickThinSmallGap")  # ≈ 4 mm
        # the lower rule 20 mm from the bottom edge: the footer sits 1.4 mm lower than in a 文件 (measured), so a
        # letter's later pages carry their page numbers 8.4 mm instead of 7 mm under the type area
        section.footer_distance = Twips(G.FOOTER_DISTANCE - 78)
        foot = section.first_page_footer.paragraphs[0]
        foot.paragraph_format.left_indent = foot.paragraph_format.right_indent = -overhang
        _off_grid(foot)
        _exact(foot.paragraph_format, 1)
        _border(foot, "bottom", G.LETTER_RULE_EIGHTHS, G.RED, style="thinThickSmallGap")

    def letter_number(self, text: str) -> None:
        """信函格式: 发文字号 flush with the right edge of the type area, just under the double rule."""
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        set_fonts(paragraph.add_run(text), G.BODY_FONT, G.BODY_PT)

    def number(self, text: str) -> None:
        """发文字号 two blank lines under the mark, with the red line 4 mm under it."""
        self.blank(2)
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_fonts(paragraph.add_run(text), G.BODY_FONT, G.BODY_PT)
        _border(paragraph, "bottom", G.RED_LINE_EIGHTHS, G.RED, space_pt=11)  # ≈ 4 mm

    def title(self, text: str, *, blank_before: int = 2) -> None:
        """The title two lines under the red line (or ``blank_before`` lines down a page without a 版头)."""
        self.blank(blank_before)
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _off_grid(paragraph)
        _exact(paragraph.paragraph_format, 36)  # two title lines closer than two body lines, never clipped
        set_fonts(paragraph.add_run(text), G.TITLE_FONT, G.TITLE_PT)
        self.blank(1)

    def recipients(self, text: str) -> None:
        """主送机关, flush left, ending with a full-width colon."""
        paragraph = self.doc.add_paragraph()
        set_fonts(paragraph.add_run(text + "："), G.BODY_FONT, G.BODY_PT)

    # --- the body (主体)
    def paragraph(self, text: str, *, heading: int = 0, indent: bool = True, lead: str = ""):
        """Body text, first line indented two characters, justified (written on the paragraph as well as the
        style, for tools that do not read styles); heading 1 黑体, heading 2 楷体, 3-4 仿宋; ``lead``: a
        second-level heading in 楷体 that the paragraph's text follows on the same line (“（一）攸县：…”)."""
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(G.INDENT_PT)
        if lead:
            set_fonts(paragraph.add_run(lead), G.HEADING2_FONT, G.BODY_PT)
        font = {1: G.HEADING1_FONT, 2: G.HEADING2_FONT}.get(heading, G.BODY_FONT)
        set_fonts(paragraph.add_run(text), font, G.BODY_PT)
        if heading:
            paragraph.paragraph_format.keep_with_next = True  # a heading never last on a page
        return paragraph

    def tag(self, text: str) -> None:
        """A paragraph holding only a docxtpl block tag ({%p ... %}); docxtpl removes it when rendering."""
        paragraph = self.doc.add_paragraph()
        set_fonts(paragraph.add_run(text), G.BODY_FONT, G.BODY_PT)

    def repeat(self, loop: str, text: str, lead: str = "") -> None:
        """A body paragraph repeated for each item: ``loop`` like "c in praised"; ``lead`` in 楷体."""
        self.tag(f"{{%p for {loop} %}}")
        self.paragraph(text, lead=lead)
        self.tag("{%p endfor %}")

    def table(self, headers: list[str], cells: list[str], loop: str, widths_mm: list[float], size_pt: float = 12) -> None:
        """A table: header row, then one row repeated by ``{%tr for ... %}``."""
        self.grid(headers, [f"{{%tr {loop} %}}", cells, "{%tr endfor %}"], widths_mm, size_pt)

    def grid(self, headers: list[str], rows: list, widths_mm: list[float], size_pt: float = 12,
             bold: tuple[int, ...] = (), unit: str = "", row_pt: float | None = None,
             together: bool = False) -> None:
        """A table: a header row, then ``rows``: a list of cell texts, or a docxtpl row tag ({%tr ... %}) as text.
        ``bold``: indexes in ``rows`` set in 黑体 (subtotals, totals); ``unit``: "单位：万元" flush right above;
        ``together``: kept on one page."""
        if unit:
            paragraph = self.doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.keep_with_next = True
            _off_grid(paragraph)
            _exact(paragraph.paragraph_format, row_pt or size_pt * 1.5)
            set_fonts(paragraph.add_run(unit), G.BODY_FONT, size_pt)
        grid_table(self.doc, headers, rows, widths_mm, size_pt, bold, row_pt, together)

    def number_and_signer(self, number: str, signer: str) -> None:
        """上行文: 发文字号 one character in from the left, 签发人 one character in from the right, same line,
        with the red line under them (签发人： in 仿宋, the name in 楷体)."""
        self.blank(2)
        paragraph = self.doc.add_paragraph()  # no indents: the red line under it spans the type area
        fmt = paragraph.paragraph_format
        fmt.tab_stops.add_tab_stop(Twips(TYPE_WIDTH - G.BODY_PT * 20), WD_TAB_ALIGNMENT.RIGHT)
        set_fonts(paragraph.add_run("　" + number + "\t签发人："), G.BODY_FONT, G.BODY_PT)
        set_fonts(paragraph.add_run(signer), G.HEADING2_FONT, G.BODY_PT)
        _border(paragraph, "bottom", G.RED_LINE_EIGHTHS, G.RED, space_pt=11)

    def _keep_last(self) -> None:
        """The paragraph written last stays on the page of what follows (a signature never alone on a page)."""
        self.doc.paragraphs[-1].paragraph_format.keep_with_next = True

    def attachment_note(self, text: str) -> None:
        """附件说明: one blank line under the body, indented two characters, "附件：名称" without end punctuation."""
        self._keep_last()
        self.blank(1)
        self._keep_last()
        self.paragraph(text)

    def attachment(self, label: str, title: str) -> None:
        """An attachment on a new page: "附件" in 黑体 top left, its title centred on line 3."""
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.page_break_before = True
        set_fonts(paragraph.add_run(label), G.HEADING1_FONT, G.BODY_PT)
        self.blank(1)
        self._attachment_title(title)

    def _attachment_title(self, title: str) -> None:
        """An attachment's title: centred in 小标宋, on a line of its own height, one blank line under it."""
        heading = self.doc.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _off_grid(heading)
        _exact(heading.paragraph_format, 36)
        set_fonts(heading.add_run(title), G.TITLE_FONT, G.TITLE_PT)
        self.blank(1)

    def landscape_attachment(self, label: str, title: str) -> None:
        """An attachment whose table is wider than the portrait type area: a landscape section (GB/T 9704 §8
        lets a table be set across the page), with the same 225 × 156 mm type area turned, "附件" top left and
        its title centred; its page numbers where the portrait pages have theirs once the sheet is bound (§8:
        "页码位置与公文其他页码保持一致"), turned with the sheet."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(section, landscape=True)
        _turned_page_number(section)
        paragraph = self.doc.add_paragraph()
        set_fonts(paragraph.add_run(label), G.HEADING1_FONT, G.BODY_PT)
        self._attachment_title(title)

    def closing(self, text: str) -> None:
        """特此通报。 and the like."""
        self.paragraph(text)

    def signature(self, signer: str, date: str) -> None:
        """Laid out for the seal the office adds when it prints (GB/T 9704 7.3.5.1): one blank line under the
        body, the date four characters in from the right, the issuer centred above the date (``finish``
        centres it once the names are known). The last line of the text moves to the next page with them
        when they do not fit (GB/T 9704 7.3.5.4: no page with only the signature)."""
        self._keep_last()
        self.blank(1)
        self._keep_last()
        for text in (signer, date):
            paragraph = self.doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_indent = Pt(SEAL_DATE_INDENT_CHARS * G.BODY_PT)
            paragraph.paragraph_format.keep_with_next = text == signer  # never the issuer without its date
            set_fonts(paragraph.add_run(text), G.BODY_FONT, G.BODY_PT)

    def note(self, text: str) -> None:
        """附注 in （ ）, indented two characters, on the line after the date, never on a page of its own."""
        self._keep_last()
        self.paragraph(text)

    # --- the imprint (版记), at the foot of the last page, an even one
    def imprint(self, copy_to: str, printer: str, printed: str) -> None:
        """抄送 and 印发 between three rules the full width of the type area (first and last 0.35 mm, middle
        0.25 mm), the last rule on the bottom edge of the type area: a one-column table (its borders are the
        rules, its cell margins the one-character indents) under one spacer whose height ``finish`` sets from
        the number of lines the 抄送 takes. Built in a section of its own that starts on an even page, without
        page numbers: the layout that holds without knowing where the text ends (Word adds a blank page when
        the text ends on an even page). Once rendered, ``imprint_layout.place_imprint`` moves it up onto the
        text's last page when that page is even and has room, or numbers its page when no blank page
        precedes it (GB/T 9704 7.5)."""
        section = self.doc.add_section(WD_SECTION.EVEN_PAGE)
        _page_setup(section)
        for footer in (section.footer, section.even_page_footer):
            footer.is_linked_to_previous = False
            for paragraph in footer.paragraphs:
                paragraph.text = ""
        spacer = self.doc.add_paragraph()
        _off_grid(spacer)
        _exact(spacer.paragraph_format, imprint_spacer_pt(1))
        table = self.doc.add_table(rows=2, cols=1)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _imprint_rules(table)
        _cell_margins(table, round(G.FOOTNOTE_PT * 20))
        table.columns[0].width = Twips(TYPE_WIDTH)
        inner = TYPE_WIDTH - 2 * round(G.FOOTNOTE_PT * 20)
        for row, text in zip(table.rows, (copy_to, f"{printer}\t{printed}")):
            cell = row.cells[0]
            cell.width = Twips(TYPE_WIDTH)
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            _off_grid(paragraph)
            _exact(paragraph.paragraph_format)
            if text is copy_to:  # wrapped lines align with the first name after "抄送："
                paragraph.paragraph_format.left_indent = Pt(G.FOOTNOTE_PT * 3)
                paragraph.paragraph_format.first_line_indent = Pt(-G.FOOTNOTE_PT * 3)
            else:
                paragraph.paragraph_format.tab_stops.add_tab_stop(Twips(inner), WD_TAB_ALIGNMENT.RIGHT)
            set_fonts(paragraph.add_run(text), G.BODY_FONT, G.FOOTNOTE_PT)
            _cant_split(row)
        end = self.doc.add_paragraph()  # a document cannot end with a table: the smallest paragraph after it
        _off_grid(end)
        _exact(end.paragraph_format, 1)
        end.paragraph_format.keep_with_next = False

    def blank(self, lines: int) -> None:
        for _ in range(lines):
            self.doc.add_paragraph()

    def save(self, path: Path) -> Path:
        self.doc.core_properties.author = "guishang 规上工业企业培育工具"
        self.doc.save(str(path))
        return Path(path)


# --- after rendering: what depends on the text a template received ---------------------------------
def _title(paragraphs) -> object | None:
    """The document's title: the first paragraph set in the title font at the title size (二号 小标宋)."""
    for paragraph in paragraphs[:12]:
        runs = [r for r in paragraph.runs if r.text.strip()]
        if runs and all(r.font.size is not None and r.font.size.pt == G.TITLE_PT for r in runs) and any(
                (r._element.rPr.rFonts.get(qn("w:eastAsia")) if r._element.rPr is not None
                 and r._element.rPr.rFonts is not None else "") == G.TITLE_FONT for r in runs):
            return paragraph
    return None


def break_title_lines(document) -> list[str]:
    """Break the title between words into a trapezoid or diamond (GB/T 9704 7.3.3) with line breaks in its
    run, instead of letting Word or LibreOffice wrap it inside a word; returns the lines."""
    title = _title(document.paragraphs)
    if title is None:
        return []
    # one character to spare: digits and dashes set a little wider than half a character in some fonts
    lines = break_title(title.text, TYPE_WIDTH / 20 / G.TITLE_PT - 1)
    if len(lines) > 1:
        runs = title.runs
        for run in runs[1:]:
            run._r.getparent().remove(run._r)
        runs[0].text = "\n".join(lines)  # python-docx writes each newline as <w:br/>
    return lines


def centre_signature(document) -> bool:
    """The issuer centred above the date (以成文日期为准居中): a centred paragraph whose indents put its middle
    over the middle of the date, with room to spare on both sides; flush right when the name is too long to
    centre inside the margin. False when the document has no signature block."""
    paragraphs = document.paragraphs
    type_chars = TYPE_WIDTH / 20 / G.BODY_PT
    for previous, paragraph in zip(paragraphs, paragraphs[1:]):
        if (G.DATE_LINE.match(paragraph.text) and paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT
                and previous.alignment == WD_ALIGN_PARAGRAPH.RIGHT and previous.text.strip()):
            date, name = text_width(paragraph.text.strip()), text_width(previous.text.strip())
            right = SEAL_DATE_INDENT_CHARS + (date - name) / 2  # from the right margin to the name's end
            fmt = previous.paragraph_format
            if right <= 0:
                fmt.right_indent = Pt(0)
                return True
            spare = min(right, 2.0)  # the line wider than the name, so that it never wraps
            previous.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.right_indent = Pt((right - spare) * G.BODY_PT)
            fmt.left_indent = Pt(max(0.0, type_chars - right - name - spare) * G.BODY_PT)
            return True
    return False


def _set_width(text: str) -> float:
    """Width in ems as the widest of the fonts that set it: CJK 1; Latin capitals up to ¾ em in the free
    仿宋 substitutes (half an em in 仿宋_GB2312), M and W an em; digits and the rest half an em (as every
    Chinese font sets them), lower-case letters a little over half."""
    return sum(1 if ord(ch) > 0x2E7F or ch in "MW" else 0.75 if "A" <= ch <= "Z" else 0.56 if "a" <= ch <= "z"
               else 0.5 for ch in text.replace(WORD_JOINER, ""))


def _size(paragraph, default_pt: float) -> float:
    return next((r.font.size.pt for r in paragraph.runs if r.font.size is not None), default_pt)


def _cell_width(cell, default_pt: float) -> float:
    """The width in twips of the widest paragraph in ``cell`` set on one line (text width × its size)."""
    return max((_set_width(p.text) * _size(p, default_pt) * 20 for p in cell.paragraphs), default=0.0)


def _header_width(cell, default_pt: float) -> float:
    """The narrowest a header may be: on two lines at most, broken before its unit (“本次兑现／（元）”) or in
    the middle of a long term (“统一社会／信用代码”); a term of four characters or fewer (“序号”) never broken."""
    widest = 0.0
    for paragraph in cell.paragraphs:
        text = paragraph.text.strip()
        if "（" in text.strip("（"):
            head, _, unit = text.partition("（")
            pieces = [head, "（" + unit]
        elif len(text) > 4:
            half = (len(text) + 1) // 2
            pieces = [text[:half], text[half:]]
        else:
            pieces = [text]
        widest = max(widest, *(_set_width(piece) * _size(paragraph, default_pt) * 20 for piece in pieces))
    return widest


def _wrap_width(width: float, texts: list[tuple[float, float]]) -> float:
    """The widest width up to ``width`` (twips, padding included) at which no text of ``texts`` (its width and
    the width of its last character, in twips) wraps with its last character alone on a line (“…有限公／司”):
    counted in characters as wide as the last, as a line of Chinese holds whole characters."""
    for narrower in range(6):
        inner = width - CELL_PADDING - narrower * max((last for _, last in texts), default=0)
        lone = False
        for text, last in texts:
            if last <= 0 or inner < last:
                continue
            count = round(text / last)
            for per_line in {int(inner // last), int(inner // (last * 0.97))}:  # and with the body's tighter spacing
                lone = lone or (count > per_line and (count - 1) % per_line == 0)
        if not lone:
            return inner + CELL_PADDING
    return width


def fit_table(table, default_pt: float = 12) -> None:
    """Size a list's columns to what they hold, once the rows are known, within the table's width: every
    column as wide as its widest figure, code or term on one line; headers broken onto two lines only if
    needed, and only between words (“序号” never); what is still too long for the page wraps in the column
    with the longest text (the names), at a width that leaves no character alone on a name's last line."""
    tbl = table._tbl
    columns = tbl.tblGrid.findall(qn("w:gridCol"))
    if any(tc.tcPr is not None and tc.tcPr.find(qn("w:gridSpan")) is not None for tc in tbl.iter(qn("w:tc"))):
        return  # merged cells: leave the template's widths
    total = sum(int(c.get(qn("w:w"))) for c in columns)
    head = [0.0] * len(columns)
    least = [0.0] * len(columns)  # the headers broken where they may be
    body = [0.0] * len(columns)
    texts: list[list[tuple[float, float]]] = [[] for _ in columns]
    for row in table.rows:
        header = row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
        for c, cell in enumerate(row.cells[:len(columns)]):
            width = _cell_width(cell, default_pt)
            if header:
                head[c] = max(head[c], width)
                least[c] = max(least[c], _header_width(cell, default_pt))
                continue
            body[c] = max(body[c], width)
            size = _size(cell.paragraphs[0], default_pt) * 20
            texts[c] += [(_set_width(p.text) * size, _set_width(p.text.strip()[-1:]) * size)
                         for p in cell.paragraphs if p.text.strip()]
    wanted = [max(h, b) + CELL_PADDING for h, b in zip(head, body)]
    if sum(wanted) > total:  # headers on two lines
        wanted = [max(h, b) + CELL_PADDING for h, b in zip(least, body)]
    if sum(wanted) > total:  # the longest texts wrap; nothing else does
        longest = max(range(len(columns)), key=lambda c: body[c])
        room = max(total - (sum(wanted) - wanted[longest]), total / len(columns) / 2)
        wanted[longest] = _wrap_width(room, texts[longest])
    scale = total / sum(wanted)
    widths = [round(w * scale) for w in wanted]
    widths[-1] += total - sum(widths)
    for column, width in zip(columns, widths):
        column.set(qn("w:w"), str(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Twips(width)


def _lists(document):
    """The document's lists: tables with a header row that repeats on each page (not forms or boxes)."""
    for table in document.tables:
        first = table.rows[0]._tr if table.rows else None
        if first is not None and first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None:
            yield table


_LATIN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.,%:/+\-]*[0-9A-Za-z%]|[0-9A-Za-z]")


def _iter_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def _split_runs(document, pieces_of, mark) -> int:
    """Split each plain text run (no fields, breaks or tabs) into the pieces ``pieces_of(text)`` gives (None:
    leave the run whole), each piece a copy of the run with its formatting; ``mark(run, text_element, piece)``
    adjusts a piece and says whether it counts. Returns the count."""
    counted = 0
    for paragraph in _iter_paragraphs(document):
        for run in list(paragraph.runs):
            r = run._r
            texts = r.findall(qn("w:t"))
            if len(texts) != 1 or any(child.tag not in (qn("w:rPr"), qn("w:t")) for child in r):
                continue  # fields, breaks and tabs stay as they are
            pieces = pieces_of(texts[0].text or "")
            if not pieces:
                continue
            for piece in pieces:
                new = copy.deepcopy(r)
                t = new.find(qn("w:t"))
                t.set(qn("xml:space"), "preserve")
                t.text = piece
                counted += mark(new, t, piece)
                r.addprevious(new)
            r.getparent().remove(r)
    return counted


def keep_numbers(document) -> int:
    """Give each run of digits and Latin letters ("2022", "572.4", "50%", "0731-28") the language en-US, so
    that LibreOffice breaks lines around it as Word does instead of inside it as it does with Chinese text
    (which puts "2" and "022" on two lines); returns how many pieces were marked."""
    def pieces_of(text: str) -> list[str] | None:
        pieces = [p for p in re.split(f"({_LATIN.pattern})", text) if p]
        return pieces if any(_LATIN.fullmatch(p) for p in pieces) else None

    def mark(r, _t, piece: str) -> bool:
        if _LATIN.fullmatch(piece):
            _set_lang(r.get_or_add_rPr(), "en-US")
            return True
        return False

    return _split_runs(document, pieces_of, mark)


def keep_amounts(document) -> int:
    """Keep every amount ("905万元", "人民币玖佰零伍万元整") on one line: its characters joined by word joiners
    and its run marked en-US, since LibreOffice lets a Chinese line break between any two characters but
    honours a word joiner in Latin text; returns how many amounts were joined."""
    def pieces_of(text: str) -> list[str] | None:
        if WORD_JOINER in text or not UNBROKEN.search(text):
            return None  # joined already (finish run twice), or nothing to join
        return _pieces(text)

    def mark(r, t, piece: str) -> bool:
        if UNBROKEN.fullmatch(piece):
            t.text = _joined(piece)
            _set_lang(r.get_or_add_rPr(), "en-US")
            return True
        return False

    return _split_runs(document, pieces_of, mark)


def _joined(amount: str) -> str:
    """A word joiner between two characters of ``amount`` unless both are Latin (digits stay one word)."""
    out = amount[:1]
    for before, after in zip(amount, amount[1:]):
        out += ("" if before.isascii() and after.isascii() else WORD_JOINER) + after
    return out


def _pieces(text: str) -> list[str]:
    """``text`` cut before and after each amount."""
    out, start = [], 0
    for match in UNBROKEN.finditer(text):
        out += [text[start:match.start()], match.group()]
        start = match.end()
    return [p for p in [*out, text[start:]] if p]


def finish(document) -> None:
    """Fit the issuing-authority mark on one line, break the title between words, centre the issuer above
    the date, and keep the imprint on the bottom lines of its page however many lines the 抄送 takes."""
    break_title_lines(document)
    centre_signature(document)
    for table in _lists(document):
        fit_table(table)
    keep_amounts(document)
    keep_numbers(document)
    paragraphs = document.paragraphs
    mark = next((p for p in paragraphs if p.text.strip()), None)
    red = mark is not None and any((r.font.color is not None and r.font.color.type is not None
                                    and str(r.font.color.rgb) == G.RED) for r in mark.runs)
    if red:
        width_pt = TYPE_WIDTH / 20
        size = min(G.MARK_PT, int(width_pt / max(text_width(mark.text.strip()), 1)))
        for run in mark.runs:
            run.font.size = Pt(size)
    imprint = next((t for t in document.tables if t.rows and t.cell(0, 0).text.startswith("抄送：")), None)
    if imprint is None:
        return
    spacer = imprint._tbl.getprevious()
    if spacer is None or spacer.tag != qn("w:p") or "".join(spacer.itertext()).strip():
        return  # a template whose imprint an office rearranged: leave it as it is
    char = G.FOOTNOTE_PT + G.CHAR_SPACING_PT
    first_line = int((TYPE_WIDTH / 20 - 2 * G.FOOTNOTE_PT) / char)  # characters of 四号 between the indents
    paragraph = imprint.cell(0, 0).paragraphs[0]
    lines = copy_to_lines(paragraph.text, first_line, first_line - 3)
    if len(lines) > 1 and len(paragraph.runs) == 1:
        paragraph.runs[0].text = "\n".join(lines)  # each newline a <w:br/>
    # the 印发 line: the office and the date one character apart at least, else on two lines (a long office
    # name with a blank date to be filled in at signing)
    printed = imprint.cell(1, 0).text.replace("\t", "") if len(imprint.rows) > 1 else ""
    print_lines = 1 if text_width(printed) + 1 <= first_line else 2
    spacing = spacer.get_or_add_pPr().get_or_add_spacing()
    spacing.set(qn("w:line"), str(round(imprint_spacer_pt(len(lines), print_lines) * 20)))


class FormDocument:
    """A form (审批表) rather than a 公文: A4 landscape for a wide table, the official fonts, no 22×28 grid."""

    MARGIN_MM = 20

    def __init__(self) -> None:
        self.doc = Document()
        set_chinese(self.doc)
        normal = self.doc.styles["Normal"]
        set_fonts(normal, G.BODY_FONT, 12)
        _exact(normal.paragraph_format, 20)
        section = self.doc.sections[0]
        section.page_width, section.page_height = Twips(G.PAGE_HEIGHT), Twips(G.PAGE_WIDTH)
        for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
            setattr(section, side, Twips(round(self.MARGIN_MM * 56.7)))
        section.footer_distance = Twips(round(10 * 56.7))
        _page_number(section.footer, WD_ALIGN_PARAGRAPH.CENTER, 12)

    @property
    def width_mm(self) -> float:
        return G.PAGE_HEIGHT / 56.7 - 2 * self.MARGIN_MM

    def title(self, text: str) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _off_grid(paragraph)
        _exact(paragraph.paragraph_format, 32)
        set_fonts(paragraph.add_run(text), G.TITLE_FONT, 20)

    def line(self, left: str, right: str = "", *, font: str = G.BODY_FONT, size_pt: float = 12) -> None:
        """A line of text flush left, with an optional part flush right on the same line."""
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.tab_stops.add_tab_stop(Twips(round(self.width_mm * 56.7)), WD_TAB_ALIGNMENT.RIGHT)
        set_fonts(paragraph.add_run(left + (f"\t{right}" if right else "")), font, size_pt)

    def grid(self, headers: list[str], rows: list, widths_mm: list[float], size_pt: float = 10.5,
             bold: tuple[int, ...] = (), together: bool = False) -> None:
        grid_table(self.doc, headers, rows, widths_mm, size_pt, bold, together=together)

    def sign_off(self, boxes: list[str], height_mm: float = 42, under: str = "签字：　　　　年　　月　　日",
                 weights: list[float] | None = None) -> None:
        """Boxes for opinions and signatures side by side in one row across the page: the label on top, room
        to write, the signature and date line at the bottom; the row is never split from the lines above.
        ``weights``: the boxes' shares of the width (an opinion box wider than a clerk's); in a box too narrow
        for ``under`` on one line, the date goes on a line of its own under “签字：”."""
        spacer = self.doc.add_paragraph()
        _exact(spacer.paragraph_format, 8)
        table = self.doc.add_table(rows=1, cols=len(boxes))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        weights = weights or [1] * len(boxes)
        widths = [self.width_mm * w / sum(weights) for w in weights]
        for c, width in enumerate(widths):
            table.columns[c].width = Twips(round(width * 56.7))
        row = table.rows[0]
        row.height = Twips(round(height_mm * 56.7))
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
        size, line_pt = 12, 20  # the form's text and its exact line height
        for c, label in enumerate(boxes):
            cell = row.cells[c]
            cell.width = Twips(round(widths[c] * 56.7))
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
            set_fonts(cell.paragraphs[0].add_run(label), G.HEADING1_FONT, size)
            fits = text_width(under) * size + 2 * 5.4 + size <= widths[c] * 72 / 25.4  # cell margins, a character spare
            signed, _, dated = under.partition("：")
            lines = [under] if fits or not dated else [signed + "：", dated.strip("　")]
            room = cell.add_paragraph()
            _exact(room.paragraph_format, height_mm * 72 / 25.4 - (len(lines) + 1) * line_pt - 6)  # room to write
            for text in lines:
                last = cell.add_paragraph()
                last.alignment = WD_ALIGN_PARAGRAPH.RIGHT if text is lines[-1] else WD_ALIGN_PARAGRAPH.LEFT
                set_fonts(last.add_run(text), G.BODY_FONT, size)
        _cant_split(row)

    def attachment(self, label: str, title: str) -> None:
        """The list behind the form's totals, from a new page: "附件" top left, its title centred."""
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.page_break_before = True
        set_fonts(paragraph.add_run(label), G.HEADING1_FONT, 14)
        self.title(title)

    def save(self, path: Path) -> Path:
        self.doc.core_properties.author = "guishang 规上工业企业培育工具"
        self.doc.save(str(path))
        return Path(path)
