"""A simulated ESC/POS printer on a TCP port of 127.0.0.1 or on a serial pseudo-terminal.

Each link is served by one thread: bytes are read (throttled when the "slow" fault is on),
parsed at once, and DLE EOT status queries are answered the moment they are parsed, even
in the middle of a job, as real printers answer real-time commands on reception. Printable
elements go to the current job; a cut ends it. With paper out or the cover open, nothing
more is printed: the job is marked interrupted and kept, as a torn receipt would be.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import socket
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

import serial

from drivers.printer.simulator.elements import Cut, Element, EscPosError, StatusRequest
from drivers.printer.simulator.faults import Faults
from drivers.printer.simulator.job import Job, JobBuilder
from drivers.printer.simulator.parser import EscPosParser
from drivers.printer.simulator.render import save_png

log = logging.getLogger(__name__)
CHUNK = 512


class _Link:
    """What a session needs from a TCP socket or a serial port."""

    def __init__(self, read: Callable[[int], bytes | None], write: Callable[[bytes], None],
                 close: Callable[[], None], streaming: bool) -> None:
        self.read, self.write, self.close, self.streaming = read, write, close, streaming


class PrinterSimulator:
    """The printer: its condition (``faults``), the jobs it printed and the links it serves."""

    def __init__(self, width_dots: int = 512, png_dir: Path | None = None) -> None:
        self.faults = Faults()
        self.width_dots = width_dots
        self.png_dir = png_dir
        self.jobs: list[Job] = []
        self.status_queries = 0
        self._lock = threading.Lock()
        self._job_added = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._server: socket.socket | None = None
        self._next_job = 1

    # ---- serving -------------------------------------------------------------------------
    def listen(self, port: int = 0, host: str = "127.0.0.1") -> int:
        """Accept TCP connections on ``host:port`` (0: any free port); return the port."""
        server = socket.create_server((host, port), reuse_port=False)
        server.settimeout(0.2)
        self._server = server
        self._spawn(self._accept_loop, "printer-sim-accept")
        return int(server.getsockname()[1])

    def attach_serial(self, path: str, baudrate: int = 115200) -> None:
        """Serve the device end of a serial line (e.g. a socat pseudo-terminal)."""
        link = _serial_link(serial.Serial(path, baudrate, timeout=0.1))
        self._spawn(lambda: self._session(link), "printer-sim-serial")

    def close(self) -> None:
        """Stop serving and wait for the threads."""
        self._stop.set()
        if self._server is not None:
            self._server.close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> PrinterSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _accept_loop(self) -> None:
        assert self._server is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(0.2)
            link = _Link(_socket_reader(conn), conn.sendall, conn.close, streaming=False)
            self._spawn(functools.partial(self._session, link), "printer-sim-conn")

    # ---- one link ------------------------------------------------------------------------
    def _session(self, link: _Link) -> None:
        parser = EscPosParser()
        with self._lock:
            builder = JobBuilder(self._next_job)
        try:
            while not self._stop.is_set():
                data = link.read(self._chunk_size())
                if data is None:
                    continue
                if not data:
                    if link.streaming:
                        continue
                    break
                if not self._receive(data, parser, builder, link):
                    if not link.streaming:
                        break
                    # a serial line has no connection to drop: lose the rest of the job
                    self._record(builder.finish(complete=False, interrupted="disconnected"))
                    parser = EscPosParser()
                    self._discard_until_quiet(link)
                self._throttle(len(data))
        except OSError as err:
            log.info("printer simulator link ended: %s", err)
        finally:
            if not builder.current.empty:
                self._record(builder.finish(complete=False, interrupted="disconnected"))
            link.close()

    def _discard_until_quiet(self, link: _Link, quiet_s: float = 0.3) -> None:
        """Lose everything the host sends until it pauses (the cable is out meanwhile)."""
        last = time.monotonic()
        while time.monotonic() - last < quiet_s and not self._stop.is_set():
            if link.read(CHUNK):
                last = time.monotonic()

    def _receive(self, data: bytes, parser: EscPosParser, builder: JobBuilder,
                 link: _Link) -> bool:
        """Take one chunk; return False when the link must drop (injected disconnect)."""
        builder.current.bytes_received += len(data)
        drop, _ = self.faults.take_job_faults(builder.current.bytes_received)
        for element in _parse(parser, data, builder.current.errors):
            if isinstance(element, StatusRequest):
                self._answer(element.n, link)
                continue
            condition = self.faults.snapshot()
            if condition.paper == "out" or condition.cover_open:
                builder.current.interrupted = builder.current.interrupted or (
                    "paper_out" if condition.paper == "out" else "cover_open")
                if isinstance(element, Cut):  # the host's job ends; nothing came out
                    self._record(builder.finish(complete=False))
                continue
            job = builder.add(element)
            if job is not None:
                self._record(job)
        return not drop

    def _answer(self, n: int, link: _Link) -> None:
        with self._lock:
            self.status_queries += 1
        byte = self.faults.status_byte(n)
        if byte is not None:
            link.write(bytes([byte]))

    def _chunk_size(self) -> int:
        rate = self.faults.snapshot().bytes_per_second
        return CHUNK if rate is None else max(1, min(CHUNK, int(rate / 20)))

    def _throttle(self, count: int) -> None:
        rate = self.faults.snapshot().bytes_per_second
        if rate is not None:
            time.sleep(count / rate)

    def _record(self, job: Job) -> None:
        with self._job_added:
            job.number = self._next_job
            self._next_job += 1
            self.jobs.append(job)
            self._job_added.notify_all()
        log.info("printer simulator: job %d %s", job.number,
                 "complete" if job.complete else f"interrupted ({job.interrupted})")
        if self.png_dir is not None:
            save_png(job, self.png_dir / f"job-{job.number:04d}.png", self.width_dots)

    # ---- inspection ----------------------------------------------------------------------
    def wait_for_jobs(self, count: int, timeout: float = 10.0) -> list[Job]:
        """Block until at least ``count`` jobs were recorded; raises TimeoutError."""
        with self._job_added:
            if not self._job_added.wait_for(lambda: len(self.jobs) >= count, timeout):
                raise TimeoutError(f"{len(self.jobs)} of {count} print jobs after {timeout}s")
            return list(self.jobs)


def _parse(parser: EscPosParser, data: bytes, errors: list[str]) -> list[Element]:
    """Parse a chunk, noting malformed commands in ``errors`` and carrying on after them."""
    elements: list[Element] = []
    while True:
        try:
            return elements + parser.feed(data)
        except EscPosError as err:
            errors.append(str(err))
            elements += err.elements
            data = b""


def _serial_link(port: serial.Serial) -> _Link:
    """Wrap a serial port; pyserial's termios calls fail with termios.error when the pty
    vanishes, which is turned into OSError like any other lost link."""

    def write(data: bytes) -> None:
        try:
            port.write(data)
            port.flush()
        except termios.error as err:
            raise OSError(f"serial line gone: {err}") from err

    def read(size: int) -> bytes:
        # read(size) would wait for `size` bytes; take what is there so answers are prompt
        try:
            first: bytes = port.read(1)
            rest: bytes = port.read(min(size - 1, port.in_waiting)) if first else b""
        except termios.error as err:
            raise OSError(f"serial line gone: {err}") from err
        return first + rest

    def close() -> None:
        with contextlib.suppress(OSError, termios.error):
            port.close()

    return _Link(read, write, close, streaming=True)


def _socket_reader(conn: socket.socket) -> Callable[[int], bytes | None]:
    def read(size: int) -> bytes | None:
        try:
            return conn.recv(size)
        except TimeoutError:
            return None  # nothing yet; b"" would mean the host closed the link
    return read
