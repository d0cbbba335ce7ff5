"""The simple tag-length-value format of the Belgian eID identity and address files.

Each field is one tag byte, a length in 7-bit groups (high bit set = another length byte
follows) and the value. A tag 0x00 or the end of the data ends the file (the card pads
with zeros). Anything else malformed raises :class:`TlvError`, never another exception.
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_LENGTH_BYTES = 4


class TlvError(ValueError):
    """The data is not well-formed TLV (truncated, overlong or garbage)."""


def parse(data: bytes) -> dict[int, bytes]:
    """Split ``data`` into {tag: value}; a repeated tag keeps its first value."""
    fields: dict[int, bytes] = {}
    index, size = 0, len(data)
    while index < size:
        tag = data[index]
        if tag == 0x00:
            break
        index += 1
        length, length_bytes = 0, 0
        while True:
            if index >= size:
                raise TlvError(f"length of tag {tag:#04x} is cut off")
            byte = data[index]
            index += 1
            length_bytes += 1
            if length_bytes > MAX_LENGTH_BYTES:
                raise TlvError(f"length of tag {tag:#04x} is too long")
            length = (length << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        if index + length > size:
            raise TlvError(f"value of tag {tag:#04x} is cut off ({length} bytes announced)")
        fields.setdefault(tag, data[index : index + length])
        index += length
    return fields


def encode_length(length: int) -> bytes:
    """Encode a length in 7-bit groups, most significant first."""
    groups = [length & 0x7F]
    length >>= 7
    while length:
        groups.append(0x80 | (length & 0x7F))
        length >>= 7
    return bytes(reversed(groups))


def encode(fields: Iterable[tuple[int, bytes]]) -> bytes:
    """Build TLV data from (tag, value) pairs in order."""
    return b"".join(bytes([tag]) + encode_length(len(value)) + value for tag, value in fields)
