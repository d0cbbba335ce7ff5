"""The citizen's scope: the next citizen's is blank, whatever the last one left in theirs."""

from __future__ import annotations

from typing import Any

from common.money import Money
from kiosk.services.check_status import StatusUnavailable
from kiosk.services.identify import CitizenIdentity
from kiosk.services.pay_model import PayableBill, Selection
from kiosk.services.session import CitizenSession
from screens.citizen_scope import CitizenScope, StatusAnswers
from screens.options import ShellOptions
from screens.pay_flow import Source

OPTIONS = ShellOptions(municipality="Villa Esperanza", kiosk_id="kiosk-test",
                       languages=("es", "en"), default_language="es", kiosk_mode=False,
                       catalog=None)  # type: ignore[arg-type]  # no screen browses here
MARIA = CitizenIdentity("65031200353", "García Pérez", "María José")


def _nowhere(_screen: str, _params: dict[str, Any], _direction: str) -> None:
    """Screens are not shown in these tests."""


def _lived_in() -> CitizenScope:
    """A scope after a citizen identified, typed, paid and looked up a case."""
    scope = CitizenScope(OPTIONS, _nowhere)
    scope.session.start()
    scope.session.language = "en"
    scope.session.next_text_size()
    scope.session.assisted = True
    scope.session.values["search"] = "predial"
    scope.navigator.go("home")
    scope.navigator.go("pay_debts", journey="pay", procedure_id="property_tax")
    scope.redaction.add({MARIA.surname, MARIA.national_number})
    scope.identify.identity = MARIA
    bill = PayableBill("300000000001", Money(8_586_500), "2026-11-30")
    scope.pay.found((bill,), Source.CARD, offline=False)
    scope.pay.chosen(Selection((bill,), bill.amount), Source.BARCODE, offline=True)
    scope.pay.refusal = "a reason"
    scope.request.typed_identity = MARIA
    scope.request.answers["full_name"] = MARIA.full_name
    scope.status.case = StatusUnavailable()
    return scope


def test_the_next_citizens_scope_holds_nothing_of_the_last_one() -> None:
    last = _lived_in()
    following = CitizenScope(OPTIONS, _nowhere)  # what the wipe puts in its place
    assert following.session == CitizenSession("es") and following.session.is_blank()
    assert following.navigator.history == [] and following.navigator.current is None
    assert following.redaction.current() == frozenset()
    assert following.identify.identity is None and following.identify.identifier is None
    pay = following.pay
    assert (pay.bills, pay.included, pay.selection, pay.outcome) == ((), set(), None, None)
    assert pay.take_refusal() is None
    assert pay.source is Source.CARD and not pay.offline
    assert following.request.answers == {} and following.request.typed_identity is None
    assert following.status == StatusAnswers()
    assert last.pay is not pay  # an answer for the last citizen finds its flow gone
