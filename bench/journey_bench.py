"""Pay all debts after e-ID, without human waits: machine time per step, and RSS over journeys.

Run: python -m bench.journey_bench [--journeys 200] [--rss-after 10]
     (``python -m bench journey_bench`` runs it with the defaults)

One journey, on the real stacks (bench/journey_stack.py): the virtual card is inserted in
vpcd's reader; ``Identifier.preview`` reads the card; ``authenticate`` verifies the PIN, signs
the API's challenge and opens a citizen session; ``PayBills.debts_of_citizen`` lists the
debts; all are selected; ``pay`` sells on the terminal simulator over a pty (thinking 0 s,
no line speed: machine time), waits for the sync worker to deliver the payment to the
reference API (so the receipt says "confirmed") and prints the receipt on the printer
simulator. The card is then pulled and the debts put back to pending (a re-seed, untimed),
so every journey pays real debts. Each journey is checked (receipt printed, payment
confirmed) and the totals are checked at the end against the API, printer and terminal.

Memory: the kiosk runtime lives in this process (every simulator is a child process), so
psutil's RSS after ``--rss-after`` journeys and after the last one shows what a long day
costs; threads and open file descriptors are compared too (a leak of either shows there
first). Comparisons: the e-ID steps against the pay steps, and the terminal sale's machine
time against the time its bytes alone take on a real 9600/115200-baud line.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil

from bench.journey_stack import JourneyStack
from bench.payment_bench import wire_bytes
from drivers.base import DeviceClass, DeviceStatus
from drivers.eid.reader import PcscEidReader
from kiosk.services.identify import Authenticated, Identifier, IdentityPreview
from kiosk.services.pay_bills import PayBills
from kiosk.services.pay_model import PayResult
from offline_cache.sync import SyncStatus

STEPS = {  # key -> label, in journey order; "pay" is the sum of the three "pay:" rows
    "insert": "card inserted -> recognised",
    "preview": "identity read (confirmation screen)",
    "authenticate": "PIN + card signs challenge + session",
    "debts": "debts listed (API)",
    "select": "select all",
    "pay": "pay",
    "sale": "  pay: terminal sale over the pty",
    "deliver": "  pay: delivered to the API by sync",
    "upload": "    of which upload (wake -> synced)",
    "print": "  pay: receipt printed",
    "total": "total",
}
EID_STEPS, PAY_STEPS = ("insert", "preview", "authenticate"), ("debts", "select", "pay")


@contextmanager
def _timed(times: dict[str, float], key: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        times[key] = times.get(key, 0.0) + (time.perf_counter() - start) * 1000


class Deliveries:
    """Note when the sync worker last confirmed a delivery (its listener, on its thread)."""

    def __init__(self) -> None:
        self.at = 0.0
        self._last_sync: str | None = None

    def __call__(self, status: SyncStatus) -> None:
        if status.last_sync != self._last_sync:
            self._last_sync, self.at = status.last_sync, time.perf_counter()


class TimedPayBills(PayBills):
    """PayBills unchanged, with the sale, the delivery wait and the print timed separately.

    PayBills polls the journal every 50 ms while it waits for the delivery, so "delivered"
    is rounded up to that step; "upload" is the worker's own time from the wake to its
    confirmation, taken from its status listener.
    """

    def __init__(self, times: dict[str, float], deliveries: Deliveries,
                 **options: Any) -> None:
        super().__init__(**options)
        self.times, self.deliveries = times, deliveries

    async def _charge(self, *args: Any) -> Any:
        with _timed(self.times, "sale"):
            return await super()._charge(*args)

    async def _confirmed(self, ticket: int) -> bool:
        start = time.perf_counter()
        with _timed(self.times, "deliver"):
            confirmed = await super()._confirmed(ticket)
        self.times["upload"] = max(0.0, self.deliveries.at - start) * 1000
        return confirmed

    async def _print(self, *args: Any, **options: Any) -> Any:
        with _timed(self.times, "print"):
            return await super()._print(*args, **options)


class CardSlot:
    """Wait for the reader driver to report the card in or out (through the DeviceHub)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._card = "unknown"

    def __call__(self, status: DeviceStatus) -> None:
        if status.device is DeviceClass.EID:
            with self._condition:
                self._card = status.detail.get("card", "unknown")
                self._condition.notify_all()

    def wait(self, card: str, timeout: float = 20.0) -> None:
        with self._condition:
            if not self._condition.wait_for(lambda: self._card == card, timeout):
                raise TimeoutError(f"the reader did not report card={card} in {timeout:.0f} s")


async def journey(stack: JourneyStack, slot: CardSlot, deliveries: Deliveries,
                  debts: int) -> dict[str, float]:
    """Run one pay-all-debts journey; return the milliseconds of each step."""
    runtime, times = stack.runtime, dict[str, float]()
    reader = runtime.devices.eid
    assert isinstance(reader, PcscEidReader)  # as kiosk/app.py: identification needs its worker
    with _timed(times, "insert"):
        stack.card.insert()
        await asyncio.to_thread(slot.wait, "present")
    identifier = Identifier(reader, runtime.api)
    with _timed(times, "preview"):
        preview = await identifier.preview()
    assert isinstance(preview, IdentityPreview), preview
    with _timed(times, "authenticate"):
        outcome = await identifier.authenticate(bytearray(stack.citizen.pin.encode()))
    assert isinstance(outcome, Authenticated), outcome
    session = outcome.identity.citizen_session
    assert session is not None
    service = TimedPayBills(times, deliveries, api=runtime.api, journal=runtime.store.journal,
                            devices=runtime.devices, kiosk=stack.settings.kiosk,
                            sync=runtime.sync, language="es")
    with _timed(times, "debts"):
        found = await service.debts_of_citizen(session)
    assert len(found.bills) == debts, f"expected {debts} debts, got {found}"
    with _timed(times, "select"):
        selection = service.select(list(found.bills))
    with _timed(times, "pay"):
        paid = await service.pay(selection, lambda _message: None)
    assert paid.result is PayResult.PAID_PRINTED, paid
    assert not paid.pending_confirmation, "the sync worker did not deliver within 3 s"
    identifier.end()
    times["total"] = sum(times[key] for key in (*EID_STEPS, *PAY_STEPS))
    stack.card.remove()  # the citizen takes the card: untimed, like the re-seed
    await asyncio.to_thread(slot.wait, "absent")
    return times


def _memory() -> tuple[float, frozenset[str], int]:
    process = psutil.Process()
    threads = frozenset(thread.name for thread in threading.enumerate())
    return process.memory_info().rss / 2**20, threads, process.num_fds()


Memory = list[tuple[int, float, frozenset[str], int]]  # (journeys, RSS MiB, threads, fds)


async def run(stack: JourneyStack, journeys: int, rss_after: int, deadline: float,
              progress: Callable[[str], None]) -> tuple[list[dict[str, float]], Memory, int]:
    """Run the journeys (until ``deadline``); return times, memory samples, APDUs/journey."""
    slot, deliveries = CardSlot(), Deliveries()
    stack.runtime.devices.subscribe(slot)
    stack.runtime.sync.subscribe(deliveries)
    await asyncio.to_thread(slot.wait, "absent")
    samples: list[dict[str, float]] = []
    memory: Memory = []
    apdus, started = 0, time.monotonic()
    for number in range(1, journeys + 1):
        debts = await asyncio.to_thread(stack.reset_debts)
        before = stack.card.status()["apdu_count"]
        samples.append(await journey(stack, slot, deliveries, debts))
        apdus = int(stack.card.status()["apdu_count"]) - int(before)
        last = number == journeys or time.monotonic() > deadline
        if number == rss_after or last:
            memory.append((number, *_memory()))
        if number % 50 == 0:
            progress(f"  {number} journeys, {time.monotonic() - started:.0f} s")
        if last:
            break
    return samples, memory, apdus


def _p(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def report(samples: list[dict[str, float]], memory: Memory, apdus: int, checks: str) -> None:
    """Print the table and the comparisons."""
    timed = samples[1:] or samples  # the first journey warms connections and caches
    p50 = {key: statistics.median(s[key] for s in timed) for key in STEPS}
    print(f"pay-all-debts journey, machine time (no human waits); p50/p95 over {len(timed)} "
          f"journeys (first of {len(samples)} excluded as warm-up)")
    print(f"{'step':<40} {'p50 ms':>9} {'p95 ms':>9} {'share':>7}")
    for key, label in STEPS.items():
        values = [s[key] for s in timed]
        print(f"{label:<40} {p50[key]:9.1f} {_p(values, 95):9.1f} "
              f"{p50[key] / p50['total']:7.0%}")
    eid, pay = sum(p50[k] for k in EID_STEPS), sum(p50[k] for k in PAY_STEPS)
    print(f"\ne-ID steps (insert + preview + PIN/sign) {eid:8.1f} ms  vs  debts + pay "
          f"{pay:8.1f} ms  ({eid / pay:.1f}x); {apdus} APDUs per journey on vpcd")
    for baud in (9600, 115200):
        wire = wire_bytes(1) * 10 / baud * 1000
        print(f"terminal sale: {p50['sale']:6.1f} ms machine time here vs {wire:6.1f} ms of "
              f"wire time alone at {baud} baud ({wire / p50['sale']:.1f}x)")
    print(f"checks: {checks}")
    if len(memory) < 2 or memory[0][0] == memory[1][0]:
        print("RSS: one sample only (run more journeys than --rss-after to compare)")
        for number, rss, threads, fds in memory:
            print(f"  after {number:4d} journeys: RSS {rss:7.1f} MiB, {len(threads)} threads, "
                  f"{fds} fds")
        return
    (n1, rss1, threads1, fds1), (n2, rss2, threads2, fds2) = memory
    growth = (rss2 - rss1) * 1024 / (n2 - n1)
    changed = [f"+{name}" for name in sorted(threads2 - threads1)]
    changed += [f"-{name}" for name in sorted(threads1 - threads2)]
    print(f"RSS after {n1} journeys {rss1:.1f} MiB, after {n2} {rss2:.1f} MiB: "
          f"{growth:+.1f} KiB per journey; Python threads {len(threads1)} -> "
          f"{len(threads2)}{''.join(' ' + name for name in changed)}; "
          f"open fds {fds1} -> {fds2}")


def main(argv: list[str] | None = None) -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.journey_bench")
    parser.add_argument("--journeys", type=int, default=200)
    parser.add_argument("--rss-after", type=int, default=10,
                        help="first RSS sample after this many journeys")
    parser.add_argument("--max-minutes", type=float, default=10.0,
                        help="stop starting journeys after this long (the count is reported)")
    args = parser.parse_args(argv or [])  # `python -m bench` calls main() with its own argv
    if args.journeys < 1:
        parser.error("--journeys must be >= 1")
    with tempfile.TemporaryDirectory(prefix="journey-bench-") as folder, \
            JourneyStack(Path(folder)) as stack:
        started = time.monotonic()
        samples, memory, apdus = asyncio.run(run(
            stack, args.journeys, min(args.rss_after, args.journeys),
            started + args.max_minutes * 60, lambda line: print(line, flush=True)))
        elapsed = time.monotonic() - started
        counts = (stack.payments_at_api(), stack.receipts_printed(), stack.sales_approved())
    done = len(samples)
    if counts != (done,) * 3:
        raise SystemExit(f"{done} journeys but API payments, printed receipts, "
                         f"approved sales = {counts}")
    cut = f" (stopped at --max-minutes {args.max_minutes:g})" if done < args.journeys else ""
    report(samples, memory, apdus,
           f"{done} journeys in {elapsed:.0f} s{cut}: {counts[0]} payments at the API, "
           f"{counts[1]} receipts printed, {counts[2]} sales approved")


if __name__ == "__main__":
    main(sys.argv[1:])
