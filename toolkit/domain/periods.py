"""Reporting periods (报送期, YYYY-MM) and months typed by clerks."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from toolkit.domain.text import clean_text, halfwidth


_PARSED: dict[str, "Period"] = {}


class BadPeriod(ValueError):
    """Text that is not a month."""


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month; a report period is the month up to which year-to-date lists run."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 2999:
            raise BadPeriod(f"{self.year}-{self.month}")
        object.__setattr__(self, "_text", f"{self.year}-{self.month:02d}")  # written for every row of a large summary

    @classmethod
    def parse(cls, value: object) -> "Period":
        """'2022-06', '2022/6', '2022.06', '2022年6月', '202206', or a date value."""
        if isinstance(value, Period):
            return value
        if isinstance(value, (dt.date, dt.datetime)):
            return cls(value.year, value.month)
        if isinstance(value, str) and value in _PARSED:
            return _PARSED[value]
        period = cls._parse_text(value)
        if isinstance(value, str) and len(_PARSED) < 10_000:
            _PARSED[value] = period  # the same few months are read again and again
        return period

    @classmethod
    def _parse_text(cls, value: object) -> "Period":
        text = halfwidth(clean_text(value)).replace(" ", "")
        match = re.fullmatch(r"(\d{4})(?:[-/.年](\d{1,2})月?|(\d{2}))", text)
        if not match:
            raise BadPeriod(text)
        month = match.group(2) or match.group(3)
        return cls(int(match.group(1)), int(month))

    def __str__(self) -> str:
        return self._text

    @property
    def label(self) -> str:
        """Chinese label of the year-to-date span: '2022年1-6月' (or '2022年1月')."""
        if self.month == 1:
            return f"{self.year}年1月"
        return f"{self.year}年1-{self.month}月"

    @property
    def official_label(self) -> str:
        """The label as a 公文 writes it, with the 一字线 of a range (GB/T 15834): '2022年1—6月'. File names
        keep ``label``'s hyphen."""
        return self.label.replace("-", "—")

    def months_of_year_so_far(self) -> list["Period"]:
        return [Period(self.year, m) for m in range(1, self.month + 1)]
