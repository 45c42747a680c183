"""Our VBA modules inside the source-only project that xlwings ships (``quickstart_standalone.xlsm``).

That project holds the ``xlwings`` module (RunPython, UDF calls; it names the DLL of its exact xlwings
version), a ``Dictionary`` class, the ``ThisWorkbook``/``Sheet1``/``Sheet2`` document modules and a
sample ``Module1``. We drop ``Module1``, add ours as procedural modules with their source at offset 0
(no performance cache, as in the ``xlwings`` module) and copy every other stream byte for byte. The
project's ``_VBA_PROJECT`` stream says "no cache" (version 0xFFFF), so Excel compiles from source.
"""

from __future__ import annotations

import io
import uuid
import re
import struct
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Sequence

import olefile

from toolkit.adapters.vba import compound_file
from toolkit.adapters.vba.compression import compress, decompress

BASE_WORKBOOK = "quickstart_standalone.xlsm"
SAMPLE_MODULE = "Module1"
_PROJECTVERSION = 0x0009
_MODULES_COUNT = 0x000F
_MODULE_NAME = 0x0019
_MODULE_TERMINATOR = 0x002B
_MODULE_PROCEDURAL = 0x0021
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")


class ProjectError(ValueError):
    """A module cannot be put into the project (a bad name, non-ASCII source, a broken base)."""


@dataclass(frozen=True)
class Module:
    """A procedural module: its name and its source exactly as in ``macros/<name>.bas``."""

    name: str
    source: bytes

    @classmethod
    def from_bas(cls, path: Path) -> "Module":
        source = Path(path).read_bytes()
        match = re.match(rb'Attribute VB_Name = "([^"]+)"\r\n', source)
        if not match:
            raise ProjectError(f"{path}: the first line must be Attribute VB_Name = \"...\" (CRLF line ends)")
        return cls(match.group(1).decode("ascii"), source)

    def check(self) -> None:
        if not _NAME_RE.match(self.name):
            raise ProjectError(f"module name {self.name!r} is not a VBA identifier")
        try:
            text = self.source.decode("ascii")
        except UnicodeDecodeError as error:
            raise ProjectError(f"module {self.name}: VBA source must be ASCII (byte {error.start})") from None
        if "\n" in text.replace("\r\n", ""):
            raise ProjectError(f"module {self.name}: line ends must be CRLF")
        if not text.startswith(f'Attribute VB_Name = "{self.name}"\r\n'):
            raise ProjectError(f"module {self.name}: the first line must name the module")


def base_project() -> bytes:
    """The ``vbaProject.bin`` of the installed xlwings' standalone quickstart workbook."""
    workbook = resources.files("xlwings").joinpath(BASE_WORKBOOK).read_bytes()
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        return archive.read("xl/vbaProject.bin")


def _records(data: bytes) -> list[tuple[int, bytes]]:
    records, index = [], 0
    while index < len(data):
        record_id, size = struct.unpack_from("<HI", data, index)
        index += 6
        if record_id == _PROJECTVERSION:  # its size field says 4 but 6 bytes follow
            size = 6
        records.append((record_id, data[index:index + size]))
        index += size
    return records


def _pack(records: list[tuple[int, bytes]]) -> bytes:
    out = bytearray()
    for record_id, data in records:
        size = 4 if record_id == _PROJECTVERSION else len(data)
        out += struct.pack("<HI", record_id, size) + data
    return bytes(out)


def _module_records(name: str) -> list[tuple[int, bytes]]:
    ascii_name, utf16_name = name.encode("ascii"), name.encode("utf-16-le")
    return [
        (_MODULE_NAME, ascii_name), (0x0047, utf16_name),  # MODULENAME, MODULENAMEUNICODE
        (0x001A, ascii_name), (0x0032, utf16_name),  # MODULESTREAMNAME and its Unicode form
        (0x001C, b""), (0x0048, b""),  # MODULEDOCSTRING
        (0x0031, struct.pack("<I", 0)),  # MODULEOFFSET: the source starts the stream
        (0x001E, struct.pack("<I", 0)),  # MODULEHELPCONTEXT
        (0x002C, struct.pack("<H", 0xFFFF)),  # MODULECOOKIE
        (_MODULE_PROCEDURAL, b""),
        (_MODULE_TERMINATOR, b""),
    ]


def _new_dir(dir_stream: bytes, modules: Sequence[Module]) -> bytes:
    records = _records(decompress(dir_stream))
    out: list[tuple[int, bytes]] = []
    skipping = False
    count = None
    for record_id, data in records:
        if record_id == _MODULE_NAME and data == SAMPLE_MODULE.encode("ascii"):
            skipping = True
        if skipping:
            if record_id == _MODULE_TERMINATOR:
                skipping = False
            continue
        if record_id == 0x0010:  # the dir terminator: our modules go last
            for module in modules:
                out += _module_records(module.name)
        if record_id == _MODULES_COUNT:
            count = len(out)
        out.append((record_id, data))
    if count is None:
        raise ProjectError("the base project has no module list")
    existing = sum(1 for record_id, _ in out if record_id == _MODULE_NAME)
    out[count] = (_MODULES_COUNT, struct.pack("<H", existing))
    return compress(_pack(out))


def _new_project_text(text: bytes, modules: Sequence[Module]) -> bytes:
    lines = text.split(b"\r\n")
    out = []
    for line in lines:
        if line in (b"Module=" + SAMPLE_MODULE.encode(), ) or line.startswith(SAMPLE_MODULE.encode() + b"="):
            continue
        if line.startswith(b"Name="):  # module declarations come before the project name
            out += [b"Module=" + m.name.encode("ascii") for m in modules]
        out.append(line)
    text = b"\r\n".join(out)
    workspace = b"".join(m.name.encode("ascii") + b"=0, 0, 0, 0, C\r\n" for m in modules)
    return text.rstrip(b"\r\n") + b"\r\n" + workspace


def _new_name_map(name_map: bytes, modules: Sequence[Module]) -> bytes:
    body = name_map[:-2] if name_map.endswith(b"\x00\x00") else name_map
    sample = SAMPLE_MODULE.encode("ascii") + b"\x00" + SAMPLE_MODULE.encode("utf-16-le") + b"\x00\x00"
    body = body.replace(sample, b"")
    for module in modules:
        body += module.name.encode("ascii") + b"\x00" + module.name.encode("utf-16-le") + b"\x00\x00"
    return body + b"\x00\x00"


def build_project(modules: Sequence[Module], base: bytes | None = None) -> bytes:
    """A ``vbaProject.bin``: the base project without its sample module, plus ``modules``."""
    base = base if base is not None else base_project()
    for module in modules:
        module.check()
    names = [m.name.lower() for m in modules]
    root = read_storage(base)
    vba = root.children["VBA"]
    taken = {name.lower() for name in vba.children} - {SAMPLE_MODULE.lower()}
    clash = [m.name for m in modules if m.name.lower() in taken] or [n for n in names if names.count(n) > 1]
    if clash:
        raise ProjectError(f"module names already in the project or repeated: {', '.join(clash)}")
    vba.children.pop(SAMPLE_MODULE, None)
    vba.children["dir"] = _new_dir(vba.children["dir"], modules)
    for module in modules:
        vba.children[module.name] = compress(module.source)
    root.children["PROJECT"] = _new_project_text(root.children["PROJECT"], modules)
    root.children["PROJECTwm"] = _new_name_map(root.children["PROJECTwm"], modules)
    return compound_file.write(root)


def read_storage(project: bytes) -> compound_file.Storage:
    """A compound file's streams and storages (with their CLSIDs), to change and write again."""
    source = olefile.OleFileIO(io.BytesIO(project))
    try:
        root = compound_file.Storage(clsid=_clsid(source.root.clsid))
        for path in source.listdir(streams=True, storages=False):
            node = root
            for part in path[:-1]:
                node = node.children.setdefault(part, compound_file.Storage(clsid=_clsid(source.getclsid("/".join(path[:-1])))))
            node.children[path[-1]] = source.openstream("/".join(path)).read()
    finally:
        source.close()
    return root


def _clsid(text: str) -> bytes:
    """olefile gives CLSIDs as text; the directory holds them in their binary (mixed-endian) form."""
    if not text:
        return bytes(16)
    return uuid.UUID(text).bytes_le
