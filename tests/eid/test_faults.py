"""Faults on the real stack, each ending in a typed error with a plain message."""

from __future__ import annotations

import pytest

from drivers.base import DeviceState
from drivers.eid.errors import (
    CardDataInvalid,
    CardNotSupported,
    CardRemoved,
    CardUnreadable,
    ReaderUnavailable,
)
from drivers.eid.reader import PcscEidReader
from tests.fixtures.eid import CITIZENS, StatusLog, card_is, reinsert, wait_slot

pytestmark = pytest.mark.pcsc
READ_BINARY, VERIFY = 0xB0, 0x20


def test_card_pulled_during_identity_read_says_card_removed(reader, card, statuses):
    card.set_faults(remove_on_ins=READ_BINARY)
    with pytest.raises(CardRemoved) as error:
        reader.read_identity()
    assert error.value.message_key.startswith("The card was removed")
    statuses.wait_for(card_is("absent"))


def test_card_pulled_during_pin_verify_is_not_retried_and_wipes_the_pin(reader, card, statuses):
    card.set_faults(remove_on_ins=VERIFY)
    card.reset_apdu_count()
    pin = bytearray(CITIZENS[0].pin.encode())
    with pytest.raises(CardRemoved):
        reader.verify_pin(pin)
    assert pin == bytearray(len(pin))
    assert card.status()["apdu_count"] == 1
    statuses.wait_for(card_is("absent"))


def test_unknown_card_is_reported_as_not_supported(reader, card, statuses):
    card.set_faults(atr="unknown")
    statuses.mark()
    reinsert(card)
    status = statuses.wait_for(lambda s: s.detail.get("profile") == "unknown")
    assert status.state is DeviceState.USER_ERROR
    assert status.message_key == "This card is not supported."
    with pytest.raises(CardNotSupported):
        reader.read_identity()


def test_card_with_a_broken_answer_to_reset_is_reported_unreadable(reader, card, statuses):
    card.set_faults(atr="garbage")
    statuses.mark()
    card.remove()
    wait_slot(present=False)
    card.insert()
    status = statuses.wait_for(lambda s: s.detail.get("card") in ("unreadable", "present"))
    assert status.detail["card"] == "unreadable"
    assert status.message_key == CardUnreadable.message_key
    with pytest.raises(CardUnreadable):
        reader.read_identity()


def test_card_answering_noise_gives_unreadable_not_a_crash(reader, card):
    card.set_faults(noise=True)
    with pytest.raises(CardUnreadable):
        reader.read_identity()


def test_garbage_identity_file_gives_card_data_invalid(reader, card):
    card.set_faults(garbage_identity=True)
    with pytest.raises(CardDataInvalid) as error:
        reader.read_identity()
    assert "cannot be trusted" in error.value.message_key


def test_truncated_identity_file_gives_card_data_invalid(reader, card):
    card.set_faults(truncated_identity=True)
    with pytest.raises(CardDataInvalid):
        reader.read_identity()


def test_spurious_end_of_file_mid_certificate_is_retried_not_truncated(reader, card, statuses):
    card.set_faults(eof_once_at=["3F00DF005038", 0xF8])
    certificate = reader.read_auth_certificate()
    assert card.status()["eof_fault_pending"] is False  # the card did send the 6B00
    card.clear_faults()
    statuses.mark()
    reinsert(card)
    statuses.wait_for(card_is("present"))  # the reader's own monitor, not only pcscd
    assert certificate == reader.read_auth_certificate()


def test_swapped_card_reads_the_new_citizen(reader, card, statuses):
    assert reader.read_identity().surname == CITIZENS[0].surname
    statuses.mark()
    reinsert(card, CITIZENS[1].national_number)
    statuses.wait_for(card_is("present"))
    assert reader.read_identity().surname == CITIZENS[1].surname


def test_reader_unplugged_then_back_recovers_by_itself(reader, card, statuses, pcscd):
    statuses.mark()
    pcscd.stop()
    try:
        status = statuses.wait_for(lambda s: s.state is DeviceState.NO_DEVICE)
        assert status.message_key == ReaderUnavailable.message_key
        with pytest.raises(ReaderUnavailable):
            reader.read_identity()
    finally:
        pcscd.start()
    statuses.wait_for(card_is("present"), timeout=20)
    assert reader.read_identity().national_number == CITIZENS[0].national_number


def test_pcscd_restart_is_survived(reader, card, statuses, pcscd):
    reader.read_identity()
    statuses.mark()
    pcscd.restart()
    statuses.wait_for(card_is("present"), timeout=20)
    assert reader.read_identity().national_number == CITIZENS[0].national_number


def test_configured_reader_absent_reports_no_device_until_it_appears(card):
    statuses = StatusLog()
    driver = PcscEidReader("Reader That Is Not Plugged In", monitor_timeout_s=0.5)
    driver.add_listener(statuses)
    driver.start()
    try:
        status = statuses.wait_for(lambda s: s.state is DeviceState.NO_DEVICE)
        assert status.detail["reason"] == "no_reader"
        with pytest.raises(ReaderUnavailable):
            driver.read_identity()
    finally:
        driver.stop()
