"""A catalog change at the town hall reaches the kiosk by itself, but never mid-journey.

Staff change the birth certificate's fee and withdraw a procedure through the reference
API's staff endpoint; the kiosk (refreshing every second here) keeps what the citizen is
looking at unchanged until her session ends, then the next citizen sees the new catalog.
"""

from __future__ import annotations

import time
from typing import Any

from procedure_api.catalog_data import PROCEDURES
from rig.catalog import demo_catalog
from rig.harness import KioskUI
from tests.fixtures.ui import KioskStack
from tests.ui.looks import texts

BIRTH = next(p for p in PROCEDURES if p["id"] == "birth_certificate")
TREE = next(p for p in PROCEDURES if p["id"] == "tree_pruning")


def _category(procedure: dict[str, Any]) -> str:
    (category,) = [c for c in demo_catalog()["categories"]
                   if c["id"] == procedure["category_id"]]
    return str(category["title"]["es"])


def _open(ui: KioskUI, procedure: dict[str, Any]) -> None:
    ui.tap_through(("request", "categories"), (_category(procedure), "procedures"),
                   (procedure["title"]["es"], "procedure"))


def test_a_new_fee_and_a_withdrawn_procedure_show_after_the_session_not_during_it(
        kiosk_stack: KioskStack) -> None:
    ui = kiosk_stack.start({"offline": {"catalog_refresh_s": 1}})
    ui.tap("start")
    ui.wait_for_screen("home")
    _open(ui, BIRTH)
    assert "$1.500" in texts(ui)
    kiosk_stack.api.staff("PATCH", "/staff/procedures/birth_certificate",
                          {"fee": {"kind": "fixed", "amount_cents": 250_000}})
    kiosk_stack.api.staff("PATCH", "/staff/procedures/tree_pruning", {"withdrawn": True})
    time.sleep(3)  # three refresh rounds: the kiosk has the new catalog by now
    ui.call("refresh_screen")  # a redraw of her page keeps what she was shown ...
    assert "$1.500" in texts(ui) and "$2.500" not in texts(ui)
    ui.tap_through(("back", "procedures"))  # ... and so does opening it again in her session
    ui.tap_through((BIRTH["title"]["es"], "procedure"))
    assert "$1.500" in texts(ui) and "$2.500" not in texts(ui)
    ui.call("end_session")  # she leaves; the wipe applies the new catalog
    ui.wait_for_screen("attract")
    ui.tap("start")
    ui.wait_for_screen("home")
    _open(ui, BIRTH)
    ui.wait_until(lambda: "$2.500" in texts(ui), "the new fee for the next citizen")
    ui.call("end_session")
    ui.wait_for_screen("attract")
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("request", "categories"), (_category(TREE), "procedures"))
    assert TREE["title"]["es"] not in texts(ui)  # withdrawn: no longer offered
