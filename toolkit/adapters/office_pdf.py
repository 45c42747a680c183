"""PDF through LibreOffice (soffice --headless --convert-to pdf), with the official Chinese font
names mapped to free fonts by resources/fonts.conf when the official fonts are not installed."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections import OrderedDict
from pathlib import Path

from toolkit.adapters.atomic import atomic_output
from toolkit.resources import FONTS_CONF, resource_path
from toolkit.ports.files import NoOfficeSuite


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def fonts_conf() -> Path:
    return resource_path(FONTS_CONF)


# the PDFs of the last few documents rendered in this process, by the SHA-256 of the document's bytes: placing
# a 版记 (imprint_layout) renders the finished document to check it, and `--pdf` then asks for the same PDF
_RENDERED: OrderedDict[str, bytes] = OrderedDict()
_KEEP = 4


def to_pdf(source: Path, target: Path, *, timeout: int = 180) -> Path:
    """Convert ``source`` to ``target`` (a PDF), atomically; a private LibreOffice profile each time. A document
    whose bytes were rendered a moment ago in this process is not rendered again."""
    source, target = Path(source), Path(target)
    key = hashlib.sha256(source.read_bytes()).hexdigest() if source.is_file() else ""
    if key in _RENDERED:
        _RENDERED.move_to_end(key)
        with atomic_output(target) as temp:
            temp.write_bytes(_RENDERED[key])
        return target
    _render(source, target, timeout)
    if key:
        _RENDERED[key] = target.read_bytes()
        while len(_RENDERED) > _KEEP:
            _RENDERED.popitem(last=False)
    return target


def _render(source: Path, target: Path, timeout: int) -> None:
    binary = soffice()
    if binary is None:
        raise NoOfficeSuite("未安装 LibreOffice，无法转换 PDF。可安装 LibreOffice 后重试（Linux：apt-get install "
                            "libreoffice-writer-nogui fonts-noto-cjk），或在 Word/WPS 中打开后另存为 PDF。")
    with tempfile.TemporaryDirectory(prefix="guishang-pdf-") as work:
        env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf())}
        profile = Path(work, "profile").as_uri()
        done = subprocess.run([binary, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                               "--outdir", work, str(source)], capture_output=True, text=True, timeout=timeout, env=env)
        produced = Path(work) / (source.stem + ".pdf")
        if done.returncode != 0 or not produced.is_file():
            raise NoOfficeSuite(f"LibreOffice 未能把“{source.name}”转换为 PDF：{(done.stderr or done.stdout).strip()[:200]}")
        with atomic_output(target) as temp:
            shutil.copyfile(produced, temp)
