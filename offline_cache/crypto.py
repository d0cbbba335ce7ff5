"""Encrypt personal data at rest with AES-GCM, one fresh nonce per record.

Each record is sealed as ``nonce (12 bytes) || ciphertext+tag`` with the table name and row
id as associated data, so a ciphertext copied to another row (or table) fails to open just
like a flipped byte does: both raise :class:`RecordTampered`, never return garbage.

The 256-bit key lives in a file created with mode 0600 (``os.open`` with the mode, so there
is no window where it is readable by others). A key file that group or others can read is
refused: a leaked key would make the encryption pointless.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from offline_cache.errors import KeyFileError, RecordTampered

log = logging.getLogger(__name__)

KEY_BYTES = 32
NONCE_BYTES = 12  # 96-bit nonce, the size GCM is designed for


def load_or_create_key(path: Path) -> bytes:
    """Read the data key, creating it 0600 on first use; refuse a key others can read."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    except OSError as err:
        raise KeyFileError(f"cannot create key file {path}: {err.strerror}") from err
    key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
    try:
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)
    log.info("created a new data key file %s", path)
    return key


def _read_key(path: Path) -> bytes:
    try:
        mode = os.stat(path).st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            log.error("key file %s has mode %o; refusing it (must be 0600)", path, mode & 0o777)
            raise KeyFileError(f"key file {path} is accessible by group or others")
        key = path.read_bytes()
    except OSError as err:
        raise KeyFileError(f"cannot read key file {path}: {err.strerror}") from err
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"key file {path} holds {len(key)} bytes, expected {KEY_BYTES}")
    return key


class RecordCipher:
    """Seal and open JSON records bound to their table and row id."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    @staticmethod
    def _context(table: str, row_id: int) -> bytes:
        return f"{table}:{row_id}".encode()

    def seal(self, table: str, row_id: int, value: Any) -> bytes:
        """Encrypt ``value`` (JSON-serialisable) for one row."""
        nonce = os.urandom(NONCE_BYTES)
        plain = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
        return nonce + self._aead.encrypt(nonce, plain, self._context(table, row_id))

    def open(self, table: str, row_id: int, blob: bytes) -> Any:
        """Decrypt one row's record; raise RecordTampered if it does not authenticate."""
        if len(blob) < NONCE_BYTES + 16:
            raise RecordTampered(f"{table} {row_id}: encrypted record is truncated")
        nonce, body = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
        try:
            plain = self._aead.decrypt(nonce, body, self._context(table, row_id))
        except InvalidTag as err:
            text = f"{table} {row_id}: encrypted record failed authentication"
            log.error(text)
            raise RecordTampered(text) from err
        return json.loads(plain)
