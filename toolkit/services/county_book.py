"""A county's 上报文件: the clean copy of its saved workbook that goes to the city (the 生成上报文件 button), and
the policy a county workbook carries. The buttons that act on the open workbook itself (校验本表, 清除标记) are
the Excel door's own (``toolkit/excel/county_sheet.py``).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from toolkit.domain.carried_policy import carried_policy
from toolkit.domain.file_names import file_name
from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy
from toolkit.domain.stamp import STAMP_SHEET, FileKind, Stamp
from toolkit.domain.tables import Rows
from toolkit.ports.tools import tools
from toolkit.services.checking import DueRule, check_file, current_day
from toolkit.services.marking import FINDINGS_SHEET, marked_cells, set_stamp_kind
from toolkit.services.errors import UserError
from toolkit.services.policy import POLICY_FILE_NAME

SUBMISSION_DIR = "上报文件"


def data_sheets(sheets: dict[str, Rows]) -> dict[str, Rows]:
    """A county workbook's sheets without the findings sheet a check added."""
    return {name: rows for name, rows in sheets.items() if name != FINDINGS_SHEET}


@dataclass
class Submission:
    path: Path
    errors: int
    unexplained: int
    earlier: Path | None = None  # the 上报文件 made before under the same name, kept here (perhaps already sent)

    def summary(self) -> str:
        where = f"已生成上报文件“{self.path.name}”，位于“{self.path.parent}”。"
        if self.earlier is not None:
            where += f"以前生成的同名上报文件已移到“{self.earlier.relative_to(self.path.parent)}”保留。"
        if self.errors or self.unexplained:
            return (where + f"但其中仍有错误 {self.errors} 条、未说明的提示 {self.unexplained} 条，"
                    "市里将不予受理：请先改正，再生成一次。")
        return where + "校验通过，请将此文件（不是本工作簿）发送给市里。"


def carried_or_refuse(sheets: dict[str, Rows], name: str) -> tuple[Policy, str]:
    """The policy a workbook carries, and its words; refused in one sentence when it carries none."""
    rows = sheets.get(STAMP_SHEET) or []
    stamp = Stamp.from_rows(rows) if rows else None
    carried = carried_policy(rows, stamp.generated_at) if stamp is not None else None
    if carried is None:
        raise UserError(f"“{name}”没有附带市里的政策参数（模板由较早版本的工具生成，或不是市里下发的模板），"
                        f"不知道按哪个市的目标和标准校验。请向市里索取本期新模板，或把市里的“{POLICY_FILE_NAME}”"
                        "放在本工作簿所在的文件夹中再试。")
    return carried.policy, carried.source


def make_submission(path: Path, policy: Policy | None, out_dir: Path | None = None) -> Submission:
    """生成上报文件: a clean .xlsx copy of the SAVED workbook (no macros, no marks, no findings sheet),
    named by convention, verified to hold the same data, and checked."""
    path = Path(path)
    book = tools().workbooks.file_book(path, keep_vba=False)
    original = data_sheets(book.read_sheets())  # the file as saved, before anything is changed
    stamp = Stamp.from_rows(original.get(STAMP_SHEET, []))
    if stamp is None or not stamp.kind.is_submission or not stamp.county or not stamp.period:
        raise UserError(f"“{path.name}”不是市里下发的县市区报表（缺少或不符的模板标记），无法生成上报文件。")
    book.unmark(marked_cells(book))
    book.drop_sheet(FINDINGS_SHEET)
    set_stamp_kind(book, FileKind.REPORT)
    folder = Path(out_dir) if out_dir else path.parent / SUBMISSION_DIR
    target = folder / file_name(stamp.county, Period.parse(stamp.period))
    if target.resolve() == path.resolve():
        raise UserError(f"上报文件会与本工作簿同名同位置（{target}），请把本工作簿换个文件夹或改名后再生成。")
    earlier = _keep_earlier(target)
    book.save_as(target)
    copied = tools().workbooks.read_sheets(target)
    for name, rows in original.items():
        if name == STAMP_SHEET:
            continue
        if _trimmed(copied.get(name)) != _trimmed(rows):
            target.unlink(missing_ok=True)
            if earlier is not None:
                os.replace(earlier, target)  # the earlier one back under its name
            raise UserError(f"生成的上报文件与本工作簿“{name}”表的内容不一致，已删除，请联系维护人员。")
    check = check_file(target, policy, due=DueRule(current_day()))
    return Submission(target, check.errors, check.unexplained_hints, earlier)


EARLIER_DIR = "以前生成的"


def _keep_earlier(target: Path) -> Path | None:
    """A 上报文件 made before under the standard name (perhaps already sent) is moved, with the time it was made,
    into a subfolder, never written over: the new one takes the name the city's inbox reads."""
    if not target.exists():
        return None
    made = dt.datetime.fromtimestamp(target.stat().st_mtime)
    kept = tools().files.unused_path(target.parent / EARLIER_DIR, f"{target.stem}（{made:%Y-%m-%d %H%M%S} 生成）",
                                     target.suffix)
    kept.parent.mkdir(exist_ok=True)
    try:
        os.replace(target, kept)
    except OSError:
        raise UserError(f"以前生成的上报文件“{target.name}”无法移开（可能正在 WPS 或 Excel 中打开）。"
                        f"请关闭它后再点“生成上报文件”。") from None
    return kept


def _trimmed(rows: Rows | None) -> list[list[object]]:
    out = [list(r) for r in rows or []]
    for row in out:
        while row and row[-1] in (None, ""):
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out
