"""A simulated part that fails to start says why in the error itself, not only in its log."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kiosk.simulated.child import ChildProcess, NotReady, StackError


def test_a_part_that_exits_early_puts_its_last_words_in_the_error(tmp_path: Path) -> None:
    script = "print('bind: Address already in use'); raise SystemExit(3)"
    child = ChildProcess("flaky part", [sys.executable, "-c", script], tmp_path / "part.log",
                         ready_prefix="READY")
    with pytest.raises(StackError) as error:
        child.start(timeout_s=20)
    assert "exited with code 3" in str(error.value)
    assert "| bind: Address already in use" in str(error.value)


def test_a_part_that_never_gets_ready_is_killed_and_its_output_shown(tmp_path: Path) -> None:
    script = "import time; print('waiting for the driver', flush=True); time.sleep(60)"
    child = ChildProcess("silent part", [sys.executable, "-c", script], tmp_path / "part.log",
                         ready_check=lambda: False)
    with pytest.raises(NotReady) as error:  # the kind a caller may start once more
        child.start(timeout_s=3)
    assert "not ready within 3 s" in str(error.value)
    assert "| waiting for the driver" in str(error.value)
    assert not child.running
