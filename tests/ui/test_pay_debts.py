"""The debts after the e-ID, by touch on the real stacks: what she came for comes first.

She chose one procedure: only its debts start in the payment, the others are offered as an
addition; a debt left out is drawn unticked and says so; an overdue debt says it is overdue;
a procedure with nothing pending says it is paid.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from common.money import Money, format_money
from rig.harness import KioskUI
from tests.fixtures.ui import MARIA, KioskStack
from tests.ui.pay_steps import identify, open_pay_for, pending_debts, texts
from tests.ui.test_identify_journey import _look_both as look_both

KIND_OF = {"1": "property_tax", "2": "water", "3": "fine"}  # the seed's reference prefixes


def _debt_buttons(ui: KioskUI) -> dict[str, float]:
    """Each listed debt's text and its height on the window (y grows upwards)."""
    return {b["text"]: b["y"] for b in ui.call("buttons") if b["text"].startswith("[b]")}


def test_only_the_chosen_procedures_debts_are_preselected_and_the_others_can_be_added(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    debts = {KIND_OF[ref[0]]: (ref, amount, due) for ref, amount, due in pending_debts(stack)}
    assert set(debts) == {"property_tax", "water", "fine"}
    ui = stack.start()
    open_pay_for(ui, "Pagar el impuesto predial")
    identify(ui)
    tax = Money(debts["property_tax"][1])
    ui.wait_until(lambda: f"Total a pagar: {format_money(tax, 'es')}" in texts(ui),
                  "only the property tax in the total")
    buttons = _debt_buttons(ui)
    (tax,) = [t for t in buttons if "Impuesto predial" in t]
    others = [t for t in buttons if t != tax]
    assert "Se paga ahora" in tax and len(others) == 2
    assert all("No se paga ahora" in t for t in others)
    (also,) = [label["y"] for label in ui.call("labels")
               if label["text"] == "También puede pagar ahora:"]
    assert buttons[tax] > also > max(buttons[t] for t in others)  # first, then the addition
    (fine,) = [t for t in others if "Multa" in t]
    if date.fromisoformat(debts["fine"][2]) < date.today():
        assert "Pago atrasado: venció el 30 de noviembre de 2026" in fine
    assert "Vence el 31 de diciembre de 2026" in tax  # not overdue: its date
    look_both(ui, "pay_debts-chosen-procedure", artifacts_dir, english="You can also pay")

    ui.tap(debts["water"][0])  # added
    both = Money(debts["property_tax"][1] + debts["water"][1])
    ui.wait_until(lambda: f"Total a pagar: {format_money(both, 'es')}" in texts(ui), "added")
    ui.tap(debts["property_tax"][0])  # and the one she came for left out
    water = Money(debts["water"][1])
    ui.wait_until(lambda: f"Total a pagar: {format_money(water, 'es')}" in texts(ui), "left out")
    tax_line = next(t for t in ui.call("texts") if "Impuesto predial" in t)
    assert "No se paga ahora" in tax_line
    ui.tap_through(("continue", "pay_confirm"))
    lines = ui.call("widget", target="lines")["text"]
    assert "Agua potable" in lines and "Impuesto predial" not in lines


def test_a_procedure_already_paid_says_so_and_nothing_else_is_preselected(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    with sqlite3.connect(stack.api.db_path) as conn:  # paid earlier, at the town hall
        conn.execute("UPDATE debts SET status = 'paid' WHERE national_number = ? "
                     "AND kind = 'water'", (MARIA.national_number,))
    others = pending_debts(stack)
    assert others and not [r for r, _, _ in others if r.startswith("2")]
    ui = stack.start()
    open_pay_for(ui, "Pagar la cuenta del agua")
    identify(ui)
    ui.wait_until(lambda: "Su cuenta del agua está pagada" in texts(ui), "paid, it says")
    assert f"Total a pagar: {format_money(Money(0), 'es')}" in texts(ui)
    listed = list(_debt_buttons(ui))
    assert len(listed) == len(others) and all("No se paga ahora" in t for t in listed)
    look_both(ui, "pay_debts-already-paid", artifacts_dir, english="water bill is paid")
    ui.tap("continue")
    assert ui.call("widget", target="message")["text"] == "Elija al menos una deuda para pagar."
    assert ui.call("screen") == "pay_debts"
