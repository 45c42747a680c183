"""At most MAX_LISTED findings per file, and one more that says how many there were (E010, #34: 150,000 pasted
rows gave some 800,000 findings, a 5 GB results workbook in the making)."""

from __future__ import annotations

import pytest

from toolkit.domain.findings import MAX_LISTED, TOO_MANY, Level, make_finding
from toolkit.services.checking import listed


def _findings(n: int):
    return [make_finding("E101", file="a.xlsx", sheet="新增入规企业", row=r, col=1, column="企业名称")
            for r in range(n)]


@pytest.mark.parametrize("found, shown, told", [
    (0, 0, False),
    (1, 1, False),
    (MAX_LISTED - 1, MAX_LISTED - 1, False),
    (MAX_LISTED, MAX_LISTED, False),  # exactly at the ceiling: all listed, nothing added
    (MAX_LISTED + 1, MAX_LISTED + 1, True),  # one over: the first MAX_LISTED and E010
    (5 * MAX_LISTED, MAX_LISTED + 1, True),
])
def test_the_ceiling_of_findings_listed_per_file(found, shown, told):
    out = listed(_findings(found), "a.xlsx")
    assert len(out) == shown
    assert (bool(out) and out[0].code == TOO_MANY) == told
    if told:
        assert out[0].level is Level.ERROR and out[0].file == "a.xlsx"
        assert f"共发现 {found:,} 处问题，只列出前 {MAX_LISTED:,} 处" in out[0].message
        assert [f.row for f in out[1:]] == list(range(MAX_LISTED))  # the first ones, in order


def test_the_ceiling_is_a_thousand():
    assert MAX_LISTED == 1000
