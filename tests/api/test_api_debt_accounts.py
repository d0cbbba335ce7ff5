"""A debt says what it is for: its account, and the property's street without its number."""

from __future__ import annotations

from kiosk.simulated.api import EnrolledKiosk
from procedure_api.seed import address_hint, load_citizens

MARIA = load_citizens()[0]  # config/demo/citizens.toml: Calle de los Álamos 14


def test_each_debt_names_its_account_and_the_street_but_never_the_house_number(
        api_kiosk: EnrolledKiosk) -> None:
    client = api_kiosk.client()
    debts = {d["kind"]: d for d in client.debts(national_number=MARIA["national_number"])}
    street = MARIA["street"]
    assert debts["property_tax"]["account"] == "CAT-000001"
    assert debts["water"]["account"] == "AG00000001"
    assert debts["fine"]["account"] == "VE0001"
    for kind in ("property_tax", "water"):
        hint = debts[kind]["address_hint"]
        assert hint and street.startswith(hint) and hint != street
        assert not any(char.isdigit() for char in hint)
    assert debts["fine"]["address_hint"] is None  # a vehicle has no address to show
    bill = client.bill(debts["property_tax"]["reference"])
    assert (bill["account"], bill["address_hint"]) == ("CAT-000001", "Calle de los Álamos")


def test_the_address_hint_drops_numbers_flats_and_anything_after_them() -> None:
    assert address_hint("Avenida del Río 3, 2.º B") == "Avenida del Río"
    assert address_hint("Calle de los Álamos 14") == "Calle de los Álamos"
    assert address_hint("") is None and address_hint("12") is None

