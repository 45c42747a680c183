"""Outputs written again only when what they say has changed, and never over an earlier one (which may have been
sent or be open in Excel): a changed output takes the next free name (“（2）”).

A fingerprint of each output written is kept in a small JSON record outside the folders that are sent
(e.g. 输出/工作清单/.工作清单指纹.json), by a section (the period) and a slot (the county, or the city's own file).
Without the record every output is written again, beside the earlier ones."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable

from toolkit import __version__
from toolkit.ports.tools import tools


def fingerprint(content: object) -> str:
    """What an output says (its ``repr``) and this tool's version; not when it was written."""
    return hashlib.sha256(f"{__version__}\n{content!r}".encode("utf-8")).hexdigest()


class KeptOutputs:
    """The outputs of one section (a period) of one folder; ``save`` records what was written."""

    def __init__(self, record: Path, section: str):
        self.record = Path(record)
        self.section = section
        self.known = self._known()
        before = self.known.get(section)
        self.before: dict = before if isinstance(before, dict) else {}
        self.now: dict[str, list[str]] = {}

    def _known(self) -> dict:
        try:
            known = json.loads(self.record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return known if isinstance(known, dict) else {}

    def output(self, folder: Path, slot: str, name: str, content: object, write: Callable[[Path], Path]) -> Path:
        """The slot's output in ``folder``: the one written before when it says the same and is still there,
        else ``write`` to the next free name after ``name``."""
        mark = fingerprint(content)
        seen = self.before.get(slot)
        if isinstance(seen, list) and len(seen) == 2 and seen[0] == mark and (Path(folder) / str(seen[1])).is_file():
            path = Path(folder) / seen[1]
        else:
            stem, suffix = Path(name).stem, Path(name).suffix
            path = write(tools().files.unused_path(Path(folder), stem, suffix))
        self.now[slot] = [mark, path.name]
        return path

    def save(self) -> None:
        if self.now != self.before:
            self.known[self.section] = self.now
            with tools().files.atomic_output(self.record) as temp:
                temp.write_text(json.dumps(self.known, ensure_ascii=False, indent=1), encoding="utf-8")
