"""The proactive note: after the e-ID PIN, her bills due and a case waiting, one tap away.

A bar under the top bar, not a modal: the screen below keeps working, so the note never
stands between her and the journey she came for. It asks for the note (a service call on
the app's loop) the first time a screen shows for a newly identified citizen, once per
identification, and drops what the journey already shows (the debts in Pay, the cases in
Status). "Not now" closes it; an action goes there. It hides where it must not tempt her
away (the card terminal working, the survey, goodbye) and forgets everything at the wipe.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from datetime import date
from typing import TYPE_CHECKING, Any

from babel.dates import format_skeleton
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from common.text import N_
from kiosk.services.identify import CitizenIdentity
from kiosk.services.proactive import NoteSource, ProactiveNote
from screens.journeys import GOODBYE_SCREEN, SURVEY_SCREEN, Journey
from screens.widgets.forget import forget_drawn_texts

if TYPE_CHECKING:
    from screens.base import KioskScreen
    from screens.shell_api import ShellApi

log = logging.getLogger(__name__)
ONE_BILL = N_("You have 1 bill due (next: {date})")
BILLS = N_("You have {count} bills due (next: {date})")
ONE_OVERDUE = N_("You have 1 bill overdue (it was due on {date})")
BILLS_OVERDUE = N_("You have {count} bills due; the first was due on {date}")
CASE = N_("Your case {case} needs a document")
PAY = N_("See and pay")
SEE_CASE = N_("See my case")
NOT_NOW = N_("Not now")
QUIET_SCREENS = ("attract", SURVEY_SCREEN, GOODBYE_SCREEN)
LOCALES = {"es": "es_CL", "en": "en_GB"}  # "31 dic" / "31 Dec"

Builder.load_string("""
#:import theme screens.theme
<NoteBar>:
    orientation: "vertical"
    size_hint_y: None
    height: self.minimum_height if root.shown else 0
    opacity: 1 if root.shown else 0
    disabled: not root.shown
    padding: app.ui_scale * theme.PADDING * 0.5, app.ui_scale * theme.SPACING * 0.5
    spacing: app.ui_scale * theme.SPACING * 0.5
    canvas.before:
        Color:
            rgba: theme.SURFACE if root.shown else (0, 0, 0, 0)
        Rectangle:
            pos: self.pos
            size: self.size
    KioskLabel:
        id: note_text
        text: root.text
        bold: True
    BoxLayout:
        id: note_actions
        size_hint_y: None
        height: self.minimum_height
        spacing: app.ui_scale * theme.SPACING * 0.5
""")


class NoteBar(BoxLayout):
    """The bar itself: the note's lines and one button per action."""

    kiosk_layer = True  # the UI rig looks for touch targets here too (rig/app_runner.py)
    shown = BooleanProperty(False)
    text = StringProperty("")

    def on_touch_down(self, touch: Any) -> bool:
        """Hidden, the bar takes no touch (a disabled widget would swallow the top bar's)."""
        return bool(self.shown and super().on_touch_down(touch))

    def on_touch_up(self, touch: Any) -> bool:
        return bool(self.shown and super().on_touch_up(touch))


class ProactiveNoteOverlay:
    """Installs the bar in the shell and decides when it shows (see the module docstring)."""

    def __init__(self, source: NoteSource) -> None:
        self._source = source
        self._shell: ShellApi | None = None
        self._bar = NoteBar()
        # the identification already asked for, held weakly: the overlay keeps no citizen
        self._asked: weakref.ref[CitizenIdentity] | None = None
        self._note: ProactiveNote | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def install(self, shell: ShellApi, _window: Any) -> None:
        """Put the bar under the top bar and follow screen changes and the language."""
        self._shell = shell
        manager = getattr(shell, "manager", None)  # the shell's ScreenManager (screens/shell.py)
        if manager is None or manager.parent is None:
            log.warning("proactive note not installed: no screen manager")
            return
        root = manager.parent
        root.add_widget(self._bar, index=root.children.index(manager) + 1)
        manager.bind(current=lambda _m, name: self._screen_changed(str(name)))
        shell.bind(i18n=lambda *_a: self._render(), back_allowed=lambda *_a: self._render())

    def open_over(self, screen: KioskScreen) -> None:
        """Show the note again if there is one (nobody opens it by hand today)."""
        self._render()

    def end_session(self) -> None:
        """The wipe: hide and forget the note and whom it was for."""
        self._note = None
        self._asked = None
        self._bar.shown = False
        self._bar.text = ""
        self._bar.ids.note_actions.clear_widgets()
        forget_drawn_texts(self._bar)  # what Kivy drew of her note goes too

    # -- deciding ------------------------------------------------------------------------
    def _screen_changed(self, name: str) -> None:
        shell = self._shell
        if shell is None:
            return
        identity = shell.scope.identify.identity
        if name in QUIET_SCREENS or identity is None:
            self._note = None if identity is None else self._note
            self._render()
            return
        asked = self._asked() if self._asked is not None else None
        if identity is not asked and identity.citizen_session is not None:
            self._asked = weakref.ref(identity)
            self._note = None
            task = asyncio.get_running_loop().create_task(self._ask(identity, self._journey()))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self._render()

    def _journey(self) -> Journey | None:
        shell = self._shell
        entry = shell.scope.navigator.current if shell is not None else None
        value = entry.params.get("journey") if entry is not None else None
        return Journey(str(value)) if value else None

    async def _ask(self, identity: CitizenIdentity, journey: Journey | None) -> None:
        note = await self._source.note_for(identity)
        shell = self._shell
        if shell is None or shell.scope.identify.identity is not identity:
            return  # another citizen by now
        if note is not None:
            note = note.without(bills=journey is Journey.PAY, case=journey is Journey.STATUS)
        log.info("proactive note after the e-ID: %s", "nothing to say" if note is None
                 else f"{note.bills_due} bills due, case waiting: {note.waiting_case is not None}")
        self._note = note
        self._render()

    # -- drawing and acting -------------------------------------------------------------
    def _render(self) -> None:
        shell, note, bar = self._shell, self._note, self._bar
        current = getattr(getattr(shell, "manager", None), "current", "attract")
        terminal_working = not getattr(shell, "back_allowed", True)  # never tempt her away
        if shell is None or note is None or current in QUIET_SCREENS or terminal_working \
                or shell.scope.identify.identity is None:
            bar.shown = False
            bar.ids.note_actions.clear_widgets()  # nothing left where the top bar is
            return
        _ = shell.i18n._
        lines, actions = [], []
        if note.bills_due and note.next_due is not None:
            due = format_skeleton("dMMM", note.next_due,
                                  locale=LOCALES.get(shell.language, "es_CL"))
            overdue = note.next_due < date.today()  # never "next" for a date gone by
            one, many = (ONE_OVERDUE, BILLS_OVERDUE) if overdue else (ONE_BILL, BILLS)
            text = _(one) if note.bills_due == 1 else _(many)
            lines.append(text.format(count=note.bills_due, date=due))
            actions.append(("note_pay", PAY, self._pay))
        if note.waiting_case:
            lines.append(_(CASE).format(case=note.waiting_case))
            actions.append(("note_case", SEE_CASE, self._case))
        actions.append(("note_dismiss", NOT_NOW, self._dismiss))
        bar.text = "\n".join(lines)
        box = bar.ids.note_actions
        box.clear_widgets()
        for widget_id, label, act in actions:
            button = Factory.SecondaryButton(text=_(label))
            button.bind(on_release=lambda _b, act=act: act())
            box.add_widget(button)
            box.ids[widget_id] = button
        bar.shown = True

    def _dismiss(self) -> None:
        self._note = None
        self._render()

    def _pay(self) -> None:
        """Her debts, as the Pay journey lists them after the card."""
        self._note = None
        if self._shell is not None:
            self._shell.go("pay_debts", journey=Journey.PAY.value, procedure_id="")
        self._render()

    def _case(self) -> None:
        """Her cases, the waiting one among them."""
        self._note = None
        if self._shell is not None:
            self._shell.go("status_cases", journey=Journey.STATUS.value, procedure_id="")
        self._render()
