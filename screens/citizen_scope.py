"""One citizen's scope: everything that belongs to them, from the first touch to the wipe.

Plain Python (no Kivy). The session controller (``screens/session_control.py``) keeps one
:class:`CitizenScope` current; the wipe drops it whole and puts a fresh one in its place,
so no holder of a citizen's data can be forgotten: identity, choices, flow state, answers,
what the town hall said, the log redactor's remembered values and the screen history all
live here. Screens reach them through ``app.scope`` and never keep them; an answer that
comes after the wipe finds its scope gone (``scope is not app.scope``) and is dropped.

The screens' widgets still show copies (Kivy properties are widget state): each screen's
``wipe()`` empties them, and the UI test that inspects the app after a wipe proves it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.redaction import RememberedValues
from kiosk.services.check_status import CaseOutcome, OverviewOutcome
from kiosk.services.session import CitizenSession
from screens.identify_flow import IdentifyFlow
from screens.navigator import Navigator, Show
from screens.options import ShellOptions
from screens.pay_flow import PayFlow
from screens.request_flow import RequestFlow


@dataclass
class StatusAnswers:
    """What the town hall said about this citizen's cases (the status journeys)."""

    case: CaseOutcome | None = None  # one case looked up by its number
    overview: OverviewOutcome | None = None  # the identified citizen's open cases


class CitizenScope:
    """Every per-citizen object of one session; dropped whole at the wipe."""

    def __init__(self, options: ShellOptions, show: Show) -> None:
        self.session = CitizenSession(options.default_language)  # language, text size ...
        self.navigator = Navigator(show)  # the screens visited, with their parameters
        self.redaction = RememberedValues()  # names and numbers the log redactor hides
        self.identify = IdentifyFlow(options.devices, options.identifier,
                                     options.procedure_document)
        self.request = RequestFlow(options.procedure_document, options.submit,
                                   options.request_receipts)
        self.pay = PayFlow(options.pay_bills, options.devices)
        self.status = StatusAnswers()
