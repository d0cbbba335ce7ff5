"""Personal data at rest: key file permissions, tamper detection, row binding."""

from __future__ import annotations

import os
import stat

import pytest

from common.money import Money
from offline_cache.crypto import NONCE_BYTES, RecordCipher, load_or_create_key
from offline_cache.errors import KeyFileError, RecordTampered
from offline_cache.journal import PaidBill


def test_key_file_is_created_0600_and_reused(tmp_path):
    path = tmp_path / "kiosk.key"
    key = load_or_create_key(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_or_create_key(path) == key and len(key) == 32


def test_key_file_readable_by_others_is_refused(tmp_path):
    path = tmp_path / "kiosk.key"
    load_or_create_key(path)
    path.chmod(0o644)
    with pytest.raises(KeyFileError, match="group or others"):
        load_or_create_key(path)


def test_truncated_key_file_is_refused(tmp_path):
    path = tmp_path / "kiosk.key"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b"short")
    os.close(fd)
    with pytest.raises(KeyFileError, match="expected 32"):
        load_or_create_key(path)


def test_each_record_gets_a_fresh_nonce():
    cipher = RecordCipher(b"\x03" * 32)
    a, b = cipher.seal("t", 1, {"x": 1}), cipher.seal("t", 1, {"x": 1})
    assert a[:NONCE_BYTES] != b[:NONCE_BYTES] and a != b
    assert cipher.open("t", 1, a) == {"x": 1}


@pytest.mark.parametrize("position", [0, NONCE_BYTES, NONCE_BYTES + 3, -1])
def test_a_flipped_byte_is_detected(position):
    cipher = RecordCipher(b"\x03" * 32)
    blob = bytearray(cipher.seal("payments", 5, {"card_last4": "4242"}))
    blob[position] ^= 0x01
    with pytest.raises(RecordTampered):
        cipher.open("payments", 5, bytes(blob))


@pytest.mark.parametrize(("table", "row"), [("payments", 6), ("submissions", 5)])
def test_a_record_moved_to_another_row_or_table_is_detected(table, row):
    cipher = RecordCipher(b"\x03" * 32)
    blob = cipher.seal("payments", 5, {"card_last4": "4242"})
    with pytest.raises(RecordTampered):
        cipher.open(table, row, blob)


def test_a_lost_key_is_not_silently_replaced_while_encrypted_records_exist(tmp_path):
    from offline_cache.store import OfflineStore

    store = OfflineStore.open(tmp_path / "kiosk.db", tmp_path / "kiosk.key")
    store.journal.create_payment(Money(100), [PaidBill("R", Money(100))])
    store.close()
    (tmp_path / "kiosk.key").unlink()
    with pytest.raises(KeyFileError, match="restore the key file"):
        OfflineStore.open(tmp_path / "kiosk.db", tmp_path / "kiosk.key")
    assert not (tmp_path / "kiosk.key").exists()


def test_unsafe_key_stops_the_store_from_opening(tmp_path):
    from offline_cache.store import OfflineStore

    OfflineStore.open(tmp_path / "kiosk.db", tmp_path / "kiosk.key").close()
    (tmp_path / "kiosk.key").chmod(0o640)
    with pytest.raises(KeyFileError) as caught:
        OfflineStore.open(tmp_path / "kiosk.db", tmp_path / "kiosk.key")
    assert caught.value.message_key.startswith("The kiosk is not configured safely.")
