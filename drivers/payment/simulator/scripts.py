"""What the simulated terminal will do with the next sales, and what it remembers.

A test or the demo queues :class:`Script` entries; each sale consumes one (an empty queue
approves). The terminal's memory (last sale, approved sales, refunds, batch) outlives a
cable pull or a kiosk crash, as a real terminal's does, so recovery can be tested.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum


class Fault(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"  # the bank declines with ``code``
    CANCEL = "cancel"  # the citizen presses cancel on the terminal (code 07)
    NO_ANSWER = "no_answer"  # ACK the sale, then silence (``charged``: host approved first)
    DISCONNECT = "disconnect"  # host approves, then the line drops before the answer
    GARBLED = "garbled"  # the first ``bad_copies`` copies of the answer have a wrong LRC
    NAK_ONCE = "nak_once"  # NAK the sale command once; the kiosk must retransmit it
    SLOW = "slow"  # intermediate messages ``delay_s`` apart, then approve


@dataclass(frozen=True)
class Script:
    """One scripted sale outcome."""

    fault: Fault = Fault.APPROVE
    code: str = "01"  # decline code
    charged: bool = False  # NO_ANSWER: the host approved before the terminal went silent
    bad_copies: int = 1  # GARBLED
    delay_s: float = 1.0  # SLOW
    # Answers a faulty or hostile terminal could give for an approved sale:
    answer_amount: int | None = None  # approve this many pesos instead of the amount asked
    answer_ticket: str | None = None  # answer for this ticket instead of ours
    oversize_field: int | None = None  # pad this field of the answer to 5,000 digits

    @property
    def approves(self) -> bool:
        """Tell whether the bank approves the sale under this script."""
        if self.fault is Fault.NO_ANSWER:
            return self.charged
        return self.fault not in (Fault.DECLINE, Fault.CANCEL)


@dataclass(frozen=True)
class SimSale:
    """A sale as the terminal remembers it."""

    ticket: str
    amount_pesos: int
    code: str
    authorization_code: str = ""
    operation_number: str = ""
    card_type: str = ""
    last4: str = ""
    masked_account: str = ""  # sent on the wire like a real terminal; the driver drops it


@dataclass
class TerminalMemory:
    """State that survives reconnections; guarded by a lock (control thread vs. serving)."""

    commerce_code: str = "597029414300"
    terminal_id: str = "SIM00001"
    last_sale: SimSale | None = None
    approved: list[SimSale] = field(default_factory=list)
    batch: list[SimSale] = field(default_factory=list)  # approved since the last close
    refunded: set[str] = field(default_factory=set)
    closes: int = 0
    sale_commands: int = 0
    next_operation: int = 1
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    scripts: deque[Script] = field(default_factory=deque, repr=False)

    def queue(self, *scripts: Script) -> None:
        """Queue outcomes for the next sales, in order."""
        with self.lock:
            self.scripts.extend(scripts)

    def next_script(self) -> Script:
        """Take the next outcome (approve when nothing is queued)."""
        with self.lock:
            return self.scripts.popleft() if self.scripts else Script()

    def settle(self, ticket: str, amount: int, script: Script) -> SimSale:
        """Decide the sale at the "bank" and remember it, as the terminal would."""
        with self.lock:
            self.sale_commands += 1
            if script.approves:
                sale = self._approve(script.answer_ticket or ticket,
                                     amount if script.answer_amount is None
                                     else script.answer_amount)
            else:
                code = "07" if script.fault is Fault.CANCEL else script.code
                sale = SimSale(ticket, amount, code)
            self.last_sale = sale
            return sale

    def _approve(self, ticket: str, amount: int) -> SimSale:
        operation = self.next_operation
        self.next_operation += 1
        sale = SimSale(ticket, amount, "00", f"{(operation * 7919) % 999983:06d}",
                       f"{operation:06d}", "DB" if operation % 2 else "CR",
                       f"{4242 + operation % 10:04d}", "  ************4242    ")
        self.approved.append(sale)
        self.batch.append(sale)
        return sale

    def foreign_sale(self, amount: int, ticket: str = "900001") -> SimSale:
        """Someone else used the terminal (another till, a technician's test sale)."""
        with self.lock:
            sale = self._approve(ticket, amount)
            self.last_sale = sale
            return sale

    def forget(self) -> None:
        """The terminal was reset or swapped: it remembers no last sale any more."""
        with self.lock:
            self.last_sale = None

    def totals(self) -> tuple[int, int]:
        """Sales and pesos in the open batch."""
        with self.lock:
            return len(self.batch), sum(s.amount_pesos for s in self.batch)

    def refund(self, operation: str) -> tuple[str, str, str]:
        """Refund an approved operation: (code, authorization code, operation number)."""
        key = operation.zfill(6)
        with self.lock:
            if not any(s.operation_number == key for s in self.approved):
                return "05", "", key
            if key in self.refunded:
                return "04", "", key
            self.refunded.add(key)
            return "00", f"{(int(key) * 104729) % 999983:06d}", key

    def close_day(self) -> None:
        """Settle the batch: approved sales are no longer refundable from the terminal."""
        with self.lock:
            self.closes += 1
            self.batch.clear()
