"""The background jobs' one loop: a bad round never ends the job, wake runs it early."""

from __future__ import annotations

import logging
import threading

import pytest

from kiosk.periodic import PeriodicJob


def test_a_failed_round_is_logged_and_the_next_round_comes(
        caplog: pytest.LogCaptureFixture) -> None:
    rounds: list[int] = []
    second = threading.Event()

    def round_() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise RuntimeError("the API answered nonsense")
        second.set()

    job = PeriodicJob("test-job", 0.01, round_)
    with caplog.at_level(logging.ERROR, logger="kiosk.periodic"):
        job.start()
        assert second.wait(5)
        job.stop()
    assert "test-job round failed" in caplog.text
    assert not any(
        thread.name == "test-job" for thread in threading.enumerate())


def test_wake_runs_the_next_round_before_the_interval() -> None:
    ran = threading.Event()
    job = PeriodicJob("test-wake", 3600, ran.set, at_start=False)
    job.start()
    assert not ran.wait(0.2)  # at_start=False: the first round waits for the interval
    job.wake()
    assert ran.wait(5)
    job.stop()


def test_start_twice_runs_one_thread_and_stop_is_idempotent() -> None:
    job = PeriodicJob("test-once", 3600, lambda: None)
    job.start()
    job.start()
    assert sum(thread.name == "test-once" for thread in threading.enumerate()) == 1
    job.stop()
    job.stop()
    assert not any(thread.name == "test-once" for thread in threading.enumerate())
