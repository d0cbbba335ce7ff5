"""Choose the payment terminal driver by the ``type`` string of ``[devices.payment]``.

The composition root passes the section's values; drivers never read configuration. The
simulator is not a type here: it is a separate program on the far end of the line, so the
kiosk always runs the real driver, in the demo too.
"""

from __future__ import annotations

from collections.abc import Callable

from drivers.payment.base import PaymentTerminal
from drivers.payment.config import PaymentSection
from drivers.payment.transbank import TransbankTerminal

DRIVERS: dict[str, Callable[..., PaymentTerminal]] = {"transbank": TransbankTerminal}


def terminal_from_settings(section: PaymentSection) -> PaymentTerminal | None:
    """Build the terminal named by ``[devices.payment]`` (None for "none")."""
    return open_terminal(section.type, port=section.port, baudrate=section.baudrate,
                         ack_timeout_s=section.ack_timeout_s,
                         response_timeout_s=section.response_timeout_s,
                         max_attempts=section.max_attempts)


def open_terminal(kind: str, *, port: str, baudrate: int, ack_timeout_s: float,
                  response_timeout_s: float, max_attempts: int) -> PaymentTerminal | None:
    """Build the configured driver (None for "none"); raise ValueError for an unknown type."""
    if kind == "none":
        return None
    try:
        driver = DRIVERS[kind]
    except KeyError:
        raise ValueError(f"unknown payment terminal type {kind!r}") from None
    return driver(port, baudrate=baudrate, ack_timeout_s=ack_timeout_s,
                  response_timeout_s=response_timeout_s, max_attempts=max_attempts)
