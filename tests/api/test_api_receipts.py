"""What a reprint needs, answered for a receipt from any kiosk, once the citizen proves it.

A QR key or a case number finds the receipt alone; a payment's printed reference needs the
card's last four digits; wrong answers are refused and, five times in 15 minutes, the kiosk
must wait (429 with Retry-After). The answer holds no personal data.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from kiosk.api import ApiClient
from kiosk.api_errors import ApiRejected
from kiosk.simulated.api import ApiServer, enrol_kiosk

BILL = "100000000001"  # the first demo citizen's property tax (procedure_api/seed.py)


@pytest.fixture(scope="module")
def receipts_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    with ApiServer(tmp_path_factory.mktemp("receipts")) as server:
        yield server


@pytest.fixture
def client(receipts_api: ApiServer) -> Iterator[ApiClient]:
    """A kiosk of its own for each test (wrong tries are counted per kiosk)."""
    client = enrol_kiosk(receipts_api).client()
    yield client
    client.close()


def _pay(client: ApiClient, ticket: int, last4: str) -> tuple[str, dict[str, Any]]:
    key = str(uuid.uuid4())
    amount = client.bill(BILL)["amount_cents"]
    client.record_payment({
        "ticket": ticket, "amount_cents": amount, "currency": "CLP",
        "bills": [{"reference": BILL, "amount_cents": amount}],
        "authorization_code": "A1B2C3", "operation_number": "000777", "card_type": "DB",
        "card_last4": last4, "authorized_at": datetime.now(UTC).isoformat()}, key)
    return key, client.bill(BILL)


def _refused(client: ApiClient, reference: str, check: str | None) -> ApiRejected:
    with pytest.raises(ApiRejected) as refused:
        client.receipt_copy(reference, check)
    return refused.value


def test_a_payment_receipt_is_found_by_its_qr_key_or_by_its_reference_and_last_four(
        receipts_api: ApiServer, client: ApiClient) -> None:
    key, debt = _pay(client, 4711, "4242")
    other_kiosk = enrol_kiosk(receipts_api).client()  # any kiosk can ask
    try:
        by_qr = other_kiosk.receipt_copy(key, None)
        by_typed = other_kiosk.receipt_copy("pag-004711", "4242")
    finally:
        other_kiosk.close()
    assert by_qr == by_typed
    assert by_qr["kind"] == "payment" and by_qr["case_number"] is None
    assert by_qr["payment"] is not None and by_qr["payment"]["idempotency_key"] == key
    assert by_qr["payment"]["card_last4"] == "4242" and by_qr["payment"]["ticket"] == 4711
    (line,) = by_qr["lines"]
    assert line["reference"] == BILL and line["description"] == debt["description"]
    assert "national_number" not in str(by_qr)  # nothing of the person


def test_wrong_last_four_are_refused_and_five_wrong_tries_lock_the_kiosk_out(
        client: ApiClient) -> None:
    _pay(client, 5812, "1357")
    for wrong in ("1111", "2468", "1358", "0000", "9999"):
        refused = _refused(client, "PAG-005812", wrong)
        assert refused.status == 404 and refused.code == "receipt_not_found"
    locked = _refused(client, "PAG-005812", "1357")  # even the right digits must wait now
    assert locked.status == 429 and locked.code == "too_many_receipt_attempts"


def test_a_request_receipt_is_found_by_its_case_number_or_its_provisional_reference(
        client: ApiClient) -> None:
    key = str(uuid.uuid4())
    case_number = client.submit({"procedure_id": "street_light_report",
                                 "form": {"address": "Calle 1", "details": "Poste apagado"},
                                 "submitted_at": datetime.now(UTC).isoformat()}, key)
    by_case = client.receipt_copy(case_number, None)
    assert by_case["kind"] == "request" and by_case["case_number"] == case_number
    assert by_case["case_key"] == key and by_case["payment"] is None
    assert by_case["lines"][0]["description"]["es"] == "Avisar de un farol apagado"
    provisional = "SOL-" + key.replace("-", "")[:8].upper()
    assert client.receipt_copy(provisional, case_number) == by_case
    assert _refused(client, provisional, "VE-1999-000001").status == 404
