"""GET /v1/bills/{reference} through kiosk.api.ApiClient against the real reference server."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from kiosk.api import ApiOffline, ApiRejected, ApiUnauthorized
from kiosk.simulated.api import ApiServer, EnrolledKiosk, enrol_kiosk

LUIS = "92073021194"  # the 4th demo citizen (config/demo/citizens.toml); no other test pays
LUIS_PROPERTY_TAX, LUIS_WATER = "100000000004", "200000000004"


def test_a_pending_bill_is_found_by_its_reference_exactly_as_the_debt_list_shows_it(
        api_kiosk: EnrolledKiosk) -> None:
    client = api_kiosk.client()
    (listed,) = [d for d in client.debts(national_number=LUIS)
                 if d["reference"] == LUIS_WATER]
    assert client.bill(LUIS_WATER) == listed
    assert listed["status"] == "pending" and listed["kind"] == "water"


def test_an_unknown_reference_is_a_404_with_a_plain_message_in_the_kiosks_language(
        api_kiosk: EnrolledKiosk) -> None:
    with pytest.raises(ApiRejected) as spanish:
        api_kiosk.client().bill("999999999000")
    with pytest.raises(ApiRejected) as english:
        api_kiosk.client(language="en").bill("999999999000")
    assert spanish.value.status == english.value.status == 404
    assert spanish.value.code == english.value.code == "bill_not_found"
    assert spanish.value.message == "No existe una boleta con este número de referencia."
    assert english.value.message == "There is no bill with this reference number."


def test_a_reference_with_characters_outside_the_contract_is_refused_as_invalid(
        api_kiosk: EnrolledKiosk) -> None:
    with pytest.raises(ApiRejected) as error:
        api_kiosk.client().bill("1000 0000 0004")  # the client sends it verbatim
    assert error.value.status == 422 and error.value.code == "invalid_request"


def test_a_paid_bill_is_still_found_and_its_status_says_paid(api_kiosk: EnrolledKiosk) -> None:
    client = api_kiosk.client()
    bill = client.bill(LUIS_PROPERTY_TAX)
    assert bill["status"] == "pending"
    client.record_payment({
        "ticket": 41, "amount_cents": bill["amount_cents"], "currency": "CLP",
        "bills": [{"reference": LUIS_PROPERTY_TAX, "amount_cents": bill["amount_cents"]}],
        "authorization_code": "B1LL01", "operation_number": "4141", "card_type": "DB",
        "card_last4": "0004", "authorized_at": datetime.now(UTC).isoformat()},
        str(uuid.uuid4()))
    assert client.bill(LUIS_PROPERTY_TAX) == {**bill, "status": "paid"}
    assert LUIS_PROPERTY_TAX not in [d["reference"] for d in client.debts(national_number=LUIS)]


def test_a_bill_is_shown_only_to_an_enrolled_kiosk(api_server: ApiServer) -> None:
    with pytest.raises(ApiUnauthorized):
        api_server.client().bill(LUIS_WATER)
    with pytest.raises(ApiUnauthorized):
        api_server.client(token="not-a-kiosk-token").bill(LUIS_WATER)


@pytest.mark.timeout(30)
def test_a_stopped_server_makes_the_bill_lookup_raise_offline(own_api_server: ApiServer) -> None:
    client = enrol_kiosk(own_api_server).client(connect_timeout_s=1, retries=1)
    assert client.bill(LUIS_WATER)["reference"] == LUIS_WATER
    own_api_server.stop()
    with pytest.raises(ApiOffline):
        client.bill(LUIS_WATER)
