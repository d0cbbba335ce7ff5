"""Bit-image data (GS v 0 raster, ESC * column) to Pillow images; black dots are 0."""

from __future__ import annotations

from PIL import Image, ImageOps


def raster_image(data: bytes, width_bytes: int, height: int) -> Image.Image:
    """Decode raster format: rows of ``width_bytes`` bytes, MSB = leftmost dot, 1 = black."""
    size = (max(1, width_bytes * 8), max(1, height))
    ink = Image.frombytes("1", size, data.ljust(width_bytes * height, b"\0")) if height and \
        width_bytes else Image.new("1", size, 0)
    return ImageOps.invert(ink.convert("L")).convert("1")


def column_image(data: bytes, columns: int, tall: bool) -> Image.Image:
    """Decode ESC * column format (8 or 24 dots per column, MSB = top dot)."""
    rows = 24 if tall else 8
    per_column = rows // 8
    image = Image.new("1", (max(1, columns), rows), 1)
    for x in range(columns):
        for k in range(per_column):
            byte = data[x * per_column + k]
            for bit in range(8):
                if byte & (0x80 >> bit):
                    image.putpixel((x, k * 8 + bit), 0)
    return image
