"""Compression bombs built fast: a gzip member of N MiB of zeros made of one repeated block."""

from __future__ import annotations

import functools
import struct
import zlib

MIB = 1 << 20


@functools.cache
def gzip_of_zeros(mib: int) -> bytes:
    """A valid gzip member (CRC and size right) that inflates to `mib` MiB of zeros."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    # A full flush ends the block byte-aligned with no back-references: it can be repeated.
    block = deflate.compress(bytes(MIB)) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    zeros = bytes(MIB)
    for _ in range(mib):
        crc = zlib.crc32(zeros, crc)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty last block
    head = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return head + block * mib + final + struct.pack("<II", crc, (mib * MIB) & 0xFFFFFFFF)


@functools.cache
def gzip_gzip_bomb(mib: int = 1536) -> bytes:
    """`Content-Encoding: gzip, gzip`: ~4 KB on the wire, `mib` MiB once both are undone."""
    outer = zlib.compressobj(9, zlib.DEFLATED, 31)
    return outer.compress(gzip_of_zeros(mib)) + outer.flush()
