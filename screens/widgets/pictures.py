"""Pictures that show, rather than tell: how the card goes in, where a bill's number is.

Many citizens at the kiosk read slowly or not at all. A drawing of the card entering the
reader chip first, or of a bill with the number to type outlined, answers "what do I do?"
before any sentence. They are drawn with canvas instructions (no image files): sharp at any
scale, in the theme's colours, and with no words to translate.
"""

from __future__ import annotations

from kivy.graphics import Color, Line, Rectangle, RoundedRectangle, Triangle
from kivy.properties import OptionProperty
from kivy.uix.widget import Widget

from screens import theme

# Where a bill shows each way of finding it (the part of the drawing that is outlined).
BILL_PARTS = ("reference", "barcode", "account")

_PAPER = theme.rgba("#ffffff")
_INK = theme.rgba("#0b2545")
_GREY = theme.rgba("#9aa9bd")
_CARD = theme.rgba("#dce6f2")
_CHIP = theme.rgba("#d4a017")
_SLOT = theme.rgba("#05101f")


class _Picture(Widget):
    """A drawing that redraws itself whenever it moves or is resized."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.bind(pos=self._redraw, size=self._redraw)

    def _redraw(self, *_args: object) -> None:
        self.canvas.clear()
        with self.canvas:
            self.draw(*self._frame())

    def _frame(self) -> tuple[float, float, float, float]:
        """The largest 4:3 box centred in the widget: x, y, width, height."""
        width = min(self.width, self.height * 4 / 3)
        height = width * 3 / 4
        return (self.x + (self.width - width) / 2, self.y + (self.height - height) / 2,
                width, height)

    def draw(self, x: float, y: float, width: float, height: float) -> None:
        """Issue the canvas instructions inside the given box."""
        raise NotImplementedError


class InsertCardPicture(_Picture):
    """The card going into the reader below the screen: chip first, chip facing up."""

    def draw(self, x: float, y: float, width: float, height: float) -> None:
        card_w, card_h = width * 0.5, width * 0.32
        card_x = x + (width - card_w) / 2
        card_y = y + height * 0.38
        Color(*_CARD)
        RoundedRectangle(pos=(card_x, card_y), size=(card_w, card_h), radius=[card_h * 0.08])
        Color(*_INK)
        Line(rounded_rectangle=(card_x, card_y, card_w, card_h, card_h * 0.08),
             width=max(1.0, width * 0.004))
        # The chip sits on the end that goes in first, facing the citizen.
        Color(*_CHIP)
        RoundedRectangle(pos=(card_x + card_w * 0.40, card_y + card_h * 0.08),
                         size=(card_w * 0.20, card_h * 0.26), radius=[card_h * 0.03])
        Color(*_GREY)
        for row in range(3):
            Rectangle(pos=(card_x + card_w * 0.12, card_y + card_h * (0.78 - row * 0.14)),
                      size=(card_w * (0.76 - row * 0.18), card_h * 0.07))
        # The arrow between the card and the slot.
        Color(*theme.ACTION)
        tip_y = y + height * 0.16
        mid = x + width / 2
        Rectangle(pos=(mid - width * 0.025, tip_y + height * 0.09),
                  size=(width * 0.05, card_y - tip_y - height * 0.11))
        Triangle(points=[mid - width * 0.07, tip_y + height * 0.10,
                         mid + width * 0.07, tip_y + height * 0.10, mid, tip_y])
        # The reader: a grey body with its dark slot.
        Color(*_GREY)
        RoundedRectangle(pos=(x + width * 0.18, y + height * 0.01),
                         size=(width * 0.64, height * 0.13), radius=[height * 0.03])
        Color(*_SLOT)
        RoundedRectangle(pos=(x + width * 0.24, y + height * 0.06),
                         size=(width * 0.52, height * 0.035), radius=[height * 0.01])


class BillNumberPicture(_Picture):
    """A bill with the part to type (or scan) outlined in the action colour."""

    part = OptionProperty("reference", options=BILL_PARTS)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.bind(part=self._redraw)

    def draw(self, x: float, y: float, width: float, height: float) -> None:
        sheet_w, sheet_h = height * 0.75, height * 0.96
        sheet_x, sheet_y = x + (width - sheet_w) / 2, y + height * 0.02
        Color(*_PAPER)
        Rectangle(pos=(sheet_x, sheet_y), size=(sheet_w, sheet_h))
        # Letterhead and text lines.
        Color(*_INK)
        Rectangle(pos=(sheet_x + sheet_w * 0.08, sheet_y + sheet_h * 0.86),
                  size=(sheet_w * 0.40, sheet_h * 0.06))
        Color(*_GREY)
        for row, length in enumerate((0.84, 0.70, 0.78, 0.55)):
            Rectangle(pos=(sheet_x + sheet_w * 0.08, sheet_y + sheet_h * (0.50 - row * 0.07)),
                      size=(sheet_w * length, sheet_h * 0.03))
        boxes = {
            "reference": (0.52, 0.84, 0.40, 0.10),
            "account": (0.08, 0.66, 0.60, 0.09),
            "barcode": (0.06, 0.04, 0.88, 0.15),
        }
        # The number boxes, drawn as grey until one is outlined.
        for name, (bx, by, bw, bh) in boxes.items():
            if name == "barcode":
                self._barcode(sheet_x + sheet_w * (bx + 0.03), sheet_y + sheet_h * (by + 0.02),
                              sheet_w * (bw - 0.06), sheet_h * (bh - 0.04))
            else:
                Color(*_GREY)
                Rectangle(pos=(sheet_x + sheet_w * (bx + 0.03), sheet_y + sheet_h * (by + 0.03)),
                          size=(sheet_w * (bw - 0.06), sheet_h * (bh - 0.06)))
        bx, by, bw, bh = boxes[self.part]
        Color(*theme.ACTION)
        Line(rectangle=(sheet_x + sheet_w * bx, sheet_y + sheet_h * by, sheet_w * bw,
                        sheet_h * bh), width=max(2.0, width * 0.008))

    @staticmethod
    def _barcode(x: float, y: float, width: float, height: float) -> None:
        Color(*_INK)
        # (bar, gap) widths in modules: any fixed pattern reads as "a barcode".
        pattern = ((2, 1), (1, 3), (1, 2), (2, 1), (3, 1), (1, 2), (1, 1), (2, 3), (1, 2),
                   (1, 1), (3, 2), (1, 1), (2, 2), (1, 3))
        unit = width / sum(bar + gap for bar, gap in pattern)
        cursor = x
        for bar, gap in pattern:
            Rectangle(pos=(cursor, y), size=(bar * unit, height))
            cursor += (bar + gap) * unit
