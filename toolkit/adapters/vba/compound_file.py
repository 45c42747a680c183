"""Writing an MS-CFB version 3 compound file (the container of ``vbaProject.bin``).

olefile reads compound files but can only rewrite a stream in place at the same size, so the few
hundred lines of the format we need are written here: 512-byte sectors, a mini stream of 64-byte
sectors for streams under 4096 bytes, the FAT listed in the header (files up to about 7 MB), and each
storage's children kept as a valid red-black tree. The tests read every file back with olefile.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
_HEADER_FAT_SLOTS = 109
_FREE, _END, _FAT, _NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1


@dataclass
class Storage:
    """A storage: named streams (bytes) and sub-storages, with an optional CLSID."""

    children: dict[str, "bytes | Storage"] = field(default_factory=dict)
    clsid: bytes = bytes(16)


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    clsid: bytes = bytes(16)
    left: int = _NONE
    right: int = _NONE
    child: int = _NONE
    colour: int = _BLACK
    start: int = _END
    size: int = 0


def _order(name: str) -> tuple[int, str]:
    """The directory's name order: shorter names first, then by upper-case code points."""
    return len(name), name.upper()


def _flatten(root: Storage) -> list[_Entry]:
    entries = [_Entry("Root Entry", _ROOT, clsid=root.clsid)]

    def add(storage: Storage, parent: _Entry) -> None:
        indices = []
        for name in sorted(storage.children, key=_order):
            if len(name) > 31:
                raise ValueError(f"compound file names have at most 31 characters: {name!r}")
            value = storage.children[name]
            if isinstance(value, Storage):
                entry = _Entry(name, _STORAGE, clsid=value.clsid)
            else:
                entry = _Entry(name, _STREAM, data=bytes(value), size=len(value))
            entries.append(entry)
            indices.append(len(entries) - 1)
            if isinstance(value, Storage):
                add(value, entry)
        parent.child = _tree(entries, indices, 0)

    add(root, entries[0])
    return entries


def _tree(entries: list[_Entry], indices: list[int], depth: int, height: int | None = None) -> int:
    """A balanced binary search tree over sorted ``indices``; nodes on an incomplete deepest level are red,
    all others black, which satisfies the red-black rules the format asks for."""
    if not indices:
        return _NONE
    if height is None:
        height = len(indices).bit_length() - 1  # depth of the deepest level
        full = len(indices) == (1 << (height + 1)) - 1
        height = height if not full else -1
    middle = len(indices) // 2
    node = entries[indices[middle]]
    node.colour = _RED if depth == height else _BLACK
    node.left = _tree(entries, indices[:middle], depth + 1, height)
    node.right = _tree(entries, indices[middle + 1:], depth + 1, height)
    return indices[middle]


def _sectors(size: int, unit: int) -> int:
    return -(-size // unit)


def write(root: Storage) -> bytes:
    """The compound file holding ``root``'s streams and storages."""
    entries = _flatten(root)
    small = [e for e in entries if e.kind == _STREAM and e.size < MINI_CUTOFF]
    large = [e for e in entries if e.kind == _STREAM and e.size >= MINI_CUTOFF]

    mini_fat: list[int] = []
    mini_stream = bytearray()
    for entry in small:
        if entry.size == 0:
            continue
        count = _sectors(entry.size, MINI_SECTOR)
        entry.start = len(mini_fat)
        mini_fat += [len(mini_fat) + i + 1 for i in range(count - 1)] + [_END]
        mini_stream += entry.data.ljust(count * MINI_SECTOR, b"\x00")

    directory_sectors = _sectors(len(entries) * 128, SECTOR)
    mini_fat_sectors = _sectors(len(mini_fat) * 4, SECTOR)
    mini_stream_sectors = _sectors(len(mini_stream), SECTOR)
    data_sectors = directory_sectors + mini_fat_sectors + mini_stream_sectors + sum(
        _sectors(e.size, SECTOR) for e in large)
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < data_sectors + fat_sectors:
        fat_sectors += 1
    if fat_sectors > _HEADER_FAT_SLOTS:
        raise ValueError("compound file too large for a header-only FAT")

    fat: list[int] = [_FAT] * fat_sectors

    def chain(count: int) -> int:
        if count == 0:
            return _END
        start = len(fat)
        fat.extend(start + i + 1 for i in range(count - 1))
        fat.append(_END)
        return start

    directory_start = chain(directory_sectors)
    mini_fat_start = chain(mini_fat_sectors)
    root_entry = entries[0]
    root_entry.start = chain(mini_stream_sectors)
    root_entry.size = len(mini_stream)
    body = bytearray()
    for entry in large:
        entry.start = chain(_sectors(entry.size, SECTOR))
    fat += [_FREE] * (fat_sectors * (SECTOR // 4) - len(fat))

    directory = b"".join(_directory_entry(e) for e in entries)
    directory += _unused_entry() * (directory_sectors * (SECTOR // 128) - len(entries))
    body += struct.pack(f"<{len(fat)}I", *fat)
    body += directory
    body += struct.pack(f"<{len(mini_fat)}I", *mini_fat).ljust(mini_fat_sectors * SECTOR, b"\xff")
    body += bytes(mini_stream).ljust(mini_stream_sectors * SECTOR, b"\x00")
    for entry in large:
        body += entry.data.ljust(_sectors(entry.size, SECTOR) * SECTOR, b"\x00")

    difat = list(range(fat_sectors)) + [_FREE] * (_HEADER_FAT_SLOTS - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", bytes(16), 0x003E, 0x0003, 0xFFFE, 9, 6, bytes(6),
        0, fat_sectors, directory_start, 0, MINI_CUTOFF,
        mini_fat_start if mini_fat_sectors else _END, mini_fat_sectors, _END, 0,
    ) + struct.pack("<109I", *difat)
    assert len(header) == SECTOR
    return header + bytes(body)


def _directory_entry(entry: _Entry) -> bytes:
    name = (entry.name + "\x00").encode("utf-16-le")
    start = entry.start if entry.kind != _STORAGE else 0
    if entry.kind == _STREAM and entry.size == 0:
        start = _END
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name, len(name), entry.kind, entry.colour, entry.left, entry.right, entry.child,
        entry.clsid, 0, 0, 0, start, entry.size if entry.kind != _STORAGE else 0,
    )


def _unused_entry() -> bytes:
    return struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, _NONE, _NONE, _NONE, bytes(16), 0, 0, 0, 0, 0)
