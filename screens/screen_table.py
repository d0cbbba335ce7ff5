"""Every screen of the kiosk in one table: its navigation name, its class, its layout file.

The shell loads the shared layouts, then each screen's. Only the first screen (attract) is
built at start; :class:`LazyScreenManager` builds each other one the first time it is shown
(building all thirty took most of a second of the start, the keyboards above all). A
journey's first screen that is missing here is "coming soon" on the procedure page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kivy.uix.screenmanager import Screen, ScreenManager

from screens.attract import AttractScreen
from screens.base import KioskScreen
from screens.browse import CategoriesScreen, ProceduresScreen
from screens.finish import GoodbyeScreen, SurveyReasonScreen, SurveyScreen
from screens.home import HomeScreen
from screens.identify import ConfirmIdentityScreen, InsertCardScreen, PinScreen
from screens.identify_consent import ConsentScreen, RefusedScreen
from screens.journeys import GOODBYE_SCREEN, SURVEY_REASON_SCREEN, SURVEY_SCREEN
from screens.pay_confirm import PayConfirmScreen
from screens.pay_debts import PayDebtsScreen
from screens.pay_entry import PayEntryScreen
from screens.pay_progress import PayProgressScreen
from screens.pay_result import PayResultScreen
from screens.pay_start import PayStartScreen
from screens.procedure import ProcedureScreen
from screens.reprint import ReprintScreen
from screens.request_check import RequestCheckScreen
from screens.request_done import RequestDoneScreen, RequestSendingScreen
from screens.request_fee import RequestFeeScreen
from screens.request_form import RequestFormScreen, RequestIdNumberScreen
from screens.search import SearchScreen
from screens.status import StatusEntryScreen, StatusResultScreen
from screens.status_cases import StatusCasesScreen

# Widgets and overlays the screens share (the top bar, buttons, Help, the keyboards).
SHARED_KV = ("common.kv", "overlays.kv", "keyboard.kv")


@dataclass(frozen=True)
class ScreenEntry:
    """One screen: the name navigation uses, its class and its .kv file in screens/."""

    name: str
    screen: type[KioskScreen]
    kv: str


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry("attract", AttractScreen, "attract.kv"),
    ScreenEntry("home", HomeScreen, "home.kv"),
    ScreenEntry("categories", CategoriesScreen, "browse.kv"),
    ScreenEntry("procedures", ProceduresScreen, "browse.kv"),
    ScreenEntry("search", SearchScreen, "search.kv"),
    ScreenEntry("procedure", ProcedureScreen, "procedure.kv"),
    ScreenEntry("status", StatusEntryScreen, "status.kv"),
    ScreenEntry("status_result", StatusResultScreen, "status.kv"),
    ScreenEntry("identify_card", InsertCardScreen, "identify.kv"),
    ScreenEntry("identify_confirm", ConfirmIdentityScreen, "identify.kv"),
    ScreenEntry("identify_consent", ConsentScreen, "identify.kv"),
    ScreenEntry("identify_pin", PinScreen, "identify.kv"),
    ScreenEntry("identify_refused", RefusedScreen, "identify.kv"),
    ScreenEntry("request_id_number", RequestIdNumberScreen, "request_form.kv"),
    ScreenEntry("request_form", RequestFormScreen, "request_form.kv"),
    ScreenEntry("request_check", RequestCheckScreen, "request_check.kv"),
    ScreenEntry("request_sending", RequestSendingScreen, "request_done.kv"),
    ScreenEntry("request_fee", RequestFeeScreen, "request_fee.kv"),
    ScreenEntry("request_done", RequestDoneScreen, "request_done.kv"),
    ScreenEntry("reprint", ReprintScreen, "reprint.kv"),
    ScreenEntry("status_cases", StatusCasesScreen, "status_cases.kv"),
    ScreenEntry(SURVEY_SCREEN, SurveyScreen, "finish.kv"),
    ScreenEntry(SURVEY_REASON_SCREEN, SurveyReasonScreen, "finish.kv"),
    ScreenEntry(GOODBYE_SCREEN, GoodbyeScreen, "finish.kv"),
    ScreenEntry("pay_start", PayStartScreen, "pay_start.kv"),
    ScreenEntry("pay_entry", PayEntryScreen, "pay_entry.kv"),
    ScreenEntry("pay_debts", PayDebtsScreen, "pay_debts.kv"),
    ScreenEntry("pay_confirm", PayConfirmScreen, "pay_confirm.kv"),
    ScreenEntry("pay_progress", PayProgressScreen, "pay_progress.kv"),
    ScreenEntry("pay_result", PayResultScreen, "pay_result.kv"),
)


def kv_files() -> list[str]:
    """The layout files to load: the shared ones first, then each screen's, each once."""
    return list(dict.fromkeys((*SHARED_KV, *(entry.kv for entry in SCREENS))))


class LazyScreenManager(ScreenManager):
    """A screen manager that knows every screen of the table and builds each on demand.

    ``screens`` holds only those built so far: a screen never shown holds nothing of any
    citizen, so the wipe and a language change have nothing to do there.
    """

    def __init__(self, **kwargs: Any) -> None:
        self._table: dict[str, ScreenEntry] = {}
        super().__init__(**kwargs)

    def install(self, entries: Iterable[ScreenEntry]) -> None:
        """Know these screens; build and show the first."""
        self._table = {entry.name: entry for entry in entries}
        self.get_screen(next(iter(self._table)))

    def get_screen(self, name: str) -> Screen:
        if name in self._table and not super().has_screen(name):
            self.add_widget(self._table[name].screen(name=name))
        return super().get_screen(name)

    def has_screen(self, name: str) -> bool:
        return name in self._table or bool(super().has_screen(name))
