"""The citizen session: choices made since the first touch, and when it ends by itself.

:class:`CitizenSession` holds the citizen's own settings and typing (language, text size,
assisted mode, what they typed or chose). It is part of the citizen's scope
(``screens/citizen_scope.py``) and goes with it at the wipe: the next citizen gets a new
one. Inactivity limits come from ``settings.timeouts`` and are extended for large text and
assisted sessions, since those citizens need more time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.settings import TimeoutsSection

TEXT_SIZES = ("normal", "large", "extra_large")


@dataclass(frozen=True)
class InactivityLimits:
    """Seconds without a touch before the warning, then before the wipe."""

    warning_s: float
    countdown_s: float


@dataclass
class CitizenSession:
    """One citizen's settings and typing; a new one is blank (:meth:`is_blank`)."""

    default_language: str
    language: str = ""
    text_size: str = "normal"
    assisted: bool = False
    active: bool = False
    values: dict[str, Any] = field(default_factory=dict)  # what the citizen typed or chose

    def __post_init__(self) -> None:
        if not self.language:
            self.language = self.default_language

    def start(self) -> None:
        """Begin a session at the first touch."""
        self.active = True

    def next_text_size(self) -> str:
        """Move to the next text size (normal → large → extra large → normal)."""
        self.text_size = TEXT_SIZES[(TEXT_SIZES.index(self.text_size) + 1) % len(TEXT_SIZES)]
        return self.text_size

    def limits(self, timeouts: TimeoutsSection) -> InactivityLimits:
        """Inactivity limits for this session, extended for large text and assistance."""
        factor = 1.0
        if self.text_size != "normal":
            factor *= timeouts.large_text_factor
        if self.assisted:
            factor *= timeouts.assisted_factor
        return InactivityLimits(timeouts.inactivity_warning_s * factor,
                                timeouts.inactivity_countdown_s * factor)

    def is_blank(self) -> bool:
        """Tell whether nothing of a citizen is left."""
        return (self.language == self.default_language and self.text_size == "normal"
                and not self.assisted and not self.active and not self.values)
