"""Where each citizen journey goes at its shared steps (identify, finish).

Plain data and functions (no Kivy) so the routes are read and tested in one place. Every
journey's screens carry ``journey`` and ``procedure_id`` in their navigation parameters;
the identify screens are shared and ask here where to go next:

* request: card → confirm → consent → the form (pre-filled from the card) → check your
  answers → PIN (the signature) → sending → case number and receipt → finish;
* pay: card → confirm → consent → PIN → the citizen's debts → amount → terminal → receipt;
* status: card → confirm → consent → PIN → the citizen's open cases.

Finishing any journey leads to the one-question survey, then goodbye and the full wipe.
"""

from __future__ import annotations

from enum import StrEnum


class Journey(StrEnum):
    REQUEST = "request"
    PAY = "pay"
    STATUS = "status"


# The screen that follows consent (before the PIN for pay and status; the form for request).
AFTER_CONSENT: dict[Journey, str] = {
    Journey.REQUEST: "request_form",
    Journey.PAY: "identify_pin",
    Journey.STATUS: "identify_pin",
}

# The screen that follows a successful PIN (the citizen is authenticated at the API).
AFTER_PIN: dict[Journey, str] = {
    Journey.REQUEST: "request_sending",
    Journey.PAY: "pay_debts",
    Journey.STATUS: "status_cases",
}

SURVEY_SCREEN = "survey"
SURVEY_REASON_SCREEN = "survey_reason"  # after a low score: why (optional)
GOODBYE_SCREEN = "goodbye"


def start_screen(fee_kind: str, identity_level: str) -> tuple[Journey, str]:
    """The journey and first screen of a procedure's Start button.

    A procedure whose fee is looked up (taxes, bills, fines) is paid; any other is
    requested, starting where its identity level says: the card, a typed ID number, or
    straight at the form.
    """
    if fee_kind == "lookup":
        return Journey.PAY, "pay_start"
    first = {"eid": "identify_card", "id_number": "request_id_number"}
    return Journey.REQUEST, first.get(identity_level, "request_form")


def journey_of(params: dict[str, object]) -> Journey:
    """The journey named by navigation parameters (request when none is named)."""
    return Journey(str(params.get("journey") or Journey.REQUEST))


def after_consent(journey: Journey) -> str:
    """The screen after the consent screen for ``journey``."""
    return AFTER_CONSENT[journey]


def after_pin(journey: Journey) -> str:
    """The screen after a successful PIN for ``journey``."""
    return AFTER_PIN[journey]
