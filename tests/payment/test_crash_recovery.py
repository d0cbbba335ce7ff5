"""Kill the paying process with SIGKILL at many points of a sale; recovery must settle all.

Each run is a fresh child process (the kiosk after a restart): it first recovers what the
previous, killed one left open, then pays. Kill points alternate between protocol events
seen by the simulator (sale received, each intermediate message, settled at the bank,
answer sent, answer acknowledged) and time offsets spread over a whole sale; every tenth
run the terminal goes silent and the process dies while its own recovery asks for the last
sale, leaving an ``unknown`` row. At the end the
journal must hold exactly the sales the terminal approved, each once, with the terminal's
authorization code, nothing left open, and one upload queued per approved payment.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from drivers.payment.simulator import Fault, Script, SerialDevicePort, TerminalSimulator
from kiosk.api_uploader import ApiUploader
from kiosk.simulated.api import EnrolledKiosk
from offline_cache.crypto import RecordCipher, load_or_create_key
from offline_cache.journal import PaymentState
from offline_cache.outbox import Outbox
from offline_cache.sync import SyncWorker
from rig.serial_pty import SerialPair
from tests.payment.crash_payer import open_journal, start_and_pay

RUNS = 60
EVENT_POINTS = [("sale_received", 1), ("intermediate_sent", 1), ("intermediate_sent", 2),
                ("intermediate_sent", 3), ("sale_settled", 1), ("answer_sent", 1),
                ("answer_acked", 1)]


class Killer:
    """Send SIGKILL to the current child when the simulator reaches the armed event."""

    def __init__(self) -> None:
        self.pid: int | None = None
        self.target: tuple[str, int] | None = None
        self.counts: Counter[str] = Counter()
        self.in_sale = False
        self.lock = threading.Lock()

    def arm(self, pid: int, target: tuple[str, int] | None) -> None:
        with self.lock:
            self.pid, self.target, self.in_sale = pid, target, False
            self.counts.clear()

    def on_event(self, name: str) -> None:
        with self.lock:
            if name == "sale_received":
                self.in_sale = True
            if not self.in_sale or self.target is None or self.pid is None:
                return
            self.counts[name] += 1
            if (name, self.counts[name]) == self.target:
                os.kill(self.pid, signal.SIGKILL)
                self.target = None


@pytest.mark.slow
def test_sigkill_at_any_point_of_a_sale_never_loses_or_duplicates_a_payment(
        serial_pair: SerialPair, tmp_path: Path, api_kiosk: EnrolledKiosk) -> None:
    killer = Killer()
    simulator = TerminalSimulator(SerialDevicePort(serial_pair.device_end), think_s=0.01,
                                  ack_timeout_s=0.2, on_event=killer.on_event).start()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.payment.crash_payer"])
    open_journal(tmp_path)[0].close()  # database and key created once, as on an install
    killed = 0
    left_behind: Counter[str] = Counter()  # state of the killed run's row before restart
    try:
        calibration = run_child(context, tmp_path, serial_pair.kiosk_end, 100_000, killer, None)
        for run in range(RUNS):
            amount = 100_000 + run * 100
            point: tuple[str, int] | float
            if run % 10 == 9:  # the terminal goes silent; killed while the row is unknown
                simulator.memory.queue(Script(Fault.NO_ANSWER, charged=run % 20 == 9))
                point = ("last_sale_asked", 1)  # the immediate recovery attempt
            elif run % 2 == 0:
                point = EVENT_POINTS[(run // 2) % len(EVENT_POINTS)]
            else:
                point = calibration * (run % 13) / 12  # 0 .. a whole sale
            if run % 10 == 3:
                simulator.memory.queue(Script(Fault.DECLINE, code="01"))
            if run_child(context, tmp_path, serial_pair.kiosk_end, amount, killer, point) < 0:
                killed += 1
                left_behind[last_row_state(tmp_path)] += 1
        run_child(context, tmp_path, serial_pair.kiosk_end, None, killer, None)  # restart
    finally:
        simulator.stop()

    database, journal = open_journal(tmp_path)
    assert journal.needing_recovery() == []
    approved = simulator.memory.approved
    tickets = [int(sale.ticket) for sale in approved]
    assert len(tickets) == len(set(tickets)), "the terminal charged a ticket twice"
    rows = database.conn.execute("SELECT ticket, state FROM payments ORDER BY id").fetchall()
    assert {state for _, state in rows} <= {"created", "authorized", "declined", "unknown"}
    # what recovery could not prove stays unknown for staff, and was indeed never charged
    unproven = {p.ticket for p in journal.awaiting_staff()}
    assert unproven == {ticket for ticket, state in rows if state == "unknown"}
    assert not unproven & set(tickets), "an unproven row was charged: it must be authorized"
    authorized = {ticket: journal.get(ticket).authorization_code
                  for ticket, state in rows if state == "authorized"}
    assert authorized == {int(s.ticket): s.authorization_code for s in approved}
    cipher = RecordCipher(load_or_create_key(tmp_path / "kiosk.key"))
    queued = [item for item in Outbox(database, cipher).due(1000) if item.kind == "payment"]
    assert sorted(item.body["ticket"] for item in queued) == sorted(authorized), \
        "one upload per approved payment"

    # the sync worker delivers the outbox to the reference API ...
    client = api_kiosk.client()
    worker = SyncWorker(database, cipher, ApiUploader(client), interval_s=1,
                        max_backoff_s=1, retention_days=30, batch_size=RUNS + 10)
    assert worker.drain(database)
    assert Outbox(database, cipher).due(1000) == []
    # ... and a resend of everything (a crash between upload and confirm) changes nothing
    for item in queued:
        client.record_payment(item.body, item.idempotency_key)
    recorded = server_payments(api_kiosk)
    assert sorted(recorded) == sorted((t, code) for t, code in authorized.items())
    for ticket, _code in recorded:
        assert journal.get(ticket).state is PaymentState.SYNCED
    client.close()
    database.close()
    assert killed >= RUNS // 3, f"only {killed} runs were actually killed mid-payment"
    # the kills landed in different phases: mid-sale (authorizing) and mid-recovery (unknown)
    assert left_behind["authorizing"] > 0 and left_behind["unknown"] > 0, left_behind
    print(f"{RUNS} runs, {killed} killed, left behind {dict(left_behind)}; "
          f"{len(authorized)} authorized of {len(rows)} rows")


def server_payments(kiosk: EnrolledKiosk) -> list[tuple[int, str]]:
    """Read what the reference API recorded for this kiosk, straight from its database."""
    with sqlite3.connect(kiosk.server.db_path) as conn:
        rows = conn.execute("SELECT ticket, authorization_code FROM payments WHERE kiosk_id = ?",
                            (kiosk.kiosk_id,)).fetchall()
    return [(int(ticket), str(code)) for ticket, code in rows]


def last_row_state(folder: Path) -> str:
    """Read the newest payment row's state straight from the file."""
    database, _journal = open_journal(folder)
    try:
        row = database.conn.execute("SELECT state FROM payments ORDER BY id DESC LIMIT 1")
        found = row.fetchone()
        return str(found[0]) if found else "none"
    finally:
        database.close()


def run_child(context: multiprocessing.context.ForkServerContext, folder: Path, port: str,
              amount: int | None, killer: Killer, point: tuple[str, int] | float | None) -> float:
    """Run one kiosk life; return its paying time, or -1 if it was killed."""
    paying = context.Event()
    child = context.Process(target=start_and_pay, args=(folder, port, amount, paying))
    child.start()
    assert child.pid is not None
    killer.arm(child.pid, point if isinstance(point, tuple) else None)
    assert paying.wait(timeout=10), "the restarted kiosk could not recover the open rows"
    started = time.monotonic()
    if isinstance(point, float):
        child.join(timeout=point)
        if child.exitcode is None:
            with contextlib.suppress(ProcessLookupError):  # it may end on its own meanwhile
                os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=10)
    elapsed = time.monotonic() - started
    code = child.exitcode
    child.close()
    if code == -signal.SIGKILL:
        return -1.0
    assert code == 0, f"the paying process failed with exit code {code}"
    return elapsed
