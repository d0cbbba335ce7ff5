"""Screen history for Back: always available, never back into a finished payment.

Plain Python (no Kivy) so its rules are tested directly. A screen entered with
``returnable=False`` (a payment in progress, a receipt) is skipped by Back, and
:meth:`Navigator.seal` forgets everything before the current screen, so a journey that has
taken money can never be walked back into.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Show = Callable[[str, dict[str, Any], str], None]  # screen, params, direction


@dataclass(frozen=True)
class Entry:
    """One visited screen and what it was showing."""

    screen: str
    params: dict[str, Any] = field(default_factory=dict)
    returnable: bool = True


class Navigator:
    """History of the screens a citizen went through in this session."""

    def __init__(self, show: Show, home: str = "home") -> None:
        self._show = show
        self.home = home
        self._history: list[Entry] = []

    @property
    def current(self) -> Entry | None:
        """The screen being shown, if any."""
        return self._history[-1] if self._history else None

    @property
    def history(self) -> list[Entry]:
        """A copy of the history (oldest first)."""
        return list(self._history)

    def go(self, screen: str, *, returnable: bool = True, **params: Any) -> None:
        """Show ``screen`` with ``params`` and remember it for Back."""
        self._history.append(Entry(screen, dict(params), returnable))
        self._show(screen, dict(params), "forward")

    def back(self) -> str:
        """Go to the last returnable screen before this one (home when there is none)."""
        if self._history:
            self._history.pop()
        while self._history and not self._history[-1].returnable:
            self._history.pop()
        if not self._history:
            self._history.append(Entry(self.home))
        entry = self._history[-1]
        self._show(entry.screen, dict(entry.params), "back")
        return entry.screen

    def can_go_back(self) -> bool:
        """Tell whether Back leads somewhere other than the home screen."""
        return any(e.returnable for e in self._history[:-1])

    def seal(self) -> None:
        """Forget every screen before the current one (after money has moved)."""
        self._history = self._history[-1:]

    def reset(self) -> None:
        """Forget the whole history (end of a session)."""
        self._history.clear()
