"""What became of one file in the inbox at a consolidation: one vocabulary, its Chinese words in one place.

Every door shows the value as it is (the command line colours it, the workbench marks the rows to send back); code
compares members, never the words (tests/unit/test_states_are_typed.py scans for the words outside this module).
"""

from __future__ import annotations

from enum import StrEnum


class IntakeOutcome(StrEnum):
    NEW = "新收"  # a new submission, recorded
    ALREADY_TAKEN = "已导入"  # its content was recorded before: nothing counted twice
    IGNORED = "已忽略"  # not a county's report (a lock file, a folder, a generated file)
    OTHER_PERIOD = "非本期"  # a report of another period: left for that period's consolidation
    UNREADABLE = "无法读取"  # received and returned: the file cannot be read
    UNRECOGNISED = "无法识别"  # received and returned: whose it is cannot be told
    REPLACED = "被替换"  # an earlier file of the county, replaced by a later one
    ADJUSTMENT = "记为调整"  # received after the period was closed: recorded as an adjustment

    @property
    def returned(self) -> bool:
        """The county is sent the file back with what to do."""
        return self in (IntakeOutcome.UNREADABLE, IntakeOutcome.UNRECOGNISED)
