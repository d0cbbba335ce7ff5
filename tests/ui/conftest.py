"""UI fixtures: the real app in its own process under the Xvfb display."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.rig.config import write_config
from tests.ui.catalog import demo_catalog, seed_catalog
from tests.ui.harness import KioskUI

pytestmark = pytest.mark.ui


@pytest.fixture(autouse=True)
def _needs_display() -> None:
    if not os.environ.get("DISPLAY"):
        pytest.fail("UI tests need an X display: install Xvfb (`make test` does) so that "
                    "pytest-xvfb can start one")


@pytest.fixture
def start_ui(tmp_path: Path) -> Iterator[Callable[..., KioskUI]]:
    """Start the kiosk app with demo settings plus overrides; stopped after the test."""
    started: list[KioskUI] = []

    def start(overrides: dict[str, Any] | None = None, *, catalog: bool = True) -> KioskUI:
        config = write_config(tmp_path, overrides, name=f"ui-{len(started)}.toml")
        if catalog and not started:
            seed_catalog(tmp_path / "data", demo_catalog())
        ui = KioskUI(config, tmp_path / f"app-{len(started)}.log").__enter__()
        started.append(ui)
        return ui

    yield start
    for ui in started:
        ui.__exit__(None, None, None)


def ocr(image: Path, language: str) -> str:
    """Read the text in a screenshot with Tesseract (what a person would read)."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        pytest.fail("tesseract is not installed (make test installs tesseract-ocr)")
    lang = {"es": "spa", "en": "eng"}[language]
    result = subprocess.run([tesseract, str(image), "stdout", "-l", lang],
                            capture_output=True, text=True, timeout=60, check=True)
    return " ".join(result.stdout.split())


PORTRAIT = {"display": {"width": 1080, "height": 1920}}
LANDSCAPE = {"display": {"width": 1920, "height": 1080}}
