"""A county report as read from its workbook: typed values that remember where they came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.domain.findings import cell_address
from toolkit.domain.periods import Period
from toolkit.domain.stamp import Stamp


@dataclass
class Record:
    """One row of a list sheet; ``values`` are typed (None when empty or unreadable)."""

    sheet: str  # worksheet name
    row: int  # 1-based worksheet row
    values: dict[str, object]
    raw: dict[str, object]  # the cell values as typed, for messages
    columns: dict[str, int]  # column key -> 0-based column index in this workbook

    def cell(self, key: str) -> str:
        return cell_address(self.row, self.columns[key]) if key in self.columns else ""

    @property
    def explained(self) -> bool:
        return bool(self.values.get("note"))


@dataclass
class CountyReport:
    file: str
    stamp: Stamp | None = None
    county: str = ""
    period: Period | None = None
    cover: dict[str, object] = field(default_factory=dict)
    cover_cells: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> (1-based row, 0-based col)
    lists: dict[str, list[Record]] = field(default_factory=dict)  # sheet key -> records
    # the template's sheet names as this workbook spells them (“新增入规企业 ” with a trailing space, full-width
    # letters): findings and links name the sheet the county really has
    sheet_names: dict[str, str] = field(default_factory=dict)

    def sheet(self, name: str) -> str:
        return self.sheet_names.get(name, name)

    def records(self, key: str) -> list[Record]:
        return self.lists.get(key, [])
