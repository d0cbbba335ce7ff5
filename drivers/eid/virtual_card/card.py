"""A virtual card slot wired to pcscd's vpcd driver over TCP (127.0.0.1:35963).

vpcd frames are a 2-byte big-endian length and a payload. A 1-byte payload is a control
(0 power off, 1 power on, 2 reset, 4 get ATR); a longer one is a C-APDU, answered with an
R-APDU. Connecting puts the card in the reader; closing the socket pulls it out. While
"inserted", a lost connection (pcscd restarted) is re-established by itself.

vpcd writes each frame as two segments (length, then payload) with Nagle's algorithm on, so
the payload waits until the length is acknowledged. Linux delays that acknowledgement by up
to 40 ms, which made every APDU cost about 48 ms; acknowledging at once (TCP_QUICKACK,
which the kernel clears after each receive) brings an APDU down to a fraction of a
millisecond. Only the simulator is affected: a real reader has no such socket.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
from collections import deque
from dataclasses import asdict

from drivers.eid.citizens import Citizen
from drivers.eid.profiles import belpic
from drivers.eid.test_pki import TestPki
from drivers.eid.virtual_card.applet import BelpicApplet, Faults
from drivers.eid.virtual_card.belpic_image import CardImage, build_image

log = logging.getLogger(__name__)

VPCD_PORT = 35963
APDU_LOG_SIZE = 2000  # the newest C-APDUs kept for tests (headers only, never data)
INS_NAMES = {0xA4: "select", 0xB0: "read_binary", 0x20: "verify", 0x22: "mse_set",
             0xC0: "get_response", 0xE4: "card_data", 0x84: "challenge", 0x2A: "pso",
             0xE6: "log_off"}
ATRS = {
    "belpic": belpic.ATRS[0],
    # A valid ATR of a card we do not support (a PC/SC-compliant storage card).
    "unknown": bytes.fromhex("3B8F8001804F0CA000000306030001000000006A"),
    # Not a valid ATR at all: TS must be 3B or 3F.
    "garbage": bytes.fromhex("00FF1234"),
}


class VirtualCard:
    """One reader slot: which citizen's card is in it, and what is wrong with it."""

    def __init__(self, pki: TestPki, citizens: list[Citizen], host: str = "127.0.0.1",
                 port: int = VPCD_PORT) -> None:
        self._pki, self._host, self._port = pki, host, port
        self._citizens = {c.national_number: c for c in citizens}
        self._images: dict[str, CardImage] = {}
        self.citizen = citizens[0].national_number
        self.faults = Faults()
        self.atr_kind = "belpic"
        self.noise = False
        self.apdu_count = 0
        # What the card was asked, so a test can prove what was (not) read: the command,
        # P1 P2 and the file selected when it came. Never a command's data (a VERIFY holds
        # the PIN).
        self.apdu_log: deque[dict[str, object]] = deque(maxlen=APDU_LOG_SIZE)
        self._inserted = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._connected = threading.Event()
        self.applet = BelpicApplet(self.image(), self.faults)
        self._thread = threading.Thread(target=self._run, name="virtual-card", daemon=True)
        self._thread.start()

    def image(self, national_number: str | None = None) -> CardImage:
        """The card image of a citizen (built once; PIN tries persist across switches)."""
        number = national_number or self.citizen
        if number not in self._images:
            self._images[number] = build_image(self._pki, self._citizens[number])
        return self._images[number]

    def insert(self, citizen: str | None = None) -> None:
        """Put a card in the reader (the current citizen's unless one is named)."""
        if citizen is not None:
            self.use_citizen(citizen)
        self._inserted.set()

    def remove(self) -> None:
        """Pull the card out."""
        self._inserted.clear()
        self._drop()

    def use_citizen(self, national_number: str) -> None:
        """Make the next inserted card this citizen's (KeyError if unknown)."""
        with self._lock:
            self.image(national_number)
            self.citizen = national_number
            self.applet = BelpicApplet(self.image(), self.faults)

    def set_pin(self, pin: str | None = None, tries: int | None = None) -> None:
        """Change the PIN and/or the tries left of the current citizen's card."""
        image = self.image()
        if pin is not None:
            image.pin = pin
        if tries is not None:
            image.tries_left = tries

    def set_faults(self, **values: object) -> None:
        """Set fault fields (see :class:`Faults`), ``atr`` ("belpic" | "unknown" | "garbage")
        and ``noise`` (answers that are not even a status word); unknown names raise KeyError."""
        for key, value in values.items():
            if key == "atr":
                self.atr_kind = str(value)
            elif key == "noise":
                self.noise = bool(value)
            elif key == "eof_once_at":
                self.faults.eof_once_at = None if value is None else (str(value[0]), int(value[1]))  # type: ignore[index]
            elif hasattr(self.faults, key):
                setattr(self.faults, key, value)
            else:
                raise KeyError(key)

    def clear_faults(self) -> None:
        """Back to a healthy card."""
        for key, value in asdict(Faults()).items():
            setattr(self.faults, key, value)
        self.atr_kind, self.noise = "belpic", False

    def status(self) -> dict[str, object]:
        """What a test may want to know."""
        image = self.image()
        return {"inserted": self._inserted.is_set(), "connected": self._connected.is_set(),
                "citizen": self.citizen, "tries_left": image.tries_left,
                "apdu_count": self.apdu_count, "atr": self.atr_kind, "noise": self.noise,
                "eof_fault_pending": self.faults.eof_once_at is not None}

    def apdus(self, since: int = 0) -> list[dict[str, object]]:
        """The logged C-APDUs numbered above ``since`` (1 is the first since start)."""
        return [dict(entry) for entry in list(self.apdu_log) if int(str(entry["n"])) > since]

    def _log_apdu(self, payload: bytes) -> None:
        ins = payload[1] if len(payload) > 1 else -1
        self.apdu_log.append({
            "n": self.apdu_count, "ins": INS_NAMES.get(ins, f"{ins:02X}"),
            "p1p2": payload[2:4].hex().upper(), "file": self.applet.current or ""})

    def close(self) -> None:
        """Stop the slot thread."""
        self._stop.set()
        self._inserted.set()
        self._drop()
        self._thread.join(timeout=5)

    def _drop(self) -> None:
        with self._lock:
            sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._inserted.wait()
            if self._stop.is_set():
                return
            try:
                sock = socket.create_connection((self._host, self._port), timeout=2)
            except OSError:
                self._stop.wait(0.2)  # pcscd (vpcd) not listening yet
                continue
            sock.settimeout(None)
            with self._lock:
                self._sock = sock
                self.applet.reset()
            self._connected.set()
            try:
                self._serve(sock)
            except OSError:
                pass
            finally:
                self._connected.clear()
                self._drop()
                if self._inserted.is_set():
                    self._stop.wait(0.2)

    def _serve(self, sock: socket.socket) -> None:
        while True:
            header = _recv_exact(sock, 2)
            if header is None:
                return
            payload = _recv_exact(sock, struct.unpack(">H", header)[0])
            if payload is None:
                return
            if len(payload) == 1 and payload[0] != 4:
                self.applet.reset()  # power off / on / reset: vpcd expects no answer
                continue
            answer = self._answer(payload)
            if answer is None:
                if self.faults.remove_on_ins is not None:
                    self.faults.remove_on_ins = None
                    self._inserted.clear()
                return
            sock.sendall(struct.pack(">H", len(answer)) + answer)

    def _answer(self, payload: bytes) -> bytes | None:
        if len(payload) == 1:
            return ATRS[self.atr_kind]
        self.apdu_count += 1
        self._log_apdu(payload)
        if self.faults.remove_on_ins is not None and payload[1] == self.faults.remove_on_ins:
            return None  # the card leaves the reader mid-command
        if self.noise:
            return b"\x6F"  # one byte: not even a status word (a truly silent card would
            # hang vpcd, which has no timeout)
        if self.atr_kind == "unknown":
            return b"\x6A\x82"  # another kind of card: knows none of our files or AIDs
        return self.applet.process(payload)


def _recv_exact(sock: socket.socket, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)  # see the module docstring
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)
