"""Normalising what clerks type: full-width characters, stray spaces, numbers stored as text."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
# Characters no clerk means to type: C0 controls (tab and line breaks aside), DEL, the non-characters
# XML cannot carry, and the bidirectional overrides that make text display in another order than it is.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_LINE_BREAKS = re.compile("[\t\n\r]")
NOT_SPACE = re.compile(r"[^\s\u3000\u00a0\u200b\ufeff]")  # what makes a cell not blank (_SPACES's complement)
# text that clean_text leaves as it is and in which hidden_characters finds nothing: no control character or
# line break, no space to trim at either end, no full-width or no-break space to fold
NOT_PLAIN_TEXT = re.compile("[\x00-\x1f\x7f\u00a0\u3000\u200b\ufeff\ufffe\uffff\u202a-\u202e\u2066-\u2069"
                            "\ud800-\udfff]|^ | $")
PLAIN_CODE = re.compile(r"[0-9A-Z]+")  # a code normalise_code leaves as it is


def plain_text(value: object) -> bool:
    """True when ``value`` is a string that clean_text, hidden_characters (either way) and safe_text leave alone."""
    return type(value) is str and NOT_PLAIN_TEXT.search(value) is None


def plain_code(value: object) -> bool:
    """True when ``value`` is a string that normalise_code returns unchanged."""
    return type(value) is str and PLAIN_CODE.fullmatch(value) is not None


SHOWN_LENGTH = 120  # a value quoted in a message is cut here


def is_blank(value: object) -> bool:
    """True for None, empty strings and strings made only of (full-width) spaces."""
    if value is None:
        return True
    if isinstance(value, str):
        return NOT_SPACE.search(value) is None
    if isinstance(value, float) and math.isnan(value):
        return True
    return False


def clean_text(value: object) -> str:
    """Text as a clerk meant it: trimmed (also full-width spaces), numbers without a spurious '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    text = str(value).replace("\u3000", " ").replace("\u00a0", " ")
    return text.strip(" \t\r\n\u200b\ufeff")


def halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation folded to their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def normalise_name(value: object) -> str:
    """A unit or header name compared loosely: NFKC, no spaces at all ("攸 县" == "攸县")."""
    return _SPACES.sub("", halfwidth(clean_text(value)))


def normalise_code(value: object) -> str:
    """A code (USCC, industry code): half-width, upper case, no spaces or dashes inside."""
    return re.sub(r"[\s\-]", "", halfwidth(clean_text(value))).upper()


class NotANumber(ValueError):
    """The value cannot be read as a number."""


_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(value: object) -> float:
    """A number from a cell: real numbers as they are, text like ' １,２３４.５ ' tolerated."""
    if isinstance(value, bool):
        raise NotANumber(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            raise NotANumber(value)
        return float(value)
    text = halfwidth(clean_text(value)).replace(",", "").replace(" ", "")
    if not _NUMBER_TEXT.match(text):
        raise NotANumber(value)
    return float(text)


def hidden_characters(text: str, *, one_line: bool = False) -> list[str]:
    """The invisible control characters in ``text`` (with tab and line breaks when ``one_line``)."""
    found = _CONTROL.findall(text)
    if one_line:
        found += _LINE_BREAKS.findall(text)
    return found


def _picture(char: str) -> str:
    # "[U+0007]", not the Unicode control picture "␇": CJK fonts (宋体, Noto) have no glyph for those,
    # so a clerk would see an empty box where the hidden character is
    return f"[U+{ord(char):04X}]"


def shown(value: object, limit: int = SHOWN_LENGTH) -> str:
    """A value as quoted in a message or a cell: control characters made visible, long text cut."""
    text = clean_text(value)
    text = _CONTROL.sub(lambda m: _picture(m.group(0)), text)
    if len(text) > limit:
        text = f"{text[:limit]}…（共 {len(text):,} 字）"
    return text


def safe_text(text: str) -> str:
    """Text that any output format can carry: the characters XML forbids (and bidi overrides) made
    visible; line breaks and tabs kept."""
    return _CONTROL.sub(lambda m: _picture(m.group(0)), text) if _CONTROL.search(text) else text


CELL_LIMIT = 32_767  # the most an Excel cell holds, in UTF-16 code units (an emoji takes two)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def cell_text(text: str) -> str:
    """``safe_text`` cut to what one Excel cell can hold (the cut says so)."""
    text = safe_text(text)
    if len(text) * 2 <= CELL_LIMIT or _utf16_length(text) <= CELL_LIMIT:
        return text
    note = f"…（已截断，原文共 {len(text):,} 字）"
    kept = text[:CELL_LIMIT - len(note)]
    while _utf16_length(kept) > CELL_LIMIT - len(note):
        kept = kept[:-max(1, (_utf16_length(kept) - CELL_LIMIT + len(note)) // 2)]
    return kept + note
