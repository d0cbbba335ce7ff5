"""APDU exchange with one connected card: chaining, re-sends, file reads, APDU counting.

Only command headers, lengths and status words are logged, never data: VERIFY carries the
PIN and READ BINARY answers carry personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from smartcard.scard import (
    SCARD_E_TIMEOUT,
    SCARD_S_SUCCESS,
    SCARD_STATE_CHANGED,
    SCARD_STATE_EMPTY,
    SCARD_STATE_UNAWARE,
    SCardGetStatusChange,
    SCardTransmit,
)

from drivers.eid.errors import (
    SW_EOF,
    SW_OK,
    CardRemoved,
    CardUnreadable,
    error_for_pcsc,
    error_for_sw,
)

log = logging.getLogger(__name__)

READ_CHUNK = 0xF8  # what the Belgian middleware reads per APDU
MAX_FILE_SIZE = 0x8000
EOF_RETRIES = 3  # re-select + re-read of the same offset after a spurious end-of-file


class CardSession:
    """A connected card handle; every call runs on the reader's device thread."""

    def __init__(self, handle: int, protocol: int, atr: bytes, context: int,
                 reader: str) -> None:
        self.handle, self.protocol, self.atr = handle, protocol, atr
        self._context, self._reader = context, reader

    def transmit(self, apdu: bytes | bytearray, during: str) -> tuple[bytes, int]:
        """Send one command; follow 61xx (GET RESPONSE) and 6Cxx (re-send with Le=xx)."""
        data, sw = self._raw(apdu, during)
        if sw >> 8 == 0x6C and len(apdu) == 5:
            data, sw = self._raw(bytes(apdu[:4]) + bytes([sw & 0xFF]), during)
        collected = bytearray(data)
        while sw >> 8 == 0x61:
            data, sw = self._raw(bytes([0x00, 0xC0, 0x00, 0x00, sw & 0xFF]), during)
            collected += data
        return bytes(collected), sw

    def check(self, apdu: bytes | bytearray, during: str) -> bytes:
        """Send one command and raise the typed error for any status but 9000."""
        data, sw = self.transmit(apdu, during)
        if sw != SW_OK:
            raise error_for_sw(sw, during)
        return data

    def select_path(self, path: str) -> None:
        """SELECT by path from the MF (P1=08, no FCI), as OpenSC's belpic driver does."""
        raw = bytes.fromhex(path)
        self.check(bytes([0x00, 0xA4, 0x08, 0x0C, len(raw)]) + raw, f"select {path}")

    def read_file(self, path: str, expected_length: Callable[[bytes], int | None] | None = None,
                  ) -> bytes:
        """Read a transparent file whole; a spurious end-of-file re-selects and retries.

        ``expected_length`` tells from the first bytes how long the file must be (for DER
        certificates); a file that still ends early then raises :class:`CardUnreadable`
        instead of returning truncated data.
        """
        self.select_path(path)
        data = bytearray()
        retries = 0
        total: int | None = None
        while len(data) < MAX_FILE_SIZE:
            want = READ_CHUNK if total is None else min(READ_CHUNK, total - len(data))
            if want <= 0:
                break
            offset = len(data)
            chunk, sw = self.transmit(
                bytes([0x00, 0xB0, offset >> 8, offset & 0xFF, want]), f"read {path}@{offset}")
            if sw == SW_OK:
                data += chunk
                retries = 0
                if expected_length is not None and total is None:
                    total = expected_length(bytes(data))
                if not chunk or (total is None and len(chunk) < want):
                    break
                continue
            if sw not in SW_EOF:
                raise error_for_sw(sw, f"read {path}@{offset}")
            retries += 1
            must_continue = total is not None and len(data) < total
            if retries > EOF_RETRIES or (retries > 1 and not must_continue):
                if must_continue:
                    raise CardUnreadable(f"read {path}: ends at {len(data)} of {total} bytes")
                break
            log.info("card reported end of file in %s at offset %d; re-selecting", path, offset)
            self.select_path(path)
        return bytes(data)

    def _raw(self, apdu: bytes | bytearray, during: str) -> tuple[bytes, int]:
        command = list(apdu)
        try:
            code, response = SCardTransmit(self.handle, self.protocol, command)
        finally:
            command.clear()
        if code != SCARD_S_SUCCESS:
            raise error_for_pcsc(code, during)
        if len(response) < 2:
            if self._card_left():
                raise CardRemoved(f"{during}: card left during the command")
            raise CardUnreadable(f"{during}: answer of {len(response)} bytes")
        sw = (response[-2] << 8) | response[-1]
        log.debug("APDU %02X %02X %02X %02X -> %d bytes, SW %04X",
                  apdu[0], apdu[1], apdu[2], apdu[3], len(response) - 2, sw)
        return bytes(response[:-2]), sw


    def _card_left(self, wait_ms: int = 1000) -> bool:
        """After an empty answer: did the card leave? (pcscd may need one poll to notice)."""
        known = SCARD_STATE_UNAWARE
        for _ in range(2):
            code, states = SCardGetStatusChange(self._context, wait_ms, [(self._reader, known)])
            if code != SCARD_S_SUCCESS:
                return bool(code != SCARD_E_TIMEOUT)
            state = states[0][1]
            if state & SCARD_STATE_EMPTY:
                return True
            known = state & ~SCARD_STATE_CHANGED
        return False


def der_length(head: bytes) -> int | None:
    """Total length of a DER element from its first bytes (None if not DER-looking)."""
    if len(head) < 2 or head[0] != 0x30:
        return None
    first = head[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    if count == 0 or count > 3 or len(head) < 2 + count:
        return None
    return 2 + count + int.from_bytes(head[2 : 2 + count], "big")
