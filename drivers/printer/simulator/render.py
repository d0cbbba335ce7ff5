"""Draw a received job as the paper would look, so a person (or zxing) can read it.

Text uses DejaVu Sans Mono (Debian ``fonts-dejavu-core``) at the printer's 12 x 24 dot Font A
cell; QR codes and barcodes are regenerated from the received data with ``qrcode`` and
``python-barcode`` as real, scannable images at the received module size.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from drivers.printer.simulator.elements import Barcode, PaperFeed, QrCode, RasterImage, Style
from drivers.printer.simulator.job import Item, Job, PrintedLine
from drivers.printer.symbols import barcode_image, qr_image

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
CELL_W, CELL_H, LINE_H = 12, 24, 30
MARGIN = 16


class RenderError(Exception):
    """The job cannot be drawn (for example the font is missing)."""


def _font(bold: bool) -> ImageFont.FreeTypeFont:
    name = "DejaVuSansMono-Bold.ttf" if bold else "DejaVuSansMono.ttf"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), 20)
    except OSError as err:
        raise RenderError(f"font {name} not found (install fonts-dejavu-core)") from err


def _run_image(text: str, style: Style) -> Image.Image:
    """Draw one style run a full line high, so inverted text has a margin round it."""
    cell_w = CELL_W // 2 if style.font_b else CELL_W
    image = Image.new("L", (max(1, len(text) * cell_w), LINE_H), 255)
    draw = ImageDraw.Draw(image)
    font = _font(style.bold)
    top = (LINE_H - CELL_H) // 2 + 1
    for i, char in enumerate(text):
        draw.text((i * cell_w, top), char, font=font, fill=0)
    if style.underline:
        draw.line([(0, top + CELL_H - 2), (image.width, top + CELL_H - 2)], fill=0, width=2)
    if style.width > 1 or style.height > 1:
        image = image.resize((image.width * style.width, LINE_H * style.height),
                             Image.Resampling.NEAREST)  # a printer doubles its dots
    return ImageOps.invert(image) if style.inverted else image


def _line_image(line: PrintedLine) -> Image.Image:
    parts = [_run_image(text, style) for text, style in line.runs]
    height = max([LINE_H, *(part.height for part in parts)])
    image = Image.new("L", (sum(p.width for p in parts) or 1, height), 255)
    x = 0
    for part in parts:
        image.paste(part, (x, height - part.height))  # runs share the baseline
        x += part.width
    return image


def _qr_image(code: QrCode) -> Image.Image:
    return qr_image(code.data, code.module_dots, code.ec_level).convert("L")


def _barcode_image(code: Barcode) -> Image.Image:
    try:
        drawn = barcode_image(code.symbology, code.data, code.module_dots, code.height_dots,
                              code.hri_below)
    except ValueError:
        return _line_image(PrintedLine([(f"[{code.symbology} {code.data}]", Style())]))
    return drawn.convert("L")


def _item_image(item: Item, width: int) -> tuple[Image.Image, str]:
    if isinstance(item, PrintedLine):
        return _line_image(item), item.align
    if isinstance(item, QrCode):
        return _qr_image(item), item.align
    if isinstance(item, Barcode):
        return _barcode_image(item), item.align
    if isinstance(item, RasterImage):
        return item.image.convert("L"), item.align
    assert isinstance(item, PaperFeed)
    return Image.new("L", (1, max(1, item.dots)), 255), "left"


def render_job(job: Job, width_dots: int = 512) -> Image.Image:
    """Draw the job on a strip of paper ``width_dots`` wide (plus a margin)."""
    pieces = [_item_image(item, width_dots) for item in job.items]
    if job.interrupted:
        note = PrintedLine([(f"[job interrupted: {job.interrupted}]", Style())], "center")
        pieces.append((_line_image(note), "center"))
    height = sum(p.height for p, _ in pieces) + 2 * MARGIN
    paper = Image.new("L", (width_dots + 2 * MARGIN, max(height, 2 * MARGIN)), 255)
    y = MARGIN
    for piece, align in pieces:
        if piece.width > width_dots:
            piece = piece.crop((0, 0, width_dots, piece.height))
        room = width_dots - piece.width
        x = {"left": 0, "center": room // 2, "right": room}.get(align, 0)
        paper.paste(piece, (MARGIN + x, y))
        y += piece.height
    return paper


def save_png(job: Job, path: Path, width_dots: int = 512) -> Path:
    """Render ``job`` to a PNG file and return its path."""
    render_job(job, width_dots).save(path, format="PNG")
    return path
