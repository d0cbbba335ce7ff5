"""The numbers a municipality knows a debt by, besides a bill's reference: plain data.

A property is known by its cadastral key (``CAT-000123``), a water connection by its
account (``AG00000123``), a vehicle by its plate (``AB1234`` or ``BBCL12``). Each has a
format checked on the kiosk, so a mistyped number gets a plain message at once instead of
a round trip and "nothing found". The API looks the debts up (``GET /v1/debts``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from common.text import N_


class AccountKind(StrEnum):
    """A lookup key the API accepts (the query parameter's name)."""

    CADASTRAL_KEY = "cadastral_key"
    WATER_ACCOUNT = "water_account"
    PLATE = "plate"


@dataclass(frozen=True)
class AccountFormat:
    """How one kind of number is written, and what to say when it is not."""

    kind: AccountKind
    pattern: re.Pattern[str]
    wrong_format: str  # a msgid: what the citizen should check
    prefix: str = ""  # letters printed before the digits, never typed (water: "AG")
    keep_hyphen: bool = False  # part of the number, not a typing aid


FORMATS: dict[AccountKind, AccountFormat] = {
    AccountKind.CADASTRAL_KEY: AccountFormat(
        AccountKind.CADASTRAL_KEY, re.compile(r"[A-Z]{3}-\d{6}"),
        N_("A cadastral key has three letters, a hyphen and six digits, for example "
           "CAT-000123. Please check it on your property tax bill."), keep_hyphen=True),
    AccountKind.WATER_ACCOUNT: AccountFormat(
        AccountKind.WATER_ACCOUNT, re.compile(r"AG\d{8}"),
        N_("A water account has 8 digits after “AG”, for example AG 0000 0123. Please "
           "check it on your water bill."), prefix="AG"),
    AccountKind.PLATE: AccountFormat(
        AccountKind.PLATE, re.compile(r"[A-Z]{2}\d{4}|[A-Z]{4}\d{2}"),
        N_("A plate has two letters and four digits (AB 1234) or four letters and two "
           "digits (BBCL 12). Please check it on the vehicle or the fine notice.")),
}

# Which debts a payable procedure is about (the debt's ``kind`` at the API) and the number
# its own bills are known by; procedures not listed offer every way.
PROCEDURE_DEBT_KINDS: dict[str, str] = {
    "property_tax": "property_tax", "water_bill": "water", "traffic_fine": "fine",
    "advertising_tax": "advertising_tax", "business_licence_renewal": "licence",
}
PROCEDURE_ACCOUNTS: dict[str, AccountKind] = {
    "property_tax": AccountKind.CADASTRAL_KEY, "water_bill": AccountKind.WATER_ACCOUNT,
    "traffic_fine": AccountKind.PLATE,
}

# What a debt is for, by its kind: said on the confirm screen and on the receipt.
ACCOUNT_LABELS: dict[str, str] = {
    "property_tax": N_("Property %s"), "water": N_("Water account %s"),
    "fine": N_("Vehicle with plate %s"),
}
OTHER_ACCOUNT = N_("Account %s")
ON_STREET = N_("%(account)s, on %(street)s")


def account_label(kind: str, account: str, address_hint: str,
                  translate: Callable[[str], str]) -> str:
    """Say whose bill it is ("Property CAT-000001, on Calle de los Álamos"); "" if unknown."""
    if not account:
        return ""
    label = translate(ACCOUNT_LABELS.get(kind, OTHER_ACCOUNT)) % account
    if address_hint:
        return translate(ON_STREET) % {"account": label, "street": address_hint}
    return label


def normalise_account(kind: AccountKind, typed: str) -> str | None:
    """Turn what was typed into the number the API knows, or None when it cannot be one.

    Spaces and dots are typing aids; so is a hyphen on a plate. A cadastral key typed
    without its hyphen gets it back; the water account's printed "AG" is added.
    """
    spec = FORMATS[kind]
    compact = re.sub(r"[\s.]" if spec.keep_hyphen else r"[\s.\-]", "", typed).upper()
    if spec.keep_hyphen and "-" not in compact:
        compact = re.sub(r"^([A-Z]+)(\d+)$", r"\1-\2", compact)
    if spec.prefix and not compact.startswith(spec.prefix):
        compact = spec.prefix + compact
    return compact if spec.pattern.fullmatch(compact) else None


def ways_for(procedure_id: str) -> tuple[AccountKind, ...]:
    """The numbers a procedure's bills can be found by (every way when it names none)."""
    own = PROCEDURE_ACCOUNTS.get(procedure_id)
    return (own,) if own is not None else tuple(AccountKind)
