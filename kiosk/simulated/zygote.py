"""A warm Python process that forks parts of the stack with their imports already done.

A cold start of the reference API spends 0.8 s of its 1 s importing FastAPI, uvicorn and
pydantic, and a test session starts it about 130 times. The zygote imports a module once;
each start forks it and runs the module's ``__main__`` in the fork, which is then a process
of its own (own pid, log file, environment, sockets), stopped and killed like any other.

The fork forks again and exits, so the program is re-parented to the process that asked
for it, which marks itself a child subreaper (Linux ``prctl``): it waits for the program
like for any child (:class:`AdoptedProcess`), and nothing is left as a zombie.
"""

from __future__ import annotations

import atexit
import ctypes
import importlib
import json
import os
import runpy
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from kiosk.settings import PROJECT_ROOT

PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h
ENABLE_ENV = "KIOSK_STACK_ZYGOTE"  # "1": parts that can start from a zygote do (tests set it)


class ZygoteError(RuntimeError):
    """The zygote is gone or answered nonsense."""


class AdoptedProcess:
    """The part of ``subprocess.Popen`` that ChildProcess uses, for an adopted program."""

    def __init__(self, pid: int, args: Sequence[str]) -> None:
        self.pid, self.args = pid, list(args)
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(self.args, timeout or 0.0)
            time.sleep(0.01)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class Zygote:
    """One warm process per module, for this process (see :func:`zygote_for`)."""

    def __init__(self, module: str) -> None:
        self.module = module
        self._lock = threading.Lock()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "kiosk.simulated.zygote", module], cwd=PROJECT_ROOT,
            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True)

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def spawn(self, args: Sequence[str], log_path: Path, *,
              env: Mapping[str, str]) -> AdoptedProcess:
        """Run ``python -m <module> *args`` as a fork, its output appended to ``log_path``."""
        request = {"args": list(args), "log": str(log_path), "env": dict(env),
                   "cwd": str(PROJECT_ROOT)}
        assert self._process.stdin is not None and self._process.stdout is not None
        with self._lock:
            try:
                self._process.stdin.write(json.dumps(request) + "\n")
                self._process.stdin.flush()
                answer = self._process.stdout.readline()
            except OSError as err:
                raise ZygoteError(f"the {self.module} zygote is gone: {err}") from err
        if not answer:
            raise ZygoteError(f"the {self.module} zygote exited ({self._process.poll()})")
        return AdoptedProcess(int(json.loads(answer)["pid"]), [self.module, *args])

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()


_zygotes: dict[tuple[int, str], Zygote] = {}


def zygote_for(module: str) -> Zygote | None:
    """This process's zygote for ``module`` when ``KIOSK_STACK_ZYGOTE=1``, else None."""
    if os.environ.get(ENABLE_ENV) != "1" or not sys.platform.startswith("linux"):
        return None
    key = (os.getpid(), module)
    zygote = _zygotes.get(key)
    if zygote is None or not zygote.alive:
        if not _zygotes:
            _become_subreaper()
            atexit.register(_close_all)
        zygote = _zygotes[key] = Zygote(module)
    return zygote


def _become_subreaper() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise ZygoteError(f"prctl(PR_SET_CHILD_SUBREAPER): errno {ctypes.get_errno()}")


def _close_all() -> None:
    for key, zygote in list(_zygotes.items()):
        if key[0] == os.getpid():
            zygote.close()


# -- the zygote's side ------------------------------------------------------------------
def _run_fork(module: str, request: dict[str, object]) -> None:
    """In the grandchild: become the program, then exit with its code."""
    code = 1
    try:
        log_fd = os.open(str(request["log"]), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        null_fd = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null_fd, 0)
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        os.close(null_fd)
        os.close(log_fd)
        os.chdir(str(request["cwd"]))
        env = request["env"]
        assert isinstance(env, dict)
        os.environ.clear()
        os.environ.update(env)
        args = request["args"]
        assert isinstance(args, list)
        sys.argv = [module, *args]
        sys.modules.pop(module + ".__main__", None)  # run afresh as __main__; its imports stay
        try:
            runpy.run_module(module, run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException:  # the program's own failure, as a cold start would print it
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve(module: str) -> None:
    """Import package ``module``'s ``__main__`` once, then fork one program per request line."""
    importlib.import_module(module + ".__main__")
    for line in sys.stdin:
        request = json.loads(line)
        read_end, write_end = os.pipe()
        middle = os.fork()
        if middle == 0:
            os.close(read_end)
            grandchild = os.fork()
            if grandchild == 0:
                os.close(write_end)
                _run_fork(module, request)
            os.write(write_end, str(grandchild).encode())
            os._exit(0)
        os.close(write_end)
        pid = int(os.read(read_end, 32))
        os.close(read_end)
        os.waitpid(middle, 0)  # once it is gone, the grandchild belongs to the asker
        print(json.dumps({"pid": pid}), flush=True)


if __name__ == "__main__":
    serve(sys.argv[1])
