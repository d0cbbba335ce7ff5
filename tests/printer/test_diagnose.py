"""`kiosk doctor` lines and the CLI test print, against the simulator."""

from __future__ import annotations

from drivers.printer import diagnose as printer_doctor
from drivers.printer.driver import build_printer
from kiosk.receipts.technician import SPANISH_SAMPLE, TEST_REFERENCE, print_test_receipt
from kiosk.settings import PrinterSection


def test_doctor_reports_a_healthy_printer(printer_settings):
    lines = printer_doctor.diagnose(printer_settings)
    assert [d.part for d in lines] == ["printer profile", "printer link", "printer status"]
    assert all(d.ok for d in lines)
    assert lines[2].summary == "paper ok, cover closed, online yes"


def test_doctor_warns_when_paper_is_low_and_fails_when_out(printer_settings, simulator):
    simulator.faults.set_paper("low")
    status = printer_doctor.diagnose(printer_settings)[2]
    assert not status.ok and not status.required and "paper roll" in status.action
    simulator.faults.set_paper("out")
    status = printer_doctor.diagnose(printer_settings)[2]
    assert not status.ok and status.required and "run out of paper" in status.action
    assert status.line().startswith("[FAIL] printer status: paper out")


def test_doctor_says_when_the_printer_cannot_be_reached(loopback_port):
    settings = PrinterSection(type="network", port=loopback_port, timeout_s=1)
    link = printer_doctor.diagnose(settings)[1]
    assert not link.ok and "cannot reach network 127.0.0.1" in link.summary


def test_doctor_rejects_a_code_page_the_profile_lacks():
    (line,) = printer_doctor.diagnose(PrinterSection(codepage="CP999"))
    assert not line.ok and "CP999" in line.summary


def test_doctor_for_a_kiosk_without_printer():
    (line,) = printer_doctor.diagnose(PrinterSection(type="none", required=False))
    assert not line.ok and not line.required


def test_test_print_from_the_cli_prints_the_sample(printer_settings, simulator):
    attempt = print_test_receipt(printer_settings)
    (job,) = simulator.wait_for_jobs(1)
    assert attempt.printed and attempt.job_id == 1 and job.complete
    assert SPANISH_SAMPLE in job.text and "€" in job.text
    assert [b.data for b in job.barcodes] == [TEST_REFERENCE]


def test_doctor_says_when_no_usb_printer_is_plugged_in():
    settings = PrinterSection(type="usb", usb_vendor=0x04B8, usb_product=0xFFFE)
    link = printer_doctor.diagnose(settings)[1]
    assert not link.ok and "cannot reach usb 04b8:fffe" in link.summary
    assert link.action == "check the cable, power and printer settings"


def test_build_printer_follows_the_configured_type(job_store, printer_settings):
    assert build_printer(PrinterSection(type="none"), job_store) is None
    printer = build_printer(printer_settings, job_store)
    assert printer is not None
    try:
        assert printer.status().detail["paper"] == "ok"
    finally:
        printer.worker.close()
