"""A fixed fee opens its case "awaiting payment" with a fee bill; paying the bill moves it on.

The fee bill is a debt like any other (kind ``fee``, a 12-digit number a citizen types on
the bill-number keypad), found by its number or by the case number, and settled by the one
payment endpoint; the payment that settles it moves the case to ``received``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from kiosk.api import ApiClient
from kiosk.api_errors import ApiRejected
from kiosk.simulated.api import ApiServer, enrol_kiosk

FEE_CENTS = 50_000


@pytest.fixture(scope="module")
def fee_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """A server whose complaint (no identity needed) costs $500 for these tests."""
    with ApiServer(tmp_path_factory.mktemp("fees")) as server:
        server.staff("PATCH", "/staff/procedures/complaint",
                     {"fee": {"kind": "fixed", "amount_cents": FEE_CENTS}})
        yield server


@pytest.fixture
def client(fee_api: ApiServer) -> Iterator[ApiClient]:
    client = enrol_kiosk(fee_api).client()
    yield client
    client.close()


def _submit(client: ApiClient, procedure_id: str, form: dict[str, Any]) -> str:
    return client.submit({"procedure_id": procedure_id, "form": form,
                          "submitted_at": datetime.now(UTC).isoformat()}, str(uuid.uuid4()))


def _pay(client: ApiClient, reference: str, amount_cents: int) -> dict[str, Any]:
    return dict(client.record_payment({
        "ticket": 9, "amount_cents": amount_cents, "currency": "CLP",
        "bills": [{"reference": reference, "amount_cents": amount_cents}],
        "authorization_code": "A1B2C3", "operation_number": "000999", "card_type": "DB",
        "card_last4": "4242", "authorized_at": datetime.now(UTC).isoformat()},
        str(uuid.uuid4())))


def test_a_fixed_fee_case_awaits_its_fee_bill_and_moves_on_once_it_is_paid(
        client: ApiClient) -> None:
    case_number = _submit(client, "complaint", {"details": "Un bache en la calle"})
    assert client.case_status(case_number)["status"] == "awaiting_payment"
    assert client.case_status(case_number)["status_label"]["en"] == (
        "Waiting for the fee to be paid")

    by_case = client.bill(case_number)  # the fee, found by the case number ...
    assert by_case["kind"] == "fee" and by_case["status"] == "pending"
    assert by_case["amount_cents"] == FEE_CENTS
    assert case_number in by_case["description"]["es"]
    reference = by_case["reference"]
    assert re.fullmatch(r"9\d{11}", reference)  # ... and by its own bill number
    assert client.bill(reference) == by_case
    assert client.bill(case_number.replace("-", "")) == by_case  # as the kiosk normalises

    recorded = _pay(client, reference, FEE_CENTS)
    assert recorded["needs_review"] is False
    assert client.bill(reference)["status"] == "paid"
    assert client.case_status(case_number)["status"] == "received"
    copy = client.receipt_copy(case_number, None)  # a reprint: the request and its payment
    assert copy["kind"] == "payment" and copy["case_number"] == case_number
    assert copy["procedure_id"] == "complaint" and copy["payment"] is not None
    assert copy["payment"]["card_last4"] == "4242"
    assert [line["reference"] for line in copy["lines"]] == [reference]


def test_a_fee_paid_for_another_amount_goes_to_review_and_the_case_keeps_waiting(
        client: ApiClient) -> None:
    case_number = _submit(client, "complaint", {"details": "Otro bache"})
    reference = client.bill(case_number)["reference"]
    recorded = _pay(client, reference, FEE_CENTS - 100)
    assert recorded["needs_review"] and "bill_amount_differs" in recorded["review_reasons"]
    assert client.case_status(case_number)["status"] == "awaiting_payment"


def test_a_free_procedure_opens_a_received_case_without_a_bill(client: ApiClient) -> None:
    case_number = _submit(client, "street_light_report", {
        "address": "Calle 1", "details": "Poste apagado"})
    assert client.case_status(case_number)["status"] == "received"
    with pytest.raises(ApiRejected) as refused:
        client.bill(case_number)
    assert refused.value.code == "bill_not_found"
