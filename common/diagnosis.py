"""One line of ``kiosk doctor``, the same for every part the kiosk checks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnosis:
    """One line of ``kiosk doctor``: is the part usable, what is wrong, what to do."""

    part: str
    ok: bool
    summary: str
    action: str = ""
    required: bool = True

    def line(self) -> str:
        """Render as one line for a technician's terminal."""
        mark = "ok  " if self.ok else ("FAIL" if self.required else "warn")
        text = f"[{mark}] {self.part}: {self.summary}"
        return f"{text} -> {self.action}" if self.action and not self.ok else text
