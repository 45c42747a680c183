"""A workspace for the 培育 page's tests (#37): the shipped 2022-03, 2022-06 and 2022-09 reports consolidated, with
天元区's rows changed the way a real year brings them — one pool firm growing from 1150 to 2080 万元 over the three
quarters, another pool firm entering the register in August (listed as 新增 while still in the pool), an at-risk firm
without measures and a problem past its deadline."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl

from county_files import LIST_FIRST_ROW as FIRST, edit_workbook, list_rows

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "县区报表"
FOLDERS = {"2022-03": ("2022-03",), "2022-06": ("2022-06", "2022-06补报"), "2022-09": ("2022-09", "2022-09补报")}
GROWING = {"2022-03": 1150.0, "2022-06": 1600.0, "2022-09": 2080.0}  # 天元区's first pool firm, 本年累计
TIANYUAN = "天元区_{period}_规上工业企业报表.xlsx"


def pool_firm(row: int) -> tuple[str, str]:
    """(code, name) of 天元区's pool firm at ``row`` of its 2022-09 report."""
    sheet = openpyxl.load_workbook(SAMPLES / "2022-09" / TIANYUAN.format(period="2022-09"))["重点培育企业"]
    return sheet.cell(row, 1).value, sheet.cell(row, 2).value


GROWER, ENTERED = pool_firm(FIRST), pool_firm(FIRST + 1)


def _edit_tianyuan(path: Path, period: str) -> None:
    edits = [("重点培育企业", FIRST, 4, GROWING[period])]
    if period == "2022-09":
        edits += [("重点培育企业", FIRST, 8, "已督促申报"),  # at the threshold: explained (W121)
                  ("重点培育企业", FIRST + 1, 8, "8月已入规，下期移出"),  # entered, still listed: explained (W125)
                  ("退规风险企业", FIRST, 5, "无"),  # an at-risk firm without measures
                  ("问题台账", FIRST, 5, dt.datetime(2022, 9, 1)), ("问题台账", FIRST, 6, "办理中"),
                  ("问题台账", FIRST, 7, "正在协调")]  # 37 days overdue on 2022-10-08, the calendar's due date
        free = FIRST + len(list_rows(openpyxl.load_workbook(path), "新增入规企业"))
        code, name = ENTERED
        edits += [("新增入规企业", free, col, value) for col, value in
                  enumerate((code, name, "新建投产", "月度入库", "2022-08", "3072", 2150.0, 31.5, 42), start=1)]
    edit_workbook(path, edits)


def pipeline_year(root: Path, periods=("2022-03", "2022-06", "2022-09"), counties: tuple[str, ...] = ()):
    """A workspace at ``root`` with ``periods`` consolidated as above (only ``counties``' reports when given)."""
    from toolkit.demo.samples import accept_examples
    from toolkit.domain.periods import Period
    from toolkit.services.consolidation import consolidate
    from toolkit.services.workspace import init_workspace

    workspace, _ = init_workspace(root)
    shutil.copy2(ROOT / "samples" / "政策参数.xlsx", workspace.policy_path)
    accept_examples(workspace.policy_path)
    for period in periods:
        for folder in FOLDERS[period]:
            for sample in sorted((SAMPLES / folder).glob("*.xlsx")):
                if not counties or sample.name.split("_")[0] in counties:
                    shutil.copy2(sample, workspace.inbox / sample.name)
        tianyuan = workspace.inbox / TIANYUAN.format(period=period)
        if tianyuan.exists():
            _edit_tianyuan(tianyuan, period)
        consolidate(workspace, Period.parse(period), parallel=False)
    return workspace
