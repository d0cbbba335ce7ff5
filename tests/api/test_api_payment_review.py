"""Payments are always recorded; an implausible time or a bill that does not match is
flagged for review with its reason, and only a payment inside the window settles its debts."""

from __future__ import annotations

import itertools
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.api import ApiClient
from kiosk.simulated.api import ApiServer, enrol_kiosk
from rig.config import PROJECT_ROOT

BILL_INDEXES = itertools.count(100_000)  # the synthetic citizens' debts (procedure_api/seed.py)


@pytest.fixture(scope="module")
def money_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """A server with enough unpaid bills for every test here to pay its own."""
    with ApiServer(tmp_path_factory.mktemp("money"),
                            extra_args=["--synthetic-citizens", "60"]) as server:
        yield server


@pytest.fixture
def client(money_api: ApiServer) -> Iterator[ApiClient]:
    client = enrol_kiosk(money_api).client()
    yield client
    client.close()


def _bill(client: ApiClient) -> tuple[str, int]:
    """Return an unpaid bill nobody else pays: (reference, amount)."""
    reference = f"1{next(BILL_INDEXES):011d}"
    debt = client.bill(reference)
    assert debt["status"] == "pending"
    return reference, debt["amount_cents"]


def _pay(client: ApiClient, bills: list[tuple[str, int]], authorized_at: datetime | str,
         **fields: Any) -> dict[str, Any]:
    when = authorized_at if isinstance(authorized_at, str) else authorized_at.isoformat()
    body = {"ticket": 7, "amount_cents": sum(amount for _, amount in bills), "currency": "CLP",
            "bills": [{"reference": ref, "amount_cents": amount} for ref, amount in bills],
            "authorization_code": "A1B2C3", "operation_number": "000777", "card_type": "DB",
            "card_last4": "4242", "authorized_at": when, **fields}
    return dict(client.record_payment(body, str(uuid.uuid4())))


def _now() -> datetime:
    return datetime.now(UTC)


def test_payment_45_days_late_settles_its_debts(client: ApiClient) -> None:
    bill = _bill(client)
    answer = _pay(client, [bill], _now() - timedelta(days=45))
    assert answer["needs_review"] is False and answer["review_reasons"] == []
    assert client.bill(bill[0])["status"] == "paid"


def test_audit_payment_with_a_1970_time_is_recorded_for_review_unsettled(
    client: ApiClient,
) -> None:
    bill = _bill(client)
    answer = _pay(client, [bill], "1970-01-01T00:00:00+00:00", authorization_code="FAKE01")
    assert answer["status"] == "recorded" and answer["payment_id"].startswith("PAY-")
    assert answer["needs_review"] is True
    assert answer["review_reasons"] == ["authorized_at_out_of_window"]
    assert client.bill(bill[0])["status"] == "pending"


@pytest.mark.parametrize(("offset", "settles"), [
    (timedelta(days=-89, hours=-23), True), (timedelta(days=-90, minutes=-1), False),
    (timedelta(minutes=9), True), (timedelta(minutes=11), False), (timedelta(days=400), False),
])
def test_only_a_payment_inside_the_window_settles(
    client: ApiClient, offset: timedelta, settles: bool
) -> None:
    bill = _bill(client)
    answer = _pay(client, [bill], _now() + offset)
    assert answer["needs_review"] is not settles
    assert client.bill(bill[0])["status"] == ("paid" if settles else "pending")


def test_each_review_case_names_its_reason(client: ApiClient) -> None:
    paid, other = _bill(client), _bill(client)
    now = _now()
    assert _pay(client, [paid], now)["review_reasons"] == []
    assert _pay(client, [paid], now)["review_reasons"] == ["bill_already_paid"]
    assert _pay(client, [("NO-SUCH-BILL-1", 1000)], now)["review_reasons"] == ["bill_unknown"]
    assert _pay(client, [(other[0], other[1] + 100)], now)["review_reasons"] == [
        "bill_amount_differs"]
    short = _pay(client, [other], now, amount_cents=other[1] - 100)
    assert short["review_reasons"] == ["amount_mismatch"]
    assert client.bill(other[0])["status"] == "paid"  # as before: the matching bill settles


def test_replayed_payment_answers_the_same_review(client: ApiClient) -> None:
    body = {"ticket": 8, "amount_cents": 500, "currency": "CLP",
            "bills": [{"reference": "NO-SUCH-BILL-2", "amount_cents": 500}],
            "authorization_code": "A1", "operation_number": "1", "card_type": "CR",
            "card_last4": "0000", "authorized_at": _now().isoformat()}
    key = str(uuid.uuid4())
    assert client.record_payment(body, key) == client.record_payment(body, key)


def test_payment_age_beyond_the_key_retention_is_refused_at_start(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "procedure_api", "serve", "--db", str(tmp_path / "db.sqlite"),
         "--idempotency-days", "60", "--payment-max-age-days", "61"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "payment_max_age_days" in result.stderr
