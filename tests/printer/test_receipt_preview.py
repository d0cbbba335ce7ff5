"""The on-screen preview shows the same receipt: text, scannable QR and barcode."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import zxingcpp
from PIL import Image

from tests.printer.simulator_process import PROJECT_ROOT


@pytest.mark.ui
def test_preview_shows_the_receipt_with_a_scannable_qr(artifacts_dir, typical_receipt):
    png = artifacts_dir / "receipt-preview.png"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "KIVY_NO_ARGS": "1",
           "KIVY_NO_CONSOLELOG": "1"}
    result = subprocess.run([sys.executable, "-m", "tests.printer.preview_app", str(png)],
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                            timeout=60, check=True)
    shown = json.loads(result.stdout.strip().splitlines()[-1])

    assert "PENDIENTE DE CONFIRMACIÓN" in [t.strip() for t in shown["labels"]]
    assert any("Pasaje Ñandú" in t for t in shown["labels"])
    assert shown["symbols"] == 2
    found = {r.format.name: r.text for r in zxingcpp.read_barcodes(Image.open(png))}
    assert found == {"QRCode": typical_receipt.verification_url,
                     "Code128": typical_receipt.reference}
