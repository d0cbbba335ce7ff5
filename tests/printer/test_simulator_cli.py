"""The simulator as a process on TCP: plain python-escpos prints to it; faults over loopback."""

from __future__ import annotations

import socket

import zxingcpp
from escpos.printer import Network
from PIL import Image

from drivers.printer.simulator.control import send_command
from tests.printer.simulator_process import jobs, simulator_process


def test_python_escpos_network_printer_prints_to_the_simulator_process(tmp_path):
    with simulator_process("--port", "0", "--control-port", "0") as ready:
        port, control = int(ready["port"]), int(ready["control"])
        printer = Network("127.0.0.1", port, timeout=5, profile="TM-T20II")
        printer.open()
        printer.charcode("CP858")
        printer.textln("Año nuevo: ¡feliz 2027! ¿Sí? 12,50 €")
        printer.qr("https://example.gob/v/ABC", native=True, size=5)
        printer.barcode("{BREF-42", "CODE128", function_type="B")
        printer.cut()
        printer.close()

        (job,) = jobs(control, at_least=1)
        assert "Año nuevo: ¡feliz 2027! ¿Sí? 12,50 €" in job["lines"]
        assert job["qr"] == ["https://example.gob/v/ABC"] and job["barcodes"] == ["REF-42"]

        png = tmp_path / "job.png"
        assert send_command(control, f"render 1 {png}") == "ok"
        texts = sorted(r.text for r in zxingcpp.read_barcodes(Image.open(png)))
        assert texts == ["REF-42", "https://example.gob/v/ABC"]


def test_cover_open_over_the_control_channel_changes_the_status_byte():
    with simulator_process("--port", "0", "--control-port", "0") as ready:
        port, control = int(ready["port"]), int(ready["control"])
        assert send_command(control, "cover open") == "ok"
        with socket.create_connection(("127.0.0.1", port), timeout=3) as conn:
            conn.sendall(b"\x10\x04\x02")
            assert conn.recv(1)[0] & 0x04  # offline cause: cover open
