"""What a run came to, in one enum: the command line's exit code is its value; the Excel buttons and the
workbench show it in their own terms.

- ``OK``: done, nothing blocks;
- ``FINDINGS``: done, but something needs the user: a checked workbook has 错误 or unexplained 提示, a county
  is returned or missing, a lint found layout problems, nothing was approved;
- ``INPUT``: an input could not be read or the request cannot be done (bad policy, unknown county, no
  workspace, a file that is not a workbook);
- ``INTERNAL``: a bug (one sentence for the user, details with --debug).
"""

from __future__ import annotations

from enum import IntEnum


class Outcome(IntEnum):
    OK = 0
    FINDINGS = 1
    INPUT = 2
    INTERNAL = 3
