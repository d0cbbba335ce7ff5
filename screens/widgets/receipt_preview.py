"""The receipt on screen: the same blocks the printer gets, drawn as Kivy widgets.

Used on the receipt screen and when printing failed (the citizen can still scan the QR from
the screen). Pure drawing: the QR and barcode are computed in memory, nothing is read or
sent anywhere.
"""

from __future__ import annotations

from pathlib import Path

from kivy.graphics.texture import Texture
from kivy.lang import Builder
from kivy.metrics import sp
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.widget import Widget
from PIL import Image as PilImage

from drivers.printer.layout import (
    BarcodeBlock,
    Block,
    FeedBlock,
    QrBlock,
    RuleBlock,
    TextBlock,
    layout,
)
from drivers.printer.receipt import Receipt
from drivers.printer.symbols import barcode_image, qr_image

Builder.load_file(str(Path(__file__).with_suffix(".kv")))

QR_MODULE_PX = 6
BARCODE_MODULE_PX, BARCODE_HEIGHT_PX = 2, 80


class ReceiptLineLabel(Label):
    """One printed line."""

    inverted = BooleanProperty(False)
    columns = NumericProperty(42)  # characters across the paper at this line's size


class ReceiptSymbol(Image):
    """A QR code or barcode drawn from a Pillow image."""


def pil_texture(image: PilImage.Image) -> Texture:
    """Copy a Pillow image into a Kivy texture (pixels stay sharp when scaled)."""
    rgba = image.convert("RGBA")
    texture = Texture.create(size=rgba.size, colorfmt="rgba")
    texture.blit_buffer(rgba.tobytes(), colorfmt="rgba", bufferfmt="ubyte")
    texture.flip_vertical()
    texture.mag_filter = "nearest"
    texture.min_filter = "nearest"
    return texture


class ReceiptPreview(BoxLayout):
    """A paper-like column showing one receipt."""

    def show(self, receipt: Receipt, width_chars: int = 42) -> None:
        """Replace what is shown with ``receipt`` laid out ``width_chars`` wide."""
        self.clear_widgets()
        for block in layout(receipt, width_chars):
            self.add_widget(self._widget(block, width_chars))

    def _widget(self, block: Block, width_chars: int) -> Widget:
        if isinstance(block, TextBlock):
            columns = width_chars // 2 if block.double else width_chars
            return ReceiptLineLabel(text=block.text, halign=block.align, bold=block.bold,
                                    columns=columns, inverted=block.inverted)
        if isinstance(block, RuleBlock):
            return ReceiptLineLabel(text=block.char * width_chars, columns=width_chars)
        if isinstance(block, QrBlock):
            return ReceiptSymbol(texture=pil_texture(qr_image(block.data, QR_MODULE_PX, "M")))
        if isinstance(block, BarcodeBlock):
            drawn = barcode_image("code128", block.data, BARCODE_MODULE_PX, BARCODE_HEIGHT_PX)
            return ReceiptSymbol(texture=pil_texture(drawn))
        assert isinstance(block, FeedBlock)
        return Widget(size_hint_y=None, height=sp(12) * block.lines)
