"""What the eye sees: lint-doc's checks on a 公文 as LibreOffice renders it (GB/T 9704 and our practice).

The .docx says what was intended (the title's lines, the headings, the cells of the lists, the signature,
the 版记); the PDF says where each line really fell. Checked on the rendered pages:
- no figure, code or short term in a table split across two lines;
- no amount ("905万元", "人民币玖佰零伍万元整") split across two lines, in the text or a table;
- no table cell whose last line holds a single wrapped character (“司”, “号”);
- the title broken only where it was meant to be (never inside a word);
- no heading last on a page;
- the signature and date on the same page as a line of the text, and the 附注 not alone on a page;
- the 版记 on the last page, an even one, its rules as wide as the type area (156 mm), the last one on its
  bottom edge;
- a page number on every page but a blank page and the 版记 page after it, counting on through the
  attachments; a landscape page's number where the portrait pages have theirs once the sheet is bound;
- the red rule under the number as wide as the type area (a letter's double rules 170 mm);
- an attachment ("附件") starting a new page.

Reads PDFs with pdfplumber (imported when a check runs, so the buttons never pay for it).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from toolkit.adapters.docx_lint import LintProblem, letterhead, run_fonts
from toolkit.adapters.gbt9704_docx import AMOUNT, WORD_JOINER
from toolkit.domain import gbt9704 as G

MM = 72 / 25.4  # points per millimetre
TOLERANCE_MM = 1.0
SHAPE_TOLERANCE_MM = 2.5  # a title line this much shorter than both its neighbours makes an hourglass
TYPE_WIDTH_MM = (G.PAGE_WIDTH - G.MARGIN_LEFT - G.MARGIN_RIGHT) / 56.7  # 156
_PAGE_NUMBER = re.compile(r"^—?\s*\d+\s*—?$")
_HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
_CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class Line:
    """One rendered line of text: its page (from 1), position in points from the top left, size and text."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str


@dataclass(frozen=True)
class Rule:
    page: int
    top: float
    x0: float
    x1: float
    red: bool

    @property
    def width_mm(self) -> float:
        return (self.x1 - self.x0) / MM


@dataclass
class Rendered:
    """A PDF as lines of text and horizontal rules, page by page."""

    lines: list[list[Line]]
    rules: list[list[Rule]]
    sizes: list[tuple[float, float]]  # (width, height) of each page in points
    cells: list[list[list[Line]]] = field(default_factory=list)  # per page: each table cell's lines
    turned: list[list[Line]] = field(default_factory=list)  # per page: text set top to bottom (a turned number)

    def body(self, page: int) -> list[Line]:
        """The lines of a page without its page number."""
        return [line for line in self.lines[page - 1] if not _PAGE_NUMBER.match(line.text)]

    @property
    def joined(self) -> str:
        return "\n".join(line.text for page in self.lines for line in page)


def read_pdf(path: Path) -> Rendered:
    import pdfplumber  # a dependency of lint-doc only

    lines: list[list[Line]] = []
    rules: list[list[Rule]] = []
    cells: list[list[list[Line]]] = []
    turned: list[list[Line]] = []
    sizes = []
    with pdfplumber.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            sizes.append((float(page.width), float(page.height)))
            lines.append(_lines(number, [c for c in page.chars if c.get("upright", True)]))
            turned.append(_turned(number, [c for c in page.chars if not c.get("upright", True)]))
            found = []
            for item in list(page.lines) + list(page.rects):
                if abs(item["bottom"] - item["top"]) > 3 or item["x1"] - item["x0"] < 20 * MM:
                    continue  # not a horizontal rule
                colour = item.get("stroking_color") or item.get("non_stroking_color") or ()
                red = isinstance(colour, (tuple, list)) and len(colour) == 3 and colour[0] > 0.8 and colour[1] < 0.3
                found.append(Rule(number, float(item["top"]), float(item["x0"]), float(item["x1"]), red))
            rules.append(found)
            cells.append(_cells(number, page))
    return Rendered(lines, rules, sizes, cells, turned)


def _cells(page: int, pdf_page) -> list[list[Line]]:
    """The lines of each cell of the page's ruled tables, top to bottom."""
    out = []
    for table in pdf_page.find_tables():
        for row in table.rows:
            for box in row.cells:
                if box is None:
                    continue
                x0, top, x1, bottom = box
                inside = [c for c in pdf_page.chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1
                          and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
                if inside:
                    out.append(_lines(page, inside))
    return out


def _lines(page: int, chars: list[dict]) -> list[Line]:
    """Characters on one baseline (within 2 pt) make a line, left to right; spaces dropped."""
    out: list[Line] = []
    group: list[dict] = []
    for ch in sorted(chars, key=lambda c: (round(c["bottom"], 1), c["x0"])):
        if group and ch["bottom"] - group[0]["bottom"] > 2:
            out.append(_line(page, group))
            group = []
        group.append(ch)
    if group:
        out.append(_line(page, group))
    return [line for line in out if line.text]


def _turned(page: int, chars: list[dict]) -> list[Line]:
    """Characters set top to bottom (turned a quarter): those in one column (within 2 pt) make a line."""
    columns: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (round(c["x0"], 1), c["top"])):
        if columns and ch["x0"] - columns[-1][0]["x0"] <= 2:
            columns[-1].append(ch)
        else:
            columns.append([ch])
    out = []
    for column in columns:
        column.sort(key=lambda c: c["top"])
        text = "".join(c["text"] for c in column if not c["text"].isspace())
        if text:
            out.append(Line(page, min(c["top"] for c in column), max(c["bottom"] for c in column),
                            min(c["x0"] for c in column), max(c["x1"] for c in column),
                            max(float(c["size"]) for c in column), text))
    return out


def _line(page: int, group: list[dict]) -> Line:
    group = sorted(group, key=lambda c: c["x0"])
    text = "".join(c["text"] for c in group if not c["text"].isspace())
    size = max((float(c["size"]) for c in group), default=0.0)
    return Line(page, min(c["top"] for c in group), max(c["bottom"] for c in group), group[0]["x0"],
                group[-1]["x1"], size, text)


# --- what the .docx intended ------------------------------------------------------------------------
def _flat(text: str) -> str:
    """The text without spaces and word joiners (which the rendered page does not show)."""
    return "".join(text.replace(WORD_JOINER, "").split())


def _fonts(paragraph) -> set[str]:
    """The East Asian fonts of a paragraph's runs."""
    return {font for run in paragraph.runs if (font := run_fonts(run).get("eastAsia"))}


def _is_header_row(row) -> bool:
    trpr = row._tr.trPr
    return trpr is not None and trpr.find(qn("w:tblHeader")) is not None


def unbreakable_terms(document) -> list[str]:
    """The figures, codes and short terms in the lists' cells, which must each sit on one line."""
    terms: list[str] = []
    for table in document.tables:
        if table.rows and table.cell(0, 0).text.startswith("抄送："):
            continue  # the 版记
        for row in table.rows:
            if _is_header_row(row):
                continue  # a header may take two lines
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    text = _flat(paragraph.text)
                    cjk = len(_CJK.findall(text))
                    if len(text) >= 2 and (cjk == 0 or (cjk <= 6 and len(text) <= 10)):
                        terms.append(text)
    return list(dict.fromkeys(terms))


def _title_lines(document) -> list[str] | None:
    for paragraph in document.paragraphs[:14]:
        runs = [r for r in paragraph.runs if r.text.strip()]
        if runs and all(r.font.size is not None and r.font.size.pt == G.TITLE_PT for r in runs):
            return [_flat(part) for part in paragraph.text.split("\n") if part.strip()]
    return None


def _headings(document) -> list[str]:
    return [_flat(p.text) for p in document.paragraphs
            if _HEADING.match(p.text.strip()) and _fonts(p) & {G.HEADING1_FONT, G.HEADING2_FONT, "黑体", "楷体"}
            and len(_flat(p.text)) <= 30]


def _attachment_labels(document) -> list[str]:
    return [_flat(p.text) for p in document.paragraphs
            if re.fullmatch(r"附件\d*", _flat(p.text)) and G.HEADING1_FONT in _fonts(p)]


def _has_imprint(document) -> bool:
    return any(t.rows and t.cell(0, 0).text.startswith("抄送：") for t in document.tables)


# --- the checks ---------------------------------------------------------------------------------------
def check_rendered(docx_path: Path, pdf_path: Path) -> list[LintProblem]:
    """Every departure the rendered pages show, each naming the page and what to do."""
    document = Document(str(docx_path))
    pages = read_pdf(pdf_path)
    findings: list[LintProblem] = []
    findings += _split_terms(document, pages)
    findings += _split_amounts(document, pages)
    findings += _lone_characters(pages)
    findings += _title(document, pages)
    findings += _stranded_headings(document, pages)
    findings += _lonely_signature(pages)
    findings += _attachments(document, pages)
    findings += _red_rule(document, pages)
    if _has_imprint(document):
        findings += _imprint(pages)
    findings += _page_numbers(document, pages)
    return findings


def _split_terms(document, pages: Rendered) -> list[LintProblem]:
    joined = pages.joined
    broken = [t for t in unbreakable_terms(document) if t not in joined]
    if not broken:
        return []
    shown = "、".join(f"“{t}”" for t in broken[:5]) + (f"等 {len(broken)} 处" if len(broken) > 5 else "")
    return [LintProblem("表格", f"{shown}在表格中被折成两行。请加宽该列（或缩小该表字号），使数字、代码和短词各占一行。")]


def _amounts(document) -> Counter:
    """How many times each amount stands in the document's text and tables (a merged cell counted once)."""
    seen: set = set()
    found: Counter = Counter()
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    for paragraph in paragraphs:
        if paragraph._p in seen:
            continue
        seen.add(paragraph._p)
        found.update(AMOUNT.findall(_flat(paragraph.text)))
    return found


def _split_amounts(document, pages: Rendered) -> list[LintProblem]:
    """An amount on the rendered pages fewer times whole than the document holds it: split across two lines."""
    wanted = _amounts(document)
    whole: Counter = Counter(a for page in pages.lines for line in page for a in AMOUNT.findall(line.text))
    missing = {amount for amount, n in wanted.items() if whole[amount] < n}
    out = []
    for number in range(1, len(pages.lines) + 1):
        body = pages.body(number)
        for above, below in zip(body, body[1:]):
            joined = above.text + below.text
            for match in AMOUNT.finditer(joined):
                if match.group() in missing and match.start() < len(above.text) < match.end():
                    cut = len(above.text) - match.start()
                    out.append(LintProblem(f"第{number}页", f"金额“{match.group()}”被折成两行"
                                                         f"（“{match.group()[:cut]}／{match.group()[cut:]}”）。"
                                                         "金额及其大写应在同一行：请用本工具重新生成，或调整措辞。"))
                    missing.discard(match.group())
    return out + [LintProblem("金额", f"金额“{amount}”被折成两行。金额及其大写应在同一行：请用本工具重新生成。")
                  for amount in sorted(missing)]


def _lone_characters(pages: Rendered) -> list[LintProblem]:
    """Table cells whose text wraps and leaves one character alone on its last line (“司”, “号”): one finding,
    naming the first five by page and text."""
    lone = []
    for number, cells in enumerate(pages.cells, start=1):
        for lines in cells:
            if len(lines) > 1 and len(lines[-1].text) == 1:
                lone.append((number, "".join(line.text for line in lines), lines[-1].text))
    if not lone:
        return []
    shown = "、".join(f"第{n}页“{text}”（末行只剩“{last}”）" for n, text, last in lone[:5])
    more = f"等 {len(lone)} 处" if len(lone) > 5 else ""
    return [LintProblem(f"第{lone[0][0]}页", f"表格中{shown}{more}回行后末行只剩一个字。"
                                           "请加宽该列（其他列按内容收窄），或缩小该表字号。")]


def _title(document, pages: Rendered) -> list[LintProblem]:
    wanted = _title_lines(document)
    if not wanted:
        return []
    size = G.TITLE_PT
    lines = [line for line in pages.lines[0] if abs(line.size - size) < 0.6] if pages.lines else []
    seen = [line.text for line in lines]
    if seen and seen != wanted:
        return [LintProblem("标题", f"标题排成“{'／'.join(seen)}”，应为“{'／'.join(wanted)}”：回行处在词的中间或与设定不同。"
                                "请在词与词之间手动换行（Shift+Enter），排成梯形或菱形。")]
    widths = [(line.x1 - line.x0) / MM for line in lines]
    if len(widths) >= 3 and min(widths[1:-1]) < min(widths[0], widths[-1]) - SHAPE_TOLERANCE_MM:
        shown = " / ".join(f"{w:.1f}" for w in widths)
        return [LintProblem("标题", f"标题各行宽 {shown} 毫米，中间短、两头长（沙漏形）；GB/T 9704 要求排成梯形或菱形。"
                                "请换一处词与词之间回行（Shift+Enter）。")]
    return []


def _stranded_headings(document, pages: Rendered) -> list[LintProblem]:
    out = []
    count = len(pages.lines)
    for heading in _headings(document):
        start = heading[:12]
        for number in range(1, count):  # the last page cannot strand a heading
            body = pages.body(number)
            if body and body[-1].text.startswith(start):
                out.append(LintProblem(f"第{number}页", f"标题“{heading}”在页面最后一行，与正文分在两页。"
                                                     "请在 Word 的“段落—换行和分页”中勾选“与下段同页”。"))
    return out


def _lonely_signature(pages: Rendered) -> list[LintProblem]:
    out = []
    for number in range(1, len(pages.lines) + 1):
        body = pages.body(number)
        if number > 1 and body and all(line.text.startswith("（") and line.text.endswith("）") for line in body):
            out.append(LintProblem(f"第{number}页", f"附注“{body[0].text}”单独在一页上。附注应紧接成文日期，"
                                                 "请调整行距或字距，或把它与成文日期排在同一页。"))
        width = pages.sizes[number - 1][0]
        for index, line in enumerate(body):
            if G.DATE_LINE.match(line.text) and line.x0 > width / 3:
                above = body[:max(index - 1, 0)]  # the lines above the issuer's name
                if number > 1 and not above:
                    out.append(LintProblem(f"第{number}页", "署名和成文日期单独在一页上，没有正文（GB/T 9704 7.3.5.4）。"
                                                         "请调整行距或字距，使正文至少一行与署名同页。"))
    return out


def _attachments(document, pages: Rendered) -> list[LintProblem]:
    out = []
    for label in _attachment_labels(document):
        for number in range(1, len(pages.lines) + 1):
            body = pages.body(number)
            for index, line in enumerate(body):
                if line.text == label and index > 0:
                    out.append(LintProblem(f"第{number}页", f"“{label}”没有另起一页。附件应另面编排（段落设置“段前分页”）。"))
    return out


def _red_rule(document, pages: Rendered) -> list[LintProblem]:
    if not pages.rules:
        return []
    red = [r for r in pages.rules[0] if r.red]
    if not red:
        return []
    letter = letterhead(document) is not None
    wanted = G.LETTER_RULE_MM if letter else TYPE_WIDTH_MM
    wrong = next((rule for rule in red if abs(rule.width_mm - wanted) > TOLERANCE_MM), None)
    if wrong is None:
        return []
    return [LintProblem("第1页", f"红色分隔线长 {wrong.width_mm:.0f} 毫米，应为 {wanted:.0f} 毫米"
                                 f"（{'信函格式的红色双线' if letter else '与版心等宽'}）。")]


def imprint_page(pages: Rendered) -> int | None:
    """The page of the 版记: the last with a line that starts with 抄送."""
    found = [n for n in range(1, len(pages.lines) + 1) if any(line.text.startswith("抄送") for line in pages.body(n))]
    return found[-1] if found else None


def _imprint(pages: Rendered) -> list[LintProblem]:
    count = len(pages.lines)
    last = imprint_page(pages) or count
    out = []
    if last != count:
        out.append(LintProblem(f"第{last}页", f"版记不在最后一页（共 {count} 页）。版记应在公文最后一页，"
                                          "版记之后不再有内容；附件应排在版记之前。"))
    if last % 2:
        out.append(LintProblem(f"第{last}页", "版记在单页上。版记应在最后一页，而最后一页应为双页（纸张的背面）："
                                          "正文排完在单页时，版记排在下一页（编页码）；在双页且排不下版记时，加一空白页，"
                                          "版记排在其后的双页（二者均不编页码）。请用本工具重新生成。"))
    height = pages.sizes[last - 1][1]
    black = sorted((r for r in pages.rules[last - 1] if not r.red), key=lambda r: r.top)[-3:]  # not a list's
    bottom_edge = height - G.MARGIN_BOTTOM / 20
    if len(black) < 3:
        return out + [LintProblem(f"第{last}页", f"版记应有三条分隔线（首末条粗线、中间细线），渲染后只有 {len(black)} 条。")]
    short = [r for r in black if abs(r.width_mm - TYPE_WIDTH_MM) > TOLERANCE_MM]
    if short:
        out.append(LintProblem(f"第{last}页", f"版记分隔线长 {short[0].width_mm:.0f} 毫米，应与版心等宽（{TYPE_WIDTH_MM:.0f} 毫米）。"))
    gap = (bottom_edge - black[-1].top) / MM
    if abs(gap) > TOLERANCE_MM:
        out.append(LintProblem(f"第{last}页", f"版记最后一条分隔线{'高于' if gap > 0 else '低于'}版心下边缘 {abs(gap):.1f} 毫米，"
                                          "应与版心下边缘重合。请用本工具重新生成，或调整版记上方的空白段落。"))
    return out


def _page_number(pages: Rendered, number: int) -> Line | None:
    """The page number of a page: "— 1 —" under the type area, or set top to bottom on a turned page."""
    width, height = pages.sizes[number - 1]
    below = height - (G.MARGIN_BOTTOM if height > width else G.MARGIN_RIGHT) / 20
    flat = [line for line in pages.lines[number - 1] if _PAGE_NUMBER.match(line.text) and line.top >= below]
    turned = [line for line in (pages.turned[number - 1] if pages.turned else []) if _PAGE_NUMBER.match(line.text)]
    return (flat or turned or [None])[0]


def _blank(pages: Rendered, number: int) -> bool:
    turned = pages.turned[number - 1] if pages.turned else []
    return not pages.body(number) and not pages.rules[number - 1] and all(_PAGE_NUMBER.match(t.text) for t in turned)


def _page_numbers(document, pages: Rendered) -> list[LintProblem]:
    """Every page numbered but a blank page and the 版记 page after one (GB/T 9704 7.5; a letter's first page,
    10.1), counting on through the attachments; a landscape page's number turned with the sheet (§8)."""
    count = len(pages.lines)
    imprint = imprint_page(pages) if _has_imprint(document) else None
    letter = letterhead(document) is not None
    portrait = [(n, _page_number(pages, n)) for n in range(1, count + 1)
                if pages.sizes[n - 1][1] > pages.sizes[n - 1][0]]
    foot = next((pages.sizes[n - 1][1] - line.bottom for n, line in portrait if line is not None and line in
                 pages.lines[n - 1]), None)  # a portrait page's number: its distance from the sheet's foot
    out = []
    for n in range(1, count + 1):
        found = _page_number(pages, n)
        blank = _blank(pages, n)
        after_blank = n == imprint and n > 1 and _blank(pages, n - 1)
        if blank or after_blank:
            if found is not None:
                what = "空白页" if blank else "空白页之后的版记页"
                out.append(LintProblem(f"第{n}页", f"{what}编排了页码“{found.text}”。GB/T 9704 7.5：公文的版记页前有空白页的，"
                                                 "空白页和版记页均不编排页码。请用本工具重新生成。"))
            continue
        if found is None:
            if not (n == 1 and letter):
                out.append(LintProblem(f"第{n}页", "没有页码。除空白页和其后的版记页外，每页都编排页码（附件与正文连续编排）；"
                                                 "版记单独一页而前面没有空白页时，该页也编页码。请用本工具重新生成。"))
            continue
        value = re.sub(r"\D", "", found.text)
        if value != str(n):
            out.append(LintProblem(f"第{n}页", f"页码是“{found.text}”，应为 {n}：附件与正文连续编排页码。"))
        width, height = pages.sizes[n - 1]
        if width > height and portrait:
            out += _turned_number(n, found, found not in pages.lines[n - 1], foot, height)
    return out


def _turned_number(n: int, found: Line, turned: bool, foot: float | None, height: float) -> list[LintProblem]:
    """A landscape page's number in a portrait 公文: where the portrait pages have theirs once the sheet is turned
    back (GB/T 9704 §8) — along the page's left edge, an odd page's ending one character above the turned type
    area's foot, an even page's starting one character below its top."""
    why = ("GB/T 9704 第8章：横排表格页的页码位置应与公文其他页码一致，即在纸张装订后的下边（横排页面的左侧，文字随纸张转向），"
           "单页码居右（横排页面下端）、双页码居左（上端），各空一字。请用本工具重新生成。")
    if not turned:
        return [LintProblem(f"第{n}页", f"横排页的页码“{found.text}”排在横排页面的下边。{why}")]
    if n % 2:
        offset = (height - G.MARGIN_RIGHT / 20 - G.FOOTNOTE_PT) - found.bottom
    else:
        offset = found.top - (G.MARGIN_LEFT / 20 + G.FOOTNOTE_PT)
    off_side = foot is not None and abs(found.x0 - foot) > TOLERANCE_MM * MM
    if abs(offset) > TOLERANCE_MM * MM or off_side:
        return [LintProblem(f"第{n}页", f"横排页的页码“{found.text}”位置与其他页不一致。{why}")]
    return []
