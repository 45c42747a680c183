"""The province level is the city's use cases one level up, not a copy (#39): the command line's `guishang
consolidate` and the workbench's 汇总 run on a province workspace call the very consolidation a city's doors call,
which reads each 市州's summary where it would read a county's report (the spy counts both), and both doors give the
same province summary."""

from __future__ import annotations

import re
import shutil
import time

import pytest

from toolkit.cli import main
from toolkit.services import consolidation, intake, province_intake
from toolkit.services.workspace import Workspace
from toolkit.web.app import create_app


@pytest.fixture()
def province(tmp_path, consolidated_2022_06, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    root = tmp_path / "省工作区"
    assert main(["init", "--level", "province", str(root)]) == 0
    (summary,) = sorted((consolidated_2022_06 / "输出" / "汇总").glob("*汇总表_2022-06*.xlsx"))
    shutil.copyfile(summary, root / "收件箱" / summary.name)
    return Workspace(root)


@pytest.fixture()
def calls(monkeypatch):
    """Each door's calls of the one consolidation use case and of the province's reading of a summary."""
    seen = {"consolidate": 0, "summary": 0}
    real_consolidate, real_examine = consolidation.consolidate, province_intake.examine_summary

    def consolidate(*args, **kwargs):
        seen["consolidate"] += 1
        return real_consolidate(*args, **kwargs)

    def examine(*args, **kwargs):
        seen["summary"] += 1
        return real_examine(*args, **kwargs)

    for where in ("toolkit.services.consolidation.consolidate", "toolkit.cli.workspace.consolidate"):
        monkeypatch.setattr(where, consolidate, raising=False)
    monkeypatch.setattr("toolkit.web.city.consolidating.consolidate", consolidate, raising=False)
    monkeypatch.setattr(intake, "examine_summary", examine)
    return seen


def _summary_rows(workspace: Workspace):
    from toolkit.adapters.workbook_file import read_sheets

    (path,) = sorted((workspace.output / "汇总").glob("湖南省规上工业企业汇总表_2022-06*.xlsx"))
    return read_sheets(path)["概览"][4:18]


def test_the_command_line_consolidates_a_province_with_the_citys_use_case(province, calls, capsys):
    # exit 1, as for a city with findings: Zhuzhou's two returned counties and its open period, told to the province
    assert main(["consolidate", "--workspace", str(province.root), "--period", "2022-06"]) == 1
    said = capsys.readouterr().out
    assert calls == {"consolidate": 1, "summary": 1}, calls
    assert "株洲市" in said
    rows = {r[0]: r for r in _summary_rows(province)}
    assert rows["株洲市"][1] == "已受理" and rows["株洲市"][5] == 156 and rows["长沙市"][1] == "未报送"


def test_the_workbench_consolidates_a_province_with_the_same_use_case(province, calls):
    client = create_app(province.policy(), policy_source="工作区的政策参数.xlsx", workspace=province).test_client()
    page = client.get("/status").get_data(as_text=True)
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    job = client.post("/consolidate", data={"csrf": csrf, "period": "2022-06"}).headers["Location"]
    for _ in range(150):
        progress = client.get(job + "/progress").get_data(as_text=True)
        if 'data-state="done"' in progress:
            break
        time.sleep(0.1)
    else:
        raise AssertionError(progress)
    assert calls == {"consolidate": 1, "summary": 1}, calls
    rows = {r[0]: r for r in _summary_rows(province)}
    assert rows["株洲市"][5] == 156 and len(rows) >= 14
