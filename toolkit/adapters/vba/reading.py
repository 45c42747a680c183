"""Reading the modules of a ``vbaProject.bin`` (MS-OVBA): names, kinds and source text.

Used to check that a project someone signed in Excel's VBA editor still holds exactly our macros. Excel
re-saves a project with compiled code in front of each module's source, so each module's source starts at
the offset its MODULEOFFSET record gives (ours start at 0); the dir stream names the modules and kinds.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass

import olefile

from toolkit.adapters.vba.compression import decompress
from toolkit.adapters.vba.project import _records
from toolkit.ports.files import UnreadableProject

_MODULE_NAME = 0x0019
_MODULE_STREAM_NAME = 0x001A
_MODULE_OFFSET = 0x0031
_MODULE_PROCEDURAL = 0x0021
_MODULE_DOCUMENT_OR_CLASS = 0x0022
_MODULE_TERMINATOR = 0x002B

PROJECT_PART = "xl/vbaProject.bin"
SIGNATURE_PART = "xl/vbaProjectSignature.bin"  # the signature XlsxWriter can carry (the original, MD5-based one)
NEWER_SIGNATURE_PARTS = ("xl/vbaProjectSignatureAgile.bin", "xl/vbaProjectSignatureV3.bin")


@dataclass(frozen=True)
class ModuleSource:
    name: str
    procedural: bool  # False: a document module (ThisWorkbook, SheetN) or a class module
    source: str

    def normalised(self) -> tuple[str, ...]:
        """The source as VBA reads it: case-insensitive (the VBA editor re-cases identifiers across the
        project), trailing blanks and blank lines at the end ignored."""
        lines = [line.rstrip().lower() for line in self.source.replace("\r\n", "\n").split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        return tuple(lines)

    @property
    def has_code(self) -> bool:
        """Anything but attribute lines and Option statements (a document module Excel made holds none)."""
        return any(line and not line.startswith(("attribute ", "option ")) for line in self.normalised())


def read_modules(project: bytes) -> dict[str, ModuleSource]:
    try:
        ole = olefile.OleFileIO(io.BytesIO(project))
    except OSError as error:
        raise UnreadableProject(f"not a compound file: {error}") from None
    try:
        records = _records(decompress(ole.openstream("VBA/dir").read()))
        modules, current = {}, {}
        for record_id, data in records:
            if record_id == _MODULE_NAME:
                current = {"name": data.decode("latin-1"), "procedural": True}
            elif record_id == _MODULE_STREAM_NAME:
                current["stream"] = data.decode("latin-1")
            elif record_id == _MODULE_OFFSET:
                current["offset"] = struct.unpack("<I", data)[0]
            elif record_id == _MODULE_DOCUMENT_OR_CLASS:
                current["procedural"] = False
            elif record_id == _MODULE_TERMINATOR and current:
                stream = ole.openstream("VBA/" + current["stream"]).read()
                source = decompress(stream[current["offset"]:]).decode("latin-1")
                modules[current["name"]] = ModuleSource(current["name"], current["procedural"], source)
                current = {}
        return modules
    except (OSError, KeyError, ValueError, struct.error, IndexError) as error:
        raise UnreadableProject(f"the VBA project cannot be read: {error}") from None
    finally:
        ole.close()


@dataclass(frozen=True)
class SignedParts:
    project: bytes
    signature: bytes | None
    newer_signatures: tuple[str, ...]  # Agile / V3 parts present (XlsxWriter cannot carry them)


def signed_parts(workbook: bytes) -> SignedParts:
    """The VBA project and its signature parts inside a macro workbook's bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
            names = set(archive.namelist())
            if PROJECT_PART not in names:
                raise UnreadableProject("no VBA project in this workbook")
            return SignedParts(archive.read(PROJECT_PART),
                               archive.read(SIGNATURE_PART) if SIGNATURE_PART in names else None,
                               tuple(n.rsplit("/", 1)[-1] for n in NEWER_SIGNATURE_PARTS if n in names))
    except zipfile.BadZipFile as error:
        raise UnreadableProject(f"not a workbook: {error}") from None


def differences(signed: dict[str, ModuleSource], ours: dict[str, ModuleSource], sheet_count: int) -> list[str]:
    """Why a signed project is not the project we would build for a workbook of ``sheet_count`` sheets
    (empty when it is): every procedural and class module the same, the document modules exactly
    ThisWorkbook and Sheet1..SheetN, with no code in them."""
    problems = []
    code = {name for name, m in ours.items() if m.procedural or m.has_code}
    for name in sorted(code):
        if name not in signed:
            problems.append(f"缺少模块 {name}")
        elif signed[name].normalised() != ours[name].normalised():
            problems.append(f"模块 {name} 的代码与本版工具不同")
    documents = {"ThisWorkbook", *(f"Sheet{i}" for i in range(1, sheet_count + 1))}
    for name, module in sorted(signed.items()):
        if name in code:
            continue
        if module.procedural or name not in documents:
            problems.append(f"多出模块 {name}")
        elif module.has_code:
            problems.append(f"{name} 中有代码")
    missing_documents = sorted(documents - set(signed))
    if missing_documents:
        problems.append(f"缺少工作表模块 {'、'.join(missing_documents)}（工作簿的工作表数与本版工具不同）")
    return problems
