"""MS-OVBA 2.4.1 compression: the codec of VBA module source and of the ``dir`` stream.

Written here because the one packaged compressor (ms-ovba 0.0.1) corrupts modules larger than a few KB.
Our output is proven by decompressing it with oletools (the tests) and by LibreOffice importing it.
"""

from __future__ import annotations

import struct

CHUNK = 4096  # decompressed bytes per chunk
_MIN_MATCH = 3


def _split(position: int) -> tuple[int, int]:
    """(bit count of the offset, maximum match length) at ``position`` bytes into a chunk (2.4.1.3.19.3)."""
    bits = max((position - 1).bit_length(), 4)
    return bits, (0xFFFF >> bits) + 3


def _compress_chunk(data: bytes) -> bytes:
    """One chunk (at most 4096 decompressed bytes) as a CompressedChunk with its header."""
    out = bytearray()
    heads: dict[bytes, list[int]] = {}  # 3-byte prefix -> earlier positions, newest last
    position = 0
    while position < len(data):
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if position >= len(data):
                break
            bits, max_length = _split(position)
            best_length, best_offset = 0, 0
            if position + _MIN_MATCH <= len(data):
                limit = min(max_length, len(data) - position)
                for start in reversed(heads.get(data[position:position + _MIN_MATCH], ())):
                    length = _MIN_MATCH
                    while length < limit and data[start + length] == data[position + length]:
                        length += 1
                    if length > best_length:
                        best_length, best_offset = length, position - start
                        if length == limit:
                            break
            if best_length >= _MIN_MATCH:
                token = ((best_offset - 1) << (16 - bits)) | (best_length - _MIN_MATCH)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_length
            else:
                out.append(data[position])
                step = 1
            for p in range(position, position + step):
                if p + _MIN_MATCH <= len(data):
                    heads.setdefault(data[p:p + _MIN_MATCH], []).append(p)
            position += step
        out[flag_at] = flags
    if len(out) > CHUNK:  # incompressible: a raw chunk of exactly 4096 bytes (2.4.1.3.10)
        raw = data.ljust(CHUNK, b"\x00")
        return struct.pack("<H", 0x3000 | (CHUNK - 1)) + raw
    return struct.pack("<H", 0xB000 | (len(out) + 2 - 3)) + bytes(out)


def compress(data: bytes) -> bytes:
    """A CompressedContainer: the signature byte 0x01, then one chunk per 4096 bytes."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(data[start:start + CHUNK])
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """The inverse of ``compress`` (2.4.1.3.1), for reading the base project's ``dir`` stream."""
    if not container or container[0] != 0x01:
        raise ValueError("not an MS-OVBA compressed container")
    out = bytearray()
    index = 1
    while index < len(container):
        header = struct.unpack_from("<H", container, index)[0]
        size = (header & 0x0FFF) + 3
        end = min(index + size, len(container))
        index += 2
        chunk_start = len(out)
        if not header & 0x8000:
            out += container[index:index + CHUNK]
            index += CHUNK
            continue
        while index < end:
            flags = container[index]
            index += 1
            for bit in range(8):
                if index >= end:
                    break
                if not flags & (1 << bit):
                    out.append(container[index])
                    index += 1
                    continue
                token = struct.unpack_from("<H", container, index)[0]
                index += 2
                bits, _ = _split(len(out) - chunk_start)
                length = (token & (0xFFFF >> bits)) + _MIN_MATCH
                offset = (token >> (16 - bits)) + 1
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)
