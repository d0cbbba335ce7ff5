"""Close the terminal's day and reconcile it with the journal and the town hall.

Under the sale lock (no sale or recovery interleaves): read the terminal's sales detail and
totals, settle by proof any sale the journal left unknown that the batch lists for our
ticket and amount, compare the batch with every approved payment no close has counted yet,
close the batch at the terminal, and store the close with one incident per difference. The
report to the API goes through the outbox (kind ``close``); the API's own comparison comes
back into the close when it answers (:func:`offline_cache.closes.record_answer`).
Differences name tickets and amounts, never a citizen.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from datetime import UTC, datetime

from drivers.payment.base import PaymentTerminal, SaleResult
from drivers.printer.base import ReceiptPrinter
from kiosk.receipts.close import build_close_report
from kiosk.receipts.printing import print_receipt
from kiosk.services.approval import answer_problems
from kiosk.services.payment_recovery import SALE_LOCK
from kiosk.settings import KioskSection
from offline_cache.closes import CloseBook, CloseRecord
from offline_cache.journal import Journal, Payment, PaymentState
from offline_cache.sync import LinkState, SyncWorker

log = logging.getLogger(__name__)


def close_day(journal: Journal, book: CloseBook, terminal: PaymentTerminal) -> CloseRecord:
    """Run the close now (blocking; raises DriverError when the terminal cannot)."""
    with SALE_LOCK:
        detail = terminal.batch_detail()
        totals = terminal.batch_totals()
        _prove_unknown_sales(journal, detail)
        payments = book.unclosed()
        differences = _differences(payments, detail, totals.sales_count,
                                   totals.sales_total_cents)
        result = terminal.close_day()
        if not result.ok:
            differences.append(f"the terminal refused the close (code {result.response_code})")
        body = {
            "closed_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "terminal_id": next((s.terminal_id for s in detail if s.terminal_id), "unknown"),
            "sales_count": totals.sales_count,
            "sales_total_cents": totals.sales_total_cents,
            "operations": [s.operation_number for s in detail if s.operation_number],
            "kiosk_count": len(payments),
            "kiosk_total_cents": sum(p.amount.cents for p in payments),
        }
        record = book.record(payments, terminal_count=totals.sales_count,
                             terminal_total_cents=totals.sales_total_cents,
                             differences=differences, api_body=body,
                             idempotency_key=str(uuid.uuid4()))
    level = logging.WARNING if differences else logging.INFO
    log.log(level, "daily close %d: terminal %d sales / %d cents, journal %d / %d; "
            "%d differences", record.id, record.terminal_count, record.terminal_total_cents,
            record.kiosk_count, record.kiosk_total_cents, len(differences))
    return record


def _prove_unknown_sales(journal: Journal, detail: list[SaleResult]) -> None:
    """A sale left unknown is proven charged if the batch lists it for our ticket and amount."""
    by_ticket = {sale.ticket: sale for sale in detail if sale.approved}
    for payment in journal.awaiting_staff():
        sale = by_ticket.get(payment.ticket)
        if payment.state is not PaymentState.UNKNOWN or sale is None:
            continue
        if answer_problems(payment, sale):
            continue  # listed, but not as we sold it: staff still decide
        log.warning("ticket %06d: the batch proves it was charged; recorded as paid",
                    payment.ticket)
        journal.record_found_in_batch(
            payment.ticket, authorization_code=str(sale.authorization_code),
            operation_number=str(sale.operation_number), card_type=sale.card_type or "")


def _differences(payments: list[Payment], detail: list[SaleResult], count: int,
                 total_cents: int) -> list[str]:
    """Name every way the terminal's batch and the journal disagree."""
    ours = {p.ticket: p for p in payments}
    theirs = {s.ticket: s for s in detail if s.approved}
    found = [f"ticket {t:06d} ({theirs[t].amount_cents} cents) is in the terminal's batch but "
             f"not in the journal" for t in sorted(set(theirs) - set(ours))]
    found += [f"ticket {t:06d} ({ours[t].amount.cents} cents) is in the journal but not in the "
              f"terminal's batch" for t in sorted(set(ours) - set(theirs))
              if ours[t].state is not PaymentState.DECLINED]
    found += [f"ticket {t:06d}: the terminal has {theirs[t].amount_cents} cents, the journal "
              f"{ours[t].amount.cents}" for t in sorted(set(ours) & set(theirs))
              if theirs[t].amount_cents != ours[t].amount.cents
              and ours[t].state is PaymentState.AUTHORIZED]
    listed_total = sum(s.amount_cents for s in theirs.values())
    if detail and (count, total_cents) != (len(theirs), listed_total):
        found.append(f"the terminal's totals ({count} sales, {total_cents} cents) differ from "
                     f"its own sales detail ({len(theirs)}, {listed_total})")
    return found


async def close_and_report(journal: Journal, book: CloseBook, terminal: PaymentTerminal, *,
                           sync: SyncWorker | None, printer: ReceiptPrinter | None,
                           kiosk: KioskSection, wait_s: float = 10.0) -> CloseRecord:
    """Close the day, give the town hall a moment to compare, then print the report."""
    record = await asyncio.to_thread(close_day, journal, book, terminal)
    if sync is not None and sync.link is not LinkState.OFFLINE:
        sync.wake()
        deadline = time.monotonic() + wait_s
        while record.api_status == "pending" and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            record = await asyncio.to_thread(book.get, record.id)
    report = build_close_report(kiosk, record, issued_at=datetime.now().astimezone(),
                                language=kiosk.default_language)
    attempt = await print_receipt(printer, report, f"daily close {record.id}")
    if not attempt.printed:
        log.warning("daily close %d: the report did not print (%s); it is in the journal",
                    record.id, attempt.problem)
    return record
