"""Look at a journey's screen as a reviewer would: visual rules checked, screenshot saved.

Shared by the journey UI tests: ``look`` saves ``artifacts/<name>.png`` and fails on any
visual-rule problem; ``look_both`` does it in Spanish, then in English (checking that what
the screen said is said again in English), and comes back to Spanish; ``ocr`` reads a
screenshot's text as a person would.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from drivers.printer.simulator.job import Job
from drivers.printer.simulator.render import render_job
from kiosk.settings import load_settings
from rig.harness import KioskUI
from tests.ui.test_visual_rules import _problems


def look(ui: KioskUI, name: str, artifacts_dir: Path) -> Path:
    """Save ``artifacts/<name>.png`` and fail on any visual-rule problem it shows."""
    shot = artifacts_dir / f"{name}.png"
    problems = _problems(ui, name, load_settings(ui.config).display.dpi, shot)
    assert not problems, "\n".join(problems)
    return shot


def symbols_in(image: Image.Image) -> dict[str, list[str]]:
    """Decode every QR code and barcode in an image (zxing-cpp), by format name."""
    found: dict[str, list[str]] = {}
    for result in zxingcpp.read_barcodes(image):
        found.setdefault(result.format.name, []).append(result.text)
    return found


def symbols(job: Job) -> dict[str, list[str]]:
    """Decode the QR code and the barcode from the paper a printer job rendered to."""
    return symbols_in(render_job(job))


def texts(ui: KioskUI) -> str:
    """Every text on the window now, one per line."""
    return "\n".join(ui.call("texts"))


def look_both(ui: KioskUI, name: str, artifacts_dir: Path, english: str = "") -> None:
    """Check and save the screen in Spanish, then in English, and come back to Spanish."""
    look(ui, f"{name}-es-portrait", artifacts_dir)
    ui.tap("language")
    ui.wait_until(lambda: ui.call("session_state")["language"] == "en", "English")
    # what the screen said is said again in English
    ui.wait_until(lambda: english in texts(ui), f"{name} in English")
    look(ui, f"{name}-en-portrait", artifacts_dir)
    ui.tap("language")
    ui.wait_until(lambda: ui.call("session_state")["language"] == "es", "Spanish")


def ocr(image: Path, language: str) -> str:
    """Read the text in a screenshot with Tesseract (what a person would read)."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        pytest.fail("tesseract is not installed (make test installs tesseract-ocr)")
    lang = {"es": "spa", "en": "eng"}[language]
    result = subprocess.run([tesseract, str(image), "stdout", "-l", lang],
                            capture_output=True, text=True, timeout=60, check=True)
    return " ".join(result.stdout.split())
