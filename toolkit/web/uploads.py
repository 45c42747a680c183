"""What a browser sends, kept where nobody else looks: each upload in its own new private temporary folder,
under a name rebuilt from the allowed characters of the name the browser gave (never a path), with the files
made from it; found again only by a random key, and removed after an hour or when the server stops."""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ALLOWED_SUFFIXES = (".xlsx", ".xlsm")
DOWNLOADS = {"results": "校验结果", "marked": "标注副本"}  # what a checked upload offers, by its label
KEEP_SECONDS = 3600
SWEEP_SECONDS = 300  # how often expired uploads are looked for
MAX_KEPT = 200  # uploads kept at once; the oldest go first
MAX_NAME = 80  # characters of a file name kept


def safe_name(given: str | None, default: str = "报表.xlsx", suffixes: tuple[str, ...] = ALLOWED_SUFFIXES) -> str | None:
    """A plain file name from what a browser sent: the last part after any / or \\, control and other unsafe
    characters dropped, at most ``MAX_NAME`` characters; None when it does not end in one of ``suffixes``
    (.xlsx or .xlsm unless told)."""
    text = (given or "").replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if _allowed(ch)).strip(" ")
    stem, dot, suffix = text.rpartition(".")
    suffix = f".{suffix.lower()}" if dot else ""
    if suffix not in suffixes:
        return None
    stem = stem.strip(" .")[:MAX_NAME].rstrip(" .") or Path(default).stem
    if stem.split(".")[0].strip(" ").upper() in WINDOWS_RESERVED:  # "CON.xlsx" names the console on Windows
        stem = f"{Path(default).stem}_{stem}"
    return stem + suffix


# names Windows keeps for devices, whatever the extension ("NUL.xlsx", "com1.report.xlsx")
WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                              *(f"{d}{n}" for d in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³"))})


def _allowed(ch: str) -> bool:
    if ch in "/\\:*?\"<>|\0":
        return False
    category = unicodedata.category(ch)
    return not category.startswith("C") and category not in ("Zl", "Zp")


@dataclass
class Upload:
    key: str
    folder: Path
    name: str
    created: float = field(default_factory=time.monotonic)
    files: dict[str, Path] = field(default_factory=dict)  # what may be downloaded, by a short label

    @property
    def path(self) -> Path:
        return self.folder / self.name


class Uploads:
    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="guishang-web-"))
        self._kept: dict[str, Upload] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sweeper: threading.Thread | None = None

    def sweep_every(self, seconds: float = SWEEP_SECONDS) -> None:
        """Remove expired uploads on a timer (a daemon thread), not only when the next upload comes: what the
        page promises is gone within the hour is gone even when nobody uploads again."""
        if self._sweeper is not None:
            return

        def loop():
            while not self._stop.wait(seconds):
                self.sweep()

        self._sweeper = threading.Thread(target=loop, name="guishang-uploads-sweeper", daemon=True)
        self._sweeper.start()

    def new(self, name: str) -> Upload:
        """A new private folder for one upload of the (already safe) ``name``."""
        self.sweep()
        key = secrets.token_urlsafe(18)
        folder = Path(tempfile.mkdtemp(prefix="upload-", dir=self.root))
        upload = Upload(key, folder, name)
        with self._lock:
            self._kept[key] = upload
        return upload

    def get(self, key: str) -> Upload | None:
        with self._lock:
            upload = self._kept.get(key)
        if upload is None or time.monotonic() - upload.created > KEEP_SECONDS:
            return None
        return upload

    def drop(self, upload: Upload) -> None:
        with self._lock:
            self._kept.pop(upload.key, None)
        shutil.rmtree(upload.folder, ignore_errors=True)

    def sweep(self) -> None:
        now = time.monotonic()
        with self._lock:
            ordered = sorted(self._kept.values(), key=lambda u: u.created)
            fresh = [u for u in ordered if now - u.created <= KEEP_SECONDS]
            # the expired, and the oldest of the rest beyond what may be kept (one place left for the next)
            stale = [u for u in ordered if u not in fresh] + fresh[:max(0, len(fresh) - MAX_KEPT + 1)]
            for upload in stale:
                self._kept.pop(upload.key, None)
        for upload in stale:
            shutil.rmtree(upload.folder, ignore_errors=True)

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            self._kept.clear()
        shutil.rmtree(self.root, ignore_errors=True)
