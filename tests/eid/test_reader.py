"""Identity, certificate, PIN and signature on the real stack: pcscd + vpcd + virtual card."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.x509.oid import NameOID

from drivers.base import DeviceState
from drivers.eid.errors import PinBlocked, PinFormatInvalid, PinRequired, WrongPin
from tests.fixtures.eid import CITIZENS

pytestmark = pytest.mark.pcsc
MARIA = CITIZENS[0]


def test_inserted_card_is_recognised_as_belgian_eid(reader):
    assert reader.status.state is DeviceState.ONLINE
    assert reader.status.detail == {"card": "present", "profile": "belpic"}


def test_identity_is_read_and_its_signature_checked(reader):
    identity = reader.read_identity()
    assert identity.national_number == MARIA.national_number
    assert (identity.surname, identity.given_names) == (MARIA.surname, MARIA.given_names)
    assert identity.birth_date == dt.date.fromisoformat(MARIA.birth_date)
    assert identity.card_number == MARIA.card_number
    assert identity.nationality == MARIA.nationality
    assert identity.valid_until == dt.date.fromisoformat(MARIA.card_valid_until)
    assert identity.address is not None and identity.address.street == MARIA.street
    assert identity.signed and identity.photo is None


def test_identity_repr_shows_no_personal_data(reader):
    text = repr(reader.read_identity())
    assert MARIA.national_number not in text and MARIA.surname not in text


def test_photo_is_read_only_when_asked_and_matches_its_hash(reader):
    identity = reader.read_identity(include_photo=True)
    assert identity.photo is not None and identity.photo.startswith(b"\xff\xd8")


def test_auth_certificate_names_the_citizen(reader):
    certificate = x509.load_der_x509_certificate(reader.read_auth_certificate())
    subject = certificate.subject
    assert subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == MARIA.national_number
    assert subject.get_attributes_for_oid(NameOID.SURNAME)[0].value == MARIA.surname


def test_right_pin_then_challenge_signature_verifies_with_the_certificate(reader):
    reader.verify_pin(bytearray(MARIA.pin.encode()))
    nonce = bytes(range(32))
    signed = reader.sign_challenge(nonce)
    assert signed.algorithm == "RS256"
    key = x509.load_der_x509_certificate(reader.read_auth_certificate()).public_key()
    key.verify(signed.signature, nonce, padding.PKCS1v15(), hashes.SHA256())


def test_signing_without_pin_is_refused_by_the_card(reader):
    with pytest.raises(PinRequired):
        reader.sign_challenge(b"x" * 32)


def test_wrong_pin_reports_tries_left_from_the_card(reader, card):
    with pytest.raises(WrongPin) as first:
        reader.verify_pin(bytearray(b"0000"))
    assert first.value.tries_left == 2
    card.set_pin(tries=3)  # the count is the card's, whatever we saw before
    with pytest.raises(WrongPin) as second:
        reader.verify_pin(bytearray(b"0000"))
    assert second.value.tries_left == 2


def test_last_wrong_pin_blocks_and_then_even_the_right_pin_is_refused(reader, card):
    card.set_pin(tries=1)
    with pytest.raises(PinBlocked):
        reader.verify_pin(bytearray(b"9999"))
    with pytest.raises(PinBlocked):
        reader.verify_pin(bytearray(MARIA.pin.encode()))
    assert card.status()["tries_left"] == 0


def test_wrong_pin_is_not_retried_automatically(reader, card):
    card.reset_apdu_count()
    with pytest.raises(WrongPin):
        reader.verify_pin(bytearray(b"0000"))
    assert card.status()["apdu_count"] == 1


def test_pin_buffer_is_wiped_after_verify(reader):
    pin = bytearray(MARIA.pin.encode())
    reader.verify_pin(pin)
    assert pin == bytearray(len(pin))


def test_malformed_pin_is_refused_without_touching_the_card(reader, card):
    card.reset_apdu_count()
    pin = bytearray(b"12a4")
    with pytest.raises(PinFormatInvalid):
        reader.verify_pin(pin)
    assert card.status()["apdu_count"] == 0
    assert card.status()["tries_left"] == 3
    assert pin == bytearray(4)
