"""The numbers a debt is known by: typed as printed, checked on the kiosk before any look-up."""

from __future__ import annotations

import pytest

from kiosk.services.bill_keys import AccountKind, normalise_account, ways_for


@pytest.mark.parametrize(("kind", "typed", "known_as"), [
    (AccountKind.CADASTRAL_KEY, "CAT-000001", "CAT-000001"),
    (AccountKind.CADASTRAL_KEY, "cat000001", "CAT-000001"),  # the hyphen comes back
    (AccountKind.WATER_ACCOUNT, "0000 0001", "AG00000001"),  # the printed AG is added
    (AccountKind.WATER_ACCOUNT, "AG00000001", "AG00000001"),
    (AccountKind.PLATE, "VE-0001", "VE0001"),  # the hyphen is only a typing aid
    (AccountKind.PLATE, "bbcl 12", "BBCL12"),
])
def test_a_number_typed_as_printed_becomes_the_one_the_api_knows(kind, typed, known_as):
    assert normalise_account(kind, typed) == known_as


@pytest.mark.parametrize(("kind", "typed"), [
    (AccountKind.CADASTRAL_KEY, "CAT00001"), (AccountKind.CADASTRAL_KEY, "CA-000001"),
    (AccountKind.WATER_ACCOUNT, "12345"), (AccountKind.WATER_ACCOUNT, "AB00000001"),
    (AccountKind.PLATE, "V0001"), (AccountKind.PLATE, "ABC123"), (AccountKind.PLATE, ""),
])
def test_a_number_of_the_wrong_shape_is_refused(kind, typed):
    assert normalise_account(kind, typed) is None


def test_a_procedure_offers_its_own_number_and_an_unknown_one_every_way():
    assert ways_for("property_tax") == (AccountKind.CADASTRAL_KEY,)
    assert ways_for("traffic_fine") == (AccountKind.PLATE,)
    assert ways_for("") == tuple(AccountKind)
