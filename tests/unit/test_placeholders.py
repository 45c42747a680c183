"""What stands for something not written yet is found wherever it is written (#36): the policy's 发文设置 and
every page of an issued document are held to the same test."""

from __future__ import annotations

import pytest

from toolkit.domain.placeholders import placeholder_in


@pytest.mark.parametrize("text, found", [
    ("签发人：李××", "××"),
    ("（联系人：王××，电话：0731-28××××××）", "××"),
    ("株洲市天元区××路××号市工业和信息化局××科", "××"),
    ("××××@zhuzhou.gov.cn", "××××"),
    ("ＸＸ科", "ＸＸ"),
    ("《株洲市工业发展规划（二〇〇八—二〇二〇年）》", ""),  # zero written as 〇 in a year: not a placeholder
    ("二○○八年", ""),
    ("示例：醴陵市县级扶持政策文件", "示例"),
    ("尊敬的{{ recipients }}：", "{{"),
    ("{% for f in firms %}", "{%"),
    ("签发人：李建国", ""),
    ("面积 3×4 米", ""),  # one multiplication sign is arithmetic
    ("2022年1-6月工作情况通报", ""),
    ("", ""),
])
def test_placeholders(text, found):
    assert placeholder_in(text) == found
