"""Pictures of a document's pages for the preview page, made once per version of the file (its time and size) and
kept in the uploads' private temporary folders (removed after an hour or when the server stops)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.services.documents import preview
from toolkit.web.uploads import Uploads


@dataclass(frozen=True)
class Shown:
    key: str  # of the uploads folder holding the pictures
    files: dict[str, Path] = field(default_factory=dict)  # 页1, 页2, ... -> picture
    text: tuple[str, ...] = ()  # without LibreOffice: the document's text
    note: str = ""


class Previews:
    def __init__(self, uploads: Uploads):
        self.uploads = uploads
        self._made: dict[tuple, Shown] = {}
        self._lock = threading.Lock()

    def get(self, path: Path) -> Shown:
        status = path.stat()
        version = (str(path), status.st_mtime_ns, status.st_size)
        with self._lock:
            known = self._made.get(version)
        if known is not None and self.uploads.get(known.key) is not None:
            return known
        upload = self.uploads.new("预览.docx")
        made = preview(path, upload.folder)
        upload.files.update({f"页{number}": page for number, page in enumerate(made.pages, start=1)})
        shown = Shown(upload.key, dict(upload.files), tuple(made.text), made.note)
        with self._lock:
            self._made[version] = shown
        return shown
