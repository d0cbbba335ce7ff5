"""The one print path: every receipt reaches paper here, or says why it did not.

A printer that fails is not an error for the citizen: the caller shows the receipt on
screen (its QR code can be photographed) and keeps the job id, so the same job can be
printed again once the paper is back. The driver hops to its own device thread inside its
methods; this module only keeps the blocking call off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from drivers.base import DriverError
from drivers.printer.base import PrintBlocked, PrintFailed, ReceiptPrinter
from drivers.printer.receipt import Receipt

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintAttempt:
    """Whether the receipt reached paper, its print job (for a reprint), and why not."""

    printed: bool
    job_id: int | None = None
    problem: str = ""  # technician words, nothing personal


async def print_receipt(printer: ReceiptPrinter | None, receipt: Receipt, what: str, *,
                        reprint_of: int | None = None) -> PrintAttempt:
    """Print ``receipt`` (or stored job ``reprint_of``); ``what`` names it in the log."""
    if printer is None:
        return PrintAttempt(False, reprint_of, "no printer configured")
    try:
        if reprint_of is None:
            job_id = await asyncio.to_thread(printer.print_receipt, receipt)
        else:
            job_id = await asyncio.to_thread(printer.reprint, reprint_of)
    except (PrintBlocked, PrintFailed) as err:
        log.warning("%s: receipt job %d not printed: %s", what, err.job_id, err)
        return PrintAttempt(False, err.job_id, str(err))
    except DriverError as err:
        log.warning("%s: printer failed: %s", what, err)
        return PrintAttempt(False, reprint_of, str(err))
    return PrintAttempt(True, job_id)
