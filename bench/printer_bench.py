"""How many bytes a typical receipt costs, and how long it takes on a serial line.

Variants: native QR + native Code128 (GS ( k / GS k), image QR + native barcode, image QR +
image barcode (GS v 0 raster), and python-escpos's own image QR (``qr(native=False,
center=True)``, which pads the image to the full paper width) as the named alternative.

Transmission time is computed from the bytes at 10 bits per byte (8N1), and measured end to
end: the driver prints through python-escpos Serial over a socat pseudo-terminal pair to the
simulator, which reads at baud/10 bytes per second (a pty itself ignores the baud rate, so the
simulator emulates the UART). The measured time includes the status queries before and after
the job. Run: ``python -m bench.printer_bench [--no-measure] [--bauds 9600,115200]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from escpos.printer import Dummy
from sqlite_utils import Database

from drivers.printer.driver import EscposReceiptPrinter, receipt_bytes
from drivers.printer.layout import QrBlock, layout
from drivers.printer.profile import profile_from_settings
from drivers.printer.receipt import Receipt, ReceiptHeader, ReceiptLine
from drivers.printer.simulator import PrinterSimulator
from drivers.worker import DeviceWorker
from kiosk.receipts.verification import verification_url
from kiosk.settings import PrinterSection
from offline_cache.print_jobs import PrintJobStore
from rig.serial_pty import open_serial_pair

VARIANTS = {  # name: (native QR, native barcode)
    "native QR + native barcode": (True, True),
    "image QR + native barcode": (False, True),
    "image QR + image barcode": (False, False),
}


def typical_receipt() -> Receipt:
    """Two bills, offline status, QR and barcode: what most citizens take home."""
    reference = "PAG-2026-000123"
    return Receipt(
        header=ReceiptHeader("Municipalidad de Villa Esperanza", "kiosk-demo-01",
                             datetime(2026, 11, 21, 20, 15), "Comprobante de pago"),
        lines=(ReceiptLine("Impuesto predial 2026, 1ª cuota", 12_345_00, "Rol 123-45"),
               ReceiptLine("Consumo de agua potable, octubre", 8_990_00)),
        reference=reference,
        verification_url=verification_url("https://tramites.villaesperanza.gob/verificar",
                                          reference),
        status_text="Pendiente de confirmación",
        footer=("¡Gracias por usar el kiosco municipal!",),
    )


def escpos_own_image_qr_bytes(receipt: Receipt) -> int:
    """Bytes of the same receipt with python-escpos's qr(native=False, center=True)."""
    base = PrinterSection(native_qr=True, native_barcode=True)
    native_qr = Dummy(profile=base.profile)
    native_qr.qr(receipt.verification_url, size=6, native=True)
    theirs = Dummy(profile=base.profile)
    theirs.qr(receipt.verification_url, size=6, native=False, center=True)
    ours = len(receipt_bytes(receipt, profile_from_settings(base)))
    return ours - len(native_qr.output) + len(theirs.output)


def measure(receipt: Receipt, settings: PrinterSection, baud: int) -> float:
    """Seconds for print_receipt over a pty pair with the simulator reading at baud/10 B/s."""
    with tempfile.TemporaryDirectory() as tmp, PrinterSimulator() as sim:
        pair = open_serial_pair(Path(tmp))
        worker = DeviceWorker("printer-bench")
        try:
            sim.faults.set_slow(baud / 10)
            sim.attach_serial(pair.device_end, baud)
            link = settings.model_copy(update={"type": "serial", "device": pair.kiosk_end,
                                               "baudrate": baud, "timeout_s": 120})
            printer = EscposReceiptPrinter(link, profile_from_settings(link),
                                           PrintJobStore(Database(memory=True)), worker)
            started = time.perf_counter()
            printer.print_receipt(receipt)
            elapsed = time.perf_counter() - started
            sim.wait_for_jobs(1)
            return elapsed
        finally:
            worker.close()
            sim.close()
            pair.unplug()


def main(argv: list[str] | None = None) -> None:
    """Print bytes per receipt and transmission times for each variant."""
    parser = argparse.ArgumentParser(prog="python -m bench.printer_bench")
    parser.add_argument("--no-measure", action="store_true", help="computed figures only")
    parser.add_argument("--bauds", default="9600,115200")
    args = parser.parse_args(argv or [])  # `python -m bench` calls main() with its own argv
    bauds = [int(b) for b in args.bauds.split(",")]
    receipt = typical_receipt()
    assert any(isinstance(b, QrBlock) for b in layout(receipt, 42))

    rows: list[tuple[str, int, PrinterSection]] = []
    for name, (native_qr, native_barcode) in VARIANTS.items():
        settings = PrinterSection(native_qr=native_qr, native_barcode=native_barcode)
        rows.append((name, len(receipt_bytes(receipt, profile_from_settings(settings))),
                     settings))
    print(f"typical receipt ({len(layout(receipt, 42))} layout blocks, 42 columns, 512 dots)")
    header = "".join(f"{f'{b} baud':>16}" for b in bauds)
    print(f"{'variant':<34}{'bytes':>8}{header}")
    for name, size, _ in rows:
        times = "".join(f"{size * 10 / b:>15.2f}s" for b in bauds)
        print(f"{name:<34}{size:>8}{times}")
    alt = escpos_own_image_qr_bytes(receipt)
    times = "".join(f"{alt * 10 / b:>15.2f}s" for b in bauds)
    print(f"{'alt: python-escpos image QR':<34}{alt:>8}{times}")
    native = rows[0][1]
    print(f"image QR costs {rows[1][1] / native:.1f}x the bytes of native QR; "
          f"python-escpos's centred image QR {alt / native:.1f}x")
    if args.no_measure:
        return
    print("measured: driver -> python-escpos Serial -> socat pty -> simulator at baud/10 B/s")
    for name, size, settings in rows[:2]:
        for baud in bauds:
            seconds = measure(replace(receipt), settings, baud)
            print(f"  {name:<32} {baud:>6} baud: {seconds:6.2f}s measured, "
                  f"{size * 10 / baud:6.2f}s computed")


if __name__ == "__main__":
    main(sys.argv[1:])
