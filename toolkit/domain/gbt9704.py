"""GB/T 9704-2012 党政机关公文格式, as numbers: what the document builder writes and the checker verifies.

Lengths are in twips (1/20 pt; 1 mm = 56.7 twips) unless the name says pt. "practice" marks what the
standard leaves open and local offices settle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PAGE_WIDTH = 11906  # A4 210 mm
PAGE_HEIGHT = 16838  # A4 297 mm
MARGIN_TOP = 2098  # 天头 37 mm
MARGIN_BOTTOM = 1984  # 35 mm (type area 225 mm)
MARGIN_LEFT = 1587  # 订口 28 mm
MARGIN_RIGHT = 1474  # 26 mm (type area 156 mm)
MARGIN_TOLERANCE = 57  # ± 1 mm
FOOTER_DISTANCE = 1191  # page number 7 mm under the type area: 35 mm − 7 mm − line ≈ 21 mm from the edge

LINE_PT = 28.95  # exact line spacing: 22 lines in the 225 mm type area
TYPE_HEIGHT_PT = (PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) / 20  # 225 mm
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
CHAR_SPACING_PT = -0.25  # with a "lines" grid, LibreOffice then sets 28 characters per line

BODY_FONT = "仿宋_GB2312"  # 三号 仿宋
BODY_PT = 16
TITLE_FONT = "方正小标宋简体"  # 二号 小标宋
TITLE_PT = 22
MARK_FONT = "方正小标宋简体"  # 发文机关标志 (practice: larger than the title)
MARK_PT = 36  # 小初 (practice)
HEADING1_FONT = "黑体"  # 一、
HEADING2_FONT = "楷体_GB2312"  # （一）
FOOTNOTE_PT = 14  # 四号: 版记 (抄送, 印发) and page numbers
PAGE_NUMBER_FONT = "宋体"
RED = "FF0000"  # screen red (print ink Y80 M80)
RED_LINE_EIGHTHS = 12  # 1.5 pt, in eighths of a point (practice 1.5–2.25 pt)
IMPRINT_OUTER_EIGHTHS = 8  # 版记 first and last lines 0.35 mm ≈ 1 pt
IMPRINT_INNER_EIGHTHS = 6  # middle line 0.25 mm ≈ 0.75 pt
LETTER_MARK_TOP_MM = 30  # 信函格式: the authority's name 30 mm from the top edge of the page
LETTER_MARK_PT = 30  # its size (practice: a little smaller than a 文件's mark)
LETTER_RULE_MM = 170  # the red double rules of a letter, centred
LETTER_RULE_EIGHTHS = 18  # a double rule of 2.25 pt overall
INDENT_PT = 32  # first-line indent: two characters of 三号

PAGE_NUMBER_TEXT = "— {} —"  # "— 1 —": em dashes around half-width Arabic digits


# a line that is a 成文日期 alone: "2022年7月5日", or the blank an office fills at signing
DATE_LINE = re.compile(r"^\s*(\d{4}年\d{1,2}月\d{1,2}日|　+年　+月　+日)\s*$")


def date_text(day) -> str:
    """2022年7月5日: Arabic numerals, full year, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class DocNumber:
    """A 发文字号 given by the tool: 株工信发〔2022〕12号 is prefix 株工信发, year 2022, number 12."""

    prefix: str
    year: int
    number: int

    @property
    def text(self) -> str:
        return doc_number(self.prefix, self.year, self.number)


def doc_number(prefix: str, year: int, number: int | None) -> str:
    """株工信发〔2022〕12号; without a number, the blank the office fills at signing: 株工信发〔2022〕  号."""
    return f"{prefix}〔{year}〕{number if number is not None else '  '}号"
