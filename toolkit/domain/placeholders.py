"""What must never reach a document that is issued: a placeholder for something the city has not written yet
(王××, 0731-28××××××, ××路××号), an example left in (示例), or a template field never filled ({{ … }}, {% … %}).
The same test for the policy workbook's 发文设置 (an issued document takes its contacts from there) and for the
documents themselves (``lint-doc`` on every page of text)."""

from __future__ import annotations

import re

# two or more multiplication signs (or full-width X) standing for letters or digits in Chinese drafts (王××,
# 0731-28××××××); 示例 (an example kept); an unfilled docxtpl/Jinja field. Not circles: 〇 and ○ are also written
# for zero in years (二〇〇八年, 二○○八年), which a plan's or a firm's name may carry.
_PLACEHOLDER = re.compile(r"[×Ｘ]{2,}|示例|\{\{|\}\}|\{%|%\}")


def placeholder_in(text: str) -> str:
    """The first placeholder in ``text`` as written there, '' when there is none."""
    found = _PLACEHOLDER.search(text or "")
    return found.group(0) if found else ""
