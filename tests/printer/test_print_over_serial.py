"""Acceptance over a serial line: the simulator on one end of a socat pseudo-terminal pair,
the driver (python-escpos Serial) on the other, faults injected over the control channel.
"""

from __future__ import annotations

import pytest

from drivers.base import DeviceState
from drivers.printer.base import PrintBlocked, PrintFailed
from drivers.printer.simulator.control import send_command
from kiosk.settings import PrinterSection
from offline_cache.print_jobs import PrintJobState
from tests.printer.simulator_process import jobs, simulator_process


def test_receipt_prints_over_a_serial_line(serial_pair, make_printer, typical_receipt, tmp_path):
    with simulator_process("--serial", serial_pair.device_end, "--control-port", "0",
                           "--png-dir", str(tmp_path)) as ready:
        control = int(ready["control"])
        settings = PrinterSection(type="serial", device=serial_pair.kiosk_end,
                                  baudrate=115200, timeout_s=2)
        printer = make_printer(settings)
        assert printer.status().detail["paper"] == "ok"
        printer.print_receipt(typical_receipt)

        (job,) = jobs(control)
        assert job["complete"] and job["qr"] == [typical_receipt.verification_url]
        assert job["barcodes"] == [typical_receipt.reference]
        lines = [line.strip() for line in job["lines"]]
        assert "Rol 123-45, Pasaje Ñandú" in lines and "PENDIENTE DE CONFIRMACIÓN" in lines
        assert (tmp_path / "job-0001.png").stat().st_size > 10_000

        assert send_command(control, "paper out") == "ok"
        with pytest.raises(PrintBlocked, match="paper=out"):
            printer.print_receipt(typical_receipt)
        assert len(jobs(control)) == 1
        assert printer.status().detail["paper"] == "out"


def test_control_channel_rejects_nonsense(serial_pair):
    with simulator_process("--serial", serial_pair.device_end, "--control-port", "0") as ready:
        control = int(ready["control"])
        assert send_command(control, "paper soggy").startswith("error ")
        assert send_command(control, "launch rockets").startswith("error unknown command")
        assert send_command(control, "render 9 /tmp/x.png") == "error no such job"


@pytest.mark.parametrize("flow_control", ["dsrdtr", "rtscts", "none"])
def test_unplugged_serial_cable_is_no_device_and_the_job_is_kept(
        serial_pair, simulator, make_printer, typical_receipt, job_store, flow_control):
    simulator.attach_serial(serial_pair.device_end)
    settings = PrinterSection(type="serial", device=serial_pair.kiosk_end, timeout_s=1,
                              flow_control=flow_control)
    printer = make_printer(settings)
    printer.print_receipt(typical_receipt)
    assert simulator.wait_for_jobs(1)[0].complete

    serial_pair.unplug()
    assert printer.status().state is DeviceState.NO_DEVICE
    with pytest.raises(PrintFailed) as failed:
        printer.print_receipt(typical_receipt)
    kept = job_store.get(failed.value.job_id)
    assert kept.state is PrintJobState.FAILED and kept.attempts == 0


def test_serial_line_dropping_mid_job_fails_it_and_the_reprint_comes_out(
        serial_pair, simulator, make_printer, typical_receipt, job_store):
    simulator.attach_serial(serial_pair.device_end)
    printer = make_printer(PrinterSection(type="serial", device=serial_pair.kiosk_end,
                                          timeout_s=1, native_qr=False))
    simulator.faults.disconnect_after(2000)
    with pytest.raises(PrintFailed) as failed:
        printer.print_receipt(typical_receipt)
    (torn,) = simulator.wait_for_jobs(1)
    assert torn.interrupted == "disconnected"
    assert job_store.get(failed.value.job_id).state is PrintJobState.FAILED

    printer.reprint(failed.value.job_id)
    copy = simulator.wait_for_jobs(2)[1]
    assert copy.complete and "COPIA" in copy.text
