"""The Pay journey's values: bills, what a search found, the selection and the outcome.

Plain frozen data shared by the Pay service (``pay_bills.py``), its receipts and screens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from common.money import Money
from drivers.printer.receipt import Receipt
from kiosk.i18n import load_catalog
from kiosk.services.bill_keys import account_label
from offline_cache.journal import Payment


def normalise_reference(typed: str) -> str | None:
    """Turn what was typed (" 2000-0000 0001 ") into a reference, or None if it cannot be one.

    References are digits and letters; spaces, dashes, dots and slashes are typing aids.
    """
    compact = re.sub(r"[\s\-./]", "", typed).upper()
    return compact if re.fullmatch(r"[A-Z0-9]{1,40}", compact) else None


@dataclass(frozen=True)
class PayableBill:
    """A debt the citizen may pay, from the API or from a bill's barcode."""

    reference: str
    amount: Money
    due_date: str
    kind: str = "bill"
    description: dict[str, str] = field(default_factory=dict)
    account: str = ""  # the property, water account or plate it is for ("" if unknown)
    address_hint: str = ""  # the street without its number, to recognise the property


def receipt_descriptions(bills: tuple[PayableBill, ...]) -> dict[str, dict[str, str]]:
    """Each bill's receipt text per language, naming the property or account it is for."""
    described: dict[str, dict[str, str]] = {}
    for bill in bills:
        texts = {}
        for language, text in bill.description.items():
            label = account_label(bill.kind, bill.account, bill.address_hint,
                                  load_catalog(language)._)
            texts[language] = f"{text} ({label})" if label else text
        described[bill.reference] = texts
    return described


@dataclass(frozen=True)
class DebtsFound:
    """The answer to a debt search; ``message_key`` set when there is nothing to show."""

    bills: tuple[PayableBill, ...]
    offline: bool = False
    message_key: str | None = None


class SelectionState(StrEnum):
    OPEN = "open"
    PAYING = "paying"
    SEALED = "sealed"  # approved or unknown: must never reach the terminal again


@dataclass
class Selection:
    """The bills the citizen chose and their sum, the amount charged; paid at most once."""

    bills: tuple[PayableBill, ...]
    total: Money  # summed once, when chosen; the terminal, journal and screens all show it
    state: SelectionState = SelectionState.OPEN


class PayResult(StrEnum):
    PAID_PRINTED = "paid_printed"
    PAID_RECEIPT_ON_SCREEN = "paid_receipt_on_screen"
    NOT_PAID = "not_paid"
    CHECKING = "checking"  # outcome unknown: recovery settles it; never charged twice


@dataclass(frozen=True)
class PayOutcome:
    """What the pay screen shows after a payment attempt."""

    result: PayResult
    message_key: str
    payment: Payment | None
    receipt: Receipt | None = None
    print_job_id: int | None = None
    pending_confirmation: bool = False
