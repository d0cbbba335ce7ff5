"""The virtual Belpic applet: answers C-APDUs from a :class:`CardImage`, with faults.

Behaviour copied from the real card where tools depend on it: SELECT gives no FCI, READ
BINARY past the end answers 6B00 and a too-long Le answers 6Cxx, commands sent without Le
that produce data answer 61xx (T=0) and wait for GET RESPONSE, the authentication key needs
a verified PIN, the signature key needs a VERIFY right before.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, utils

from drivers.eid.virtual_card.belpic_image import CardImage

SW_OK = b"\x90\x00"
_SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")
_SHA1_PREFIX = bytes.fromhex("3021300906052b0e03021a05000414")


@dataclass
class Faults:
    """Faults injected by tests; each is off by default."""

    garbage_identity: bool = False  # identity file replaced by random-looking bytes
    truncated_identity: bool = False  # identity file cut in the middle of a field
    eof_once_at: tuple[str, int] | None = None  # (path, offset): one spurious 6B00 there
    remove_on_ins: int | None = None  # drop off the reader when this INS arrives


class BelpicApplet:
    """State of one powered card: current file, PIN status, pending response."""

    def __init__(self, image: CardImage, faults: Faults) -> None:
        self.image, self.faults = image, faults
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Power cycle: the PIN is no longer verified, nothing is selected."""
        self.current: str | None = None
        self.pin_verified = False
        self.last_was_verify = False
        self.algorithm: int | None = None
        self.key_ref: int | None = None
        self.pending = b""

    def file(self, path: str) -> bytes:
        """The content of ``path`` with data faults applied."""
        data = self.image.files[path]
        if path.endswith("4031"):
            if self.faults.garbage_identity:
                return bytes((i * 97 + 13) % 256 for i in range(len(data)))
            if self.faults.truncated_identity:
                return data[: len(data) // 2 + 1]
        return data

    def process(self, apdu: bytes) -> bytes:
        """Answer one C-APDU with an R-APDU."""
        if len(apdu) < 4:
            return b"\x67\x00"
        was_verify, self.last_was_verify = self.last_was_verify, False
        cla, ins, p1, p2 = apdu[:4]
        body = apdu[4:]
        lc = body[0] if len(body) > 1 else 0
        data = body[1 : 1 + lc] if len(body) > 1 else b""
        le: int | None = None
        if len(body) == 1:
            le = body[0] or 256
        elif len(body) > 1 + lc:
            le = body[1 + lc] or 256
        if ins != 0xC0:
            self.pending = b""
        handlers: dict[int, Callable[[int, int, bytes, int | None], bytes]] = {
            0xA4: self._select, 0xB0: self._read_binary, 0x20: self._verify,
            0x22: self._mse_set, 0xC0: self._get_response, 0xE4: self._card_data,
            0x84: self._challenge, 0xE6: self._log_off}
        if cla not in (0x00, 0x80):
            return b"\x6E\x00"
        if ins == 0x2A:
            return self._pso(p1, p2, data, le, was_verify)
        handler = handlers.get(ins)
        if handler is None:
            return b"\x6D\x00"
        return handler(p1, p2, data, le)

    def _answer(self, payload: bytes, le: int | None) -> bytes:
        if le is None and payload:
            self.pending = payload
            return bytes([0x61, len(payload) & 0xFF])
        return payload[: le or len(payload)] + SW_OK

    def _select(self, p1: int, p2: int, data: bytes, le: int | None) -> bytes:
        if p1 == 0x04:
            if data == bytes.fromhex("A000000177504B43532D3135"):
                self.current = "3F00DF00"
                return SW_OK
            return b"\x6A\x82"
        hexpath = data.hex().upper()
        if p1 == 0x08:
            target = hexpath if hexpath.startswith("3F00") else "3F00" + hexpath
        elif p1 in (0x00, 0x02):
            if hexpath == "3F00":
                target = "3F00"
            else:
                base = self.current or "3F00"
                base = base if self._is_df(base) else base[:-4]
                target = base + hexpath
                if not self._exists(target):
                    target = "3F00" + hexpath
        else:
            return b"\x6A\x86"
        if not self._exists(target):
            return b"\x6A\x82"
        self.current = target
        return SW_OK

    def _is_df(self, path: str) -> bool:
        return path == "3F00" or any(p.startswith(path) and p != path for p in self.image.files)

    def _exists(self, path: str) -> bool:
        return path in self.image.files or self._is_df(path)

    def _read_binary(self, p1: int, p2: int, data: bytes, le: int | None) -> bytes:
        if self.current is None or self.current not in self.image.files:
            return b"\x69\x86"
        offset = (p1 << 8) | p2
        fault = self.faults.eof_once_at
        if fault is not None and fault == (self.current, offset):
            self.faults.eof_once_at = None
            return b"\x6B\x00"
        content = self.file(self.current)
        if offset >= len(content):
            return b"\x6B\x00"
        wanted = le or 256
        remaining = len(content) - offset
        if wanted > remaining:
            return bytes([0x6C, remaining & 0xFF]) if remaining < 256 else b"\x67\x00"
        return content[offset : offset + wanted] + SW_OK

    def _verify(self, p1: int, p2: int, data: bytes, le: int | None) -> bytes:
        image = self.image
        if image.tries_left == 0:
            return b"\x69\x83"
        if not data:
            return bytes([0x63, 0xC0 | image.tries_left])
        if len(data) != 8 or data[0] >> 4 != 2:
            return b"\x6A\x80"
        length = data[0] & 0x0F
        digits = data[1:].hex()[:length]
        if digits == image.pin:
            image.tries_left = image.max_tries
            self.pin_verified = self.last_was_verify = True
            return SW_OK
        image.tries_left -= 1
        self.pin_verified = False
        return b"\x69\x83" if image.tries_left == 0 else bytes([0x63, 0xC0 | image.tries_left])

    def _mse_set(self, p1: int, p2: int, data: bytes, le: int | None) -> bytes:
        body = data[1:] if data[:1] == b"\x04" else data
        if (p1, p2) != (0x41, 0xB6) or len(body) != 4 or body[0] != 0x80 or body[2] != 0x84:
            return b"\x6A\x80"
        if body[3] not in self.image.keys or body[1] not in (0x01, 0x02, 0x08):
            return b"\x6A\x88"
        self.algorithm, self.key_ref = body[1], body[3]
        self.last_was_verify = False
        return SW_OK

    def _pso(self, p1: int, p2: int, data: bytes, le: int | None, was_verify: bool) -> bytes:
        if (p1, p2) != (0x9E, 0x9A) or self.key_ref is None:
            return b"\x69\x85"
        needs_fresh_verify = self.key_ref == 0x83
        if not self.pin_verified or (needs_fresh_verify and not was_verify):
            return b"\x69\x82"
        if self.algorithm == 0x08 and len(data) == 32:
            digest_info = _SHA256_PREFIX + data
        elif self.algorithm == 0x02 and len(data) == 20:
            digest_info = _SHA1_PREFIX + data
        elif self.algorithm == 0x01:
            digest_info = data
        else:
            return b"\x67\x00"
        signature = self._sign_digest_info(digest_info)
        return self._answer(signature, le)

    def _sign_digest_info(self, digest_info: bytes) -> bytes:
        """Raw RSA PKCS#1 v1.5 over a DigestInfo, as the card computes it."""
        assert self.key_ref is not None
        key = self.image.keys[self.key_ref]
        if digest_info.startswith(_SHA256_PREFIX) and len(digest_info) == 51:
            return key.sign(digest_info[19:], padding.PKCS1v15(),
                            utils.Prehashed(hashes.SHA256()))
        numbers = key.private_numbers()
        size = (key.key_size + 7) // 8
        block = b"\x00\x01" + b"\xff" * (size - len(digest_info) - 3) + b"\x00" + digest_info
        value = pow(int.from_bytes(block, "big"), numbers.d, numbers.public_numbers.n)
        return value.to_bytes(size, "big")

    def _get_response(self, p1: int, p2: int, data: bytes, le: int | None) -> bytes:
        if not self.pending:
            return b"\x69\x85"
        wanted = le or 256
        chunk, self.pending = self.pending[:wanted], self.pending[wanted:]
        if self.pending:
            return chunk + bytes([0x61, len(self.pending) & 0xFF])
        return chunk + SW_OK

    def _card_data(self, p1: int, p2: int, data: bytes, le: int | None) -> bytes:
        return self.image.card_data[: le or len(self.image.card_data)] + SW_OK

    def _challenge(self, p1: int, p2: int, data: bytes, le: int | None) -> bytes:
        return os.urandom(le or 8) + SW_OK

    def _log_off(self, p1: int, p2: int, data: bytes, le: int | None) -> bytes:
        self.pin_verified = False
        return SW_OK
