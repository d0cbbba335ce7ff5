"""Keep personal data out of log lines.

Two layers: patterns that catch PINs, card numbers, national ID numbers and name fields
wherever they appear, and values the current citizen registers (names, numbers), redacted
verbatim. Those values are the citizen's own :class:`RememberedValues`, kept in the
citizen's session scope: the wipe drops them with it and the redactor serves the next
citizen's (:meth:`Redactor.serve`).
"""

from __future__ import annotations

import re
import threading

REDACTED = "[REDACTED]"

_KEY = r"[\"']?\b{keys}\b[\"']?\s*[:=]\s*"
_VALUE = r"(\"[^\"]*\"|'[^']*'|[^\s,;}\]]+)"
_SECRET_KEYS = r"(?:pin|pin_code|puk|new_pin|old_pin|password|passcode|token|secret)"
_NAME_KEYS = (
    r"(?:name|names|surname|surnames|given_names?|first_names?|last_names?|full_name"
    r"|nombres?|apellidos?|holder|cardholder|address|street|domicilio|direccion|dirección)"
)
_PERSON_KEYS = (
    r"(?:national_number|national_id|id_number|rut|dni|curp|nif|nie|card_number|pan"
    r"|birth_date|date_of_birth)"
)

_KEYED = re.compile(
    _KEY.format(keys=f"(?:{_SECRET_KEYS}|{_NAME_KEYS}|{_PERSON_KEYS})") + _VALUE,
    re.IGNORECASE,
)
# Card numbers (13-19 digits, optionally grouped), Belgian national numbers with their
# usual punctuation (65.03.12-003.53), Chilean RUTs (12.345.678-9), Spanish DNI/NIE,
# Mexican CURP, and any other run of 9 or more digits: none of these belong in a log.
_PATTERNS = [
    re.compile(r"\b(?:\d[ -]?){12,18}\d\b"),
    re.compile(r"\b\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}\b"),
    re.compile(r"\b\d{1,2}\.\d{3}\.\d{3}-[\dkK]\b"),
    re.compile(r"\b[XYZ]?\d{7,8}[A-HJ-NP-TV-Z]\b"),
    re.compile(r"\b[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z0-9]\d\b"),
    re.compile(r"\b\d{9,}\b"),
]


class RememberedValues:
    """One citizen's values to redact verbatim; thread-safe (log lines come from any thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: frozenset[str] = frozenset()

    def add(self, values: set[str]) -> None:
        """Redact these values too."""
        with self._lock:
            self._values = self._values | frozenset(values)

    def clear(self) -> None:
        """Redact none of them any more."""
        with self._lock:
            self._values = frozenset()

    def current(self) -> frozenset[str]:
        """The values to redact now."""
        return self._values


class Redactor:
    """Remove personal data from text; thread-safe, shared by every log handler."""

    def __init__(self) -> None:
        self._remembered = RememberedValues()

    def serve(self, remembered: RememberedValues) -> None:
        """Redact ``remembered`` from now on: a new citizen's (the last one's go with them)."""
        self._remembered = remembered

    def remember(self, *values: str) -> None:
        """Redact these exact values (and their words of 3+ letters) until forgotten."""
        words = {part for value in values for part in re.split(r"\s+", value) if len(part) >= 3}
        self._remembered.add({value for value in values if value} | words)

    def forget_all(self) -> None:
        """Drop the current citizen's values (their identification is over)."""
        self._remembered.clear()

    def redact(self, text: str) -> str:
        """Return ``text`` with every known kind of personal data replaced."""
        text = _KEYED.sub(lambda match: match.group(0)[: match.start(1) - match.start(0)]
                          + REDACTED, text)
        for pattern in _PATTERNS:
            text = pattern.sub(REDACTED, text)
        values = self._remembered.current()
        for value in sorted(values, key=len, reverse=True):
            # whole words only: a remembered "Los" must not turn "Closing" into "C[...]ing"
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", REDACTED, text,
                          flags=re.IGNORECASE)
        return text


REDACTOR = Redactor()
