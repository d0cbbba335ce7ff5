"""Belgian card formats: dates in the card's four languages, the PIN block, DER sizing."""

from __future__ import annotations

import datetime as dt

import pytest

from drivers.eid.errors import PinFormatInvalid
from drivers.eid.profiles.belpic import parse_birth_date, parse_card_date, pin_block
from drivers.eid.session import der_length


@pytest.mark.parametrize("printed", ["12 MAR 1965", "12 MARS 1965", "12.MAA.1965",
                                     "12 MÄR 1965", "12 mar 1965"])
def test_birth_date_is_read_in_every_card_language(printed):
    assert parse_birth_date(printed) == dt.date(1965, 3, 12)


@pytest.mark.parametrize("printed", ["12 XYZ 1965", "31 FEB 1965", "1965-03-12", ""])
def test_impossible_birth_date_raises_value_error(printed):
    with pytest.raises(ValueError):
        parse_birth_date(printed)


def test_card_validity_date_is_day_month_year():
    assert parse_card_date("01.05.2032") == dt.date(2032, 5, 1)


def test_pin_block_is_globalplatform_format_padded_with_ff():
    assert pin_block(bytearray(b"1234")).hex() == "241234ffffffffff"
    assert pin_block(bytearray(b"12345")).hex() == "2512345fffffffff"


@pytest.mark.parametrize("pin", [b"123", b"1234567890123", b"12a4", b""])
def test_pin_block_refuses_what_the_card_would_refuse(pin):
    with pytest.raises(PinFormatInvalid):
        pin_block(bytearray(pin))


def test_der_length_reads_short_and_long_forms():
    assert der_length(bytes.fromhex("3005")) == 7
    assert der_length(bytes.fromhex("3082037f")) == 4 + 0x37F
    assert der_length(bytes.fromhex("0482037f")) is None
