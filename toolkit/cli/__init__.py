"""The command line: the same use cases as the Excel buttons, on files.

Each verb group owns its parser and handlers (``files``: policy, template, check; ``workspace``: init,
consolidate, status, assign, register, close, rebuild; ``notices``: notices, lint-doc; ``rewards``: tax,
rewards; ``excel``; ``demo``); this module puts them together and runs one. Services say what to do next
as coded hints, rendered here as commands (``hints``).

The exit code is the run's ``toolkit.domain.outcomes.Outcome``: 0 done, nothing blocks; 1 something needs
the user (a checked workbook has 错误 or unexplained 提示, a county is returned or missing); 2 an input could
not be read or the request cannot be done; 3 an internal error.

The parsers and handlers are imported when the command line runs (``app``), not when a button module imports
``toolkit.cli.hints``: an Excel button press then loads only what its use case needs.
"""

from __future__ import annotations

from typing import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from toolkit.cli.app import main as run

    return run(argv)


def build_parser():
    from toolkit.cli.app import build_parser as build

    return build()
