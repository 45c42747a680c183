"""Which of a county's files for one period counts (domain.submissions.pick_current): a table of the rule's
steps, each boundary of it, and the reason the clerk reads."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from toolkit.domain.submissions import TIE_SECONDS, Candidate, named_county, named_period, pick_current
from toolkit.domain.periods import Period


@dataclass(frozen=True)
class Row:
    id: int
    file_name: str
    received_at: str = "2024-04-08 09:00:00"
    saved_at: str = ""

    @property
    def sha256(self) -> str:
        return f"h{self.id}"


def _at(seconds: int) -> str:
    return f"2024-04-08 01:00:{seconds:02d}"


OLD, NEW = Row(1, "攸县_2024-03.xlsx", saved_at=_at(30)), Row(2, "更正/攸县_2024-03.xlsx", saved_at=_at(0))


@pytest.mark.parametrize("candidates, winner, said", [
    # this period's cover outranks another period's, however they were saved
    ([Candidate(OLD, this_period=False), Candidate(NEW)], NEW, "的封面是其他报送期"),
    ([Candidate(OLD), Candidate(NEW, this_period=False)], OLD, "的封面是其他报送期"),
    # a readable workbook outranks one that cannot be read, before the cover is looked at
    ([Candidate(OLD, readable=False), Candidate(NEW, this_period=False)], NEW, "无法读取"),
    # all alike: the latest saved
    ([Candidate(OLD), Candidate(NEW)], OLD, "以工作簿保存时间最晚的“攸县_2024-03.xlsx”"),
    # nothing to tell them apart but the cover: all of another period, the latest saved of them
    ([Candidate(OLD, this_period=False), Candidate(NEW, this_period=False)], OLD, "保存时间最晚"),
])
def test_the_ranking_steps(candidates, winner, said):
    pick = pick_current(candidates)
    assert pick.current is winner and said in pick.reason


@pytest.mark.parametrize("gap, winner", [
    (TIE_SECONDS + 1, "saved"),  # far enough apart: the later save is the correction
    (TIE_SECONDS, "received"),  # seconds apart say nothing: the later receipt decides, and the reason says so
    (0, "received"),
])
def test_saved_times_seconds_apart_decide_nothing(gap, winner):
    saved_later = Row(1, "甲.xlsx", received_at="2024-04-08 09:00:00", saved_at=_at(gap))
    received_later = Row(2, "乙/甲.xlsx", received_at="2024-04-08 10:00:00", saved_at=_at(0))
    pick = pick_current([saved_later, received_later])
    if winner == "saved":
        assert pick.current is saved_later and "保存时间最晚" in pick.reason
    else:
        assert pick.current is received_later
        assert f"相差不到 {TIE_SECONDS} 秒" in pick.reason and "以最后收到的“乙/甲.xlsx”" in pick.reason


def test_the_citys_choice_stands_over_every_step():
    pick = pick_current([Candidate(OLD, readable=False, this_period=False), Candidate(NEW)],
                        chosen_sha256="h1", chosen_at="2024-04-09 10:00:00")
    assert pick.current is OLD and "市里于 2024-04-09 10:00:00 指定" in pick.reason


def test_a_folder_in_the_inbox_says_nothing_of_the_file(policy):
    assert named_period("2023年12月/攸县_2024-03_规上工业企业报表.xlsx") == Period(2024, 3)
    assert named_period("2023年12月\\报表.xlsx") is None
    assert named_county(policy, "醴陵市/攸县_2024-03.xlsx") == "攸县"
