"""Barcode symbologies of GS k and Code128's code-set escapes (ESC/POS reference, GS k)."""

from __future__ import annotations

SYMBOLOGIES = {65: "UPC-A", 66: "UPC-E", 67: "EAN13", 68: "EAN8", 69: "CODE39", 70: "ITF",
               71: "CODABAR", 72: "CODE93", 73: "CODE128", 74: "GS1-128"}


def decode_code128(raw: bytes) -> str:
    """Return what a scanner reads from GS k CODE128 data ("{B" selects set B, "{{" is "{").

    Raises ValueError if the data does not start with a code set or is malformed.
    """
    if raw[:1] != b"{" or raw[1:2] not in (b"A", b"B", b"C"):
        raise ValueError("CODE128 data must start with a code set ({A, {B or {C)")
    out: list[str] = []
    code_set, i = raw[1:2], 2
    while i < len(raw):
        byte = raw[i]
        if byte == 0x7B:  # "{"
            if i + 1 >= len(raw):
                raise ValueError("dangling '{'")
            escape = raw[i + 1 : i + 2]
            if escape in (b"A", b"B", b"C"):
                code_set = escape
            elif escape == b"{":
                out.append("{")
            elif escape not in (b"1", b"2", b"3", b"4", b"S"):
                raise ValueError(f"unknown escape {{{escape!r}")
            i += 2
            continue
        if code_set == b"C":
            if byte > 99:
                raise ValueError("code set C takes values 0..99")
            out.append(f"{byte:02d}")
        else:
            out.append(chr(byte))
        i += 1
    return "".join(out)
