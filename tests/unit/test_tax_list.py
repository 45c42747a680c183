"""The tax office's list as it heads it: the year in the tax column's header is read, and checked against the year
imported; a sheet without the columns is named in the message."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import valid_uscc
from toolkit.domain.tax_list import parse_tax_list

CODE = valid_uscc()


@pytest.mark.parametrize("header, unit", [
    ("2024年形成税收（万元）", Decimal("12.5")),
    ("2024年度税收合计（元）", Decimal("0.00125")),  # 12.5 元
    ("2024年税收(万元)", Decimal("12.5")),
    ("当年形成税收（万元）", Decimal("12.5")),
])
def test_a_year_in_the_tax_header_is_read(header, unit):
    figures, findings = parse_tax_list({"Sheet1": [["统一社会信用代码", "企业名称", header], [CODE, "某公司", 12.5]]},
                                       "税收.xlsx", 2024)
    assert findings == [] and [f.tax_wan for f in figures] == [unit]


def test_a_header_naming_another_year_is_refused_with_its_cell():
    _figures, (finding,) = parse_tax_list({"Sheet1": [["统一社会信用代码", "企业名称", "2023年形成税收（万元）"],
                                                      [CODE, "某公司", 1]]}, "税收.xlsx", 2024)
    assert finding.code == "T002" and finding.cell == "C1" and "2023年" in finding.message and "2024年" in finding.message


def test_a_sheet_without_the_columns_is_named():
    _figures, (finding,) = parse_tax_list({"名单": [["序号", "纳税人"], [1, "某公司"]]}, "税收.xlsx", 2024)
    assert finding.code == "T003" and finding.sheet == "名单" and "工作表“名单”" in finding.message
    assert "名录" not in finding.message
