"""Attract screen: the municipality's name, an invitation to touch, the language choice."""

from __future__ import annotations

from typing import Any

from kivy.uix.screenmanager import Screen


class AttractScreen(Screen):
    """Idle screen between citizens; a touch anywhere but the language buttons starts."""

    __events__ = ("on_start_session",)

    def on_touch_down(self, touch: Any) -> bool:
        taken_by_child = bool(super().on_touch_down(touch))
        if not taken_by_child and self.collide_point(*touch.pos):
            touch.ud[self._key] = True
            return True
        return taken_by_child

    def on_touch_up(self, touch: Any) -> bool:
        if touch.ud.pop(self._key, False):
            self.dispatch("on_start_session")
            return True
        return bool(super().on_touch_up(touch))

    @property
    def _key(self) -> str:
        return f"attract-start-{id(self)}"

    def on_start_session(self) -> None:
        """Start a citizen session (the shell binds the navigation)."""
