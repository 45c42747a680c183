"""States are compared as members of their enum, never as words (#35): what became of an inbox file
(domain.intake_outcome.IntakeOutcome) is written as its Chinese word in one module only."""

from __future__ import annotations

import re

from conftest import ROOT
from toolkit.domain.intake_outcome import IntakeOutcome

HOME = ROOT / "toolkit" / "domain" / "intake_outcome.py"


def _quoted_words(text: str) -> set[str]:
    """The outcome words that stand alone as a string literal (in Python or a Jinja template)."""
    words = "|".join(re.escape(member.value) for member in IntakeOutcome)
    return set(re.findall(rf"""(?<![\\w])["']({words})["']""", text))


def test_the_scan_sees_a_word_written_as_a_literal():
    assert _quoted_words('if n.what == "新收":') == {"新收"}
    assert _quoted_words("{{ 'x' if n.what in ('无法读取', '无法识别') }}") == {"无法读取", "无法识别"}
    assert _quoted_words('f"“{name}”无法读取：{why}"') == set()  # inside a sentence: a message, not a state


def test_no_outcome_is_written_as_a_word_outside_its_enum():
    found = {}
    for path in sorted((ROOT / "toolkit").rglob("*")):
        if path.suffix not in (".py", ".html") or path == HOME:
            continue
        words = _quoted_words(path.read_text(encoding="utf-8"))
        if words:
            found[str(path.relative_to(ROOT))] = sorted(words)
    assert not found, found


def test_the_outcomes_returned_to_the_county():
    assert {m for m in IntakeOutcome if m.returned} == {IntakeOutcome.UNREADABLE, IntakeOutcome.UNRECOGNISED}
    assert f"{IntakeOutcome.NEW}" == "新收" and IntakeOutcome("记为调整") is IntakeOutcome.ADJUSTMENT
