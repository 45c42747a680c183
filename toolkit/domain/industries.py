"""GB/T 4754-2017 国民经济行业分类, as far as 应入尽入 needs it: the 20 sections (门类, A–T) and 97 divisions (大类,
01–97). Industry (工业) is sections B, C and D, that is divisions 06–46.

The table ships in the package (``toolkit/resources/gbt4754_2017.csv``: 代码, 名称, 门类); a door or service reads it
and hands its text to ``parse_classification``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

INDUSTRIAL_SECTIONS = frozenset("BCD")


@dataclass(frozen=True)
class Classification:
    sections: dict[str, str]  # "C" -> 制造业
    divisions: dict[str, str]  # "13" -> 农副食品加工业
    section_of: dict[str, str]  # "13" -> "C"

    def industrial(self, division: str) -> bool:
        """Whether a division (two digits, or a longer class code starting with them) is industry (B, C, D)."""
        return self.section_of.get(str(division).strip()[:2], "") in INDUSTRIAL_SECTIONS

    @property
    def industrial_divisions(self) -> list[str]:
        return [code for code in self.divisions if self.industrial(code)]


def parse_classification(text: str) -> Classification:
    sections: dict[str, str] = {}
    divisions: dict[str, str] = {}
    section_of: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        code, name, section = row["代码"].strip(), row["名称"].strip(), row["门类"].strip()
        if code.isalpha():
            sections[code] = name
        else:
            divisions[code] = name
            section_of[code] = section
    return Classification(sections, divisions, section_of)
