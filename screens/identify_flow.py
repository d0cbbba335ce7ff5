"""What the identify screens share during one session: the identifier, the identity, the hub.

Plain Python (no Kivy). Each citizen's scope (``screens/citizen_scope.py``) holds one
:class:`IdentifyFlow`, dropped with it at the wipe; :meth:`end` forgets the card earlier,
when a journey finishes or a new identification starts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from drivers.base import DeviceClass, DeviceStatus
from kiosk.devices import DeviceHub
from kiosk.services.identify import CitizenIdentity, Identifier

ProcedureLookup = Callable[[str], Mapping[str, Any] | None]


class IdentifyFlow:
    """The e-ID identification state of the current session."""

    def __init__(self, devices: DeviceHub, make_identifier: Callable[[], Identifier] | None,
                 procedure: ProcedureLookup | None) -> None:
        self.devices = devices
        self._make_identifier = make_identifier
        self._procedure = procedure
        self.identifier: Identifier | None = None
        self.identity: CitizenIdentity | None = None

    def available(self) -> bool:
        """Tell whether a citizen can identify with the card on this kiosk now."""
        return self._make_identifier is not None and self.devices.can_use_eid()

    def reader_status(self) -> DeviceStatus | None:
        """The reader's last pushed status (None: no reader or never heard from)."""
        return self.devices.status(DeviceClass.EID)

    def new_identifier(self) -> Identifier:
        """Start a fresh identification (forgetting any earlier one)."""
        if self._make_identifier is None:
            raise RuntimeError("no e-ID reader configured")
        self.end()
        self.identifier = self._make_identifier()
        return self.identifier

    def procedure(self, procedure_id: str) -> Mapping[str, Any] | None:
        """The cached catalog's full procedure (with its form) for the consent list."""
        return None if self._procedure is None else self._procedure(procedure_id)

    def end(self) -> None:
        """Forget the card, the identity and the names the log redactor holds."""
        if self.identifier is not None:
            self.identifier.end()
        self.identifier = None
        self.identity = None
