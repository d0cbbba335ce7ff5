"""The identity parsers never crash: any bytes give data or their one typed error."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.eid import tlv
from drivers.eid.citizens import load_citizens
from drivers.eid.errors import CardDataInvalid
from drivers.eid.profiles.belpic import parse_identity
from drivers.eid.virtual_card.belpic_image import PHOTO, address_file, identity_file

CITIZEN = load_citizens()[0]
IDENTITY = identity_file(CITIZEN, PHOTO)
ADDRESS = address_file(CITIZEN)


def test_real_identity_file_round_trips():
    identity = parse_identity(IDENTITY, ADDRESS)
    assert identity.national_number == CITIZEN.national_number
    assert identity.address is not None and identity.address.municipality == CITIZEN.city


@given(st.lists(st.tuples(st.integers(1, 255), st.binary(max_size=300)), max_size=20))
def test_encoded_fields_parse_back(fields):
    parsed = tlv.parse(tlv.encode(fields))
    first: dict[int, bytes] = {}
    for tag, value in fields:
        first.setdefault(tag, value)
    assert parsed == first


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_raise_only_tlv_error(data):
    try:
        fields = tlv.parse(data)
    except tlv.TlvError as err:
        assert str(err)
    else:
        assert all(tag != 0 and value in data for tag, value in fields.items())


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(IDENTITY)), st.binary(max_size=40), st.integers(0, len(IDENTITY)))
def test_cut_or_corrupted_identity_raises_only_card_data_invalid(cut, noise, where):
    damaged = IDENTITY[:where] + noise + IDENTITY[where:cut] if where < cut else IDENTITY[:cut]
    try:
        identity = parse_identity(damaged, ADDRESS)
    except CardDataInvalid as err:
        assert err.message_key
    else:
        assert isinstance(identity.national_number, str)


def test_truncated_identity_is_rejected_not_half_read():
    for cut in (1, 2, 10, len(IDENTITY) // 2):
        try:
            parse_identity(IDENTITY[:cut], ADDRESS)
        except CardDataInvalid:
            continue
        raise AssertionError(f"identity cut at {cut} bytes was accepted")
