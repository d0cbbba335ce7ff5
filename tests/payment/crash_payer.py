"""The paying process of the crash test: recover like a kiosk start-up, then pay one sale.

Runs in a child process (forked from a multiprocessing forkserver, so 50+ runs stay cheap)
that the test kills with SIGKILL at scheduled points. Everything here is the production
path: the real journal file, the real Transbank driver on the pty, the real services.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Protocol

from common.money import Money
from drivers.payment.transbank import TransbankTerminal
from kiosk.services.card_payment import pay
from kiosk.services.payment_recovery import recover_all
from offline_cache.crypto import RecordCipher, load_or_create_key
from offline_cache.database import OfflineDatabase, open_database
from offline_cache.journal import Journal, PaidBill

ACK_TIMEOUT_S = 0.3
RESPONSE_TIMEOUT_S = 1.0


class Flag(Protocol):
    def set(self) -> None: ...


def open_journal(folder: Path) -> tuple[OfflineDatabase, Journal]:
    """Open the journal the way the kiosk does (same files after every restart)."""
    database = open_database(folder / "kiosk.db")
    return database, Journal(database, RecordCipher(load_or_create_key(folder / "kiosk.key")))


def start_and_pay(folder: Path, port: str, amount_cents: int | None, paying: Flag) -> None:
    """Settle open rows, signal ``paying``, then pay ``amount_cents`` (None: recover only)."""
    database, journal = open_journal(folder)
    terminal = TransbankTerminal(port, ack_timeout_s=ACK_TIMEOUT_S,
                                 response_timeout_s=RESPONSE_TIMEOUT_S)
    try:
        asyncio.run(recover_all(journal, terminal))
        paying.set()
        if amount_cents is not None:
            amount = Money(amount_cents)
            bills = [PaidBill(f"CRASH-{amount_cents}", amount)]
            asyncio.run(pay(journal, terminal, amount, bills, lambda _: None))
    finally:
        terminal.close()
        database.close()
