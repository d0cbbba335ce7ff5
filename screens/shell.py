"""The Kivy application: composes screens, navigation, session and notices.

It only composes: services come in through :class:`ShellOptions` from the composition
root (``kiosk/app.py``). Kiosk mode locks the window: Escape, window close (Alt+F4 under a
window manager) and Kivy's F1 settings panel do nothing.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import (
    AliasProperty,
    BooleanProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import FadeTransition, NoTransition, ScreenManager

from common.text import N_
from drivers.base import DeviceClass, DeviceStatus
from kiosk.demo_panel import DemoPanel
from kiosk.devices import DeviceHub
from kiosk.i18n import LANGUAGE_NAMES, Catalog, load_catalog
from kiosk.receipts.request import RequestReceipts
from kiosk.receipts.status import StatusSlips
from kiosk.redaction import REDACTOR
from kiosk.services.assistance import AssistanceDesk
from kiosk.services.browse_catalog import BrowseCatalog
from kiosk.services.check_status import CaseOutcome, OverviewOutcome
from kiosk.services.degraded import current_offer
from kiosk.services.identify import CitizenIdentity, Identifier
from kiosk.services.satisfaction import SatisfactionBox
from kiosk.services.session import CitizenSession
from kiosk.services.ui_state import Notices, UiState
from kiosk.settings import TimeoutsSection
from screens import theme
from screens.base import KioskScreen
from screens.help import HelpPanel
from screens.identify_flow import IdentifyFlow, ProcedureLookup
from screens.inactivity import SessionTimer
from screens.journeys import GOODBYE_SCREEN, SURVEY_SCREEN
from screens.navigator import Navigator
from screens.pay_flow import PayFactory, PayFlow
from screens.request_flow import ProcedureSubmitter, RequestFlow
from screens.widgets.controls import ChoiceButton, KeyboardKey, ListButton  # noqa: F401  (kv rules)

log = logging.getLogger(__name__)
KV_DIR = Path(__file__).resolve().parent
KV_FILES = ("common.kv", "overlays.kv", "attract.kv", "home.kv", "browse.kv", "search.kv",
            "keyboard.kv", "procedure.kv", "status.kv", "identify.kv", "status_cases.kv",
            "finish.kv", "pay_start.kv", "pay_entry.kv", "pay_debts.kv", "pay_confirm.kv",
            "pay_progress.kv", "pay_result.kv", "request_form.kv", "request_check.kv",
            "request_done.kv")
TEXT_SIZE_LABELS = {"normal": N_("Normal"), "large": N_("Large"),
                    "extra_large": N_("Extra large")}
# The banner names the device, since a driver's own sentence ("did not answer") does not.
DEVICE_NAMES = {"eid": N_("ID card reader"), "printer": N_("Receipt printer"),
                "payment": N_("Card terminal")}
DEVICE_NOTICE = N_("{device}: {problem}")
OFFLINE = N_("No connection right now. You can keep going: what you do is saved "
             "and sent later.")


class CaseLookup(Protocol):
    """What the status screens need (:class:`kiosk.services.check_status.CheckStatus`)."""

    async def by_case_number(self, typed: str) -> CaseOutcome: ...

    async def overview(self, identity: CitizenIdentity) -> OverviewOutcome: ...


@dataclass(frozen=True)
class ShellOptions:
    """What the shell needs from the configuration and services, already built."""

    municipality: str
    kiosk_id: str
    languages: tuple[str, ...]
    default_language: str
    kiosk_mode: bool
    catalog: BrowseCatalog
    timeouts: TimeoutsSection = field(default_factory=TimeoutsSection)
    ui_state: UiState = field(default_factory=UiState)
    assistance: AssistanceDesk | None = None
    status: CaseLookup | None = None  # "Check a status" (kiosk/services/check_status.py)
    status_slips: StatusSlips | None = None  # its printed slips (kiosk/receipts/status.py)
    devices: DeviceHub | None = None  # reader events and what the devices allow
    identifier: Callable[[], Identifier] | None = None  # one per e-ID identification
    procedure_document: ProcedureLookup | None = None  # full procedure (consent list, form)
    submit: ProcedureSubmitter | None = None  # "Request a procedure" (submit_procedure.py)
    request_receipts: RequestReceipts | None = None  # its receipts (kiosk/receipts/request.py)
    pay_bills: PayFactory | None = None  # one PayBills per session, in its language
    satisfaction: SatisfactionBox | None = None  # the survey's answers (durable outbox)
    demo_panel: DemoPanel | None = None  # `kiosk demo` only: card and terminal controls
    transition_s: float = 0.0  # 0: screens change at once (see bench/ui_bench.py)
    screenshot: Path | None = None
    exit_after: float | None = None


class KioskShell(App):
    """The kiosk's Kivy app: screens, navigation, language, text size, session."""

    title = "Kiosk"
    use_kivy_settings = False
    i18n: Catalog = ObjectProperty(None, rebind=True)
    language = StringProperty("es")
    municipality = StringProperty("")
    other_language_name = StringProperty("")
    text_size_label = StringProperty(TEXT_SIZE_LABELS["normal"])
    notice_text = StringProperty("")  # a translated sentence, "" when all is well
    ui_scale = NumericProperty(1.0)  # design px -> window px
    text_factor = NumericProperty(1.0)  # the citizen's text-size choice
    back_allowed = BooleanProperty(True)  # False while the card terminal works
    # What the devices and the link allow now (kiosk/services/degraded.py), and why not.
    can_pay = BooleanProperty(True)
    can_use_eid = BooleanProperty(True)
    live_lookups = BooleanProperty(True)
    degraded_text = StringProperty("")  # translated sentences for the home screen

    def _get_text_scale(self) -> float:
        return float(self.ui_scale * self.text_factor)

    text_scale = AliasProperty(_get_text_scale, bind=("ui_scale", "text_factor"), cache=True)

    def __init__(self, options: ShellOptions, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.options = options
        self.catalog = options.catalog
        self.municipality = options.municipality
        self.session = CitizenSession(options.default_language)
        self.navigator = Navigator(self._show)
        self.identify = IdentifyFlow(options.devices, options.identifier,
                                     options.procedure_document)
        self.request = RequestFlow(options.procedure_document, options.submit,
                                   options.request_receipts)
        self.pay = PayFlow(options.pay_bills, options.devices)
        self._notices = Notices(True, {})
        self.manager: ScreenManager | None = None
        self.set_language(options.default_language)

    def build(self) -> BoxLayout:
        from screens.attract import AttractScreen
        from screens.browse import CategoriesScreen, ProceduresScreen
        from screens.finish import GoodbyeScreen, SurveyScreen
        from screens.home import HomeScreen
        from screens.identify import (
            ConfirmIdentityScreen,
            ConsentScreen,
            InsertCardScreen,
            NextStepScreen,
            PinScreen,
        )
        from screens.pay_confirm import PayConfirmScreen
        from screens.pay_debts import PayDebtsScreen
        from screens.pay_entry import PayEntryScreen
        from screens.pay_progress import PayProgressScreen
        from screens.pay_result import PayResultScreen
        from screens.pay_start import PayStartScreen
        from screens.procedure import ProcedureScreen
        from screens.request_check import RequestCheckScreen
        from screens.request_done import RequestDoneScreen, RequestSendingScreen
        from screens.request_form import RequestFormScreen, RequestIdNumberScreen
        from screens.search import SearchScreen
        from screens.status import StatusEntryScreen, StatusResultScreen
        from screens.status_cases import StatusCasesScreen

        self._rescale(Window, Window.size)
        for kv in KV_FILES:
            Builder.load_file(str(KV_DIR / kv))
        root = Builder.load_string(ROOT_KV)
        self.manager = root.ids.manager
        self.manager.transition = (FadeTransition(duration=self.options.transition_s)
                                   if self.options.transition_s > 0 else NoTransition())
        attract = AttractScreen(name="attract")
        attract.bind(on_start_session=lambda *_: self.start_session())
        for screen in (attract, HomeScreen(name="home"), CategoriesScreen(name="categories"),
                       ProceduresScreen(name="procedures"), SearchScreen(name="search"),
                       ProcedureScreen(name="procedure"), StatusEntryScreen(name="status"),
                       StatusResultScreen(name="status_result"),
                       InsertCardScreen(name="identify_card"),
                       ConfirmIdentityScreen(name="identify_confirm"),
                       ConsentScreen(name="identify_consent"), PinScreen(name="identify_pin"),
                       NextStepScreen(name="identify_done"),
                       RequestIdNumberScreen(name="request_id_number"),
                       RequestFormScreen(name="request_form"),
                       RequestCheckScreen(name="request_check"),
                       RequestSendingScreen(name="request_sending"),
                       RequestDoneScreen(name="request_done"),
                       StatusCasesScreen(name="status_cases"), SurveyScreen(name=SURVEY_SCREEN),
                       GoodbyeScreen(name=GOODBYE_SCREEN), PayStartScreen(name="pay_start"),
                       PayEntryScreen(name="pay_entry"), PayDebtsScreen(name="pay_debts"),
                       PayConfirmScreen(name="pay_confirm"),
                       PayProgressScreen(name="pay_progress"),
                       PayResultScreen(name="pay_result")):
            self.manager.add_widget(screen)
        self.help_panel = HelpPanel(self.options.assistance, on_called=self._assisted)
        self.session_timer = SessionTimer(lambda: self.session.limits(self.options.timeouts),
                                          self.end_session)
        Window.clearcolor = theme.BACKGROUND
        Window.bind(on_request_close=self._on_request_close, size=self._rescale,
                    on_touch_down=self._on_activity, on_key_down=self._on_activity)
        self.options.ui_state.subscribe(
            lambda notices: Clock.schedule_once(lambda _dt: self._show_notices(notices), 0))
        if self.options.devices is not None:
            self.options.devices.subscribe(self._device_event)
        self._rescale(Window, Window.size)
        self._install_demo_panel()
        return root

    def _install_demo_panel(self) -> None:
        """`kiosk demo` only: the function keys of the demo control panel (never kiosk mode)."""
        if self.options.demo_panel is None:
            return
        if self.options.kiosk_mode:
            log.warning("demo control panel refused: this kiosk runs in kiosk mode")
            return
        from screens.demo_overlay import DemoOverlay

        self.demo_overlay = DemoOverlay(self.options.demo_panel)
        self.demo_overlay.attach(Window)

    def _device_event(self, status: DeviceStatus) -> None:
        """Device events come on device threads: handle them on Kivy's main thread."""
        Clock.schedule_once(lambda _dt: self.reassess(), 0)
        if status.device is DeviceClass.EID:
            from screens.finish import on_card_taken
            from screens.identify import on_reader_status

            Clock.schedule_once(lambda _dt: on_reader_status(self, status), 0)
            Clock.schedule_once(lambda _dt: on_card_taken(self, status), 0)

    def on_start(self) -> None:
        log.info("kiosk %s started (mode=%s)", self.options.kiosk_id,
                 "kiosk" if self.options.kiosk_mode else "development")
        if os.environ.get("KIOSK_REPORT_FIRST_FRAME"):
            Window.bind(on_flip=self._report_first_frame)
        if self.options.exit_after is not None:
            Window.bind(on_flip=self._count_frame)
            Clock.schedule_once(self._finish, self.options.exit_after)

    # -- Session ---------------------------------------------------------------------------
    def start_session(self) -> None:
        """First touch: a new citizen starts at home."""
        self.session.start()
        self.session_timer.start()
        self.go("home")

    def end_session(self) -> None:
        """Wipe everything of the citizen and return to the attract screen."""
        log.info("session ended; wiping citizen state")
        self.session_timer.stop()
        self.help_panel.dismiss(animation=False)
        self.help_panel.wipe()
        self.navigator.reset()
        self.set_language(self.options.default_language)
        assert self.manager is not None
        for screen in self.manager.screens:
            if isinstance(screen, KioskScreen):
                screen.wipe()
        self.identify.end()
        self.request.end()
        self.pay.end()
        self.back_allowed = True
        self.session.wipe()
        REDACTOR.forget_all()
        self._apply_text_size()
        transition, self.manager.transition = self.manager.transition, NoTransition()
        self.manager.current = "attract"
        self.manager.transition = transition

    def _assisted(self) -> None:
        """An assistant is coming: give this session the assisted mode's longer timeouts."""
        self.session.assisted = True
        self.session_timer.poke()

    def _on_activity(self, *_args: Any) -> None:
        self.session_timer.poke()

    # -- Navigation ------------------------------------------------------------------------
    def go(self, screen: str, **params: Any) -> None:
        """Show ``screen`` (remembered for Back)."""
        self.navigator.go(screen, **params)

    def back(self) -> None:
        """Back: the previous screen; from home, the end of the session.

        Refused while the current screen forbids it (the card terminal is working).
        """
        if not self.back_allowed:
            return
        current = self.navigator.current
        if current is None or current.screen in ("home", GOODBYE_SCREEN):
            self.end_session()
            return
        self.navigator.back()

    def _show(self, name: str, params: dict[str, Any], _direction: str) -> None:
        assert self.manager is not None
        screen = self.manager.get_screen(name)
        if isinstance(screen, KioskScreen):
            screen.load(**params)
        self.back_allowed = bool(getattr(screen, "allows_back", True))
        self.manager.current = name

    def finish(self, journey: str, *, receipt: bool = False) -> None:
        """A journey is over: the satisfaction question (when installed), else the wipe.

        ``receipt``: a paper receipt came out (the goodbye reminds the citizen to take it).
        Nothing before it can be walked back into: history is sealed first, and the e-ID
        identity is forgotten (pulling the card from now on no longer ends anything).
        """
        assert self.manager is not None
        self.navigator.seal()
        self.identify.end()
        if self.manager.has_screen(SURVEY_SCREEN):
            self.navigator.go(SURVEY_SCREEN, returnable=False, journey=journey,
                              receipt=receipt)
        else:
            self.end_session()

    def open_help(self) -> None:
        """Explain the current screen and offer to call an assistant."""
        assert self.manager is not None
        screen = self.manager.current_screen
        self.help_panel.show(getattr(screen, "help_text", ""), screen.name)

    # -- Language, text size, notices -----------------------------------------------------
    def set_language(self, language: str) -> None:
        """Switch every text on screen to ``language``."""
        if language not in self.options.languages:
            log.warning("language %s is not enabled on this kiosk", language)
            return
        self.language = language
        self.session.language = language
        others = [code for code in self.options.languages if code != language]
        self.other_language_name = LANGUAGE_NAMES[others[0]] if others else ""
        self.i18n = load_catalog(language)
        self._show_notices(self._notices)
        if self.manager is not None:
            for screen in self.manager.screens:
                if isinstance(screen, KioskScreen):
                    screen.refresh()

    def toggle_language(self) -> None:
        """Switch to the next enabled language."""
        languages = self.options.languages
        self.set_language(languages[(languages.index(self.language) + 1) % len(languages)])

    def next_text_size(self) -> None:
        """Make the text bigger (after extra large, back to normal)."""
        self.session.next_text_size()
        self._apply_text_size()
        self.session_timer.poke()  # larger text gives more time from now on

    def _apply_text_size(self) -> None:
        self.text_factor = theme.TEXT_SIZE_FACTORS[self.session.text_size]
        self.text_size_label = TEXT_SIZE_LABELS[self.session.text_size]

    def _show_notices(self, notices: Notices) -> None:
        self._notices = notices
        lines = [] if notices.online else [self.i18n._(OFFLINE)]
        lines += [self.i18n._(DEVICE_NOTICE).format(device=self.i18n._(DEVICE_NAMES.get(
                      device, device)), problem=self.i18n._(key))
                  for device, key in sorted(notices.faults.items())]
        self.notice_text = "\n".join(lines)
        self.reassess()

    def reassess(self) -> None:
        """Decide again what the devices and the link allow (on Kivy's main thread)."""
        offer = current_offer(self.options.devices, self._notices.online)
        self.can_pay, self.can_use_eid = offer.pay, offer.eid
        self.live_lookups = offer.live_lookups
        self.degraded_text = "\n\n".join(self.i18n._(key) for key in offer.home_notices())

    def _rescale(self, _window: object, size: tuple[float, float]) -> None:
        self.ui_scale = theme.window_scale(*size)

    # -- Kiosk lock-down ------------------------------------------------------------------
    def _on_request_close(self, *_args: object, **_kwargs: object) -> bool:
        if self.options.kiosk_mode:
            log.info("close request ignored in kiosk mode")
            return True
        return False

    def open_settings(self, *_args: object) -> bool:
        if self.options.kiosk_mode:
            return False
        return bool(super().open_settings(*_args))

    # -- Headless helpers -----------------------------------------------------------------
    def save_screenshot(self, path: Path) -> Path:
        """Write what the window shows to exactly ``path`` (Kivy appends a counter)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        written = Window.screenshot(name=str(path.with_suffix("")) + ".png")
        if written:
            Path(written).replace(path)
        return path

    _frames_shown = 0

    def _count_frame(self, *_args: object) -> None:
        self._frames_shown += 1

    def _finish(self, _dt: float) -> None:
        # A loaded machine can reach the deadline before a frame reached the window: a
        # screenshot then is black. Wait for two frames (the screen drawn, then settled).
        if self.options.screenshot is not None and self._frames_shown < 2:
            Clock.schedule_once(self._finish, 0.1)
            return
        Window.unbind(on_flip=self._count_frame)
        if self.options.screenshot is not None:
            self.save_screenshot(self.options.screenshot)
            log.info("screenshot saved to %s", self.options.screenshot)
        self.stop()

    def _report_first_frame(self, *_args: object) -> None:
        Window.unbind(on_flip=self._report_first_frame)
        print(f"first-frame {time.time():.6f}", flush=True)
        sys.stdout.flush()


# The banner and top bar sit above every screen; the top bar hides on the attract screen.
ROOT_KV = """
#:import theme screens.theme
BoxLayout:
    orientation: "vertical"
    NoticeBanner:
        id: banner
        text: app.notice_text
    TopBar:
        id: top_bar
        opacity: 0 if manager.current == "attract" else 1
        disabled: manager.current == "attract"
        height: 0 if manager.current == "attract" else app.ui_scale * theme.TOP_BAR_HEIGHT
    ScreenManager:
        id: manager
"""
