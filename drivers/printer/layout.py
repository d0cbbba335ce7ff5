"""Lay a receipt out as a list of blocks; the ESC/POS renderer and the screen preview both
draw these blocks, so paper and screen always show the same thing in the same order.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Literal

from drivers.printer.receipt import Receipt

Align = Literal["left", "center", "right"]

LABELS = {
    "es": {"kiosk": "Kiosco", "total": "TOTAL", "reference": "Referencia",
           "verify": "Verifique este comprobante en:", "free": "Sin costo"},
    "en": {"kiosk": "Kiosk", "total": "TOTAL", "reference": "Reference",
           "verify": "Check this receipt at:", "free": "No charge"},
}


@dataclass(frozen=True)
class TextBlock:
    """One printed line (already fitted to the paper width)."""

    text: str
    align: Align = "left"
    bold: bool = False
    double: bool = False  # double height and width
    inverted: bool = False


@dataclass(frozen=True)
class RuleBlock:
    """A separator line across the paper."""

    char: str = "-"


@dataclass(frozen=True)
class QrBlock:
    """The verification QR code."""

    data: str


@dataclass(frozen=True)
class BarcodeBlock:
    """The Code128 barcode of the reference."""

    data: str


@dataclass(frozen=True)
class FeedBlock:
    """Blank paper, in lines."""

    lines: int = 1


Block = TextBlock | RuleBlock | QrBlock | BarcodeBlock | FeedBlock


def columns(left: str, right: str, width: int) -> list[str]:
    """Put ``right`` flush right on the last line of ``left``, wrapping ``left`` if needed."""
    room = max(1, width - len(right) - 1)
    wrapped = textwrap.wrap(left, room) or [""]
    last = wrapped[-1]
    if right:
        wrapped[-1] = last + " " * (width - len(last) - len(right)) + right
    return wrapped


def wrap(text: str, width: int) -> list[str]:
    """Wrap a paragraph to the paper width (long URLs are broken, not lost)."""
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def wrap_url(url: str, width: int) -> list[str]:
    """Break a URL after its slashes so each printed line stays readable and typeable."""
    parts = [p + "/" for p in url.split("/")]
    parts[-1] = parts[-1][:-1]
    lines = [""]
    for part in parts:
        if lines[-1] and len(lines[-1]) + len(part) > width:
            lines.append("")
        lines[-1] += part
    return [piece for line in lines for piece in wrap(line, width)]


def layout(receipt: Receipt, width_chars: int) -> list[Block]:
    """Return the receipt's blocks, top to bottom, for a paper ``width_chars`` wide."""
    labels = LABELS.get(receipt.language, LABELS["en"])
    header = receipt.header
    blocks: list[Block] = []
    if receipt.copy:
        blocks.append(TextBlock(f" {receipt.copy_mark} ", "center", bold=True, double=True,
                                inverted=True))
    blocks += [TextBlock(line, "center", bold=True) for line in wrap(header.municipality.upper(),
                                                                    width_chars)]
    half = width_chars // 2  # double-width characters take two columns
    blocks += [TextBlock(t, "center", double=True) for t in wrap(header.title, half)]
    stamp = header.issued_at.strftime("%d/%m/%Y %H:%M")
    blocks += [TextBlock(t) for t in columns(f"{labels['kiosk']}: {header.kiosk_id}", stamp,
                                               width_chars)]
    blocks.append(RuleBlock())
    for line in receipt.lines:
        amount = receipt.money(line.amount_cents) if line.amount_cents is not None else ""
        blocks += [TextBlock(t) for t in columns(line.description, amount, width_chars)]
        if line.detail:
            blocks += [TextBlock("  " + t) for t in wrap(line.detail, width_chars - 2)]
    blocks.append(RuleBlock())
    if receipt.show_total:
        total = receipt.money(receipt.total_cents) if receipt.total_cents else labels["free"]
        blocks += [TextBlock(t, bold=True, double=True)
                   for t in columns(labels["total"], total, half)]
        blocks.append(FeedBlock())
    blocks += [TextBlock(t) for t in columns(labels["reference"] + ":", receipt.reference,
                                               width_chars)]
    if receipt.status_text:
        blocks.append(FeedBlock())
        blocks += [TextBlock(t, "center", bold=True, inverted=True)
                   for t in wrap(f" {receipt.status_text.upper()} ", width_chars)]
    blocks.append(FeedBlock())
    link = receipt.verification_url
    if link:  # a staff report has nothing for the public verification page
        blocks += [QrBlock(link), FeedBlock()]
        blocks.append(TextBlock(labels["verify"], "center"))
        blocks += [TextBlock(t, "center") for t in wrap_url(link, width_chars)]
        blocks.append(FeedBlock())
    blocks += [BarcodeBlock(receipt.reference), FeedBlock()]
    if receipt.footer:
        blocks.append(FeedBlock())
        for paragraph in receipt.footer:
            blocks += [TextBlock(t, "center") for t in wrap(paragraph, width_chars)]
    if receipt.copy:
        blocks.append(TextBlock(f"*** {receipt.copy_mark} ***", "center", bold=True))
    return blocks
