"""Pay, at the terminal: its messages on screen, no Back and no timeout while it works.

The payment runs once per selection (the service refuses a second try of a sealed one).
The citizen is busy at the terminal, not at the screen, so the inactivity timer is held
until the answer comes. If the session ends anyway, the sale still completes and is
recorded by the service; only the screens of the next citizen are left alone.

A terminal may stay silent for minutes while the bank answers (up to the driver's answer
timeout, 150 s). The screen shows that it is alive: the time waited, a bar, and after
:data:`QUIET_S` seconds without news, that we are checking and she will not be charged
twice (the journal and recovery make sure of that).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from kivy.clock import Clock, ClockEvent
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from common.money import format_money
from common.text import N_
from kiosk.services.card_custody import card_in_reader, card_taken_back
from kiosk.services.card_payment import CHECKING_MESSAGE
from kiosk.services.pay_errors import PayError
from kiosk.services.pay_model import PayOutcome, PayResult, Selection, SelectionState
from screens.pay_flow import PayFlow
from screens.pay_screen import PayScreen

log = logging.getLogger(__name__)
FOLLOW_TERMINAL = N_("Follow the instructions on the card terminal below the screen.")
QUIET_S = 10.0  # seconds without news from the terminal before we say we are still checking
EXPECTED_S = 180.0  # the bar fills over the longest a bank's answer may take
WAITED = N_("Time waiting: %s")
TAKE_CARD_FIRST = N_("Payment approved. Please take your identity card from the reader: "
                     "your receipt prints next.")


def waited(seconds: float) -> str:
    """Minutes and seconds, as a clock shows them ("1:05")."""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


class PayProgressScreen(PayScreen):
    """What the terminal says, big, while it works."""

    help_text = N_("Follow the instructions on the card terminal. The screen moves on by "
                   "itself when the terminal has finished.")
    allows_back = False
    outlives_card = True
    message = StringProperty(FOLLOW_TERMINAL)  # a msgid from the terminal
    total = StringProperty("")
    elapsed = StringProperty("")  # "1:05", since Pay was touched
    progress = NumericProperty(0.0)  # 0..1 of EXPECTED_S, never full before the answer
    quiet = BooleanProperty(False)  # no news for QUIET_S: say we are checking
    _clock: ClockEvent | None = None
    _clock_flow: PayFlow | None = None  # whose sale the clock times
    _started = _news = 0.0
    card_back = BooleanProperty(False)  # paid: her e-ID card is asked back before the receipt

    def load(self, **_params: Any) -> None:
        """Start the sale of the confirmed selection (only an open one ever reaches here)."""
        selection = self.flow.selection
        self.message = FOLLOW_TERMINAL
        self.total = ("" if selection is None
                      else format_money(selection.total, self.app.language))
        if selection is None or selection.state is not SelectionState.OPEN:
            log.warning("pay progress shown without an open selection; nothing charged")
            return
        self.app.pause_inactivity()
        self._start_clock(self.flow)
        self.run_async(self._pay(selection, self.flow))

    def refresh(self) -> None:
        """The amount in the language shown now (it may change while the terminal works)."""
        selection = self.flow.selection
        self.total = "" if selection is None else format_money(selection.total,
                                                               self.app.language)

    def _start_clock(self, flow: PayFlow) -> None:
        self._stop_clock()
        self._clock_flow = flow
        self._started = self._news = time.monotonic()
        self.elapsed, self.progress, self.quiet = waited(0), 0.0, False
        self._clock = Clock.schedule_interval(self._tick, 0.5)

    def _tick(self, _dt: float) -> None:
        now = time.monotonic()
        self.elapsed = waited(now - self._started)
        self.progress = min((now - self._started) / EXPECTED_S, 0.95)
        self.quiet = now - self._news >= QUIET_S

    def _stop_clock(self) -> None:
        if self._clock is not None:
            self._clock.cancel()
        self._clock, self._clock_flow = None, None

    async def _pay(self, selection: Selection, flow: PayFlow) -> None:
        def progress(message_key: str) -> None:
            if self.current(flow):
                if message_key != self.message:  # a repeated message is no news
                    self._news = time.monotonic()
                self.message = message_key

        try:
            outcome = await self.service().pay(
                selection, progress, receipt_on_screen_ok=self.flow.screen_receipt_ok,
                before_receipt=lambda: self._card_back(flow))
        except PayError as err:  # refused before the terminal was asked
            log.info("payment refused before the terminal: %s", type(err).__name__)
            if self.current(flow):
                flow.refusal = err.message_key
                self.app.resume_inactivity()
                self.scope.navigator.back()  # the confirmation, with the reason
            return
        except Exception:  # cannot tell what happened: say so, never pay again
            log.exception("payment crashed; the journal and recovery settle it")
            outcome = PayOutcome(PayResult.CHECKING, CHECKING_MESSAGE, None)
        finally:
            if self._clock_flow is flow:  # (a later citizen's sale keeps its own clock)
                self._stop_clock()
        if not self.current(flow):
            log.info("payment finished after its session ended: %s", outcome.result)
            return
        flow.outcome = outcome
        self.app.resume_inactivity()
        self.go_on("pay_result", returnable=False)
        if outcome.result is not PayResult.NOT_PAID:
            self.scope.navigator.seal()  # money may have moved: nothing before can be reached

    async def _card_back(self, flow: PayFlow) -> None:
        """Paid: her card first, then the receipt (issue 16, ATM style)."""
        status = self.scope.identify.reader_status()
        if not self.current(flow) or status is None or not card_in_reader(status):
            return
        if self._clock_flow is flow:  # the bank has answered: no more "still checking"
            self._stop_clock()
        self.elapsed, self.quiet, self.progress = "", False, 1.0
        self.message, self.card_back = TAKE_CARD_FIRST, True
        taken = await card_taken_back(self.scope.identify.reader_status,
                                      self.app.options.timeouts.card_back_s)
        self.card_back = False
        log.info("card %s before the receipt", "taken" if taken else "still in")

    def wipe(self) -> None:
        self._stop_clock()
        self.card_back = False
        self.message = FOLLOW_TERMINAL
        self.total = self.elapsed = ""
        self.progress, self.quiet = 0.0, False
