"""Every way the municipality knows a bill, by touch on the real stacks.

A cadastral key, a water account and a plate each have their own keypad, an example and a
plain message for a wrongly shaped number; the debts they find are the API's, and the
amount to confirm is what the town hall holds. A typed barcode with a wrong check digit
is refused on the kiosk, and so is an e-ID PIN too short, before the card spends a try.
(Paying by the reference and by the e-ID: tests/ui/test_pay_journey.py.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from common.money import Money, format_money
from drivers.eid.errors import PinFormatInvalid
from kiosk.bill_barcode import BarcodeError
from kiosk.i18n import load_catalog
from kiosk.services.bill_keys import AccountKind
from rig.harness import KioskUI
from screens.pay_entry import REFERENCE_FULL
from tests.fixtures.ui import MARIA, WAIT_CARD_S, KioskStack
from tests.ui.pay_steps import FINE, barcode_of, open_pay_for, pending_debts, scan, texts
from tests.ui.test_identify_journey import _look_both as look_both


@dataclass(frozen=True)
class Way:
    """One way of finding a bill: the procedure, what is typed wrong, then right."""

    procedure: str  # its Spanish title in the Pay list
    kind: AccountKind
    wrong: str
    right: str  # typed as a citizen reads it off her bill
    debt_kind: str  # what the API's debts for it are
    column: str  # where the API keeps the number
    stored: str  # the number as the API keeps it
    wrong_says: str  # part of the plain message
    english: str  # part of the English title


WAYS = [
    Way("Pagar el impuesto predial", AccountKind.CADASTRAL_KEY, "CAT00001", "CAT-000001",
        "property_tax", "cadastral_key", "CAT-000001", "tres letras, un guion y seis dígitos",
        "cadastral key"),
    Way("Pagar la cuenta del agua", AccountKind.WATER_ACCOUNT, "12345", "00000001",
        "water", "water_account", "AG00000001", "8 dígitos después de “AG”",
        "water account"),
    Way("Pagar una multa de tránsito", AccountKind.PLATE, "V0001", "VE-0001",
        "fine", "plate", "VE0001", "dos letras y cuatro dígitos", "plate"),
]


def _typed(ui: KioskUI) -> str:
    return str(ui.call("widget", target="field")["text"])


@pytest.mark.parametrize("way", WAYS, ids=[w.kind.value for w in WAYS])
def test_a_bill_is_found_by_its_account_number_after_a_plain_wrong_format_message(
        kiosk_stack: KioskStack, artifacts_dir: Path, way: Way) -> None:
    stack = kiosk_stack
    debts = stack.api_rows(
        f"SELECT reference, amount_cents, description_es, kind FROM debts WHERE {way.column}"
        " = ? AND status = 'pending'", way.stored)
    assert debts and {kind for *_, kind in debts} == {way.debt_kind}
    ui = stack.start()
    open_pay_for(ui, way.procedure)
    ways = [b["text"] for b in ui.call("buttons")]
    assert sum("Escriba la" in t or "Escriba su" in t for t in ways) == 1  # only this one
    ui.tap_through((f"pay_{way.kind}", "pay_entry"))
    picture = ui.call("widget", target="picture")  # where the number is on a bill
    if way.kind is AccountKind.PLATE:  # on the vehicle, not on a bill: no picture
        assert picture["height"] == 0
    else:
        assert picture["height"] > 0 and picture["part"] == "account"
    ui.call("type_text", text=way.wrong)
    assert _typed(ui) == ("AG " + way.wrong[:4] + " " + way.wrong[4:] + "|"
                          if way.kind is AccountKind.WATER_ACCOUNT else way.wrong + "|")
    ui.tap("find")
    message = ui.call("widget", target="message")["text"]
    assert way.wrong_says in message
    assert ui.call("screen") == "pay_entry"  # refused on the kiosk, nothing looked up
    look_both(ui, f"pay_entry-{way.kind}-wrong", artifacts_dir, english=way.english)

    for _ in way.wrong:
        ui.tap("\b")  # Delete
    assert _typed(ui) in ("|", "AG |")
    ui.call("type_text", text=way.right)
    assert _typed(ui) == ("AG 0000 0001|" if way.kind is AccountKind.WATER_ACCOUNT
                          else way.right + "|")  # capitals and hyphen as printed
    assert ui.call("widget", target="message")["text"] == ""
    ui.tap("find")
    ui.wait_for_screen("pay_debts")
    total = sum(amount for _, amount, _, _ in debts)
    ui.wait_until(lambda: format_money(Money(total), "es") in texts(ui), "the debts' total")
    ui.tap_through(("continue", "pay_confirm"))
    assert format_money(Money(total), "es") in ui.call("widget", target="total")["text"]
    shown = ui.call("widget", target="lines")["text"]
    assert all(description in shown for _, _, description, _ in debts)
    assert MARIA.national_number not in texts(ui)


def test_a_typed_barcode_with_a_wrong_check_digit_is_refused_then_the_right_one_found(
        kiosk_stack: KioskStack) -> None:
    stack = kiosk_stack
    (debt,) = [d for d in pending_debts(stack) if d[0] == FINE]
    digits = barcode_of(*debt)
    wrong = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    ui = stack.start()
    open_pay_for(ui, "Pagar una multa de tránsito")
    ui.tap_through(("pay_barcode", "pay_entry"))
    assert ui.call("widget", target="picture")["part"] == "barcode"
    for digit in wrong:
        ui.tap(digit)
    ui.tap("find")
    ui.wait_until(lambda: ui.call("widget", target="message")["text"] != "", "a message")
    assert ui.call("screen") == "pay_entry"
    refused = load_catalog("es")._(BarcodeError.message_key)
    assert ui.call("widget", target="message")["text"] == refused
    ui.tap("\b")
    ui.tap(digits[-1])
    ui.tap("find")
    ui.wait_for_screen("pay_confirm")
    assert format_money(Money(debt[1]), "es") in ui.call("widget", target="total")["text"]


def test_a_thirteenth_digit_typed_fast_is_refused_plainly_and_a_scanned_barcode_still_read(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    (debt,) = [d for d in pending_debts(stack) if d[0] == FINE]
    ui = stack.start()
    open_pay_for(ui, "Pagar una multa de tránsito")
    ui.tap_through(("pay_reference", "pay_entry"))
    keys_before = {key: ui.call("widget", target=key)["y"] for key in ("1", "0", "\b")}
    for digit in FINE + "7":  # twelve digits and one too many, as fast as keys come
        ui.call("key", key=ord(digit), codepoint=digit)
    assert ui.call("screen") == "pay_entry"
    assert ui.call("widget", target="title")["text"] == "Escriba el número de la boleta"
    assert _typed(ui) == "3000 0000 0001|"  # the 13th digit was not taken
    full = load_catalog("es")._(REFERENCE_FULL)
    assert ui.call("widget", target="message")["text"] == full
    assert ui.call("widget", target="message_icon")["text"] == "!"  # an error, not news
    keys_after = {key: ui.call("widget", target=key)["y"] for key in keys_before}
    assert keys_after == keys_before  # the message has its room: no key moved
    look_both(ui, "pay_entry-reference-full", artifacts_dir, english="12 digits")
    ui.call("key", key=13)  # Enter: the twelve digits are the fine's reference
    ui.wait_for_screen("pay_confirm")
    assert format_money(Money(debt[1]), "es") in ui.call("widget", target="total")["text"]

    ui.tap_through(("back", "pay_entry"))
    scan(ui, barcode_of(*debt))  # a scanner: 34 digits and Enter, read as the barcode
    ui.wait_for_screen("pay_confirm")
    assert format_money(Money(debt[1]), "es") in ui.call("widget", target="total")["text"]


def test_by_e_id_a_pin_too_short_is_refused_without_using_a_try_then_the_debts_are_listed(
        kiosk_stack: KioskStack) -> None:
    stack = kiosk_stack
    ui = stack.start()
    open_pay_for(ui, "Pagar el impuesto predial")
    ui.tap("pay_card")
    ui.wait_until(lambda: ui.call("screen") == "identify_confirm", "the confirmation",
                  timeout=WAIT_CARD_S)
    ui.tap_through(("confirm", "identify_consent"), ("agree", "identify_pin"))
    tries = stack.card.status()["tries_left"]
    ui.call("type_text", text=MARIA.pin[:2])
    ui.tap("pin_confirm")
    refused = load_catalog("es")._(PinFormatInvalid.message_key)
    ui.wait_until(lambda: ui.call("widget", target="message")["text"] == refused,
                  "the PIN's format refused", timeout=WAIT_CARD_S)
    assert ui.call("widget", target="message_icon")["text"] == "!"
    assert stack.card.status()["tries_left"] == tries  # the card was never asked
    ui.call("type_text", text=MARIA.pin)
    ui.tap("pin_confirm")
    ui.wait_until(lambda: ui.call("screen") == "pay_debts", "the debts", timeout=WAIT_CARD_S)
    tax = [a for r, a, _ in pending_debts(stack) if r.startswith("1")]
    ui.wait_until(lambda: f"Total a pagar: {format_money(Money(sum(tax)), 'es')}" in texts(ui),
                  "her property tax chosen")
