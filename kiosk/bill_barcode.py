"""Encode and decode the barcode printed on municipal bills, so a bill can be paid offline.

Format (34 decimal digits, even length so it packs into Code 128 set C or Interleaved 2 of 5)::

    VV RRRRRRRRRRRR AAAAAAAAAA YYYYMMDD CC
    │  │            │          │        └ check digits, ISO 7064 MOD 97-10 over the 32 before
    │  │            │          └ due date
    │  │            └ amount in cents (minor units), zero-padded
    │  └ bill reference (12 digits, the debt reference in the API)
    └ format version, "01"

MOD 97-10 (as in IBAN) catches every single-digit error and every adjacent transposition,
which a scanner misread or a person typing the number by hand would produce. Pure module:
the kiosk decodes offline and the reference server imports the same code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

VERSION = "01"
LENGTH = 34
_REFERENCE = re.compile(r"^[0-9]{12}$")
MAX_AMOUNT_CENTS = 9_999_999_999


class BarcodeError(ValueError):
    """The barcode is not a valid bill barcode; ``reason`` says why in English."""

    message_key = "This bill's barcode cannot be read. Type the bill number instead."

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Bill:
    reference: str
    amount_cents: int
    due_date: date


def check_digits(payload: str) -> str:
    """Return the two MOD 97-10 check digits for a string of digits."""
    return f"{98 - (int(payload) * 100) % 97:02d}"


def encode(bill: Bill) -> str:
    """Build the barcode digits for a bill; ValueError if a field does not fit the format."""
    if not _REFERENCE.match(bill.reference):
        raise ValueError("the reference must be 12 digits")
    if not 0 < bill.amount_cents <= MAX_AMOUNT_CENTS:
        raise ValueError("the amount must be between 1 and 9,999,999,999 cents")
    if bill.due_date.year < 1000:
        raise ValueError("the due date year must have four digits")
    payload = f"{VERSION}{bill.reference}{bill.amount_cents:010d}{bill.due_date:%Y%m%d}"
    return payload + check_digits(payload)


def decode(barcode: str) -> Bill:
    """Read a bill from scanned or typed digits (spaces ignored); BarcodeError if invalid."""
    digits = "".join(barcode.split())
    if not digits.isascii() or not digits.isdigit():
        raise BarcodeError("only digits are allowed")
    if len(digits) != LENGTH:
        raise BarcodeError(f"expected {LENGTH} digits, got {len(digits)}")
    if not digits.startswith(VERSION):
        raise BarcodeError(f"unknown format version {digits[:2]}")
    if int(digits) % 97 != 1:
        raise BarcodeError("the check digits do not match")
    amount = int(digits[14:24])
    if amount == 0:
        raise BarcodeError("the amount is zero")
    try:
        due = date(int(digits[24:28]), int(digits[28:30]), int(digits[30:32]))
    except ValueError as err:
        raise BarcodeError("the due date is not a real date") from err
    return Bill(reference=digits[2:14], amount_cents=amount, due_date=due)
