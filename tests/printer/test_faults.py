"""Each printer fault: nothing is lost, the job is reprintable, the status is right."""

from __future__ import annotations

import logging
import socket
import threading

import pytest

from drivers.base import DeviceState, DeviceStatus
from drivers.printer.base import PrintBlocked, PrintFailed
from kiosk.settings import PrinterSection
from offline_cache.print_jobs import PrintJobState

PAPER_OUT_MESSAGE = "The printer has run out of paper. Please ask a member of staff for help."


@pytest.fixture
def events(printer) -> list[DeviceStatus]:
    seen: list[DeviceStatus] = []
    printer.add_listener(seen.append)
    return seen


def test_paper_out_before_printing_blocks_the_job_with_a_plain_message(
        printer, simulator, typical_receipt, job_store, events, caplog):
    simulator.faults.set_paper("out")
    with caplog.at_level(logging.WARNING), pytest.raises(PrintBlocked) as blocked:
        printer.print_receipt(typical_receipt)

    assert blocked.value.message_key == PAPER_OUT_MESSAGE
    assert simulator.jobs == []  # nothing printed into nothing
    job = job_store.get(blocked.value.job_id)
    assert job.state is PrintJobState.FAILED and job.attempts == 0
    assert events[-1].detail["paper"] == "out" and events[-1].state is DeviceState.USER_ERROR
    assert any("kept for reprint" in r.getMessage() for r in caplog.records)
    assert not any(typical_receipt.reference in r.getMessage() for r in caplog.records)

    simulator.faults.set_paper("ok")
    printer.reprint(job.id)
    (printed,) = simulator.wait_for_jobs(1)
    assert "COPIA" not in printed.text  # it never came out before: this is the original
    assert job_store.get(job.id).state is PrintJobState.PRINTED


def test_paper_running_out_mid_job_keeps_the_job_and_reprints_a_copy(
        printer, simulator, typical_receipt, job_store, events, caplog):
    simulator.faults.paper_out_after(200)
    with caplog.at_level(logging.WARNING), pytest.raises(PrintFailed) as failed:
        printer.print_receipt(typical_receipt)

    (torn,) = simulator.wait_for_jobs(1)
    assert not torn.complete and torn.interrupted == "paper_out"
    job = job_store.get(failed.value.job_id)
    assert job.state is PrintJobState.FAILED and "paper ran out" in (job.error or "")
    assert job.attempts == 1
    assert events[-1].detail["paper"] == "out"
    assert any(r.levelno == logging.WARNING and "kept for reprint" in r.getMessage()
               for r in caplog.records)
    assert job_store.failed() == [job]

    simulator.faults.set_paper("ok")
    printer.reprint(job.id)
    copy = simulator.wait_for_jobs(2)[1]
    assert copy.complete and "COPIA" in copy.lines[0] and "*** COPIA ***" in copy.text
    assert copy.qr_codes == [typical_receipt.verification_url]
    assert job_store.get(job.id).state is PrintJobState.PRINTED
    assert events[-1].detail["paper"] == "ok"


def test_paper_low_still_prints_and_reports_low(printer, simulator, typical_receipt, events):
    simulator.faults.set_paper("low")
    printer.print_receipt(typical_receipt)
    assert simulator.wait_for_jobs(1)[0].complete
    assert events[-1].state is DeviceState.ONLINE and events[-1].detail["paper"] == "low"


def test_cover_open_blocks_the_job_and_closing_it_allows_the_reprint(
        printer, simulator, typical_receipt, job_store, events):
    simulator.faults.set_cover_open(True)
    with pytest.raises(PrintBlocked) as blocked:
        printer.print_receipt(typical_receipt)
    assert "cover is open" in blocked.value.message_key
    assert events[-1].detail["cover"] == "open" and simulator.jobs == []

    simulator.faults.set_cover_open(False)
    printer.reprint(blocked.value.job_id)
    assert simulator.wait_for_jobs(1)[0].complete
    assert events[-1].detail["cover"] == "closed"


def test_slow_printer_receives_the_whole_job(make_printer, printer_settings, simulator,
                                            typical_receipt, job_store):
    simulator.faults.set_slow(4000)  # about 0.25 s for a native-QR receipt
    job_id = make_printer(printer_settings, timeout_s=5).print_receipt(typical_receipt)
    (job,) = simulator.wait_for_jobs(1)
    assert job.complete and job.qr_codes == [typical_receipt.verification_url]
    assert job_store.get(job_id).state is PrintJobState.PRINTED


def test_disconnect_mid_job_fails_the_job_and_the_reprint_reconnects(
        make_printer, printer_settings, simulator, typical_receipt, job_store, caplog):
    printer = make_printer(printer_settings, native_qr=False)  # ~13 kB: several chunks
    events: list[DeviceStatus] = []
    printer.add_listener(events.append)
    simulator.faults.disconnect_after(1024)
    with caplog.at_level(logging.WARNING), pytest.raises(PrintFailed) as failed:
        printer.print_receipt(typical_receipt)

    (torn,) = simulator.wait_for_jobs(1)
    assert not torn.complete and torn.interrupted == "disconnected"
    assert events[-1].state is DeviceState.NO_DEVICE
    assert job_store.get(failed.value.job_id).state is PrintJobState.FAILED

    printer.reprint(failed.value.job_id)
    copy = simulator.wait_for_jobs(2)[1]
    assert copy.complete and "COPIA" in copy.text
    assert events[-1].state is DeviceState.ONLINE


@pytest.mark.parametrize("mode", ["silent", "garbled"])
def test_printer_that_cannot_tell_is_unknown_never_ok_or_out(
        make_printer, printer_settings, simulator, mode):
    simulator.faults.set_status_mode(mode)
    status = make_printer(printer_settings, timeout_s=0.3).status()
    assert status.detail["paper"] == "unknown" and status.detail["cover"] == "unknown"


def test_status_is_answered_in_the_middle_of_a_job(printer_settings, simulator):
    with socket.create_connection(("127.0.0.1", printer_settings.port), timeout=2) as conn:
        conn.sendall(b"\x1b@medio recibo sin cortar\n\x10\x04\x04")
        assert conn.recv(1) == b"\x12"
        simulator.faults.set_paper("low")
        conn.sendall(b"\x10\x04\x04")
        assert conn.recv(1) == b"\x1e"
    assert simulator.wait_for_jobs(1)[0].interrupted == "disconnected"


def test_unreachable_printer_is_no_device_and_its_job_is_kept(
        make_printer, typical_receipt, job_store, loopback_port):
    printer = make_printer(PrinterSection(type="network", port=loopback_port, timeout_s=1))
    assert printer.status().state is DeviceState.NO_DEVICE
    with pytest.raises(PrintFailed) as failed:
        printer.print_receipt(typical_receipt)
    assert job_store.get(failed.value.job_id).state is PrintJobState.FAILED
    assert job_store.get(failed.value.job_id).attempts == 0


def test_status_events_come_from_the_printer_thread_only(printer, simulator):
    threads: list[str] = []
    printer.add_listener(lambda _status: threads.append(threading.current_thread().name))
    simulator.faults.set_paper("low")
    printer.status()
    simulator.faults.set_paper("ok")
    printer.status()
    assert len(threads) == 2 and all(name.startswith("device-printer") for name in threads)


def test_reprint_of_a_printed_receipt_is_marked_as_a_copy(printer, simulator, typical_receipt):
    job_id = printer.print_receipt(typical_receipt)
    printer.reprint(job_id)
    original, copy = simulator.wait_for_jobs(2)
    assert "COPIA" not in original.text and copy.lines[0].strip() == "COPIA"
    assert copy.qr_codes == original.qr_codes


def test_garbage_on_the_line_is_recorded_and_the_next_receipt_still_prints(
        printer, printer_settings, simulator, typical_receipt):
    with socket.create_connection(("127.0.0.1", printer_settings.port), timeout=2) as conn:
        conn.sendall(b"\x1b\x7f\x1d\x99\x07junk\n\x1dV\x00")
        conn.sendall(b"\x10\x04\x01")
        assert conn.recv(1) == b"\x12"  # still answering after the junk
    printer.print_receipt(typical_receipt)
    junk, receipt = simulator.wait_for_jobs(2)
    assert len(junk.errors) == 3 and "unsupported command ESC" in junk.errors[0]
    assert receipt.complete and not receipt.errors


def test_unreachable_printer_is_logged_once_not_on_every_poll(make_printer, loopback_port,
                                                              caplog):
    printer = make_printer(PrinterSection(type="network", port=loopback_port, timeout_s=1))
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            assert printer.status().detail["link"] == "down"
    assert sum("unreachable" in r.getMessage() for r in caplog.records) == 1
