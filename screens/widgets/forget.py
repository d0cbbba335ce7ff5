"""Make emptied labels forget what they last drew (part of the wipe).

Kivy's ``Label.texture_update`` skips its core label when the text is empty, so the core
label keeps the last non-empty text it laid out (``_cached_lines``) and its texture: a name
wiped from a screen would stay in memory until that label shows something else. Refreshing
the core label with no text drops both.
"""

from __future__ import annotations

from kivy.uix.label import Label
from kivy.uix.widget import Widget


def forget_drawn_texts(root: Widget) -> None:
    """Let every label under ``root`` whose text is empty drop its last rendering."""
    for widget in root.walk(restrict=True):
        if isinstance(widget, Label) and not widget.text:
            core = widget._label  # Kivy's core label: no public way to reset it
            core.text = ""
            core.refresh()
