"""Widget classes whose properties are set from Python (their look is in common.kv)."""

from __future__ import annotations

from collections.abc import Callable

from kivy.properties import NumericProperty, StringProperty
from kivy.uix.button import Button
from kivy.uix.widget import Widget


class ChoiceButton(Button):
    """A big choice: bold title and a line saying what is inside."""

    title = StringProperty("")
    subtitle = StringProperty("")
    item_id = StringProperty("")  # the category or procedure it opens


class ListButton(ChoiceButton):
    """A category or procedure in a list."""


class KeyboardKey(Button):
    """One key of the on-screen keyboard; ``columns`` is its width in key units."""

    key_value = StringProperty("")
    columns = NumericProperty(1)


def fill_list(box: Widget, items: list[tuple[str, str, str]],
              on_choose: Callable[[str], None]) -> None:
    """Replace ``box``'s children with one ListButton per (id, title, subtitle)."""
    box.clear_widgets()
    for item_id, title, subtitle in items:
        button = ListButton(item_id=item_id, title=title, subtitle=subtitle)
        button.bind(on_release=lambda b: on_choose(b.item_id))
        box.add_widget(button)


class ChangeButton(Button):
    """A small "Change" next to an answer; ``item_id`` names the question it reopens."""

    item_id = StringProperty("")
