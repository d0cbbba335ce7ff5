"""Terminal batch closes: kept with their totals, compared with what the server recorded."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from kiosk.api import ApiClient, ApiRejected
from kiosk.api_types import CloseAnswer
from kiosk.simulated.api import ApiServer, EnrolledKiosk, enrol_kiosk

BILL_INDEXES = itertools.count(100_000)


@pytest.fixture(scope="module")
def close_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """A server with enough unpaid bills for every test here to pay its own."""
    with ApiServer(tmp_path_factory.mktemp("closes"),
                            extra_args=["--synthetic-citizens", "60"]) as server:
        yield server


@pytest.fixture
def kiosk(close_api: ApiServer) -> Iterator[tuple[EnrolledKiosk, ApiClient]]:
    enrolled = enrol_kiosk(close_api)
    client = enrolled.client()
    yield enrolled, client
    client.close()


def _pay(client: ApiClient, operation: str, at: datetime | None = None) -> tuple[str, int]:
    """Pay a fresh bill as the terminal's ``operation``; return (payment_id, amount)."""
    reference = f"2{next(BILL_INDEXES):011d}"
    amount = client.bill(reference)["amount_cents"]
    answer = client.record_payment({
        "ticket": 1, "amount_cents": amount, "currency": "CLP",
        "bills": [{"reference": reference, "amount_cents": amount}],
        "authorization_code": "123456", "operation_number": operation, "card_type": "DB",
        "card_last4": "4242",
        "authorized_at": (at or datetime.now(UTC) - timedelta(minutes=5)).isoformat()},
        str(uuid.uuid4()))
    return answer["payment_id"], amount


def _close(client: ApiClient, operations: list[str], count: int, total: int,
           key: str | None = None, **fields: Any) -> CloseAnswer:
    body = {"closed_at": datetime.now(UTC).isoformat(), "terminal_id": "TERM-0001",
            "sales_count": count, "sales_total_cents": total, "operations": operations,
            "kiosk_count": count, "kiosk_total_cents": total, **fields}
    return client.close_batch(body, key or str(uuid.uuid4()))


def _flagged(server: ApiServer, kiosk_id: str) -> dict[str, list[str]]:
    payments = server.staff("GET", f"/staff/payments?needs_review=true&kiosk_id={kiosk_id}")
    return {p["payment_id"]: p["review_reasons"] for p in payments["payments"]}


def test_close_listing_every_payment_reconciles(
    close_api: ApiServer, kiosk: tuple[EnrolledKiosk, ApiClient]
) -> None:
    enrolled, client = kiosk
    (_, first), (_, second) = _pay(client, "000101"), _pay(client, "000102")
    answer = _close(client, ["000101", "000102"], 2, first + second)
    assert answer["status"] == "reconciled"
    assert (answer["server_count"], answer["server_total_cents"]) == (2, first + second)
    assert answer["missing_at_server"] == answer["not_in_terminal"] == []
    [kept] = close_api.staff("GET", f"/staff/closes?kiosk_id={enrolled.kiosk_id}")["closes"]
    assert kept["close_id"] == answer["close_id"] and kept["terminal_id"] == "TERM-0001"
    assert (kept["sales_count"], kept["sales_total_cents"]) == (2, first + second)
    assert kept["operations"] == ["000101", "000102"]
    assert _flagged(close_api, enrolled.kiosk_id) == {}


def test_payment_the_terminal_does_not_list_is_flagged(
    close_api: ApiServer, kiosk: tuple[EnrolledKiosk, ApiClient]
) -> None:
    enrolled, client = kiosk
    (_, listed), (extra, _) = _pay(client, "000201"), _pay(client, "000202")
    answer = _close(client, ["000201"], 1, listed)
    assert answer["status"] == "differences" and answer["not_in_terminal"] == [extra]
    assert _flagged(close_api, enrolled.kiosk_id) == {extra: ["not_in_terminal_batch"]}


def test_operation_the_server_never_received_is_reported_missing(
    kiosk: tuple[EnrolledKiosk, ApiClient],
) -> None:
    _, client = kiosk
    _, amount = _pay(client, "000301")
    answer = _close(client, ["000301", "000302"], 2, amount + 5000)
    assert answer["status"] == "differences"
    assert answer["missing_at_server"] == ["000302"] and answer["not_in_terminal"] == []


def test_the_same_operation_recorded_twice_flags_the_second(
    close_api: ApiServer, kiosk: tuple[EnrolledKiosk, ApiClient]
) -> None:
    enrolled, client = kiosk
    (_, amount), (twice, _) = _pay(client, "  000401"), _pay(client, "000401")
    answer = _close(client, ["000401  "], 1, amount)  # as printed: padding does not matter
    assert answer["not_in_terminal"] == [twice]
    assert list(_flagged(close_api, enrolled.kiosk_id)) == [twice]


def test_without_an_operation_list_counts_and_totals_are_compared(
    kiosk: tuple[EnrolledKiosk, ApiClient],
) -> None:
    _, client = kiosk
    _, amount = _pay(client, "000501")
    assert _close(client, [], 1, amount)["status"] == "reconciled"
    _, amount = _pay(client, "000502")
    answer = _close(client, [], 1, amount + 1)
    assert answer["status"] == "differences" and answer["not_in_terminal"] == []


def test_a_terminal_that_sold_nothing_flags_every_recorded_payment(
    kiosk: tuple[EnrolledKiosk, ApiClient],
) -> None:
    _, client = kiosk
    extra, _ = _pay(client, "000601")
    answer = _close(client, [], 0, 0)
    assert answer["status"] == "differences" and answer["not_in_terminal"] == [extra]


def test_kiosk_journal_that_disagrees_is_a_difference(
    kiosk: tuple[EnrolledKiosk, ApiClient],
) -> None:
    _, client = kiosk
    _, amount = _pay(client, "000701")
    answer = _close(client, ["000701"], 1, amount, kiosk_count=2, kiosk_total_cents=amount * 2)
    assert answer["status"] == "differences"
    assert answer["missing_at_server"] == answer["not_in_terminal"] == []


def test_each_close_covers_the_payments_since_the_previous_one(
    kiosk: tuple[EnrolledKiosk, ApiClient],
) -> None:
    _, client = kiosk
    _, first = _pay(client, "000801")
    assert _close(client, ["000801"], 1, first)["status"] == "reconciled"
    _, second = _pay(client, "000802")
    later = _pay(client, "000803", at=datetime.now(UTC) + timedelta(minutes=5))
    answer = _close(client, ["000802"], 1, second)  # 000803 is after this close: next batch
    assert answer["status"] == "reconciled" and answer["server_count"] == 1
    next_close = (datetime.now(UTC) + timedelta(minutes=6)).isoformat()
    assert _close(client, ["000803"], 1, later[1], closed_at=next_close)["status"] == "reconciled"


def test_close_is_recorded_once_per_idempotency_key(
    close_api: ApiServer, kiosk: tuple[EnrolledKiosk, ApiClient]
) -> None:
    enrolled, client = kiosk
    key = str(uuid.uuid4())
    body: dict[str, Any] = {"closed_at": datetime.now(UTC).isoformat(), "terminal_id": "T1",
                            "sales_count": 0, "sales_total_cents": 0, "kiosk_count": 0,
                            "kiosk_total_cents": 0}
    first = client.close_batch(body, key)
    assert client.close_batch(body, key) == first
    with pytest.raises(ApiRejected) as error:
        client.close_batch({**body, "sales_count": 1}, key)
    assert error.value.code == "idempotency_conflict"
    closes = close_api.staff("GET", f"/staff/closes?kiosk_id={enrolled.kiosk_id}")["closes"]
    assert [c["close_id"] for c in closes] == [first["close_id"]]


def test_staff_read_closes_newest_first_and_kiosks_cannot(
    close_api: ApiServer, kiosk: tuple[EnrolledKiosk, ApiClient]
) -> None:
    enrolled, client = kiosk
    ids = [_close(client, [], 0, 0)["close_id"] for _ in range(3)]
    closes = close_api.staff("GET", f"/staff/closes?kiosk_id={enrolled.kiosk_id}")["closes"]
    assert [c["close_id"] for c in closes] == ids[::-1]
    assert ids[-1] in {c["close_id"] for c in close_api.staff("GET", "/staff/closes")["closes"]}
    refused = requests.get(enrolled.base_url + "/staff/closes", timeout=10,
                           headers={"Authorization": f"Bearer {enrolled.token}"})
    assert refused.status_code == 401
