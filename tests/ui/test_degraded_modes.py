"""Degraded modes on the real stacks: a device stops, the choices it serves say so plainly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kiosk.i18n import load_catalog
from kiosk.services.degraded import (
    MSG_CASE_NUMBER_ONLY,
    MSG_NO_EID,
    MSG_NO_PAPER,
    MSG_NO_PAY,
    MSG_OFFLINE_OFFERS,
)
from kiosk.settings import deep_merge
from rig.harness import PORTRAIT, KioskUI
from tests.fixtures.ui import KioskStack
from tests.ui.test_status_journey import _look_in_both

SPANISH = load_catalog("es")
DEVICE_CHANGE_S = 15.0  # a silent terminal costs its ACK timeout times its attempts


def _home(ui: KioskUI) -> None:
    ui.tap("start")
    ui.wait_for_screen("home")


def _home_says(ui: KioskUI) -> str:
    return str(ui.call("widget", target="degraded")["text"])


def test_terminal_stopped_switches_pay_off_and_paper_out_says_receipts_show_on_screen(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    ui = kiosk_stack.start()
    ui.wait_until(lambda: ui.call("capabilities")["can_pay_by_card"], "the terminal")
    _home(ui)
    assert not ui.call("disabled", target="pay") and _home_says(ui) == ""

    kiosk_stack.terminal.stop()
    kiosk_stack.printer.faults.set_paper("out")
    ui.call("refresh_devices")  # what the hub's watch does every few seconds
    ui.wait_until(lambda: ui.call("disabled", target="pay"), "Pay switched off",
                  timeout=DEVICE_CHANGE_S)
    ui.wait_until(lambda: SPANISH._(MSG_NO_PAPER) in _home_says(ui), "the receipt notice",
                  timeout=DEVICE_CHANGE_S)
    assert SPANISH._(MSG_NO_PAY) in _home_says(ui)
    assert "No es posible en este momento" in ui.call("widget", target="pay")["text"]
    assert not ui.call("disabled", target="request")  # everything else works
    assert not ui.call("disabled", target="status")
    _look_in_both(ui, "home-degraded", artifacts_dir, "Paying is not possible right now")

    kiosk_stack.printer.faults.set_paper("ok")  # staff loads paper: the notice goes
    ui.call("refresh_devices")
    ui.wait_until(lambda: SPANISH._(MSG_NO_PAPER) not in _home_says(ui), "paper back",
                  timeout=DEVICE_CHANGE_S)
    assert ui.call("disabled", target="pay")  # the terminal is still silent
    ui.tap("request")
    ui.wait_for_screen("categories")


def test_reader_absent_switches_off_what_needs_the_card_and_says_why(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    overrides = deep_merge(kiosk_stack.overrides,
                           {"devices": {"eid": {"reader": "Absent Reader 00 00"}}})
    ui = kiosk_stack.start_ui(overrides)
    ui.call("start_runtime")
    ui.wait_until(lambda: ui.call("capabilities")["can_pay_by_card"], "the other devices")
    _home(ui)
    assert SPANISH._(MSG_NO_EID) in _home_says(ui)
    assert not ui.call("disabled", target="pay")  # paying a bill needs no identity card
    ui.tap("status")
    ui.wait_for_screen("status")
    assert ui.call("disabled", target="use_card")
    assert ui.call("widget", target="card_notice")["text"] == SPANISH._(MSG_CASE_NUMBER_ONLY)
    assert not ui.call("disabled", target="check")  # a case number still works
    _look_in_both(ui, "status-no-reader", artifacts_dir, "by typing its number")


def test_no_connection_switches_off_checking_a_status_and_it_comes_back_with_the_link(
        start_ui: Callable[..., KioskUI]) -> None:
    ui = start_ui(PORTRAIT)
    _home(ui)
    assert not ui.call("disabled", target="status")
    ui.call("set_online", online=False)  # what the sync worker does when the API is gone
    ui.wait_until(lambda: ui.call("disabled", target="status"), "Status switched off")
    assert SPANISH._(MSG_OFFLINE_OFFERS) in _home_says(ui)
    assert not ui.call("disabled", target="request")  # browsing works from the cache
    ui.call("set_online", online=True)
    ui.wait_until(lambda: not ui.call("disabled", target="status"), "Status back")
    assert SPANISH._(MSG_OFFLINE_OFFERS) not in _home_says(ui)
