"""Put a receipt on paper on the printer's own thread; a printer that fails is not an error.

Requests and status slips print the same way (payments add journal steps of their own in
:mod:`kiosk.services.pay_bills`): the caller shows the receipt on screen when it did not
reach paper, so the citizen always leaves with it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import cast

from drivers.base import DriverError
from drivers.printer.base import PrintBlocked, PrintFailed, ReceiptPrinter
from drivers.printer.receipt import Receipt
from kiosk.services.pay_bills import PrinterWithWorker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintAttempt:
    """Whether the receipt reached paper, and its print job (for a reprint) if one exists."""

    printed: bool
    job_id: int | None = None


async def print_on(printer: ReceiptPrinter | None, receipt: Receipt, what: str) -> PrintAttempt:
    """Print ``receipt``; ``what`` names it in the technicians' log (nothing personal)."""
    if printer is None:
        return PrintAttempt(False)
    worker = cast(PrinterWithWorker, printer).worker  # the driver's own thread
    try:
        job_id = await worker.run(printer.print_receipt, receipt)
    except (PrintBlocked, PrintFailed) as err:
        log.warning("%s: receipt job %d not printed: %s", what, err.job_id, err)
        return PrintAttempt(False, err.job_id)
    except DriverError as err:
        log.warning("%s: printer failed: %s", what, err)
        return PrintAttempt(False)
    return PrintAttempt(True, job_id)
