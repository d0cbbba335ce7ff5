"""What the simulator's parser hands on: printable elements and real-time requests."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image


class EscPosError(Exception):
    """The byte stream is not valid ESC/POS; the offending bytes were consumed.

    ``elements`` holds what was parsed before the bad command in the same ``feed`` call.
    """

    elements: list[Element]

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.elements = []


@dataclass(frozen=True)
class Style:
    """The character style in force when a piece of text was received."""

    bold: bool = False
    underline: bool = False
    inverted: bool = False
    font_b: bool = False
    width: int = 1  # character width multiplier 1..8
    height: int = 1  # character height multiplier 1..8
    align: str = "left"


@dataclass(frozen=True)
class TextRun:
    text: str
    style: Style


@dataclass(frozen=True)
class LineFeed:
    """End of a printed line (LF), with the justification in force."""

    align: str


@dataclass(frozen=True)
class PaperFeed:
    """Feed ``dots`` of blank paper (ESC d / ESC J)."""

    dots: int


@dataclass(frozen=True)
class QrCode:
    data: bytes
    module_dots: int
    ec_level: str
    align: str


@dataclass(frozen=True)
class Barcode:
    symbology: str
    data: str  # the content a scanner reads (Code128 code-set selectors removed)
    raw: bytes  # the bytes after GS k m n, as received
    module_dots: int
    height_dots: int
    hri_below: bool
    align: str


@dataclass(frozen=True)
class RasterImage:
    image: Image.Image  # mode "1", black = 0
    align: str


@dataclass(frozen=True)
class Cut:
    partial: bool


@dataclass(frozen=True)
class StatusRequest:
    """DLE EOT n: the host wants a status byte now."""

    n: int


@dataclass(frozen=True)
class Reset:
    """ESC @: the printer was initialised."""


Element = (
    TextRun | LineFeed | PaperFeed | QrCode | Barcode | RasterImage | Cut | StatusRequest | Reset
)
