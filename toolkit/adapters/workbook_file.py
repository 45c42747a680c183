"""Reading workbook files in bulk (python-calamine), after checking that they are what they claim.

The file is read from disk ONCE into memory: its SHA-256, the safety checks and the parsed sheets all
come from the same bytes, so a file replaced or still being written while we read it can never give a
hash of one version and the figures of another.

Before anything parses it, the archive is checked: real (not declared) uncompressed size, number of
sheets, no XML document type declarations (entity bombs, external entities: Excel never writes them).
After parsing, each sheet's used area is checked against row and cell limits before it is turned into
Python values. Every way a file can fail ends in ``UnreadableWorkbook`` with one Chinese sentence that
names the file, says what is wrong and what to do, and names the limit when a limit was hit.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import datetime as dt
import functools
import hashlib
import io
import re
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

import openpyxl
import python_calamine
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeTree
from defusedxml.ElementTree import DefusedXMLParser

from toolkit.domain.tables import Rows
from toolkit.ports.files import UnreadableWorkbook

MAX_FILE_MB = 50  # a county workbook is well under 5 MB
MAX_UNCOMPRESSED_MB = 500  # what the archive really expands to (zip bombs declare less than they hold)
# a lower ceiling for what one request of the workbench reads (set per request with ``inflation_limit``): the
# server reads many uploads side by side and must stay within what its computer can afford
_INFLATION_MB: contextvars.ContextVar[int] = contextvars.ContextVar("inflation_mb", default=MAX_UNCOMPRESSED_MB)
MAX_SHEETS = 100
MAX_ROWS = 200_000  # per sheet; a county reports hundreds of enterprises, a city register a few thousand
MAX_CELLS = 5_000_000  # per sheet: rows x columns of the used area as read


@contextlib.contextmanager
def inflation_limit(mb: int):
    """Within this block (this thread or task only), a workbook that expands to more than ``mb`` MB is refused
    by the archive check, before anything parses it: the same bounded reading, a tighter bound."""
    token = _INFLATION_MB.set(min(int(mb), MAX_UNCOMPRESSED_MB))
    try:
        yield
    finally:
        _INFLATION_MB.reset(token)


_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_CHUNK = 1 << 20
_HIDDEN_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\bhidden=\"(?:1|true)\"[^>]*>")
_ROW_NUMBER = re.compile(rb"\br=\"(\d+)\"")
_WORKSHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b")
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# a part's opening with no room for a DTD: an optional byte-order mark and XML declaration, white space, then an
# element's first name character (a "<!" or "<?" goes to the parser); a declared encoding must be UTF-8
_PLAIN_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(<\?xml\s[^<>]*?\?>)?[ \t\r\n]*<[A-Za-z_:\x80-\xff]")
_DECLARED_ENCODING = re.compile(rb"\bencoding\s*=\s*[\"']([^\"']*)[\"']")
_UTF8 = re.compile(rb"utf-?8", re.IGNORECASE)


_NOT_OURS_TO_CATCH = (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)


def _refuse(path: Path, why: str) -> UnreadableWorkbook:
    return UnreadableWorkbook(f"无法读取“{path.name}”：{why}")


@dataclass
class WorkbookData:
    """A workbook as read: its sheets (2-D lists from A1), the hash of the bytes they came from, and
    what the values alone do not show (merged ranges, hidden rows), by sheet."""

    sheets: dict[str, Rows]
    sha256: str
    merged: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)  # 0-based r0, c0, r1, c1
    hidden_rows: dict[str, list[int]] = field(default_factory=dict)  # 1-based worksheet rows
    # when the workbook was last saved, as its producer wrote it (docProps/core.xml dcterms:modified, UTC,
    # "YYYY-MM-DD HH:MM:SS"); '' when not written. Unlike a file's time, a chat app's download keeps it.
    saved_at: str = ""
    macros_lost: bool = False  # an .xlsm (the edition with buttons) whose VBA project is gone


def load_bytes(path: Path) -> bytes:
    """The whole file, after the checks that need no parsing (exists, a file, readable, size)."""
    path = Path(path)
    if not path.exists():
        raise _refuse(path, "文件不存在，请检查路径。")
    if path.is_dir():
        raise _refuse(path, "这是一个文件夹，不是 Excel 文件。请选择文件夹里的 .xlsx 报表。")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_MB * 1024 * 1024:
            raise _refuse(path, f"文件大小 {size / 1024 / 1024:.0f} MB，超过上限 {MAX_FILE_MB} MB；"
                                "县市区报表通常不足 5 MB，请确认发送的是正确的文件。")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_MB * 1024 * 1024 + 1)
    except OSError as error:
        raise _refuse(path, f"文件无法打开（{error.strerror or error}），请确认文件未被占用且有读取权限。") from None
    if len(data) > MAX_FILE_MB * 1024 * 1024:  # it grew while we read it
        raise _refuse(path, f"文件超过上限 {MAX_FILE_MB} MB，请确认发送的是正确的文件。")
    return data


def preflight(path: Path, data: bytes | None = None) -> bytes:
    """Refuse, before parsing, what is not a safe, readable .xlsx/.xlsm; returns the file's bytes."""
    return _preflight(path, data, None)


def _preflight(path: Path, data: bytes | None, hidden: dict[str, list[int]] | None,
               then: Callable[[zipfile.ZipFile], None] | None = None) -> bytes:
    """``preflight``; with ``hidden``, also the hidden rows of each worksheet part, found while the archive check
    inflates it anyway (part name -> 1-based row numbers). ``then`` is given the checked archive (its directory
    already parsed), to take what else is wanted from it; it must catch its own errors."""
    path = Path(path)
    if data is None:
        data = load_bytes(path)
    if not data:
        raise _refuse(path, "文件是空的（0 字节），请重新保存或重新发送。")
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in data:
            raise _refuse(path, "工作簿设置了打开密码。请在 Excel 中取消密码（文件→信息→保护工作簿）后重新发送。")
        if path.suffix.lower() == ".et":
            raise _refuse(path, "这是 WPS 表格自己的格式（.et），不是 Excel 工作簿。请在 WPS 中“另存为”Excel 工作簿（.xlsx）后重新发送。")
        raise _refuse(path, "这是旧版 Excel 97-2003 格式（.xls）或 WPS 的 .et 格式，不是 .xlsx。请在 WPS 或 Excel 中打开，"
                            "“另存为”Excel 工作簿（.xlsx）后重新发送。")
    if not data.startswith(_ZIP_MAGIC):
        if _looks_like_text(data[:4096]):
            raise _refuse(path, "这是文本或 CSV 文件，只是扩展名为 Excel。请在市里下发的模板中填报后发送 .xlsx 文件。")
        raise _refuse(path, "不是 Excel 工作簿（.xlsx）。请确认发送的是填报好的模板文件。")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _DAMAGED:
        raise _refuse(path, "文件已损坏（可能未下载或复制完整）。请重新发送。") from None
    with archive:
        try:
            _check_archive(path, archive, hidden, data)
        except _DAMAGED:
            raise _refuse(path, "文件已损坏（可能未下载或复制完整）。请重新发送。") from None
        if then is not None:
            then(archive)
    return data


# what zipfile and zlib raise on a damaged archive (RuntimeError: a member encrypted with a zip password)
_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError, KeyError,
            RuntimeError)


def _mimetype(archive: zipfile.ZipFile) -> str:
    """An OpenDocument file's declared type (its first, uncompressed member), or ''."""
    try:
        info = archive.getinfo("mimetype")
        return archive.read(info).decode("ascii", "replace").strip() if info.file_size < 200 else ""
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return ""


def _check_archive(path: Path, archive: zipfile.ZipFile, hidden: dict[str, list[int]] | None = None,
                   data: bytes | None = None) -> None:
    """Refuse a bomb, a DTD or too many sheets (``data``: the archive's bytes, when in memory: see _inflate)."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        if _mimetype(archive) == "application/vnd.oasis.opendocument.spreadsheet":
            raise _refuse(path, "这是 OpenDocument 表格（.ods，LibreOffice、WPS 都可能存成这种格式），不是 Excel 工作簿。"
                                "请在 WPS、Excel 或 LibreOffice 中打开，“另存为”Excel 工作簿（.xlsx）后重新发送。")
        if "word/document.xml" in names:
            raise _refuse(path, "这是 Word 文档，不是 Excel 工作簿。请发送填报好的报表模板（.xlsx）。")
        raise _refuse(path, "这是压缩包或其他 Office 文件，不是 Excel 工作簿。请发送填报好的报表模板（.xlsx）。")
    limit_mb = _INFLATION_MB.get()
    limit = limit_mb * 1024 * 1024
    bomb = _refuse(path, f"文件解压后超过上限 {limit_mb} MB（正常报表解压后不足 50 MB），可能是异常或恶意构造的文件，"
                         "已拒绝读取。请在 Excel 中打开确认后重新保存，或与报送单位联系。")
    if sum(info.file_size for info in infos) > limit:
        raise bomb
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        scan = _HiddenRowScan() if hidden is not None and _WORKSHEET_PART.fullmatch(info.filename) else None
        total += _inflate(path, archive, info, limit - total, scan, data)
        if scan is not None:
            hidden[info.filename] = scan.rows()
        if total > limit:
            raise bomb
    sheets = len(_SHEET_TAG.findall(archive.read("xl/workbook.xml")))  # proven small above
    _limit_sheets(path, sheets)


def _limit_sheets(path: Path, sheets: int) -> None:
    if sheets > MAX_SHEETS:
        raise _refuse(path, f"工作表有 {sheets} 个，超过上限 {MAX_SHEETS} 个。请使用下发的模板，删除多余的工作表后重新发送。")


def _inflate(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int,
             scan: "_HiddenRowScan | None" = None, data: bytes | None = None) -> int:
    """The member's real uncompressed size (read up to ``budget``); an XML part's prolog is checked; ``scan``
    sees every chunk. With the archive's bytes (``data``), an ordinary member is inflated straight from them
    (_inflate_in_memory); anything else, and every member without ``data``, through zipfile."""
    prolog = _PrologCheck() if info.filename.lower().endswith(_XML_SUFFIXES) else None
    size = _inflate_in_memory(data, info, budget, prolog, scan) if data is not None else None
    if size is None:
        prolog = _PrologCheck() if prolog is not None else None  # fed again from the start
        scan = scan.restart() if scan is not None else None
        size = _inflate_through_zipfile(archive, info, budget, prolog, scan)
    if size > budget:
        return size
    if prolog is not None and prolog.refused:
        raise _refuse(path, f"文件内部的“{info.filename}”含有 XML 文档类型声明（DTD/实体），Excel 不会生成这种内容，"
                            "可能是恶意构造的文件，已拒绝读取。请向报送单位核实，在 Excel 中重新保存后再发送。")
    return size


def _inflate_through_zipfile(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int,
                             prolog: "_PrologCheck | None", scan: "_HiddenRowScan | None") -> int:
    """_inflate's reading through zipfile, which raises on whatever is wrong with the member (the caller's caller
    says the file is damaged)."""
    probe = copy.copy(info)
    # read past what the header declares (a bomb may understate it); the margin lets us stop beyond the
    # budget before zipfile reaches the size it was told and checks the CRC of a partial read
    probe.file_size = max(budget, 0) + 2 * _CHUNK
    size = 0
    with archive.open(probe) as stream:
        while chunk := stream.read(_CHUNK):
            _feed(chunk, prolog, scan)
            size += len(chunk)
            if size > budget:
                return size
    return size


def _feed(chunk: bytes, prolog: "_PrologCheck | None", scan: "_HiddenRowScan | None") -> None:
    if prolog is not None and not prolog.decided:
        prolog.feed(chunk)  # until the first element: after it, nothing can declare entities
    if scan is not None:
        scan.feed(chunk)


_LOCAL_HEADER = b"PK\x03\x04"
_LOCAL_HEADER_SIZE = 30  # bytes, then the name and the extra field, whose lengths stand at offsets 26 and 28
_UNUSUAL_FLAGS = 0x1 | 0x20 | 0x40  # encrypted, patch data, strong encryption: zipfile refuses them
_UTF8_NAME_FLAG = 0x800
_INPUT_PIECE = 1 << 16  # compressed bytes handed to zlib at a time (its unconsumed tail is copied on each call)


def _inflate_in_memory(data: bytes, info: zipfile.ZipInfo, budget: int, prolog: "_PrologCheck | None",
                       scan: "_HiddenRowScan | None") -> int | None:
    """What _inflate_through_zipfile returns, found without zipfile's per-member machinery (it was half of the
    archive check: a workbook has some thirty members): the member's bytes are sliced out of ``data`` and
    inflated by zlib, in the same bounded chunks, the CRC checked as zipfile checks it. Only an ordinary member
    is taken this way: stored or deflated, not encrypted, its local header where the directory says with the same
    name, its data inside the file, its stream complete and its CRC right. For anything else None, having fed
    ``prolog`` and ``scan`` perhaps part of it: the caller then starts afresh through zipfile, which says what is
    wrong (tests/unit/test_archive_check.py holds the two ways to the same outcome on damaged archives)."""
    if info.flag_bits & _UNUSUAL_FLAGS or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    offset = info.header_offset
    if offset < 0 or data[offset:offset + 4] != _LOCAL_HEADER or offset + _LOCAL_HEADER_SIZE > len(data):
        return None
    local_flags, = struct.unpack_from("<H", data, offset + 6)
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    name_at = offset + _LOCAL_HEADER_SIZE
    try:  # the local header's name, decoded as zipfile decodes it, must be the directory's
        name = data[name_at:name_at + name_length].decode("utf-8" if local_flags & _UTF8_NAME_FLAG else "cp437")
    except UnicodeDecodeError:
        return None
    if name != info.orig_filename:
        return None
    start = name_at + name_length + extra_length
    end = start + info.compress_size
    if end > len(data):
        return None
    member = memoryview(data)[start:end]
    stored = info.compress_type == zipfile.ZIP_STORED
    stream = None if stored else zlib.decompressobj(-zlib.MAX_WBITS)
    chunks = (bytes(member[at:at + _CHUNK]) for at in range(0, len(member), _CHUNK)) if stream is None \
        else _inflated(member, stream)
    size = crc = 0
    try:
        for chunk in chunks:
            _feed(chunk, prolog, scan)
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            if size > budget:
                return size
    except zlib.error:
        return None
    complete = stream is None or stream.eof
    return size if complete and crc == info.CRC else None


def _inflated(member: memoryview, stream) -> Iterator[bytes]:
    """The member's output from ``stream`` (a raw deflate decompressor) in chunks of at most _CHUNK, its input handed
    over _INPUT_PIECE bytes at a time; it ends with the deflate stream, or with the input (then ``stream.eof`` is
    false: the member is incomplete)."""
    for at in range(0, len(member), _INPUT_PIECE):
        piece = member[at:at + _INPUT_PIECE]
        while piece and not stream.eof:
            chunk = stream.decompress(piece, _CHUNK)
            piece = stream.unconsumed_tail
            if chunk:
                yield chunk
        if stream.eof:
            return
    while not stream.eof and (chunk := stream.decompress(b"", _CHUNK)):  # output zlib still held back
        yield chunk


class _FirstElement(Exception):
    """Raised by the parser's target at the first element: the prolog is over."""


class _StopAtFirstElement:
    def start(self, tag, attrib):
        raise _FirstElement

    def close(self):
        return None


class _PrologCheck:
    """Parses an XML part's prolog with defusedxml, which forbids DTDs (and so entity bombs and external
    entities) outright; parsing stops at the first element, so the cost does not grow with the part.

    A part that opens as Excel, WPS and LibreOffice write them (at most a UTF-8 XML declaration, then at once
    the first element) has no room for a DTD, which can only stand before the first element: it is decided
    without making a parser (a fifth of the archive check's time went into making one per part)."""

    def __init__(self):
        self.parser = None
        self.decided = False
        self.refused = False

    def feed(self, chunk: bytes) -> None:
        """Feed the next chunk of the part (until ``decided``)."""
        if self.parser is None:
            head = _PLAIN_PROLOG.match(chunk)
            if head is not None:
                declared = _DECLARED_ENCODING.search(head.group(1) or b"")
                if declared is None or _UTF8.fullmatch(declared.group(1)):
                    self.decided = True
                    return
            self.parser = DefusedXMLParser(target=_StopAtFirstElement(), forbid_dtd=True)
        try:
            self.parser.feed(chunk)
            return
        except _FirstElement:
            pass
        except DefusedXmlException:
            self.refused = True
        except SafeTree.ParseError:
            pass  # not well-formed: calamine decides whether the file can be read
        self.decided = True


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name to its XML part inside the archive (from workbook.xml and its relationships)."""
    try:
        book, rels = archive.read("xl/workbook.xml"), archive.read("xl/_rels/workbook.xml.rels")
        small = len(book) + len(rels) <= _REMEMBERED_PARTS  # what a template makes; others are not kept
        return dict(_parts_remembered(book, rels) if small else _parts_named(book, rels))
    except Exception:  # noqa: BLE001 - the facts are extra; calamine decides whether the file is readable
        return {}


_REMEMBERED_PARTS = 1 << 16  # bytes


def _parts_named(workbook_xml: bytes, rels_xml: bytes) -> tuple[tuple[str, str], ...]:
    """_sheet_parts from the two parts' bytes."""
    book = SafeTree.fromstring(workbook_xml)
    rels = SafeTree.fromstring(rels_xml)
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    parts = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet") and sheet.get(_NS_REL) in targets:
            target = targets[sheet.get(_NS_REL)]
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            parts[sheet.get("name", "")] = part
    return tuple(parts.items())


# the same two parts for every file made from one template: parsed once per process (a fifth of a millisecond each)
_parts_remembered = functools.lru_cache(maxsize=32)(_parts_named)


_LONGEST_TAG = 1 << 16  # bytes: a row's tag is well under a kilobyte


class _HiddenRowScan:
    """The rows marked hidden in a worksheet part, fed chunk by chunk (a tag may straddle two chunks)."""

    def __init__(self):
        self.found: list[int] = []
        self.tail = b""

    def restart(self) -> "_HiddenRowScan":
        """The same scan, emptied, to be fed the part again from its start."""
        self.found.clear()
        self.tail = b""
        return self

    def feed(self, chunk: bytes) -> None:
        text = self.tail + chunk
        cut = text.rfind(b"<")
        # the last tag, while unfinished, waits for the next chunk (also when it opens the chunk: a chunk may be a
        # few bytes); one longer than any row tag is scanned as it is, so that the tail never grows without end
        if cut >= 0 and text.find(b">", cut) < 0 and len(text) - cut <= _LONGEST_TAG:
            text, self.tail = text[:cut], text[cut:]
        else:
            self.tail = b""
        self._scan(text)

    def _scan(self, text: bytes) -> None:
        if b"hidden=" not in text:  # most parts hide nothing: one substring search instead of the regex at every tag
            return
        for match in _HIDDEN_ROW.finditer(text):
            number = _ROW_NUMBER.search(match.group(0))
            if number:
                self.found.append(int(number.group(1)))

    def rows(self) -> list[int]:
        """1-based numbers of the hidden rows (by hand or by a filter), once everything has been fed."""
        self._scan(self.tail)
        self.tail = b""
        return self.found


def _hidden_rows(archive: zipfile.ZipFile, part: str) -> list[int]:
    """1-based numbers of the rows marked hidden (hidden by hand or by a filter) in a sheet part."""
    scan = _HiddenRowScan()
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(1 << 20):
                scan.feed(chunk)
    except (KeyError, zipfile.BadZipFile):
        return []
    return scan.rows()


def _looks_like_text(sample: bytes) -> bool:
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def read_workbook(path: Path, wanted: Callable[[str], bool] | None = None, *, layout: bool = False,
                  data: bytes | None = None) -> WorkbookData:
    """Every sheet of the workbook (or those whose name ``wanted`` takes), read from one copy of its bytes
    (``data``, when the caller has loaded them with ``load_bytes``); with ``layout``, also its merged ranges and
    hidden rows. A sheet not read is not parsed (nor held to the size limits)."""
    path = Path(path)
    hidden: dict[str, list[int]] | None = {} if layout else None
    facts: dict[str, object] = {}
    hidden_by_sheet: dict[str, list[int]] = {}

    def archive_facts(archive: zipfile.ZipFile) -> None:  # from the archive the check has just opened
        facts["saved_at"] = _saved_at(archive)
        facts["macros_lost"] = path.suffix.lower() == ".xlsm" and "xl/vbaProject.bin" not in archive.namelist()
        if layout:
            for name, part in _sheet_parts(archive).items():
                if wanted is None or wanted(name):  # found by the archive check, or (a part named otherwise) read now
                    hidden_by_sheet[name] = hidden[part] if part in hidden else _hidden_rows(archive, part)

    data = _preflight(path, data, hidden, archive_facts)
    digest = hashlib.sha256(data).hexdigest()
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise _refuse(path, "工作簿设置了打开密码。请取消密码后重新发送。") from None
    except _NOT_OURS_TO_CATCH:
        raise
    except BaseException:  # noqa: BLE001 - calamine's errors and panics: a damaged or non-standard file
        raise _refuse(path, "文件已损坏或不是标准的 Excel 工作簿。请在 Excel 中打开后重新保存再发送。") from None
    result = WorkbookData({}, digest, saved_at=facts["saved_at"], macros_lost=facts["macros_lost"])
    try:
        names = workbook.sheet_names
        _limit_sheets(path, len(names))  # as calamine counts them (the archive check counted tags)
        for name in names:
            if wanted is not None and not wanted(name):
                continue
            sheet = workbook.get_sheet_by_name(name)
            _check_size(path, name, sheet)
            try:
                result.sheets[name] = sheet.to_python(skip_empty_area=False)
            except _NOT_OURS_TO_CATCH:
                raise
            except BaseException:  # noqa: BLE001 - calamine panics (a BaseException) on some values
                result.sheets[name] = _read_sheet_slowly(path, data, name)
            if layout:
                result.merged[name] = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
    except (UnreadableWorkbook, *_NOT_OURS_TO_CATCH):
        raise
    except BaseException:  # noqa: BLE001 - including a panic inside calamine
        raise _refuse(path, "工作表内容已损坏，无法读取。请在 Excel 中打开后重新保存再发送。") from None
    finally:
        workbook.close()
    if layout:
        result.hidden_rows = {name: rows for name, rows in hidden_by_sheet.items() if name in result.sheets}
    return result


_CORE_PART = "docProps/core.xml"
_MODIFIED = "{http://purl.org/dc/terms/}modified"


def _saved_at(archive: zipfile.ZipFile) -> str:
    """The workbook's last-saved time from its core properties (the archive check has refused DTDs)."""
    try:
        if archive.getinfo(_CORE_PART).file_size > 1 << 20:
            return ""
        core = SafeTree.fromstring(archive.read(_CORE_PART))
    except Exception:  # noqa: BLE001 - an extra fact: a file without it is read all the same
        return ""
    text = next((node.text or "" for node in core.iter() if node.tag == _MODIFIED), "").strip()
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return when.replace(microsecond=0).isoformat(sep=" ")


def _read_sheet_slowly(path: Path, data: bytes, name: str) -> list[list]:
    """One sheet through openpyxl, when calamine cannot convert one of its values (it panics on a date
    cell holding a number beyond the calendar): openpyxl gives such a cell as "#VALUE!", so the check
    can point at it instead of refusing the whole file."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                rows = []
                for row in workbook[name].iter_rows(values_only=True):
                    rows.append(list(row))
                    if len(rows) > MAX_ROWS:
                        raise _refuse(path, f"工作表“{name}”超过上限 {MAX_ROWS:,} 行。请删除多余的行后重新保存。")
            finally:
                workbook.close()
    except UnreadableWorkbook:
        raise
    except Exception:  # noqa: BLE001
        raise _refuse(path, f"工作表“{name}”中有无法识别的内容（如日期格式的单元格里填了超出日期范围的数字）。"
                            "请检查该表的日期和月份列，改正后重新保存再发送。") from None
    width = max((len(row) for row in rows), default=0)
    return [row + [None] * (width - len(row)) for row in rows]


def _check_size(path: Path, name: str, sheet) -> None:
    end = sheet.end
    if not end:
        return
    rows, columns = end[0] + 1, end[1] + 1
    if rows > MAX_ROWS:
        raise _refuse(path, f"工作表“{name}”用到了第 {rows:,} 行，超过上限 {MAX_ROWS:,} 行。可能是误在表格末尾输入了内容："
                            "请按 Ctrl+End 找到最后一个单元格，删除多余的行后重新保存。")
    if rows * columns > MAX_CELLS:
        raise _refuse(path, f"工作表“{name}”的数据区域为 {rows:,} 行 × {columns:,} 列，超过上限 {MAX_CELLS:,} 个单元格。"
                            "请按 Ctrl+End 找到最后一个单元格，删除多余的行和列后重新保存。")


def read_sheets(path: Path, wanted: Callable[[str], bool] | None = None) -> dict[str, Rows]:
    """Every sheet of the workbook (or those whose name ``wanted`` takes) as 2-D lists from A1."""
    return read_workbook(path, wanted).sheets
