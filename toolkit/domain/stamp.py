"""The hidden stamp every generated workbook carries: what kind of file it is, for which county and period.

A template filled in by a county is a report; a marked copy or a results workbook never is, and the
reader refuses to take one for a submission.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from toolkit.domain.tables import Rows, cell, find_label
from toolkit.domain.text import clean_text

STAMP_SHEET = "_stamp"


class FileKind(str, Enum):
    TEMPLATE = "template"  # 报表模板, as sent to the county (filled in, it is the report)
    REPORT = "report"  # 上报文件, a clean copy made for sending
    MARKED = "marked"  # 校验标注副本
    RESULTS = "results"  # 校验结果
    SUMMARY = "summary"  # 汇总表
    REWARDS = "rewards"  # 奖励明细
    CONTROL = "control"  # 市级控制台
    WORKLIST = "worklist"  # 培育工作清单
    SCREENING = "screening"  # 应入尽入候选企业、工作清单
    CITY_REPORT = "city_report"  # 市州报表: the province template a 市州 without guishang fills in

    @property
    def label(self) -> str:
        return {"template": "报表模板", "report": "上报文件", "marked": "校验标注副本", "results": "校验结果",
                "summary": "汇总表", "rewards": "奖励明细",
                "control": "市级控制台", "worklist": "培育工作清单", "screening": "应入尽入清单",
                "city_report": "市州报表"}[self.value]

    @property
    def is_submission(self) -> bool:
        return self in (FileKind.TEMPLATE, FileKind.REPORT)


_LABELS = {
    "kind": "文件类型",
    "schema_version": "模板版本",
    "county": "县市区",
    "period": "报送期",
    "generated_at": "生成时间",
    "tool_version": "工具版本",
}


@dataclass(frozen=True)
class Stamp:
    kind: FileKind
    schema_version: str
    county: str
    period: str
    generated_at: str = ""
    tool_version: str = ""

    def to_rows(self) -> list[list[str]]:
        values = {**self.__dict__, "kind": self.kind.value}
        return [[label, str(values[key])] for key, label in _LABELS.items()]

    def with_kind(self, kind: FileKind) -> "Stamp":
        return Stamp(kind, self.schema_version, self.county, self.period, self.generated_at, self.tool_version)

    @classmethod
    def from_rows(cls, rows: Rows) -> "Stamp | None":
        values = {}
        for key, label in _LABELS.items():
            index = find_label(rows, label)
            values[key] = clean_text(cell(rows, index, 1)) if index is not None else ""
        try:
            kind = FileKind(values.pop("kind"))
        except ValueError:
            return None
        return cls(kind=kind, **values)
