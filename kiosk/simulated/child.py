"""A simulated part run as a program: started, awaited until ready, stopped.

Most parts are modules of this project (``python -m drivers.printer.simulator``) that print
one ready line once they accept work; its ``key=value`` words carry what only the running
part knows (a control port, the terminal's pseudo-terminal). Programs that say nothing
(``pcscd``) are awaited with a probe instead. Output goes to a log file, appended across
restarts of the same part, which every error names.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from kiosk.settings import PROJECT_ROOT
from kiosk.simulated.zygote import AdoptedProcess, Zygote

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 45.0  # a loaded 2-core machine needs many seconds for a cold Python start
STOP_TIMEOUT_S = 10.0


class StackError(RuntimeError):
    """A simulated part did not start."""


class NotReady(StackError):
    """The part runs but never said it was ready (worth one more start)."""


def python_module(name: str, *args: str) -> list[str]:
    """Return the command line running module ``name`` of this project with this Python."""
    return [sys.executable, "-m", name, *args]


def _ready_facts(line: str) -> dict[str, str]:
    """Return the ``key=value`` words of a ready line (e.g. ``control=40123``)."""
    return dict(word.split("=", 1) for word in line.split() if "=" in word)


class ChildProcess:
    """One program of the stack; :meth:`start` may be called again after :meth:`stop`."""

    def __init__(self, name: str, argv: Sequence[str], log_path: Path, *,
                 ready_prefix: str = "", ready_check: Callable[[], bool] | None = None,
                 env: Mapping[str, str] | None = None, zygote: Zygote | None = None) -> None:
        self.name, self.argv, self.log_path = name, list(argv), log_path
        self.ready_prefix, self.ready_check = ready_prefix, ready_check
        self.env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **(env or {})}
        self.zygote = zygote  # forks ``python -m <module>`` warm (argv must be that command)
        self.process: subprocess.Popen[bytes] | AdoptedProcess | None = None

    def start(self, timeout_s: float = READY_TIMEOUT_S) -> dict[str, str]:
        """Start the program and wait until it is ready; return the facts of its ready line."""
        if self.running:
            raise StackError(f"{self.name} is already running")
        log.info("starting %s", self.name)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        restart = self.process is not None  # a new run starts a new log; a restart appends
        seen = self.log_path.stat().st_size if restart and self.log_path.exists() else 0
        with self.log_path.open("ab" if restart else "wb") as output:  # there before we read
            if self.zygote is not None and self.zygote.alive:
                self.process = self.zygote.spawn(self.argv[3:], self.log_path, env=self.env)
            else:
                self.process = subprocess.Popen(self.argv, cwd=PROJECT_ROOT, env=self.env,
                                                stdout=output, stderr=subprocess.STDOUT)
        try:
            return _ready_facts(self._wait_ready(seen, timeout_s))
        except BaseException:
            self.kill()
            raise

    def _wait_ready(self, seen: int, timeout_s: float) -> str:
        assert self.process is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.ready_check is not None and self.ready_check():
                return ""
            if self.ready_prefix:
                with self.log_path.open("rb") as output:
                    output.seek(seen)
                    for raw in output.read().decode("utf-8", "replace").splitlines():
                        if raw.startswith(self.ready_prefix):
                            return raw
            if self.process.poll() is not None:
                raise StackError(f"{self.name} exited with code {self.process.returncode}; "
                                 f"see {self.log_path}{self._log_tail(seen)}")
            time.sleep(0.05)
        raise NotReady(f"{self.name} was not ready within {timeout_s:.0f} s; "
                         f"see {self.log_path}{self._log_tail(seen)}")

    def _log_tail(self, seen: int, lines: int = 8) -> str:
        """The last lines this run wrote, so the error says why without the (temporary) file."""
        try:
            with self.log_path.open("rb") as output:
                output.seek(seen)
                tail = output.read().decode("utf-8", "replace").splitlines()[-lines:]
        except OSError:
            return ""
        return "".join(f"\n  | {line}" for line in tail)

    @property
    def running(self) -> bool:
        """Tell whether the program was started and has not ended."""
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Ask the program to end (SIGTERM), as a shutdown would; kill it if it lingers."""
        if self.running:
            assert self.process is not None
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop; killed", self.name)
                self.kill()

    def kill(self) -> None:
        """End the program at once (SIGKILL), like a crash or a power cut."""
        if self.running:
            assert self.process is not None
            self.process.kill()
            self.process.wait()
