"""The terminal's side of POS Integrado: answers commands, injects the scripted faults.

It speaks the same frames as a real terminal (``STX data ETX LRC``, ACK/NAK, retransmit a
NAKed answer up to three times), so the kiosk's driver and Transbank's own SDK can both be
tested against it. ``on_event`` is called at each step of a sale ("sale_received",
"intermediate_sent", "sale_settled", "answer_sent", "answer_acked") and when the last sale
is asked ("last_sale_asked") so a test can act at a precise point, e.g. kill the paying
process.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

from drivers.payment.framing import (
    ACK,
    NAK,
    BadFrame,
    Control,
    Event,
    Frame,
    FrameParser,
    encode_frame,
)
from drivers.payment.simulator.ports import DevicePort
from drivers.payment.simulator.scripts import Fault, Script, SimSale, TerminalMemory

log = logging.getLogger(__name__)

MAX_COPIES = 3
ABANDONED = -1
PROGRESS_CODES = ("78", "81", "82")  # insert card, enter PIN, contacting the bank


class LineClosed(Exception):
    """The simulator was stopped or disconnected while talking."""


class TerminalSimulator:
    """Serve one line until :meth:`stop`; the memory may be shared with a later instance."""

    def __init__(self, port: DevicePort, memory: TerminalMemory | None = None, *,
                 think_s: float = 0.02, ack_timeout_s: float = 2.0,
                 on_disconnect: Callable[[], None] | None = None,
                 on_event: Callable[[str], None] | None = None) -> None:
        self.port = port
        self.memory = memory or TerminalMemory()
        self.think_s = think_s
        self.ack_timeout_s = ack_timeout_s
        self._on_disconnect = on_disconnect
        self._on_event = on_event or (lambda name: None)
        self._parser = FrameParser()
        self._events: deque[Event] = deque()
        self._stopped = threading.Event()
        self._held: Script | None = None  # a sale script kept across a NAK_ONCE
        self._thread: threading.Thread | None = None
        self.commands_seen: list[str] = []  # function codes of every good command frame
        self.naks_received = 0  # how often the kiosk rejected one of our frames

    def start(self) -> TerminalSimulator:
        """Serve on a background thread."""
        self._thread = threading.Thread(target=self.serve, name="terminal-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the line."""
        self._stopped.set()
        self.port.cancel()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self.port.close()

    def serve(self) -> None:
        """Answer commands until stopped."""
        try:
            while not self._stopped.is_set():
                event = self._next_event(None)
                if isinstance(event, Frame):
                    self._command(event.data)
                elif isinstance(event, BadFrame):
                    log.info("simulator: bad command frame (%s), NAK", event.reason)
                    self.port.write(bytes([NAK]))
        except (LineClosed, OSError) as err:
            log.info("simulator line closed: %s", err)

    # -- commands ------------------------------------------------------------------------

    def _command(self, data: bytes) -> None:
        text = data.decode("latin-1")
        function = text[:4]
        self.commands_seen.append(function)
        if function == "0200":
            self._sale(text.split("|"))
            return
        handlers: dict[str, Callable[[list[str]], str | None]] = {
            "0100": lambda fields: None,
            "0250": self._last_sale,
            "1200": self._refund,
            "0500": self._close,
            "0700": self._totals,
        }
        if function == "0260":  # the sales detail: several answer frames
            self.port.write(bytes([ACK]))
            self._detail()
            return
        handler = handlers.get(function)
        if handler is None:
            self.port.write(bytes([NAK]))
            return
        self.port.write(bytes([ACK]))
        answer = handler(text.split("|"))
        if answer is not None:
            self._send(answer)

    def _sale(self, fields: list[str]) -> None:
        script = self._held or self.memory.next_script()
        self._held = None
        if script.fault is Fault.NAK_ONCE:
            self._held = Script()
            self.port.write(bytes([NAK]))
            return
        self.port.write(bytes([ACK]))
        self._on_event("sale_received")
        amount, ticket = _field(fields, 1), _field(fields, 2)
        if not amount.isdigit() or int(amount) <= 0:
            self._send(f"0210|72|{self._ids()}|{ticket}||{amount}||||||||||||||")
            return
        if _field(fields, 5) == "1":
            for code in PROGRESS_CODES:
                self._pause(script.delay_s if script.fault is Fault.SLOW else self.think_s)
                self._send(f"0900|{code}|")
                self._on_event("intermediate_sent")
        self._pause(self.think_s)
        if script.fault is Fault.NO_ANSWER and not script.charged:
            return
        sale = self.memory.settle(ticket, int(amount), script)
        self._on_event("sale_settled")
        if script.fault is Fault.NO_ANSWER:
            return
        if script.fault is Fault.DISCONNECT:
            self._disconnect()
            return
        bad = script.bad_copies if script.fault is Fault.GARBLED else 0
        answer = self._sale_answer("0210", sale)
        if script.oversize_field is not None:
            fields = answer.split("|")
            fields[script.oversize_field] = "9" * 5000
            answer = "|".join(fields)
        self._send(answer, bad_copies=bad)

    def _last_sale(self, fields: list[str]) -> str:
        self._on_event("last_sale_asked")
        sale = self.memory.last_sale
        if sale is None:
            return "0260|11|" + "|" * 17
        return self._sale_answer("0260", sale)

    def _refund(self, fields: list[str]) -> str:
        code, authorization, operation = self.memory.refund(_field(fields, 1))
        return f"1210|{code}|{self._ids()}|{authorization}|{operation}|"

    def _close(self, fields: list[str]) -> str:
        self.memory.close_day()
        return f"0510|00|{self._ids()}||"

    def _totals(self, fields: list[str]) -> str:
        count, pesos = self.memory.totals()
        return f"0710|00|{count}|{pesos}|"

    def _detail(self) -> None:
        with self.memory.lock:
            batch = list(self.memory.batch)
        for sale in batch:
            self._send(self._sale_answer("0260", sale))
        self._send("0260|00|" + self._ids() + "|||" + "|" * 14)

    def _sale_answer(self, function: str, sale: SimSale) -> str:
        now = time.strftime("%d%m%Y|%H%M%S")
        if sale.code != "00":
            return f"{function}|{sale.code}|{self._ids()}|{sale.ticket}||{sale.amount_pesos}" \
                   + "|" * 13
        brand = "VI" if sale.card_type == "CR" else "DB"
        return (f"{function}|00|{self._ids()}|{sale.ticket}|{sale.authorization_code}|"
                f"{sale.amount_pesos}|00|0|{sale.last4}|{sale.operation_number}|"
                f"{sale.card_type}|000000|{sale.masked_account}|{brand}|{now}||0|")

    def _ids(self) -> str:
        return f"{self.memory.commerce_code}|{self.memory.terminal_id}"

    # -- link ----------------------------------------------------------------------------

    def _send(self, text: str, bad_copies: int = 0) -> None:
        """Send a frame and wait for ACK, retransmitting on NAK or silence (bounded)."""
        frame = encode_frame(text.encode("latin-1"))
        for copy in range(MAX_COPIES):
            wire = frame[:-1] + bytes([frame[-1] ^ 0xFF]) if copy < bad_copies else frame
            self.port.write(wire)
            self._on_event("answer_sent")
            reply = self._next_control(time.monotonic() + self.ack_timeout_s)
            if reply == ACK:
                self._on_event("answer_acked")
                return
            if reply == ABANDONED:
                return
            if reply == NAK:
                self.naks_received += 1
        log.info("simulator: kiosk never ACKed %s", text[:4])

    def _next_control(self, deadline: float) -> int | None:
        while True:
            event = self._next_event(deadline)
            if event is None or isinstance(event, Control):
                return None if event is None else event.byte
            if isinstance(event, Frame):  # the kiosk gave up on our answer: serve the new command
                log.info("simulator: new command while waiting for ACK; answer abandoned")
                self._events.appendleft(event)
                return ABANDONED

    def _next_event(self, deadline: float | None) -> Event | None:
        while not self._events:
            if self._stopped.is_set():
                raise LineClosed("stopped")
            timeout = None if deadline is None else deadline - time.monotonic()
            if timeout is not None and timeout <= 0:
                return None
            self._events.extend(self._parser.feed(self.port.read(timeout)))
        return self._events.popleft()

    def _pause(self, seconds: float) -> None:
        if self._stopped.wait(seconds):
            raise LineClosed("stopped")

    def _disconnect(self) -> None:
        log.info("simulator: dropping the line mid-sale")
        if self._on_disconnect is not None:
            self._on_disconnect()
        self._stopped.set()
        raise LineClosed("disconnected")


def _field(fields: list[str], index: int) -> str:
    return fields[index].strip() if index < len(fields) else ""
