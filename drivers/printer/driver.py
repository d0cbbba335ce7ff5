"""The ESC/POS receipt printer: status before every job, durable jobs, reprints.

All printer I/O runs on the printer's own :class:`drivers.worker.DeviceWorker`; the job store
is used on the caller's thread. A connection is opened per operation, so a printer that was
switched off or unplugged is found again on the next job without any reset.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from escpos.printer import Dummy

from common.diagnosis import Diagnosis
from drivers.base import DeviceListener, DeviceStatus, DriverError
from drivers.printer.base import PrintBlocked, PrintFailed
from drivers.printer.config import PrinterSection
from drivers.printer.connection import PrinterConnection, describe, query_status
from drivers.printer.escpos_render import render_receipt
from drivers.printer.jobs import JobRecords
from drivers.printer.profile import PrinterProfile, profile_from_settings
from drivers.printer.receipt import Receipt
from drivers.printer.status import PrinterStatus, status_diagnosis
from drivers.worker import DeviceWorker

log = logging.getLogger(__name__)


def receipt_bytes(receipt: Receipt, profile: PrinterProfile) -> bytes:
    """Render a receipt to the exact bytes sent to the printer."""
    dummy = Dummy(profile=profile.escpos_profile)
    render_receipt(dummy, receipt, profile)
    data: bytes = dummy.output
    return data


@dataclass
class _Attempt:
    """Filled in on the printer thread: did any byte of the job leave for the printer?"""

    sent: bool = False


class EscposReceiptPrinter:
    """A python-escpos printer (network, serial, usb or file) with a job store."""

    def __init__(self, settings: PrinterSection, profile: PrinterProfile,
                 jobs: JobRecords, worker: DeviceWorker | None = None) -> None:
        self.settings, self.profile, self.jobs = settings, profile, jobs
        self.worker = worker or DeviceWorker("printer")
        self._listeners: list[DeviceListener] = []
        self._last: DeviceStatus | None = None

    # ---- status --------------------------------------------------------------------------
    def add_listener(self, listener: DeviceListener) -> None:
        """Be told of every status change (called on the printer's thread)."""
        self._listeners.append(listener)

    def _publish(self, status: DeviceStatus) -> DeviceStatus:
        if status != self._last:
            self._last = status
            for listener in list(self._listeners):
                listener(status)
        return status

    def status(self) -> DeviceStatus:
        """Ask the printer now and publish the answer if it changed."""
        return self.worker.call(self._status_on_worker)

    def _status_on_worker(self) -> DeviceStatus:
        try:
            printer = self._ask_on_worker()
        except DriverError:
            return self._publish(PrinterStatus.unreachable().device_status(reachable=False))
        return self._publish(printer.device_status())

    def _ask_on_worker(self) -> PrinterStatus:
        """Open a link just to ask DLE EOT; raises DeviceUnavailable (logged on change)."""
        try:
            with PrinterConnection(self.settings, self.profile) as conn:
                return query_status(conn, self.settings.timeout_s)
        except DriverError as err:
            if self._last is None or self._last.detail.get("link") != "down":
                log.warning("printer %s unreachable: %s", describe(self.settings), err)
            raise

    # ---- printing ------------------------------------------------------------------------
    def print_receipt(self, receipt: Receipt) -> int:
        """Store the job, check the printer, print; raises PrintBlocked or PrintFailed."""
        job = self.jobs.add(receipt.to_json())
        self._run_job(job.id, receipt)
        return job.id

    def reprint(self, job_id: int) -> int:
        """Print a stored job again, as a copy if any earlier attempt reached the printer."""
        job = self.jobs.get(job_id)
        receipt = Receipt.from_json(job.receipt_json)
        self._run_job(job_id, receipt.as_copy() if job.attempts else receipt)
        return job_id

    def diagnose(self) -> list[Diagnosis]:
        """Check the link and the printer's status, one line each."""
        return self.worker.call(self._diagnose_on_worker)

    def close(self) -> None:
        """Release the printer's device thread (after queued jobs finish)."""
        self.worker.close()

    def _diagnose_on_worker(self) -> list[Diagnosis]:
        where = describe(self.settings)
        try:
            printer = self._ask_on_worker()
        except DriverError as err:
            self._publish(PrinterStatus.unreachable().device_status(reachable=False))
            reason = " ".join(str(err).split())  # library messages span several lines
            return [Diagnosis("printer link", False, f"cannot reach {where} ({reason})",
                              "check the cable, power and printer settings",
                              self.settings.required)]
        self._publish(printer.device_status())
        return [Diagnosis("printer link", True, f"connected to {where}",
                          required=self.settings.required),
                status_diagnosis(printer, self.settings.required)]

    def _run_job(self, job_id: int, receipt: Receipt) -> None:
        data = receipt_bytes(receipt, self.profile)
        attempt = _Attempt()
        try:
            before, after = self.worker.call(self._send_on_worker, job_id, data, attempt)
        except PrintBlocked as err:
            self._fail(job_id, f"blocked before printing: {err}")
            raise
        except DriverError as err:
            self._count(job_id, attempt)
            self._fail(job_id, f"link failed: {err}")
            raise PrintFailed(f"print job {job_id} failed: {err}", job_id) from err
        self._count(job_id, attempt)
        problem = _problem_after_job(before, after)
        if problem is not None:
            self._fail(job_id, problem)
            raise PrintFailed(f"print job {job_id}: {problem}", job_id)
        self.jobs.mark_printed(job_id)

    def _count(self, job_id: int, attempt: _Attempt) -> None:
        if attempt.sent:
            self.jobs.record_sent(job_id)

    def _send_on_worker(self, job_id: int, data: bytes,
                        attempt: _Attempt) -> tuple[PrinterStatus, PrinterStatus]:
        try:
            with PrinterConnection(self.settings, self.profile) as conn:
                before = query_status(conn, self.settings.timeout_s)
                self._publish(before.device_status())
                message = before.blocking_message()
                if message is not None:
                    raise PrintBlocked(f"printer not ready: paper={before.paper} "
                                       f"cover={before.cover_open}", message, job_id)
                attempt.sent = True
                conn.write(data)
                after = query_status(conn, self.settings.timeout_s)
        except PrintBlocked:
            raise
        except DriverError:
            self._publish(PrinterStatus.unreachable().device_status(reachable=False))
            raise
        self._publish(after.device_status())
        return before, after

    def _fail(self, job_id: int, reason: str) -> None:
        self.jobs.mark_failed(job_id, reason)
        log.warning("technician: print job %d kept for reprint (%s) on %s", job_id, reason,
                    describe(self.settings))



def _problem_after_job(before: PrinterStatus, after: PrinterStatus) -> str | None:
    """Say why a sent job may not have come out (None: it did, as far as anyone can tell).

    A printer that answered before the job but not after it has lost the bytes or the line:
    the job counts as failed (a reprint is a harmless copy, a missing receipt is not). A
    printer that never answers (file, silent models) cannot confirm anything: printed.
    """
    fault = after.fault()
    if fault is not None:
        return f"{fault.value} during the job"
    if before.answered and not after.answered:
        return "no status answer after the job; outcome unknown"
    return None


def build_printer(settings: PrinterSection, jobs: JobRecords,
                  worker: DeviceWorker | None = None) -> EscposReceiptPrinter | None:
    """Build the configured printer (None for ``type = "none"``); raises ProfileError."""
    if settings.type == "none":
        return None
    return EscposReceiptPrinter(settings, profile_from_settings(settings), jobs, worker)
