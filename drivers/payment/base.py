"""What the kiosk needs from any card payment terminal, independent of its vendor protocol.

The kiosk never sees a card number: a terminal answers with an approval flag, codes and at
most the card type and last four digits. Results keep nothing else, whatever the wire sends.

Exception tree (on top of :mod:`drivers.base`)::

    DriverError
    ├── DeviceUnavailable
    │   └── TerminalUnavailable     port missing or the line dropped BEFORE a money command left
    ├── DeviceTimeout
    │   └── OutcomeUnknown           a sale/refund was (or may have been) sent and no final
    │                                answer arrived: recover with ``last_sale()``
    └── ProtocolError
        └── TerminalProtocolError    an answer we cannot accept (too many bad frames, wrong
                                     command code, malformed fields) outside a money command
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from common.diagnosis import Diagnosis
from drivers.base import DeviceListener, DeviceTimeout, DeviceUnavailable, ProtocolError
from drivers.payment.codes import Outcome

ProgressCallback = Callable[[str], None]  # receives a gettext msgid for the citizen


@dataclass(frozen=True)
class SaleResult:
    """The final answer to a sale (or the terminal's memory of its last sale)."""

    ticket: int
    amount_cents: int
    approved: bool
    outcome: Outcome
    response_code: str
    message_key: str
    authorization_code: str | None = None
    operation_number: str | None = None
    card_type: str | None = None
    card_last4: str | None = None
    terminal_id: str | None = None  # which terminal answered (the batch close reports it)


@dataclass(frozen=True)
class RefundResult:
    """The answer to a refund of one earlier operation."""

    approved: bool
    response_code: str
    message_key: str
    authorization_code: str | None = None
    operation_number: str | None = None


@dataclass(frozen=True)
class BatchTotals:
    """The terminal's own count of the open batch (sales since the last close)."""

    sales_count: int
    sales_total_cents: int


@dataclass(frozen=True)
class CloseResult:
    """The answer to the end-of-day close."""

    ok: bool
    response_code: str
    message_key: str


class TerminalUnavailable(DeviceUnavailable):
    message_key = "The card terminal is not available right now. No money was taken."


class OutcomeUnknown(DeviceTimeout):
    message_key = "We are checking your payment with the card terminal. Please wait."


class TerminalProtocolError(ProtocolError):
    message_key = "The card terminal is not working right now. No money was taken."


class PaymentTerminal(Protocol):
    """A card terminal the kiosk drives; every call blocks on the device's own thread."""

    def poll(self) -> None:
        """Check the terminal answers; raise TerminalUnavailable or DeviceTimeout if not."""

    def sale(self, amount_cents: int, ticket: int, on_progress: ProgressCallback) -> SaleResult:
        """Charge under ``ticket``; OutcomeUnknown if it cannot tell, other errors: not sent."""

    def last_sale(self) -> SaleResult | None:
        """Return the terminal's memory of its last sale, None when it holds none."""

    def refund(self, operation_number: str) -> RefundResult:
        """Refund one approved operation; raise OutcomeUnknown if it cannot tell."""

    def close_day(self) -> CloseResult:
        """Run the end-of-day close (settles the batch at the bank)."""

    def batch_totals(self) -> BatchTotals:
        """Return the terminal's count and total of the open batch."""

    def batch_detail(self) -> list[SaleResult]:
        """Return every sale of the open batch, as the terminal remembers it."""

    def add_listener(self, listener: DeviceListener) -> None:
        """Receive a DeviceStatus whenever the terminal's state changes."""

    def diagnose(self) -> Diagnosis:
        """Check for ``kiosk doctor``: the port opens and a poll is answered."""

    def close(self) -> None:
        """Release the port and the device thread."""
