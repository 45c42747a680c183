"""Finding and reason codes are the catalogue's keys (domain/findings.KINDS, domain/reward_reasons.KINDS): the
code a rule raises is written where the rule is, as the user sees it in docs/问题代码.md, and this scan holds
every one of them to the catalogue — a code no catalogue knows fails here, not when a county's file first
meets the rule — and every catalogued code to a place that raises it."""

from __future__ import annotations

import re

from conftest import ROOT
from toolkit.domain import reward_reasons
from toolkit.domain.findings import KINDS

CODE = re.compile(r"""(?<![\w])["']([EWJPRT]\d{3})["']""")
CATALOGUES = {ROOT / "toolkit" / "domain" / "findings.py", ROOT / "toolkit" / "domain" / "reward_reasons.py"}


def _codes_raised() -> dict[str, set[str]]:
    """Each code written as a literal outside the catalogues -> the modules that write it."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "toolkit").rglob("*.py")):
        if path in CATALOGUES:
            continue
        for code in CODE.findall(path.read_text(encoding="utf-8")):
            found.setdefault(code, set()).add(path.relative_to(ROOT).as_posix())
    return found


def test_the_scan_sees_codes_as_rules_write_them():
    assert CODE.findall('make_finding("E114" if late else "E113", file=file)') == ["E114", "E113"]
    assert CODE.findall("reason('J101')") == ["J101"]
    assert CODE.findall('f"第E114行"') == []  # inside words: not a code


def test_every_code_a_rule_raises_is_in_a_catalogue():
    raised = _codes_raised()
    assert len(raised) > 50
    unknown = {code: where for code, where in raised.items() if code not in KINDS and code not in reward_reasons.KINDS}
    assert not unknown, unknown


def test_every_catalogued_code_is_raised_somewhere():
    """A code in the catalogue (and in the user's documentation) that no rule raises is a rule that was lost."""
    named = set(_codes_raised())
    for path in CATALOGUES:  # codes raised through a named constant (UNREADABLE = "E000") or by the catalogue itself
        text = path.read_text(encoding="utf-8")
        named |= {code for name, code in re.findall(r"^([A-Z_]+) = \"([EWJPRT]\d{3})\"", text, re.MULTILINE)
                  if re.search(rf"\b{name}\b", _all_code_outside(path))}
    silent = sorted(set(KINDS) - named)
    assert not silent, silent


def _all_code_outside(catalogue) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "toolkit").rglob("*.py") if p != catalogue)
