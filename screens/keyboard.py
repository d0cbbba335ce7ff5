"""On-screen keyboard with a Spanish layout (ñ, á é í ó ú ü) and big keys."""

from __future__ import annotations

from typing import Any

from kivy.properties import NumericProperty, ObjectProperty
from kivy.uix.layout import Layout

from kiosk.i18n import N_
from screens.widgets.controls import KeyboardKey

ROWS = (
    "1234567890",
    "qwertyuiop",
    "asdfghjklñ",
    "zxcvbnmáéí",
)
LAST_ROW_LETTERS = "óúü"
SPACE, DELETE = " ", "\b"
KEY_NAMES = {SPACE: N_("Space"), DELETE: N_("Delete")}


class OnScreenKeyboard(Layout):
    """Ten columns of keys; ``on_key`` gets each character, "\\b" for Delete."""

    on_key = ObjectProperty(None, allownone=True)
    spacing = NumericProperty(0)
    cols = 10

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for name in ("size", "pos", "spacing", "children"):
            self.fbind(name, self._trigger_layout)
        for row in ROWS:
            for char in row:
                self._add(char, 1)
        for char in LAST_ROW_LETTERS:
            self._add(char, 1)
        self._add(SPACE, 4)
        self._add(DELETE, 3)

    def _add(self, value: str, columns: int) -> None:
        key = KeyboardKey(key_value=value, columns=columns)
        key.bind(on_release=lambda k: self.press(k.key_value))
        self.add_widget(key)

    def press(self, value: str) -> None:
        """Send one key to whoever listens."""
        if self.on_key is not None:
            self.on_key(value)

    def do_layout(self, *args: Any) -> None:
        """Lay keys out on a 10-column grid; Space and Delete span several columns."""
        if not self.children:
            return
        spacing = self.spacing
        unit = (self.width - spacing * (self.cols - 1)) / self.cols
        keys = list(reversed(self.children))
        rows: list[list[Any]] = [[]]
        used = 0
        for key in keys:
            if used + key.columns > self.cols:
                rows.append([])
                used = 0
            rows[-1].append(key)
            used += key.columns
        key_height = keys[0].height
        self.height = len(rows) * key_height + (len(rows) - 1) * spacing
        top = self.top
        for index, row in enumerate(rows):
            x = self.x
            y = top - (index + 1) * key_height - index * spacing
            for key in row:
                key.size_hint = (None, None)
                key.width = unit * key.columns + spacing * (key.columns - 1)
                key.pos = (x, y)
                x += key.width + spacing
