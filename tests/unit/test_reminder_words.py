"""The 催报函 says why a county's report was returned in plain words (#36): how many problems stand in the way and
where each is explained, never the checker's names for its findings — one case per way a report is returned."""

from __future__ import annotations

import pytest

from toolkit.domain.figures import CountyStatus
from toolkit.domain.findings import KINDS
from toolkit.domain.period_summary import StatusRow
from toolkit.services.notices import _returned


def _row(errors=0, unexplained=0, causes=()):
    return StatusRow("攸县", CountyStatus.REJECTED, "攸县_2022-06_规上工业企业报表.xlsx", errors=errors,
                     unexplained=unexplained, causes=tuple(causes))


@pytest.mark.parametrize("row, words", [
    (_row(errors=3, causes=("疑似以元为单位", "风险库营收超出范围")),
     "报送的报表经审核有3处错误，未通过审核（每处问题所在的单元格和改正方法，见随报表发回的校验结果）"),
    (_row(errors=1, unexplained=2, causes=("入规月份不在本年",)), "有1处错误、2处提示既未改正也未说明理由，未通过审核"),
    (_row(unexplained=4), "有4处提示既未改正也未说明理由，未通过审核"),
    (_row(errors=1, causes=(KINDS["E000"].title,)), "报送的文件无法打开读取，请按报表模板重新填报后报送"),
    (_row(errors=1, causes=(KINDS["E005"].title,)), "报送的不是本期的报表（报送期不符：封面所填为其他报送期）"),
])
def test_why_a_report_was_returned(row, words):
    said = _returned(row)
    assert words in said
    # no finding's own name reaches the county, except 报送期不符, which is what it says in plain words
    jargon = {kind.title for kind in KINDS.values()} - {KINDS["E005"].title}
    assert not [title for title in jargon if title in said], said
