"""On-screen keyboards with big keys: Spanish letters (ñ, á é í ó ú ü), codes and a digit pad."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.layout import Layout

from common.text import N_
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
    rows: tuple[str, ...] = ROWS
    last_row = LAST_ROW_LETTERS  # then Space and Delete fill the row
    space_columns, delete_columns = 4, 3  # no Space key when 0

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for name in ("size", "pos", "spacing", "children"):
            self.fbind(name, self._trigger_layout)
        for row in self.rows:
            for char in row:
                self._add(char, 1)
        for char in self.last_row:
            self._add(char, 1)
        if self.space_columns:
            self._add(SPACE, self.space_columns)
        self._add(DELETE, self.delete_columns)

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


class FormKeyboard(OnScreenKeyboard):
    """The keyboard for form answers: also the comma and full stop of addresses."""

    last_row = LAST_ROW_LETTERS + ",."
    space_columns, delete_columns = 3, 2


class CodeKeyboard(OnScreenKeyboard):
    """Capitals, digits and the hyphen, for codes such as a cadastral key or a plate.

    Keys send capitals, so "CAT-000123" is typed as printed and never lower-cased.
    """

    rows = ("1234567890", "QWERTYUIOP", "ASDFGHJKL-")
    last_row = "ZXCVBNM"
    space_columns, delete_columns = 0, 3


class DigitPad(GridLayout):
    """Three columns of digit keys, Delete and 0 (PIN, ID number, phone, numbers)."""

    on_key = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for value in "123456789" + DELETE + "0":
            key = KeyboardKey(key_value=value, columns=1)
            key.size_hint = (1, None)
            key.bind(on_release=lambda k: self.press(k.key_value))
            self.add_widget(key)

    def press(self, value: str) -> None:
        """Send one key to whoever listens."""
        if self.on_key is not None:
            self.on_key(value)


class KeysHolder(BoxLayout):
    """The room under a form for one set of keys at a time, always as tall as those keys.

    Keys grow with the citizen's text size and are laid out a frame after they are shown,
    so the height follows the keys shown rather than being copied once.
    """

    def show(self, keys: Any) -> None:
        """Hold ``keys`` (instead of any others)."""
        if keys.parent is not self:
            for shown in self.children:
                shown.unbind(height=self._fit)
            self.clear_widgets()
            self.add_widget(keys)
            keys.bind(height=self._fit)
        self.height = keys.height

    def _fit(self, _keys: Any, height: float) -> None:
        self.height = height


class KeypadMessage(BoxLayout):
    """The message above a keypad, in room kept for it so the keys never move under a finger.

    An error is drawn in its own colour with a "!" icon; other messages ("looking for your
    bill") are plain text. ``text`` is already translated.
    """

    text = StringProperty("")
    error = BooleanProperty(True)
