"""UI tests need an X display (fixtures: tests/fixtures/ui.py)."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.ui


@pytest.fixture(autouse=True)
def _needs_display() -> None:
    if not os.environ.get("DISPLAY"):
        pytest.fail("UI tests need an X display: install Xvfb (`make test` does) so that "
                    "pytest-xvfb can start one")
