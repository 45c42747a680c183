"""Where the 版记 goes, decided from the pages as LibreOffice sets them (GB/T 9704 7.4 and 7.5).

The 版记 sits at the foot of the last page, and the last page is an even one (the back of a sheet). Where the
text ends is known only once it is set, so a rendered document is measured and its imprint placed:
- the text ends on an even portrait page with room under it: the 版记 goes on that page, under the text,
  its last rule on the bottom edge of the type area (SAME_PAGE);
- the text ends on an odd page: the 版记 takes the next, even page alone, and that page is numbered, since no
  blank page precedes it (OWN_PAGE);
- the text ends on an even page without room (or on a landscape page): a blank page, then the 版记 page,
  both without page numbers ("公文的版记页前有空白页的，空白页和版记页均不编排页码", AFTER_BLANK).
The document is then set again to check the 版记 landed where it was meant to, its last rule on the type
area's foot (within 0.35 pt of the aim); the spacer above it is corrected from what was measured if not. Without
LibreOffice the document keeps the layout the builder gave it (the 版记 in a section starting on an even page,
unnumbered), which Word sets on an even page whatever the text.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.gbt9704_docx import _page_number
from toolkit.adapters.office_pdf import soffice, to_pdf
from toolkit.adapters.rendered_lint import Rendered, imprint_page, read_pdf
from toolkit.domain import gbt9704 as G

SAME_PAGE, OWN_PAGE, AFTER_BLANK = "同页", "单独一页", "空白页之后"
MIN_GAP_PT = G.LINE_PT / 2  # the least room between the text's last line and the 版记's first rule
LINE_BELOW_PT = 6.3  # the spacer starts this far under the last line's characters (三号, 28.95 pt lines), measured
TYPE_TOP_PT = G.MARGIN_TOP / 20
FOOT_PT = (G.PAGE_HEIGHT - G.MARGIN_BOTTOM) / 20  # the bottom edge of the type area, from the top of the page
RULE_BELOW_SPACER_PT = 1.0  # the first rule's top under the spacer's end, measured
AIM_PT = 2.3  # the last rule's top this far above that edge: the rule (1 pt) and the 1 pt paragraph a document
# ends with after a table then fit on the page (1.3 pt pushes that paragraph onto a page of its own)
CLOSE_PT = 0.35  # points: what is left after a correction is the twip the spacer is rounded to (lint-doc allows
# a millimetre, 2.8 pt)
ROUNDS = 3  # settings tried after the first measure, correcting the spacer each time


@dataclass(frozen=True)
class Measure:
    """Where the text ends and the 版记 lies on the rendered pages."""

    pages: int
    text_page: int  # the last page with a line of the text (not the 版记's)
    text_bottom: float  # the bottom of its last line, in points from the top of the page
    text_landscape: bool
    imprint_page: int
    first_rule: float  # the top of the 版记's first rule
    last_rule: float  # the top of the 版记's last rule

    @property
    def gap(self) -> float:
        return FOOT_PT - self.last_rule


def measure(pages: Rendered) -> Measure | None:
    """The text's end and the 版记's place, or None when the pages show no 版记 with its three rules."""
    found = imprint_page(pages)
    if found is None:
        return None
    rules = sorted((r for r in pages.rules[found - 1] if not r.red), key=lambda r: r.top)
    if len(rules) < 3:
        return None
    first = rules[-3].top
    text_page, bottom = 0, 0.0
    for number in range(found, 0, -1):
        above = [line for line in pages.body(number) if line.bottom < first or number < found]
        if above:
            text_page, bottom = number, max(line.bottom for line in above)
            break
    width, height = pages.sizes[text_page - 1] if text_page else (0, 1)
    return Measure(len(pages.lines), text_page, bottom, width > height, found, first, rules[-1].top)


def _imprint_parts(document):
    """The 版记's table and the spacer paragraph above it, or None when the document has no 版记 as built."""
    table = next((t for t in document.tables if t.rows and t.cell(0, 0).text.startswith("抄送：")), None)
    if table is None:
        return None
    spacer = table._tbl.getprevious()
    if spacer is None or spacer.tag != qn("w:p") or "".join(spacer.itertext()).strip():
        return None  # rearranged by hand: left as it is
    return table, spacer


def _set_spacer(spacer, points: float) -> None:
    spacer.get_or_add_pPr().get_or_add_spacing().set(qn("w:line"), str(max(20, round(points * 20))))


def _section_end(spacer):
    """The paragraph that ends the section before the 版记's (it holds that section's properties)."""
    previous = spacer.getprevious()
    if previous is None or previous.tag != qn("w:p") or previous.pPr is None or previous.pPr.sectPr is None:
        return None
    return previous


def arrange(document, mode: str, spacer_pt: float) -> None:
    """Lay out the 版记 of ``document`` (as the builder made it, in a section of its own) in ``mode``, with a
    spacer of ``spacer_pt`` above it."""
    _, spacer = _imprint_parts(document)
    end = _section_end(spacer)
    body = document.element.body
    if mode == SAME_PAGE:
        if end is None:  # one section already
            _set_spacer(spacer, spacer_pt)
            return
        properties = end.pPr.sectPr
        end.pPr.remove(properties)
        last = body.sectPr
        last.addprevious(properties)
        body.remove(last)
        if not "".join(end.itertext()).strip():
            body.remove(end)
    else:
        section = document.sections[-1]
        section.start_type = WD_SECTION.NEW_PAGE  # Word and LibreOffice alike (an even-page start shifts
        # LibreOffice's page by 10 pt); the page it starts on is known now
        if mode == OWN_PAGE:
            for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                                  (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
                footer.is_linked_to_previous = False
                if not any(p.text.strip() for p in footer.paragraphs):
                    for run in list(footer.paragraphs[0].runs):
                        run._r.getparent().remove(run._r)
                    _page_number(footer, align)
        else:  # the blank page: the section's first paragraph, the 版记 on the page after it
            blank = OxmlElement("w:p")
            spacer.addprevious(blank)
            spacer.get_or_add_pPr().insert_element_before(OxmlElement("w:pageBreakBefore"), *_AFTER_PAGE_BREAK)
    _set_spacer(spacer, spacer_pt)


_AFTER_PAGE_BREAK = tuple(f"w:{name}" for name in (
    "framePr", "widowControl", "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
    "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
    "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
    "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange"))


def choose(seen: Measure) -> tuple[str, float]:
    """The layout for a document whose text ends as ``seen`` shows, and the spacer that puts the 版记's last
    rule on the foot of the type area: from the top of the type area on a page of its own, from under the
    text's last line on the text's page."""
    block = seen.last_rule - seen.first_rule + RULE_BELOW_SPACER_PT  # from the spacer's end to the last rule
    own = FOOT_PT - AIM_PT - block - TYPE_TOP_PT
    if seen.text_page % 2:
        return OWN_PAGE, own
    if not seen.text_landscape:
        same = FOOT_PT - AIM_PT - block - (seen.text_bottom + LINE_BELOW_PT)
        if same >= MIN_GAP_PT:
            return SAME_PAGE, same
    return AFTER_BLANK, own


def _wanted(mode: str, before: Measure) -> int:
    """The page the 版记 goes on in ``mode``."""
    return before.text_page + {SAME_PAGE: 0, OWN_PAGE: 1, AFTER_BLANK: 2}[mode]


def place_imprint(path: Path) -> str:
    """Place the 版记 of the document at ``path`` from its rendered pages (see the module); returns the layout
    chosen, or "" when there is nothing to place, no LibreOffice, or no layout that checks out (the document
    then keeps the builder's)."""
    path = Path(path)
    original = path.read_bytes()
    if soffice() is None or _imprint_parts(Document(io.BytesIO(original))) is None:
        return ""
    with tempfile.TemporaryDirectory(prefix="guishang-imprint-") as work:
        def render(name: str) -> Measure | None:
            return measure(read_pdf(to_pdf(path, Path(work) / f"{name}.pdf")))

        first = render("0")
        if first is None or not first.text_page:
            return ""
        mode, spacer = choose(first)
        for attempt in range(1, ROUNDS + 1):
            document = Document(io.BytesIO(original))
            arrange(document, mode, spacer)
            with atomic_output(path) as temp:
                document.save(str(temp))
            seen = render(str(attempt))
            wanted = _wanted(mode, first)
            if seen is None or seen.imprint_page != wanted or wanted % 2:
                if mode != SAME_PAGE:
                    break
                mode, spacer = AFTER_BLANK, choose(replace(first, text_landscape=True))[1]  # no room after all
                continue
            if seen.pages > wanted:  # the paragraph after the 版记 pushed onto a page of its own
                spacer -= 1
                continue
            if abs(seen.gap - AIM_PT) <= CLOSE_PT or attempt == ROUNDS:
                return mode  # on its page; lint-doc names a foot still off by more than a millimetre
            spacer += seen.gap - AIM_PT
    with atomic_output(path) as temp:  # nothing checked out: the builder's layout
        temp.write_bytes(original)
    return ""
