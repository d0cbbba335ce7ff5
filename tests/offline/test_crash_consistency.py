"""SIGKILL a kiosk 500+ times mid-sale, mid-receipt, mid-sync and mid-close; money stays exact.

A warm zygote (tests/offline/crash_child.py) forks one kiosk run per cycle against the real
reference API on loopback. Most cycles die at a named point (between the journal write and
the terminal call, between the server's answer and the acknowledgement, ...); the others
are killed by this test after a random delay. After every restart the run first recovers
and drains. Invariants, checked against the server's own database after every cycle:
no payment the terminal did not approve, no payment twice; after every run that finished
(it recovered and drained) and after the last clean run, every approved sale exactly once;
at the end, every queued submission exactly once, every approved payment counted by exactly
one daily close, and every row recovery could not prove is one the terminal never charged.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from kiosk.simulated.api import ApiServer, enrol_kiosk
from tests.offline.crash_child import POINTS

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MIN_KILLS = 500
MAX_CYCLES = 1100
TIME_BUDGET_S = 150.0


class Zygote:
    """The warm child process that forks kiosk runs."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.offline.crash_child"], cwd=PROJECT_ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def _read(self) -> dict[str, int]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the crash zygote died"
        return json.loads(line)

    def run(self, command: dict[str, object], kill_after_s: float | None) -> int:
        """Run one kiosk life; return its exit code (-9 when killed)."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        pid = self._read()["pid"]
        if kill_after_s is not None:
            time.sleep(kill_after_s)
            with contextlib.suppress(ProcessLookupError):  # it may have finished first
                os.kill(pid, signal.SIGKILL)
        return self._read()["exit"]

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)
        self.process.stdout.close()


def _ledger(folder: Path) -> dict[int, dict[str, object]]:
    path = folder / "terminal.jsonl"
    sales = {}
    if path.exists():
        for line in path.read_text().splitlines():
            entry = json.loads(line)
            if "ticket" in entry:  # not a close marker
                sales[entry["ticket"]] = entry
    return sales


def _server_rows(server: ApiServer, kiosk_id: str, table: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True)
    try:
        if table == "payments":
            sql = ("SELECT ticket, idempotency_key, amount_cents FROM payments"
                   " WHERE kiosk_id = ?")
        else:
            sql = "SELECT case_number, idempotency_key FROM cases WHERE kiosk_id = ?"
        return conn.execute(sql, (kiosk_id,)).fetchall()
    finally:
        conn.close()


def _check_no_phantom_and_no_duplicate(server, kiosk_id, folder) -> int:
    rows = _server_rows(server, kiosk_id, "payments")
    approved = {t for t, s in _ledger(folder).items() if s["result"] == "approved"}
    tickets = Counter(r[0] for r in rows)
    keys = Counter(r[1] for r in rows)
    assert [t for t, n in tickets.items() if n > 1] == [], "a payment was recorded twice"
    assert [k for k, n in keys.items() if n > 1] == [], "an Idempotency-Key was used twice"
    assert set(tickets) <= approved, "the server holds a payment the terminal never approved"
    return len(rows)


@pytest.mark.slow
def test_sigkill_at_any_point_never_loses_or_duplicates_money(tmp_path, api_server,
                                                              valid_submission):
    server = api_server
    kiosk = enrol_kiosk(server)
    folder = tmp_path / "kiosk"
    folder.mkdir()
    rng = random.Random(4)
    schedule = [f"{point}:{n}" for n in (1, 2, 1, 3) for point in POINTS]
    closing = ("after_batch_read", "after_terminal_close", "after_close_record")
    command = {"dir": str(folder), "api": server.base_url, "token": kiosk.token,
               "payments": 2, **valid_submission}
    zygote = Zygote()
    kills, exits = Counter[str](), Counter[int]()
    cycles, scheduled, started = 0, 0, time.monotonic()
    try:
        while kills.total() < MIN_KILLS and cycles < MAX_CYCLES:
            assert time.monotonic() - started < TIME_BUDGET_S * 2, "crash loop far too slow"
            if cycles % 4 == 3:  # a kill at a moment nobody chose
                label, kill_at, delay = "random", None, rng.uniform(0.0, 0.12)
            else:
                label = kill_at = schedule[scheduled % len(schedule)]
                scheduled, delay = scheduled + 1, None
            close = cycles % 2 == 1 or (kill_at or "").split(":")[0] in closing
            code = zygote.run({**command, "kill_at": kill_at, "close": close}, delay)
            exits[code] += 1
            if code == -signal.SIGKILL:
                kills[label.split(":")[0]] += 1
            else:
                assert code == 0, f"kiosk run failed with exit {code}"
            recorded = _check_no_phantom_and_no_duplicate(server, kiosk.kiosk_id, folder)
            if code == 0:  # a run that finished recovered and drained: nothing may be missing
                approved = [t for t, s in _ledger(folder).items() if s["result"] == "approved"]
                assert recorded == len(approved), "an approved sale is missing on the server"
            cycles += 1
        assert zygote.run({**command, "kill_at": None, "payments": 0, "close": True},
                          None) == 0  # a clean run, with a last close
    finally:
        zygote.close()
    recorded = _check_no_phantom_and_no_duplicate(server, kiosk.kiosk_id, folder)
    ledger = _ledger(folder)
    approved = {t: s for t, s in ledger.items() if s["result"] == "approved"}
    server_payments = {r[0]: r[2] for r in _server_rows(server, kiosk.kiosk_id, "payments")}
    assert server_payments == {t: s["amount_cents"] for t, s in approved.items()}
    kiosk_db = sqlite3.connect(folder / "kiosk.db")
    queued = kiosk_db.execute(
        "SELECT idempotency_key FROM submissions WHERE state != 'created'").fetchall()
    pending = kiosk_db.execute("SELECT count(*) FROM outbox WHERE state != 'delivered'")
    left = pending.fetchone()[0]
    unclosed = kiosk_db.execute("SELECT ticket FROM payments WHERE authorization_code IS NOT NULL"
                                " AND close_id IS NULL").fetchall()
    unproven = {t for (t,) in kiosk_db.execute(
        "SELECT ticket FROM payments WHERE state = 'unknown'").fetchall()}
    kiosk_db.close()
    assert unclosed == [], "an approved payment no daily close counted"
    assert not unproven & set(approved), "a charged sale was left unknown"
    cases = Counter(r[1] for r in _server_rows(server, kiosk.kiosk_id, "cases"))
    assert cases == Counter(r[0] for r in queued)  # each queued submission exactly once
    assert left == 0
    print(f"\ncrash loop: {cycles} runs in {time.monotonic() - started:.1f}s,"
          f" {kills.total()} SIGKILLs: {dict(sorted(kills.items()))};"
          f" {exits[0]} runs finished and were checked complete")
    print(f"terminal sales {len(ledger)}, approved {len(approved)},"
          f" server payments {recorded} (each exactly once), submissions {len(cases)}")
    assert kills.total() >= MIN_KILLS
    for point in ("after_begin", "after_terminal", "after_receipt", "after_upload", "after_ack",
                  "after_batch_read", "after_terminal_close", "after_close_record", "random"):
        assert kills[point] > 0, f"no run was killed at {point}"
