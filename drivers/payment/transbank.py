"""Transbank "POS Integrado" terminal driver: commands on top of :mod:`link`, on one thread.

Every public method hops onto the terminal's :class:`~drivers.worker.DeviceWorker`, so the
port is only ever touched by one thread. Money commands (sale, refund) are never resent on
silence: once any byte of one may have reached the terminal, a failure becomes
:class:`OutcomeUnknown` and the caller must recover through ``last_sale()``.
"""

from __future__ import annotations

import logging
import termios
import time
from collections.abc import Callable
from typing import TypeVar

import serial

from common.diagnosis import Diagnosis
from drivers.base import (
    DeviceClass,
    DeviceListener,
    DeviceState,
    DeviceStatus,
    DeviceTimeout,
    DriverError,
)
from drivers.payment import transbank_messages as msg
from drivers.payment.base import (
    BatchTotals,
    CloseResult,
    OutcomeUnknown,
    ProgressCallback,
    RefundResult,
    SaleResult,
    TerminalProtocolError,
    TerminalUnavailable,
)
from drivers.payment.link import FrameRejected, LineDown, Link
from drivers.worker import DeviceWorker

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_BATCH = 10_000  # sales in one batch: more is a terminal that never stops talking


class TransbankTerminal:
    """A POS Integrado terminal on a serial port (8N1)."""

    def __init__(self, port: str, *, baudrate: int = 9600, ack_timeout_s: float = 2.0,
                 response_timeout_s: float = 150.0, max_attempts: int = 3) -> None:
        self.port_name = port
        self.baudrate = baudrate
        self.ack_timeout_s = ack_timeout_s
        self.response_timeout_s = response_timeout_s
        self.max_attempts = max_attempts
        self.worker = DeviceWorker("payment")
        self._serial: serial.Serial | None = None
        self._link: Link | None = None
        self._listeners: list[DeviceListener] = []
        self._status: DeviceStatus | None = None

    # -- PaymentTerminal -------------------------------------------------------------------

    def poll(self) -> None:
        """Check the terminal answers a poll with ACK."""
        self._run(lambda link: link.send(msg.simple_command(msg.POLL), resend_on_silence=True))

    def sale(self, amount_cents: int, ticket: int, on_progress: ProgressCallback) -> SaleResult:
        """Charge the citizen; raise OutcomeUnknown when the result cannot be known."""
        command = msg.sale_command(amount_cents, ticket)
        result = self._run(lambda link: self._money(link, command, on_progress, msg.parse_sale),
                           in_transaction=True)
        if result is None or result.ticket != ticket:
            raise OutcomeUnknown(f"sale answer is for another ticket than {ticket}")
        log.info("sale ticket %06d: code %s", ticket, result.response_code)
        return result

    def last_sale(self) -> SaleResult | None:
        """Ask the terminal for its last sale (None when it holds none)."""
        def exchange(link: Link) -> SaleResult | None:
            link.send(msg.simple_command(msg.LAST_SALE), resend_on_silence=True)
            return msg.parse_sale(link.receive(self._deadline()), msg.LAST_SALE_ANSWER)
        return self._run(exchange)

    def refund(self, operation_number: str) -> RefundResult:
        """Refund an approved operation; raise OutcomeUnknown when it cannot tell."""
        command = msg.refund_command(operation_number)
        return self._run(lambda link: self._money(link, command, None, msg.parse_refund),
                         in_transaction=True)

    def close_day(self) -> CloseResult:
        """Run the end-of-day close."""
        def exchange(link: Link) -> CloseResult:
            link.send(msg.simple_command(msg.CLOSE), resend_on_silence=False)
            return msg.parse_close(link.receive(self._deadline()))
        return self._run(exchange)

    def batch_totals(self) -> BatchTotals:
        """Ask for the count and total of the open batch."""
        def exchange(link: Link) -> BatchTotals:
            link.send(msg.simple_command(msg.TOTALS), resend_on_silence=True)
            return msg.parse_totals(link.receive(self._deadline()))
        return self._run(exchange)

    def batch_detail(self) -> list[SaleResult]:
        """Ask for every sale of the open batch (one frame each, then a closing frame)."""
        def exchange(link: Link) -> list[SaleResult]:
            link.send(msg.simple_command(msg.DETAIL), resend_on_silence=True)
            sales: list[SaleResult] = []
            while (sale := msg.parse_detail_line(link.receive(self._deadline()))) is not None:
                sales.append(sale)
                if len(sales) > MAX_BATCH:
                    raise TerminalProtocolError(f"sales detail longer than {MAX_BATCH}")
            return sales
        return self._run(exchange)

    def add_listener(self, listener: DeviceListener) -> None:
        """Receive a DeviceStatus on every state change."""
        self._listeners.append(listener)

    def diagnose(self) -> Diagnosis:
        """Check that the port opens and the terminal answers a poll."""
        part = "payment terminal"
        try:
            self.poll()
        except TerminalUnavailable as err:
            log.warning("diagnose: %s", err)
            return Diagnosis(part, False, f"port {self.port_name} cannot be opened",
                             "check the cable and devices.payment.port in the config")
        except DriverError as err:
            log.warning("diagnose: %s", err)
            return Diagnosis(part, False, f"no answer to poll on {self.port_name}",
                             "switch the terminal on and check its serial cable and baud rate")
        return Diagnosis(part, True, f"answers on {self.port_name} at {self.baudrate} baud")

    def close(self) -> None:
        """Close the port and stop the device thread."""
        self.worker.call(self._drop_port)
        self.worker.close()

    # -- internals (device thread only) ----------------------------------------------------

    def _money(self, link: Link, command: bytes, on_progress: ProgressCallback | None,
               parse: Callable[[bytes], T]) -> T:
        before = link.bytes_written
        try:
            link.send(command, resend_on_silence=False)
            deadline = self._deadline()
            while True:
                data = link.receive(deadline)
                if msg.function_of(data) == msg.INTERMEDIATE:
                    if on_progress is not None:
                        on_progress(msg.parse_intermediate(data))
                    continue
                return parse(data)
        except FrameRejected:
            raise  # every copy NAKed: the terminal never took the command
        except DriverError as err:
            if isinstance(err, LineDown) and link.bytes_written == before:
                raise  # nothing left the kiosk: definitely not charged
            raise OutcomeUnknown(f"{command[:4]!r} outcome unknown: {err}") from err
        except Exception as err:  # once bytes left, no error may be read as "not sent"
            raise OutcomeUnknown(f"{command[:4]!r} outcome unknown: {type(err).__name__}: "
                                 f"{err}") from err

    def _deadline(self) -> float:
        return time.monotonic() + self.response_timeout_s

    def _run(self, exchange: Callable[[Link], T], in_transaction: bool = False) -> T:
        return self.worker.call(self._exchange, exchange, in_transaction)

    def _exchange(self, exchange: Callable[[Link], T], in_transaction: bool) -> T:
        try:
            link = self._open()
            if in_transaction:
                self._publish(DeviceState.BUSY, "in_transaction")
            link.start_exchange()
            result = exchange(link)
        except DriverError as err:
            self._on_failure(err)
            raise
        self._publish(DeviceState.ONLINE, "idle")
        return result

    def _open(self) -> Link:
        if self._link is not None:
            return self._link
        try:
            # exclusive: a second process on the same terminal could interleave two sales
            self._serial = serial.Serial(self.port_name, self.baudrate, bytesize=8,
                                         parity="N", stopbits=1, timeout=self.ack_timeout_s,
                                         exclusive=True)
        except (serial.SerialException, OSError, ValueError) as err:
            raise TerminalUnavailable(f"cannot open {self.port_name}: {err}") from err
        self._link = Link(self._serial, self.ack_timeout_s, self.max_attempts)
        return self._link

    def _drop_port(self) -> None:
        if self._serial is not None:
            try:
                self._serial.close()
            except (serial.SerialException, OSError, termios.error) as err:
                log.warning("closing %s failed: %s", self.port_name, err)
        self._serial, self._link = None, None

    def _on_failure(self, err: DriverError) -> None:
        log.warning("payment terminal: %s", err)
        if isinstance(err, TerminalUnavailable) or isinstance(err.__cause__, LineDown):
            self._drop_port()  # reopen on the next call: the cable may come back
            self._publish(DeviceState.NO_DEVICE, "unknown", err.message_key)
        elif isinstance(err, DeviceTimeout):
            self._publish(DeviceState.OFFLINE, "unknown", err.message_key)
        elif isinstance(err, TerminalProtocolError):
            self._publish(DeviceState.HARDWARE_ERROR, "unknown", err.message_key)

    def _publish(self, state: DeviceState, terminal: str, message_key: str | None = None) -> None:
        status = DeviceStatus(DeviceClass.PAYMENT, state, {"terminal": terminal}, message_key)
        if status == self._status:
            return
        self._status = status
        for listener in self._listeners:
            listener(status)
