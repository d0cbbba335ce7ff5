"""What every driver shares: one device-state vocabulary, errors, events.

The vocabulary follows CEN/XFS and XFS4IoT: a device is ``online``, ``offline``, ``busy``,
``no_device``, ``hardware_error`` or ``user_error``; device-specific detail (paper, card,
terminal state) travels in :attr:`DeviceStatus.detail`. "Cannot tell" is always ``unknown``.

Exception tree::

    DriverError                  base of every driver failure (message_key for the UI)
    ├── DeviceUnavailable        the device is absent, unplugged or its service is down
    ├── DeviceTimeout            the device did not answer in time; the outcome may be unknown
    ├── ProtocolError            the device answered something we cannot accept
    └── UserActionRequired       the citizen or staff must act (card removed, paper out ...)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class DeviceState(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    BUSY = "busy"
    NO_DEVICE = "no_device"
    HARDWARE_ERROR = "hardware_error"
    USER_ERROR = "user_error"


# States in which a device can still serve a citizen (user_error: e.g. paper out, card
# unreadable — the device works, a person must act). Capabilities and notices share this.
USABLE_STATES = frozenset({DeviceState.ONLINE, DeviceState.BUSY, DeviceState.USER_ERROR})


class DeviceClass(StrEnum):
    EID = "eid"
    PRINTER = "printer"
    PAYMENT = "payment"


@dataclass(frozen=True)
class DeviceStatus:
    """A device's state at one moment, pushed as an event whenever it changes."""

    device: DeviceClass
    state: DeviceState
    detail: Mapping[str, str] = field(default_factory=dict)
    message_key: str | None = None  # gettext msgid explaining the state to a person


DeviceListener = Callable[[DeviceStatus], None]


class DriverError(Exception):
    """Base of every driver failure; ``message_key`` is the plain-language text for the UI."""

    message_key = "The device is not working right now."

    def __init__(self, log_text: str, message_key: str | None = None) -> None:
        super().__init__(log_text)
        if message_key is not None:
            self.message_key = message_key


class DeviceUnavailable(DriverError):
    message_key = "The device is not available right now."


class DeviceTimeout(DriverError):
    message_key = "The device did not answer in time."


class ProtocolError(DriverError):
    message_key = "The device sent something unexpected."


class UserActionRequired(DriverError):
    message_key = "Please follow the instructions on the screen."
