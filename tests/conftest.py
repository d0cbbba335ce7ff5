"""Test session set-up; the shared fixtures are plain modules in tests/fixtures/."""

from __future__ import annotations

import logging
import os

import pytest

from kiosk.simulated.pcsc import claim_pcsc_home
from kiosk.simulated.zygote import ENABLE_ENV

pytest_plugins = [
    "tests.fixtures.stacks",
    "tests.fixtures.eid",
    "tests.fixtures.terminal",
    "tests.fixtures.printer",
    "tests.fixtures.pay_rig",
    "tests.fixtures.ui",
]


def pytest_configure(config: pytest.Config) -> None:
    """Point this process's PC/SC clients at its own pcscd before any of them connects.

    Each pytest-xdist worker is a process of its own, so each gets its own daemon socket
    and vpcd port (kiosk/simulated/pcsc.py); apps and tools the tests start inherit them.
    """
    claim_pcsc_home()
    # The reference API starts ~130 times a session: fork it from a warm process
    # (kiosk/simulated/zygote.py) instead of importing FastAPI each time.
    os.environ.setdefault(ENABLE_ENV, "1")
    # pytest-xvfb stops its display at exit, after pytest closed the streams its debug lines
    # would go to ("--- Logging error ---" ten times at the end of every run).
    logging.getLogger("pyvirtualdisplay").setLevel(logging.INFO)
