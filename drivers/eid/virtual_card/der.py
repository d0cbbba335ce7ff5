"""Minimal DER encoding for the virtual card's PKCS#15 files (encoding only, fixed inputs)."""

from __future__ import annotations


def _length(size: int) -> bytes:
    if size < 0x80:
        return bytes([size])
    raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def tlv(tag: int, value: bytes) -> bytes:
    """Encode one DER element with a one-byte tag."""
    return bytes([tag]) + _length(len(value)) + value


def seq(*items: bytes) -> bytes:
    """SEQUENCE of already-encoded items."""
    return tlv(0x30, b"".join(items))


def integer(value: int) -> bytes:
    """Non-negative INTEGER."""
    return tlv(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def enumerated(value: int) -> bytes:
    """Small non-negative ENUMERATED."""
    return tlv(0x0A, bytes([value]))


def boolean(value: bool) -> bytes:
    """BOOLEAN."""
    return tlv(0x01, b"\xff" if value else b"\x00")


def octets(value: bytes) -> bytes:
    """OCTET STRING."""
    return tlv(0x04, value)


def utf8(value: str) -> bytes:
    """UTF8String."""
    return tlv(0x0C, value.encode())


def bits(value: int, unused: int) -> bytes:
    """One-byte BIT STRING whose first bit is the most significant of ``value``'s used bits."""
    return tlv(0x03, bytes([unused, (value << unused) & 0xFF]))


def path_object(hex_path: str) -> bytes:
    """PKCS#15 Path ::= SEQUENCE { path OCTET STRING }."""
    return seq(octets(bytes.fromhex(hex_path)))
