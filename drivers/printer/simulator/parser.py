"""An incremental ESC/POS parser, written against the public Epson ESC/POS reference.

``feed(chunk)`` returns the elements completed so far; an incomplete command waits for the
next chunk, so the result does not depend on how the stream was split. Malformed input
raises :class:`EscPosError` after the offending bytes are consumed, carrying the elements
parsed before them; the caller goes on with ``feed(b"")``. Sizes are bounded, so no input
makes it buffer without limit or loop forever.
"""

from __future__ import annotations

import codecs
from dataclasses import replace

from PIL import Image

from drivers.printer.simulator.barcodes import SYMBOLOGIES, decode_code128
from drivers.printer.simulator.elements import (
    Barcode,
    Cut,
    Element,
    EscPosError,
    LineFeed,
    PaperFeed,
    QrCode,
    RasterImage,
    Reset,
    StatusRequest,
    Style,
    TextRun,
)
from drivers.printer.simulator.raster import column_image, raster_image

ESC, GS, DLE, FS = 0x1B, 0x1D, 0x10, 0x1C
LINE_DOTS = 30
MAX_IMAGE_BYTES = 1 << 20
CODE_PAGES = {0: "cp437", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865", 16: "cp1252",
              17: "cp866", 18: "cp852", 19: "cp858", 40: "iso8859_15", 45: "cp1250",
              46: "cp1251"}
# commands with a fixed number of parameter bytes and no effect on what we record
ESC_IGNORED = {b"-": 1, b"2": 0, b"3": 1, b"G": 1, b"{": 1, b"V": 1, b"R": 1, b"p": 3,
               b" ": 1, b"$": 2, b"\\": 2, b"U": 1, b"r": 1, b"S": 0, b"L": 0, b"T": 1,
               b"=": 1, b"c": 2}
GS_IGNORED = {b"L": 2, b"W": 2, b"b": 1, b"a": 1, b"f": 1, b"I": 1, b"P": 2, b"$": 2,
              b"\\": 2, b"/": 1, b":": 0, b"r": 1}
ALIGN = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}
QR_EC = {48: "L", 49: "M", 50: "Q", 51: "H"}


class _NeedMore(Exception):
    """The command at the head of the buffer is not complete yet."""


class EscPosParser:
    """Turns received bytes into printable elements; keeps the printer's mode state."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._error_len = 1
        self._graphic: Image.Image | None = None
        self.reset()

    def reset(self) -> None:
        """Return to power-on state (ESC @)."""
        self.style = Style()
        self.codec = "cp437"
        self.qr_module, self.qr_ec, self.qr_data = 3, "L", b""
        self.bc_height, self.bc_module, self.bc_hri_below = 162, 3, False

    def feed(self, data: bytes) -> list[Element]:
        """Parse as much as possible; raises EscPosError on a malformed command."""
        self._buffer += data
        out: list[Element] = []
        while self._buffer:
            try:
                used = self._one(out)
            except _NeedMore:
                break
            except EscPosError as err:
                del self._buffer[: max(1, self._error_len)]
                err.elements = out
                raise
            del self._buffer[:used]
        return out

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a command."""
        return len(self._buffer)

    def _need(self, n: int) -> bytes:
        if len(self._buffer) < n:
            raise _NeedMore
        return bytes(self._buffer[:n])

    def _take(self, n: int) -> int:
        """Skip a command of ``n`` bytes that changes nothing we record."""
        self._need(n)
        return n

    def _fail(self, used: int, why: str) -> EscPosError:
        self._error_len = used
        return EscPosError(why)

    def _one(self, out: list[Element]) -> int:
        self._error_len = 1
        b = self._buffer[0]
        if b >= 0x20:
            end = next((i for i, c in enumerate(self._buffer) if c < 0x20), len(self._buffer))
            text = codecs.decode(bytes(self._buffer[:end]), self.codec, errors="replace")
            out.append(TextRun(text, self.style))
            return end
        if b == 0x0A:
            out.append(LineFeed(self.style.align))
            return 1
        if b in (0x0D, 0x00, 0x18):
            return 1
        if b == 0x09:
            out.append(TextRun("    ", self.style))
            return 1
        if b == 0x0C:
            out.append(LineFeed(self.style.align))
            return 1
        if b == ESC:
            return self._esc(out)
        if b == GS:
            return self._gs(out)
        if b == DLE:
            return self._dle(out)
        if b == FS:
            head = self._need(2)
            if head[1:] in (b".", b"&"):
                return 2
            raise self._fail(2, f"unsupported command FS {head[1]:#04x}")
        raise self._fail(1, f"unexpected control byte {b:#04x}")

    def _esc(self, out: list[Element]) -> int:
        cmd = self._need(2)[1:]
        if cmd == b"@":
            self.reset()
            out.append(Reset())
            return 2
        if cmd in ESC_IGNORED:
            return self._take(2 + ESC_IGNORED[cmd])
        if cmd == b"D":  # tab positions, NUL-terminated, at most 32
            end = self._buffer.find(0, 2, 35)
            if end < 0:
                if len(self._buffer) >= 35:
                    raise self._fail(35, "ESC D without terminator")
                raise _NeedMore
            return end + 1
        n = self._need(3)[2]
        if cmd == b"!":
            self.style = replace(self.style, font_b=bool(n & 1), bold=bool(n & 8),
                                 height=2 if n & 16 else 1, width=2 if n & 32 else 1,
                                 underline=bool(n & 128))
        elif cmd == b"E":
            self.style = replace(self.style, bold=bool(n & 1))
        elif cmd == b"M":
            self.style = replace(self.style, font_b=n in (1, 49))
        elif cmd == b"a":
            if n not in ALIGN:
                raise self._fail(3, f"bad justification {n}")
            self.style = replace(self.style, align=ALIGN[n])
        elif cmd == b"t":
            if n not in CODE_PAGES:
                raise self._fail(3, f"code page table {n} not supported")
            self.codec = CODE_PAGES[n]
        elif cmd == b"d":
            out.append(PaperFeed(n * LINE_DOTS))
        elif cmd == b"J":
            out.append(PaperFeed(n))
        elif cmd == b"*":
            return self._column_image(n, out)
        else:
            raise self._fail(2, f"unsupported command ESC {cmd!r}")
        return 3

    def _column_image(self, mode: int, out: list[Element]) -> int:
        if mode not in (0, 1, 32, 33):
            raise self._fail(3, f"bad ESC * mode {mode}")
        head = self._need(5)
        columns = head[3] | head[4] << 8
        size = columns * (3 if mode >= 32 else 1)
        data = self._need(5 + size)[5:]
        out.append(RasterImage(column_image(data, columns, mode >= 32), self.style.align))
        return 5 + size

    def _gs(self, out: list[Element]) -> int:
        cmd = self._need(2)[1:]
        if cmd in GS_IGNORED:
            return self._take(2 + GS_IGNORED[cmd])
        if cmd == b"(":
            return self._gs_paren(out)
        if cmd == b"v":
            return self._gs_raster(out)
        if cmd == b"k":
            return self._gs_barcode(out)
        n = self._need(3)[2]
        if cmd == b"!":
            self.style = replace(self.style, width=(n >> 4 & 7) + 1, height=(n & 7) + 1)
        elif cmd == b"B":
            self.style = replace(self.style, inverted=bool(n & 1))
        elif cmd == b"h":
            self.bc_height = max(1, n)
        elif cmd == b"w":
            self.bc_module = n
        elif cmd == b"H":
            self.bc_hri_below = n in (2, 3, 50, 51)
        elif cmd == b"V":
            if n in (65, 66, 97, 98, 103, 104):
                self._need(4)
                out.append(Cut(partial=n in (66, 98, 104)))
                return 4
            if n not in (0, 1, 48, 49):
                raise self._fail(3, f"bad cut mode {n}")
            out.append(Cut(partial=n in (1, 49)))
        else:
            raise self._fail(2, f"unsupported command GS {cmd!r}")
        return 3

    def _gs_paren(self, out: list[Element]) -> int:
        head = self._need(5)
        kind, size = head[2:3], head[3] | head[4] << 8
        body = self._need(5 + size)[5:]
        if kind == b"k" and size >= 2 and body[0] == 49:
            self._qr_function(body[1], body[2:], out)
        elif kind == b"L" and size >= 2 and body[1] in (112, 50, 2):
            self._graphics_function(body[1], body[2:], out)
        elif kind not in (b"k", b"L", b"A", b"C", b"D", b"E", b"H", b"K", b"M"):
            raise self._fail(5 + size, f"unsupported command GS ( {kind!r}")
        return 5 + size

    def _qr_function(self, fn: int, args: bytes, out: list[Element]) -> None:
        if fn == 67 and args:
            self.qr_module = max(1, min(16, args[0]))
        elif fn == 69 and args:
            self.qr_ec = QR_EC.get(args[0], "L")
        elif fn == 80 and args:
            self.qr_data = args[1:]
        elif fn == 81:
            if not self.qr_data:
                raise self._fail(0, "QR print without stored data")
            out.append(QrCode(self.qr_data, self.qr_module, self.qr_ec, self.style.align))

    def _graphics_function(self, fn: int, args: bytes, out: list[Element]) -> None:
        if fn == 112 and len(args) >= 8:
            width, height = args[4] | args[5] << 8, args[6] | args[7] << 8
            self._graphic = raster_image(args[8:], (width + 7) // 8, height)
        elif fn in (50, 2) and self._graphic is not None:
            out.append(RasterImage(self._graphic, self.style.align))
            self._graphic = None

    def _gs_raster(self, out: list[Element]) -> int:
        head = self._need(8)
        if head[2] not in (0x30, 0) or head[3] not in (0, 1, 2, 3, 48, 49, 50, 51):
            raise self._fail(3, "bad GS v command")
        width_bytes, height = head[4] | head[5] << 8, head[6] | head[7] << 8
        size = width_bytes * height
        if size > MAX_IMAGE_BYTES:
            raise self._fail(8, f"raster image of {size} bytes is too large")
        data = self._need(8 + size)[8:]
        out.append(RasterImage(raster_image(data, width_bytes, height), self.style.align))
        return 8 + size

    def _gs_barcode(self, out: list[Element]) -> int:
        m = self._need(3)[2]
        if m <= 6:
            end = self._buffer.find(0, 3, 3 + 256)
            if end < 0:
                if len(self._buffer) >= 3 + 256:
                    raise self._fail(3 + 256, "GS k data without terminator")
                raise _NeedMore
            raw, used, kind = bytes(self._buffer[3:end]), end + 1, m + 65
        else:
            length = self._need(4)[3]
            raw, used, kind = self._need(4 + length)[4:], 4 + length, m
        if kind not in SYMBOLOGIES:
            raise self._fail(used, f"unknown barcode system {m}")
        name = SYMBOLOGIES[kind]
        try:
            data = decode_code128(raw) if name == "CODE128" else raw.decode("ascii")
        except ValueError as err:
            raise self._fail(used, f"bad {name} data: {err}") from err
        out.append(Barcode(name, data, raw, self.bc_module, self.bc_height,
                           self.bc_hri_below, self.style.align))
        return used

    def _dle(self, out: list[Element]) -> int:
        cmd, n = self._need(3)[1:]
        if cmd == 0x04 and n in (1, 2, 3, 4):
            out.append(StatusRequest(n))
            return 3
        if cmd == 0x05:  # DLE ENQ: real-time request to the printer, nothing to answer
            return 3
        raise self._fail(3, f"unsupported real-time command DLE {cmd:#04x} {n}")
