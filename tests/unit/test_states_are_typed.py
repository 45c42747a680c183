"""States are compared as members of their enum, never as words (#35): what became of an inbox file
(domain.intake_outcome.IntakeOutcome), a county's report for the period (domain.figures.CountyStatus), a file
the store keeps (domain.submissions.SubmissionStatus) and the rules' verdict on a county (domain.assessment.Verdict)
are each written as their words in one module only."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from toolkit.domain.assessment import Verdict
from toolkit.domain.figures import CountyStatus
from toolkit.domain.intake_outcome import IntakeOutcome
from toolkit.domain.submissions import SubmissionStatus

HOMES = {IntakeOutcome: ROOT / "toolkit" / "domain" / "intake_outcome.py",
         CountyStatus: ROOT / "toolkit" / "domain" / "figures.py",
         SubmissionStatus: ROOT / "toolkit" / "domain" / "submissions.py",
         Verdict: ROOT / "toolkit" / "domain" / "assessment.py"}
# words that are also an enum's value but not a state where they are written: the words a title may be broken
# after (domain/title_lines.py lists 表扬 among them)
NOT_STATES = {ROOT / "toolkit" / "domain" / "title_lines.py"}


def _quoted_words(text: str, enum=IntakeOutcome) -> set[str]:
    """The words of ``enum`` that stand alone as a string literal (in Python, a formula or a Jinja template)."""
    words = "|".join(re.escape(member.value) for member in enum if member.value)
    return set(re.findall(rf"""(?<![\\w])["']({words})["']""", text))


def test_the_scan_sees_a_word_written_as_a_literal():
    assert _quoted_words('if n.what == "新收":') == {"新收"}
    assert _quoted_words("{{ 'x' if n.what in ('无法读取', '无法识别') }}") == {"无法读取", "无法识别"}
    assert _quoted_words('f"“{name}”无法读取：{why}"') == set()  # inside a sentence: a message, not a state
    assert _quoted_words("""f'={status}<>"已受理"'""", CountyStatus) == {"已受理"}  # in a formula, too
    assert _quoted_words("""if s.status in ('accepted', "rejected"):""", SubmissionStatus) == {"accepted", "rejected"}


@pytest.mark.parametrize("enum", list(HOMES), ids=lambda e: e.__name__)
def test_no_state_is_written_as_a_word_outside_its_enum(enum):
    found = {}
    for path in sorted((ROOT / "toolkit").rglob("*")):
        if path.suffix not in (".py", ".html") or path == HOMES[enum] or path in NOT_STATES:
            continue
        words = _quoted_words(path.read_text(encoding="utf-8"), enum)
        if words:
            found[str(path.relative_to(ROOT))] = sorted(words)
    assert not found, found


def test_the_outcomes_returned_to_the_county():
    assert {m for m in IntakeOutcome if m.returned} == {IntakeOutcome.UNREADABLE, IntakeOutcome.UNRECOGNISED}
    assert f"{IntakeOutcome.NEW}" == "新收" and IntakeOutcome("记为调整") is IntakeOutcome.ADJUSTMENT


def test_a_stored_file_s_state_has_one_label_and_the_county_s_words_for_the_two_that_decide():
    assert {m: m.label for m in SubmissionStatus if m.judged} == {SubmissionStatus.ACCEPTED: CountyStatus.ACCEPTED,
                                                                  SubmissionStatus.REJECTED: CountyStatus.REJECTED}
    assert len({m.label for m in SubmissionStatus}) == len(SubmissionStatus)
