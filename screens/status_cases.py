"""Check a status after the e-ID: the identified citizen's open cases, in plain words.

Live only (:meth:`kiosk.services.check_status.CheckStatus.overview`): with the API
unreachable the screen says so and shows no case. Each case shows its number, procedure,
status (the API's label in the session's language) and what happens next. The answer is
kept in the citizen's scope (``self.scope.status.overview``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from common.text import N_
from kiosk.api_types import CaseStatus
from kiosk.services.browse_catalog import pick
from kiosk.services.check_status import (
    MSG_NOT_IDENTIFIED,
    MSG_OUT_OF_SERVICE,
    CitizenOverview,
    StatusRefused,
    StatusUnavailable,
)
from kiosk.services.identify import CitizenIdentity
from screens.base import KioskScreen
from screens.journeys import Journey
from screens.options import CaseLookup
from screens.status import NEXT_STEPS, UNKNOWN_NEXT

log = logging.getLogger(__name__)
MSG_NO_OPEN_CASES = N_("You have no open cases right now.")
MSG_LOADING = N_("Looking for your cases, please wait…")


def case_text(case: CaseStatus, language: str, translate: Callable[[str], str]) -> str:
    """One case as a few plain lines: number, procedure, status, what happens next."""
    return "\n".join((
        f"[b]{pick(dict(case['title']), language)}[/b]",
        translate(N_("Case %s")) % case["case_number"],
        translate(N_("Status: %s")) % pick(dict(case["status_label"]), language),
        translate(NEXT_STEPS.get(case["status"], UNKNOWN_NEXT)),
    ))


class StatusCasesScreen(KioskScreen):
    """The open cases of the citizen identified with the card."""

    help_text = N_("These are the procedures you started that are not finished yet, with "
                   "what the municipality says about each one today. Touch Finish when "
                   "you are done.")
    busy = BooleanProperty(False)
    name_text = StringProperty("")
    message = StringProperty("")  # translated: loading, none open, unavailable
    cases_text = StringProperty("")

    def load(self, **_params: Any) -> None:
        """Ask the API for the identified citizen's cases."""
        status = self.scope.status
        status.overview = None
        identity = self.scope.identify.identity
        lookup = self.app.options.status
        if identity is None:
            status.overview = StatusRefused(MSG_NOT_IDENTIFIED)
        elif lookup is None:
            status.overview = StatusUnavailable(MSG_OUT_OF_SERVICE)
        else:
            self.busy = True
            self.run_async(self._overview(lookup, identity))
        self.refresh()

    async def _overview(self, lookup: CaseLookup, identity: CitizenIdentity) -> None:
        try:
            outcome = await lookup.overview(identity)
        finally:
            self.busy = False
        log.info("citizen's cases answered: %s", type(outcome).__name__)
        if self.scope.identify.identity is identity:  # not wiped meanwhile
            self.scope.status.overview = outcome
            self.refresh()

    def refresh(self) -> None:
        """Say the outcome in the session's language."""
        translate, language = self.app.i18n._, self.app.language
        identity = self.scope.identify.identity
        self.name_text = identity.full_name if identity is not None else ""
        outcome = self.scope.status.overview
        self.cases_text = ""
        if outcome is None:
            self.message = translate(MSG_LOADING) if self.busy else ""
        elif isinstance(outcome, CitizenOverview):
            self.message = "" if outcome.open_cases else translate(MSG_NO_OPEN_CASES)
            self.cases_text = "\n\n".join(case_text(case, language, translate)
                                          for case in outcome.open_cases)
        else:
            self.message = translate(outcome.message_key)

    def finish(self) -> None:
        """The journey is over: survey, goodbye, wipe."""
        self.app.finish(Journey.STATUS.value)

    def wipe(self) -> None:
        self.busy = False
        self.name_text = ""
        self.message = ""
        self.cases_text = ""
