"""Render a receipt's blocks to ESC/POS through python-escpos's command layer.

The code page is selected explicitly (ESC t n) and text is encoded with Python's codec for
that page, never with python-escpos's guessing "magic" encoder, so á é í ó ú ü ñ ¿ ¡ and the
currency sign land on the byte the printer's table expects. QR codes and Code128 barcodes
are native commands (GS ( k / GS k) when the profile says so, raster images (GS v 0) from
``qrcode`` / ``python-barcode`` otherwise.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from escpos.constants import QR_ECLEVEL_M
from escpos.escpos import Escpos
from PIL import Image

from drivers.printer.layout import (
    BarcodeBlock,
    Block,
    FeedBlock,
    QrBlock,
    RuleBlock,
    TextBlock,
    layout,
)
from drivers.printer.profile import PrinterProfile
from drivers.printer.receipt import Receipt
from drivers.printer.symbols import barcode_image, code128_fits, qr_image, qr_module_for

log = logging.getLogger(__name__)
ESC, GS = b"\x1b", b"\x1d"
QR_MODULE_DOTS = 6
BARCODE_MODULE_DOTS = 2
BARCODE_HEIGHT_DOTS = 80


def encode_text(text: str, profile: PrinterProfile) -> bytes:
    """Encode text in the profile's code page; characters it lacks become '?'."""
    return text.encode(profile.codepage.lower(), errors="replace")


@dataclass
class _Style:
    """The text style the printer is in, so only changes are sent."""

    align: str = "left"
    bold: bool = False
    inverted: bool = False
    double: bool = False

    def apply(self, printer: Escpos, block: TextBlock | None = None) -> None:
        """Switch the printer to ``block``'s style (plain text if None)."""
        want = _Style(block.align, block.bold, block.inverted, block.double) if block else _Style()
        if want.double != self.double:
            printer.set(double_width=want.double, double_height=want.double,
                        normal_textsize=not want.double)
        if want.bold != self.bold:
            printer.set(bold=want.bold)
        if want.inverted != self.inverted:
            printer.set(invert=want.inverted)
        if want.align != self.align:
            printer.set(align=want.align)
        self.align, self.bold, self.inverted, self.double = (
            want.align, want.bold, want.inverted, want.double)


def render_receipt(printer: Escpos, receipt: Receipt, profile: PrinterProfile) -> None:
    """Send the whole receipt, from printer reset to paper cut, to ``printer``."""
    printer.hw("INIT")
    printer._raw(ESC + b"t" + bytes([profile.codepage_number]))
    style = _Style()
    for block in layout(receipt, profile.width_chars):
        if isinstance(block, TextBlock):
            style.apply(printer, block)
            printer._raw(encode_text(block.text, profile) + b"\n")
        else:
            style.apply(printer)
            _render_block(printer, block, profile)
            style.align = "left"
    printer.cut()


def _render_block(printer: Escpos, block: Block, profile: PrinterProfile) -> None:
    if isinstance(block, RuleBlock):
        printer._raw(encode_text(block.char * profile.width_chars, profile) + b"\n")
    elif isinstance(block, FeedBlock):
        printer._raw(b"\n" * block.lines)
    elif isinstance(block, QrBlock):
        _render_qr(printer, block.data, profile)
    elif isinstance(block, BarcodeBlock):
        _render_barcode(printer, block.data, profile)


def _render_qr(printer: Escpos, data: str, profile: PrinterProfile) -> None:
    module = qr_module_for(data, profile.width_dots, QR_MODULE_DOTS)
    if profile.native_qr:
        printer.set(align="center")
        printer.qr(data, ec=QR_ECLEVEL_M, size=module, native=True)
    else:
        printer.image(_centered(qr_image(data, module, "M"), profile), impl="bitImageRaster")
    printer.set(align="left")


def _render_barcode(printer: Escpos, data: str, profile: PrinterProfile) -> None:
    if not code128_fits(data, BARCODE_MODULE_DOTS, profile.width_dots):
        # narrower bars would not scan; the reference is printed as text and in the QR
        log.warning("reference of %d characters is too long for a barcode; printed as text",
                    len(data))
        printer.set(align="center", bold=True)
        printer._raw(encode_text(data, profile) + b"\n")
        printer.set(align="left", bold=False)
        return
    if profile.native_barcode:
        code = "{B" + data.replace("{", "{{")
        printer._hw_barcode(code, "CODE128", height=BARCODE_HEIGHT_DOTS,
                            width=BARCODE_MODULE_DOTS, pos="BELOW", font="A",
                            align_ct=True, function_type="B", check=False)
    else:
        image = barcode_image("code128", data, BARCODE_MODULE_DOTS, BARCODE_HEIGHT_DOTS)
        printer.image(_centered(image, profile), impl="bitImageRaster")
    printer.set(align="left")


def _centered(image: Image.Image, profile: PrinterProfile) -> Image.Image:
    """Pad on the left so the image sits centred (raster images ignore ESC a on many models)."""
    if image.width >= profile.width_dots:
        return image.crop((0, 0, profile.width_dots, image.height))  # quiet zone only
    left = (profile.width_dots - image.width) // 2
    width = (left + image.width + 7) // 8 * 8
    canvas = Image.new("1", (width, image.height), 1)
    canvas.paste(image, (left, 0))
    return canvas
