"""Procedure page: what you get, what you need, cost, time, where to go; one Start."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from common.money import Money, format_money
from common.text import N_
from kiosk.services.browse_catalog import Procedure, pick
from kiosk.services.degraded import procedure_offer
from screens.base import KioskScreen
from screens.journeys import start_screen

LOCALES = {"es": "es_CL", "en": "en_US"}
MSG_COMING_SOON = N_("This service is coming soon.")
MSG_NO_READER = N_("This procedure needs your identity card, and the card reader of this "
                   "kiosk is not working right now. Please ask for assistance or come back "
                   "later.")


def cost_text(procedure: Procedure, language: str, translate: Any) -> str:
    """Say what the procedure costs in plain words."""
    if procedure.fee_kind == "free":
        return str(translate(N_("Free")))
    if procedure.fee_kind == "lookup":
        return str(translate(N_("It depends on what you owe. We look it up for you "
                                "before you pay.")))
    return format_money(Money(procedure.amount_cents or 0), language)


class ProcedureScreen(KioskScreen):
    """One procedure explained before the citizen commits to anything."""

    help_text = N_("This page explains the procedure. Read what you need and what it "
                   "costs. Touch Start when you are ready, or Back to choose another one.")
    procedure_id = StringProperty("")
    title = StringProperty("")
    description = StringProperty("")
    what_you_get = StringProperty("")
    requirements = StringProperty("")
    cost = StringProperty("")
    duration = StringProperty("")
    office = StringProperty("")
    notice = StringProperty("")  # a msgid shown under Start ("" when none)
    link_note = StringProperty("")  # a msgid: what works without the link ("" online)
    startable = BooleanProperty(True)  # False: the link is down and this cannot be sent

    def on_kv_post(self, _base_widget: Any) -> None:
        self.app.bind(live_lookups=lambda *_args: self._judge_link())

    def load(self, *, procedure_id: str = "", **_params: Any) -> None:
        """Show the procedure with this id."""
        self.procedure_id = procedure_id
        self.notice = ""
        self.refresh()

    def refresh(self) -> None:
        """Fill the texts in the current language."""
        if not self.procedure_id:
            return
        language, translate = self.app.language, self.app.i18n._
        procedure = self.app.catalog.procedure(self.procedure_id)
        self.title = pick(procedure.title, language)
        self.description = pick(procedure.description, language)
        self.what_you_get = pick(procedure.what_you_get, language)
        needed = pick(procedure.requirements, language) or []
        self.requirements = "\n".join(f"•  {item}" for item in needed) or translate(
            N_("Nothing. Just come as you are."))
        self.cost = cost_text(procedure, language, translate)
        self.duration = pick(procedure.estimated_time, language)
        self.office = pick(procedure.office, language)
        self._judge_link()

    def _judge_link(self) -> None:
        """Say up front what the link allows for this procedure, before anything is typed."""
        if not self.procedure_id:
            return
        procedure = self.app.catalog.procedure(self.procedure_id)
        offer = procedure_offer(procedure.fee_kind, procedure.identity_level,
                                bool(self.app.live_lookups))
        self.startable, self.link_note = offer.startable, offer.note or ""

    def start(self) -> None:
        """Begin the procedure's journey (screens/journeys.py says where it starts)."""
        procedure = self.app.catalog.procedure(self.procedure_id)
        journey, first = start_screen(procedure.fee_kind, procedure.identity_level)
        if not self.startable:
            return  # the link note already says why, and the button is off
        if not self.app.has_screen(first):
            self.notice = MSG_COMING_SOON
        elif first == "identify_card" and not self.scope.identify.available():
            self.notice = MSG_NO_READER
        else:
            self.app.go(first, journey=journey, procedure_id=self.procedure_id)

    def wipe(self) -> None:
        """Forget which procedure the citizen looked at."""
        self.procedure_id = ""
        for name in ("title", "description", "what_you_get", "requirements", "cost",
                     "duration", "office"):
            setattr(self, name, "")
        self.notice = self.link_note = ""
        self.startable = True
