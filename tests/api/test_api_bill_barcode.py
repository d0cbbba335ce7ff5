"""The bill barcode: round trip, and the check digits catch typing and scanning errors."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.bill_barcode import LENGTH, MAX_AMOUNT_CENTS, BarcodeError, Bill, decode, encode
from kiosk.settings import PROJECT_ROOT
from kiosk.simulated.api import ApiServer

bills = st.builds(
    Bill,
    reference=st.from_regex(r"\A[0-9]{12}\Z"),
    amount_cents=st.integers(1, MAX_AMOUNT_CENTS),
    due_date=st.dates(date(2000, 1, 1), date(2099, 12, 31)),
)


@settings(max_examples=200)
@given(bills)
def test_encoded_bill_decodes_to_itself(bill: Bill) -> None:
    code = encode(bill)
    assert len(code) == LENGTH and code.isdigit()
    assert decode(code) == bill


@settings(max_examples=200)
@given(bills, st.integers(0, LENGTH - 1), st.integers(1, 9))
def test_any_single_digit_error_is_detected(bill: Bill, position: int, delta: int) -> None:
    code = encode(bill)
    wrong = code[:position] + str((int(code[position]) + delta) % 10) + code[position + 1:]
    with pytest.raises(BarcodeError):
        decode(wrong)


@settings(max_examples=200)
@given(bills, st.integers(0, LENGTH - 2))
def test_any_adjacent_swap_is_detected(bill: Bill, position: int) -> None:
    code = encode(bill)
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2:]
    if swapped != code:
        with pytest.raises(BarcodeError):
            decode(swapped)


def test_spaces_typed_by_a_person_are_ignored() -> None:
    code = encode(Bill("100000000001", 7122600, date(2026, 12, 31)))
    assert decode(" ".join(code[i:i + 4] for i in range(0, LENGTH, 4))).amount_cents == 7122600


@pytest.mark.parametrize(("text", "reason"), [
    ("12ab", "only digits"), ("123", "expected 34 digits"),
    ("02" + "0" * 32, "unknown format version"),
])
def test_malformed_barcodes_say_why(text: str, reason: str) -> None:
    with pytest.raises(BarcodeError, match=reason):
        decode(text)


def test_encode_refuses_what_the_format_cannot_hold() -> None:
    with pytest.raises(ValueError):
        encode(Bill("ABC", 100, date(2026, 1, 1)))
    with pytest.raises(ValueError):
        encode(Bill("100000000001", 0, date(2026, 1, 1)))


def test_demo_bills_printed_by_the_server_decode_to_their_debts(api_server: ApiServer) -> None:
    output = subprocess.run(
        [sys.executable, "-m", "procedure_api", "bills", "--db", str(api_server.db_path)],
        cwd=PROJECT_ROOT, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True, text=True, check=True, timeout=60).stdout.splitlines()
    assert len(output) >= 8
    for line in output:
        _kind, reference, amount, due, code = line.split()
        bill = decode(code)
        assert (bill.reference, bill.amount_cents, bill.due_date.isoformat()) == (
            reference, int(amount), due)
