"""Child side of the crash-consistency test: a kiosk that is killed and restarted.

Runs as a *zygote*: ``python -m tests.offline.crash_child`` imports everything once, then
for each JSON command on stdin forks a kiosk run and answers ``{"pid": ...}`` then
``{"exit": ...}``. Forking from a warm process keeps 100+ kill/restart cycles cheap (a cold
start costs ~0.4 s of imports); each run is still a separate process with its own SQLite
connections and HTTP session, killed with SIGKILL.

One run = what a kiosk does after a power cut: recover payments left ``authorizing`` or
``unknown`` with the product's own recovery (:func:`kiosk.services.payment_recovery.settle`,
asking the terminal for its sale by ticket), drain the outbox, serve new payments (receipt
noted in the journal) and a submission, drain again, then run the product's daily close
(:func:`kiosk.services.daily_close.close_day`) every other run. The card terminal is
simulated here, deterministically, with its own durable ledger (a JSON-lines file written
with fsync, like the terminal's memory): the ledger's approved sales are the ground truth
of money taken, and its close markers delimit the batches.
``kill_at = "point:n"`` SIGKILLs the run at the n-th pass through a named point.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from common.money import Money
from drivers.payment.base import BatchTotals, CloseResult, SaleResult
from drivers.payment.codes import Outcome
from kiosk.api import ApiClient
from kiosk.api_uploader import ApiUploader
from kiosk.services.daily_close import close_day
from kiosk.services.payment_recovery import settle
from offline_cache.journal import PaidBill, PaymentState
from offline_cache.store import OfflineStore
from offline_cache.sync import SyncWorker

POINTS = (
    "after_create",  # payment created, not yet authorizing
    "after_begin",  # journal says authorizing; the terminal was not called yet
    "after_terminal",  # the terminal took the money; the journal does not know yet
    "after_unknown",  # the terminal's answer was lost; recovery has not run yet
    "after_record",  # outcome journaled (+ upload queued); no receipt yet
    "after_receipt",  # the receipt is noted in the journal
    "after_submission",  # submission queued
    "after_upload",  # the server recorded the item; the kiosk has not acknowledged it
    "after_ack",  # acknowledged
    "after_batch_read",  # the close read the terminal's batch; nothing closed yet
    "after_terminal_close",  # the terminal closed its batch; the journal does not know yet
    "after_close_record",  # the close is stored and its report queued
)


class Crasher:
    """SIGKILL this process at the n-th pass through one named point."""

    def __init__(self, kill_at: str | None) -> None:
        self.target = None
        if kill_at:
            name, count = kill_at.split(":")
            self.target = (name, int(count))
        self.passes: Counter[str] = Counter()

    def point(self, name: str) -> None:
        self.passes[name] += 1
        if self.target == (name, self.passes[name]):
            os.kill(os.getpid(), signal.SIGKILL)


class TerminalLedger:
    """The simulated terminal: a deterministic outcome per ticket, remembered durably."""

    def __init__(self, path: Path, crasher: Crasher) -> None:
        self.path, self.crasher = path, crasher

    @staticmethod
    def outcome(ticket: int) -> tuple[str, bool]:
        """Return (approved|declined, answer_lost) for a ticket."""
        return ("declined" if ticket % 5 == 0 else "approved"), ticket % 7 == 3

    def sale(self, ticket: int, amount_cents: int) -> dict[str, Any]:
        result, _lost = self.outcome(ticket)
        entry = {"ticket": ticket, "amount_cents": amount_cents, "result": result,
                 "authorization_code": f"A{ticket:05d}", "operation_number": f"{ticket:06d}"}
        self._append(entry)
        return entry

    def _append(self, entry: dict[str, Any]) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (json.dumps(entry) + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)

    def _entries(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines()]

    def sale_of(self, ticket: int) -> dict[str, Any] | None:
        found = None
        for entry in self._entries():
            if entry.get("ticket") == ticket:
                found = entry
        return found

    @staticmethod
    def result(entry: dict[str, Any]) -> SaleResult:
        approved = entry["result"] == "approved"
        return SaleResult(entry["ticket"], entry["amount_cents"], approved,
                          Outcome.APPROVED if approved else Outcome.DECLINED,
                          "00" if approved else "05", "",
                          entry["authorization_code"] if approved else None,
                          entry["operation_number"] if approved else None, "DB", "4321",
                          "LEDGER01")

    # -- what daily_close.close_day asks of a terminal --------------------------------
    def batch_detail(self) -> list[SaleResult]:
        batch: list[SaleResult] = []
        for entry in self._entries():
            if entry.get("close"):
                batch = []
            elif entry["result"] == "approved":
                batch.append(self.result(entry))
        return batch

    def batch_totals(self) -> BatchTotals:
        batch = self.batch_detail()
        return BatchTotals(len(batch), sum(s.amount_cents for s in batch))

    def close_day(self) -> CloseResult:
        self.crasher.point("after_batch_read")
        self._append({"close": True})
        self.crasher.point("after_terminal_close")
        return CloseResult(True, "00", "")

    def last_sale(self) -> SaleResult | None:  # unused: recovery asks by ticket here
        return None


class CrashingUploader(ApiUploader):
    """The real uploader, with a crash point after the server answered."""

    def __init__(self, client: ApiClient, crasher: Crasher) -> None:
        super().__init__(client)
        self._crasher = crasher

    def upload(self, kind: str, body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        answer = super().upload(kind, body, idempotency_key)
        self._crasher.point("after_upload")
        return answer


def _answer(store: OfflineStore, terminal: TerminalLedger, ticket: int,
            sale: dict[str, Any] | None) -> None:
    """Apply the terminal's answer with the product's rule (unproven when it has none)."""
    last = None if sale is None else terminal.result(sale)
    settle(store.journal, terminal, store.journal.get(ticket), last)  # type: ignore[arg-type]


def recover(store: OfflineStore, terminal: TerminalLedger) -> None:
    """Settle payments left authorizing/unknown with the terminal's sale by ticket."""
    for payment in store.journal.needing_recovery():
        _answer(store, terminal, payment.ticket, terminal.sale_of(payment.ticket))


def _drain(store: OfflineStore, worker: SyncWorker, crasher: Crasher) -> None:
    while store.outbox.due(1):
        if not worker.drain(store.database):
            raise SystemExit(3)  # link trouble: exit, the parent restarts us
        crasher.point("after_ack")


def run(command: dict[str, Any]) -> None:
    """One kiosk life: recover, drain, serve, drain."""
    folder = Path(command["dir"])
    crasher = Crasher(command.get("kill_at"))
    terminal = TerminalLedger(folder / "terminal.jsonl", crasher)
    store = OfflineStore.open(folder / "kiosk.db", folder / "kiosk.key")
    client = ApiClient(command["api"], token=command["token"], connect_timeout_s=2,
                       read_timeout_s=5, retries=0)
    worker = SyncWorker(store.database, store.cipher, CrashingUploader(client, crasher),
                        interval_s=1, max_backoff_s=1, retention_days=30)
    recover(store, terminal)  # start-up recovery, before serving anyone
    _drain(store, worker, crasher)
    for i in range(command["payments"]):
        amount = 1000 * (i + 1)
        payment = store.journal.create_payment(Money(amount),
                                               [PaidBill(f"R-{i}", Money(amount))])
        crasher.point("after_create")
        store.journal.begin_authorizing(payment.ticket)
        crasher.point("after_begin")
        sale = terminal.sale(payment.ticket, amount)
        crasher.point("after_terminal")
        if terminal.outcome(payment.ticket)[1]:
            store.journal.record_unknown(payment.ticket)  # the answer was lost on the wire
            crasher.point("after_unknown")
            recover(store, terminal)
        else:
            _answer(store, terminal, payment.ticket, sale)
        crasher.point("after_record")
        if store.journal.get(payment.ticket).state is PaymentState.AUTHORIZED:
            store.journal.record_receipt_printed(payment.ticket)
            crasher.point("after_receipt")
    submission = store.submissions.create(command["procedure_id"], command["form"], None)
    store.submissions.queue(submission.id)
    crasher.point("after_submission")
    _drain(store, worker, crasher)
    if command.get("close"):
        close_day(store.journal, store.closes, terminal)  # type: ignore[arg-type]
        crasher.point("after_close_record")
        _drain(store, worker, crasher)
    store.close()


def main() -> None:
    """Serve fork-and-run commands from stdin until it closes."""
    for line in sys.stdin:
        command = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                run(command)
            except SystemExit as stop:
                code = int(stop.code or 0)
            except BaseException as err:  # report, do not fall back into the zygote loop
                print(json.dumps({"error": repr(err)}), file=sys.stderr, flush=True)
                code = 1
            os._exit(code)
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"exit": os.waitstatus_to_exitcode(status)}), flush=True)


if __name__ == "__main__":
    main()
