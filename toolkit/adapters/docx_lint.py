"""A GB/T 9704 conformance check for .docx files (guishang lint-doc): reads the document back and
reports every departure from the numbers in toolkit.domain.gbt9704, each with where and what to do.

Two kinds of paper are not 公文 with a 版头 and are checked for what applies to them: a form (审批表), whose
first page is A4 turned (a 公文 never starts on a turned page), keeps A4, the fonts, the dates, nothing
unwritten and a page number; a paper without a 版头 (公示), whose first line is its 二号 title, skips the
mark and the number.
"""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from toolkit.domain import gbt9704 as G
from toolkit.domain.placeholders import placeholder_in
from toolkit.domain.title_lines import ZERO_WIDTH
from toolkit.ports.files import LintProblem

TWIPS_PER_EMU = 1 / 635
_FANGSONG = ("仿宋_GB2312", "仿宋", "FangSong", "FangSong_GB2312")
_ALLOWED_FONTS = set(_FANGSONG) | {"黑体", "SimHei", "楷体_GB2312", "楷体", "KaiTi", "方正小标宋简体", "方正小标宋_GBK",
                                   "宋体", "SimSun"}
_NUMBER = re.compile(r"〔(\d{4})〕\s*(\d*)\s*号")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _twips(length) -> int:
    return round(length * TWIPS_PER_EMU) if length is not None else 0


def run_fonts(run) -> dict[str, str]:
    rpr = run._r.rPr
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    if fonts is None:
        return {}
    return {k: fonts.get(qn(f"w:{k}")) for k in ("ascii", "hAnsi", "eastAsia") if fonts.get(qn(f"w:{k}"))}


def _color(run) -> str:
    rpr = run._r.rPr
    color = rpr.find(qn("w:color")) if rpr is not None else None
    return (color.get(qn("w:val")) or "").upper() if color is not None else ""


def _has_field(paragraph, name: str) -> bool:
    texts = [t.text or "" for t in paragraph._p.iter(qn("w:instrText"))]
    simple = [f.get(qn("w:instr")) or "" for f in paragraph._p.iter(qn("w:fldSimple"))]
    return any(name in t.upper() for t in texts + simple)


def _bottom_border(paragraph):
    borders = paragraph._p.pPr.find(qn("w:pBdr")) if paragraph._p.pPr is not None else None
    return borders.find(qn("w:bottom")) if borders is not None else None


def letterhead(document):
    """The mark of a letter (信函格式): a red paragraph in the first page's own header, or None."""
    section = document.sections[0]
    if not section.different_first_page_header_footer:
        return None
    return next((p for p in section.first_page_header.paragraphs
                 if any(_color(r) == G.RED for r in p.runs if r.text.strip())), None)


def _size_pt(run, default: float) -> float:
    return run.font.size.pt if run.font.size is not None else default


def _without_joiners(document) -> None:
    """The text as a reader sees it: the invisible joiners that keep an amount, a date or a document number on one
    line (gbt9704_docx.keep_amounts) are taken out of this in-memory copy before any text is read."""
    for element in document.element.body.iter(qn("w:t")):
        if element.text and any(ch in element.text for ch in ZERO_WIDTH):
            element.text = "".join(ch for ch in element.text if ch not in ZERO_WIDTH)


def lint_docx(path: Path) -> list[LintProblem]:
    path = Path(path)
    document = Document(str(path))
    _without_joiners(document)
    problems: list[LintProblem] = []

    def problem(where: str, message: str) -> None:
        problems.append(LintProblem(where, message))

    # --- page
    form = False
    for number, section in enumerate(document.sections, start=1):
        where = f"第{number}节"
        width, height = _twips(section.page_width), _twips(section.page_height)
        turned = width > height  # a table set across the page: the same type area, turned a quarter left
        if turned:
            width, height = height, width
            where += "（横排）"
        form = form or (number == 1 and turned)  # a form (审批表) starts on a turned page; a 公文 never does
        if abs(width - G.PAGE_WIDTH) > G.MARGIN_TOLERANCE or abs(height - G.PAGE_HEIGHT) > G.MARGIN_TOLERANCE:
            problem(where, "纸张不是 A4（210×297 毫米）。")
        margins = (("top_margin", "上边距（天头）", G.MARGIN_TOP), ("bottom_margin", "下边距", G.MARGIN_BOTTOM),
                   ("left_margin", "左边距（订口）", G.MARGIN_LEFT), ("right_margin", "右边距", G.MARGIN_RIGHT))
        if turned:
            margins = (("left_margin", "左边距（天头）", G.MARGIN_TOP), ("right_margin", "右边距", G.MARGIN_BOTTOM),
                       ("top_margin", "上边距（订口）", G.MARGIN_LEFT), ("bottom_margin", "下边距", G.MARGIN_RIGHT))
        for name, label, expected in ([] if form else margins):
            seen = _twips(getattr(section, name))
            if abs(seen - expected) > G.MARGIN_TOLERANCE:
                problem(where, f"{label}为 {seen / 56.7:.1f} 毫米，应为 {expected / 56.7:.0f}±1 毫米。")

    # --- body defaults
    normal = document.styles["Normal"]
    fonts = normal.element.rPr.find(qn("w:rFonts")) if normal.element.rPr is not None else None
    east = fonts.get(qn("w:eastAsia")) if fonts is not None else None
    if east not in _FANGSONG:
        problem("正文样式", f"正文中文字体为“{east or '未设置'}”，应为三号仿宋（{G.BODY_FONT}），并设置中文（东亚）字体。")
    body_pt = normal.font.size.pt if normal.font.size is not None else None
    if body_pt != G.BODY_PT and not form:  # a form sets its own size and lines
        problem("正文样式", f"正文字号为 {body_pt or '未设置'} 磅，应为三号（{G.BODY_PT} 磅）。")
    spacing = normal.paragraph_format.line_spacing
    if not form and (spacing is None or not hasattr(spacing, "pt") or abs(spacing.pt - G.LINE_PT) > 0.1):
        problem("正文样式", f"正文行距应为固定值 {G.LINE_PT} 磅（每页22行）。")

    # --- paragraphs outside tables
    paragraphs = document.paragraphs
    texts = [p.text.strip() for p in paragraphs]
    first = next((i for i, t in enumerate(texts) if t), None)
    for index, paragraph in enumerate(paragraphs, start=1):
        for run in paragraph.runs:
            if not run.text.strip():
                continue
            fonts = run_fonts(run)
            if fonts.get("ascii") and not fonts.get("eastAsia"):
                problem(f"第{index}段", f"“{run.text[:12]}”只设置了西文字体“{fonts['ascii']}”，中文会显示为其他字体。请同时设置中文字体。")
            east = fonts.get("eastAsia")
            if east and east not in _ALLOWED_FONTS:
                problem(f"第{index}段", f"“{run.text[:12]}”使用了字体“{east}”，公文只用仿宋、黑体、楷体、小标宋。")
    if first is None:
        problem("全文", "文档没有内容。")
        return problems
    if form:
        return problems + _form(document)
    letter = letterhead(document)  # 信函格式: the mark in the first page's header, over a red double rule
    mark = letter if letter is not None else paragraphs[first]
    if letter is None and _is_title(mark):  # no 版头 (a 公示): the title first, no mark or number
        return problems + _after_head(document, paragraphs, texts, first - 1)
    where = "首页页眉" if letter is not None else f"第{first + 1}段"
    if not any(_color(r) == G.RED for r in mark.runs if r.text.strip()):
        problem(where, "发文机关标志应为红色。")
    if not any((run_fonts(r).get("eastAsia") or "").startswith("方正小标宋") for r in mark.runs if r.text.strip()):
        problem(where, "发文机关标志应使用小标宋体。")
    if letter is not None:
        if mark.text.strip().endswith("文件"):
            problem(where, "信函格式的发文机关标志只用机关名称，不加“文件”。")
        bottom = _bottom_border(mark)
        if bottom is None or (bottom.get(qn("w:color")) or "").upper() != G.RED or "Thin" not in (bottom.get(qn("w:val")) or ""):
            problem(where, "信函格式的发文机关标志下应有红色双线（上粗下细）。")
    head = paragraphs[first:first + 8]
    number_index = next((i for i, p in enumerate(head) if _NUMBER.search(p.text)), None)
    if number_index is None:
        problem("版头", "找不到发文字号（如“株工信发〔2022〕12号”，年份用六角括号〔〕）。")
    else:
        paragraph = head[number_index]
        match = _NUMBER.search(paragraph.text)
        if match.group(2).startswith("0"):
            problem("版头", f"发文字号“{paragraph.text.strip()}”的序号不应有前导零。")
        if "第" in paragraph.text:
            problem("版头", "发文字号中不加“第”字。")
        bottom = _bottom_border(paragraph)
        if letter is None and (bottom is None or (bottom.get(qn("w:color")) or "").upper() != G.RED):
            problem("版头", "发文字号下方应有红色分隔线。")
        if letter is not None and paragraph.alignment != 2:
            problem("版头", "信函格式的发文字号应居版心右边缘。")
    return problems + _after_head(document, paragraphs, texts, first)


def _is_title(paragraph) -> bool:
    return any(r.font.size is not None and r.font.size.pt == G.TITLE_PT for r in paragraph.runs if r.text.strip())


def _form(document) -> list[LintProblem]:
    """A form's checks: its dates, nothing unwritten and a page number (its fonts are checked with every paper's)."""
    problems = _dates_and_blanks(document, [p.text.strip() for p in document.paragraphs])
    if not any(_has_field(p, "PAGE") for p in document.sections[0].footer.paragraphs):
        problems.append(LintProblem("页码", "页脚没有页码域。"))
    return problems


def _after_head(document, paragraphs, texts: list[str], first: int) -> list[LintProblem]:
    """The checks after the 版头: the title, the dates, the 主送机关, nothing unwritten, the page numbers."""
    problems: list[LintProblem] = []

    def problem(where: str, message: str) -> None:
        problems.append(LintProblem(where, message))

    title = next((p for p in paragraphs[first + 1:] if _is_title(p)), None)
    if title is None:
        problem("标题", f"找不到二号（{G.TITLE_PT} 磅）标题。")
    elif not any((run_fonts(r).get("eastAsia") or "").startswith("方正小标宋") for r in title.runs if r.text.strip()):
        problem("标题", "标题应使用二号小标宋体。")
    recipient = next((t for t in texts[first + 2:first + 12] if t.endswith(("：", ":")) and len(t) < 80), None)
    if recipient is not None and recipient.endswith(":"):
        problem("主送机关", "主送机关后应使用全角冒号“：”。")
    problems += _dates_and_blanks(document, texts)

    # --- page numbers
    if not document.settings.odd_and_even_pages_header_footer:
        problem("页码", "未设置奇偶页不同：页码应单页居右、双页居左。")
    section = document.sections[0]
    for footer, align, label in ((section.footer, 2, "单页"), (section.even_page_footer, 0, "双页")):
        paragraph = next((p for p in footer.paragraphs if _has_field(p, "PAGE")), None)
        if paragraph is None:
            problem("页码", f"{label}页脚没有页码域。")
            continue
        if (paragraph.alignment or 0) != align:
            problem("页码", f"{label}页码应{'居右' if align == 2 else '居左'}。")
        if "—" not in paragraph.text:
            problem("页码", f"{label}页码应写作“— 1 —”（一字线）。")
        sizes = {_size_pt(r, 0) for r in paragraph.runs if r.text.strip()}
        if sizes and sizes != {G.FOOTNOTE_PT}:
            problem("页码", f"{label}页码应为四号（{G.FOOTNOTE_PT} 磅）。")
    return problems


def _dates_and_blanks(document, texts: list[str]) -> list[LintProblem]:
    """Dates without leading zeros; nothing left unwritten: placeholders (王××), examples (示例), template fields."""
    problems = []
    for index, text in enumerate(texts, start=1):
        for match in _DATE.finditer(text):
            if match.group(2).startswith("0") or match.group(3).startswith("0"):
                problems.append(LintProblem(f"第{index}段", f"日期“{match.group(0)}”的月、日不应有前导零（如 2022年7月5日）。"))
    for where, text in _all_text(document):
        found = placeholder_in(text)
        if found:
            problems.append(LintProblem(where, f"含未替换的内容“{found}”（{text.strip()[:30]}）：签发的公文不能留占位符、"
                                               "示例或模板标记，请在政策参数的发文设置中填写实际内容，或在公文中改正。"))
    return problems


def _all_text(document) -> list[tuple[str, str]]:
    """Every piece of text a reader sees, with where it is: paragraphs, table cells, headers and footers."""
    out = [(f"第{index}段", p.text) for index, p in enumerate(document.paragraphs, start=1) if p.text.strip()]
    for number, table in enumerate(document.tables, start=1):
        seen = set()  # a merged cell is listed once per grid column it spans: said once
        for row_index, row in enumerate(table.rows, start=1):
            for cell in row.cells:
                if cell.text.strip() and cell._tc not in seen:
                    seen.add(cell._tc)  # the element itself, kept: an id could be reused once freed
                    out.append((f"第{number}个表格第{row_index}行", cell.text))
    for number, section in enumerate(document.sections, start=1):
        for part, label in ((section.header, "页眉"), (section.footer, "页脚"), (section.first_page_header, "首页页眉"),
                            (section.even_page_footer, "双页页脚")):
            for paragraph in part.paragraphs:
                if paragraph.text.strip():
                    out.append((f"第{number}节{label}", paragraph.text))
    return out
