"""Normalising what clerks type: full-width characters, stray spaces, numbers stored as text."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


def is_blank(value: object) -> bool:
    """True for None, empty strings and strings made only of (full-width) spaces."""
    if value is None:
        return True
    if isinstance(value, str):
        return _SPACES.sub("", value) == ""
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
