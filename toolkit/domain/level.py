"""The level a workspace works at: a city (市) consolidating its 县市区, or a province (省) consolidating its 市州.

The level is policy data (基本信息 row 层级); a workbook without the row is a city's, so every city workbook made
before the province level existed reads unchanged.
"""

from __future__ import annotations

from enum import Enum


class Level(Enum):
    CITY = "city"
    PROVINCE = "province"

    @property
    def label(self) -> str:
        """What the policy workbook's 层级 row says: 市 or 省."""
        return _LABELS[self][0]

    @property
    def unit_label(self) -> str:
        """What the reporting units are called at this level: 县市区 or 市州."""
        return _LABELS[self][1]

    @property
    def total_label(self) -> str:
        """The total row's name: 全市 or 全省."""
        return _LABELS[self][2]

    @property
    def member_label(self) -> str:
        """What a reporting unit is made of: nothing at city level; 县市区 for a 市州."""
        return _LABELS[self][3]

    @property
    def consolidator(self) -> str:
        """Who consolidates and decides, as a sentence says it: 市里 or 省里."""
        return _LABELS[self][0] + "里"

    @classmethod
    def of_units(cls, unit_label: str) -> "Level":
        """The level whose units are called ``unit_label`` (a summary knows its units' name): 市州 → province."""
        return cls.PROVINCE if unit_label == _LABELS[cls.PROVINCE][1] else cls.CITY

    @classmethod
    def from_label(cls, text: str) -> "Level | None":
        """The level a 层级 cell names (市 / 省, also 市级 / 省级); None for anything else."""
        text = (text or "").strip().removesuffix("级")
        return next((level for level, (label, *_) in _LABELS.items() if label == text), None)


_LABELS = {
    Level.CITY: ("市", "县市区", "全市", ""),
    Level.PROVINCE: ("省", "市州", "全省", "县市区"),
}
