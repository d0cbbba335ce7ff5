"""The Pay screens' plain-Python state: scanner keys, the session's flow, the routes."""

from __future__ import annotations

from kiosk.devices import DeviceHub
from kiosk.services.pay_bills import PayBills
from screens.journeys import Journey, after_pin, start_screen
from screens.pay_flow import NO_PAY_SERVICE, TERMINAL_OFFLINE, PayFlow, ScanBuffer


def test_a_scanner_code_is_the_digits_typed_before_enter_and_nothing_else() -> None:
    scan = ScanBuffer(limit=5)
    keys = [(ord(c), c) for c in "12a3456789"] + [(13, None)]
    codes = [code for key, char in keys if (code := scan.key(key, char)) is not None]
    assert codes == ["12345"]  # the letter ignored, the digits past the limit dropped
    assert scan.key(271, None) is None  # Enter with nothing typed is no code


def _never_built(language: str) -> PayBills:
    raise AssertionError("asking whether Pay is possible builds no service")


def test_pay_is_unavailable_without_a_service_or_a_terminal_that_answers() -> None:
    assert PayFlow(None, None).unavailable() == NO_PAY_SERVICE
    hub = DeviceHub(None, None, None)  # no terminal configured
    assert PayFlow(_never_built, hub).unavailable() == TERMINAL_OFFLINE
    assert PayFlow(None, hub).needs_receipt_choice()  # no printer: the QR choice is asked


def test_a_lookup_fee_procedure_starts_pay_and_the_pin_leads_to_the_debts() -> None:
    assert start_screen("lookup", "id_number") == (Journey.PAY, "pay_start")
    assert after_pin(Journey.PAY) == "pay_debts"
