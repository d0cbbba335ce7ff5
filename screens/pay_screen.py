"""What every Pay screen shares: the citizen's PayFlow, its service, and the next step.

Screens only show and react; the work is :class:`kiosk.services.pay_bills.PayBills`'s and
what it finds is kept in the citizen's scope (``self.scope.pay``). An answer that arrives
after the wipe finds its flow replaced (:meth:`PayScreen.current`) and is dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from kivy.core.window import Window

from kiosk.bill_barcode import BarcodeError
from kiosk.devices import DeviceHub
from kiosk.services.pay_bills import PayBills
from kiosk.services.pay_errors import PayError
from kiosk.services.pay_model import PayableBill
from screens.base import JourneyStep
from screens.journeys import Journey
from screens.pay_flow import PayFlow, Source

log = logging.getLogger(__name__)


class PayScreen(JourneyStep):
    """A screen of the Pay journey."""

    @property
    def flow(self) -> PayFlow:
        """This citizen's Pay state (in the scope)."""
        return self.scope.pay

    def current(self, flow: PayFlow) -> bool:
        """Tell whether ``flow`` is still this citizen's (not wiped while waiting)."""
        return flow is self.flow

    def service(self) -> PayBills:
        """The session's pay service, with receipts in the language shown now."""
        return self.flow.service(self.app.language)

    def showing(self) -> bool:
        """Tell whether this screen is the one on screen (an answer may come late)."""
        return self.manager is not None and self.manager.current == self.name

    def online(self) -> bool:
        """Tell whether the central API answered last time the sync worker asked."""
        return bool(self.app.options.ui_state.snapshot().online)

    def go_on(self, screen: str, *, returnable: bool = True, **params: Any) -> None:
        """Show ``screen`` in the pay journey, keeping the procedure in its parameters."""
        super().go_on(screen, returnable=returnable, **{"journey": Journey.PAY, **params})

    def recheck_devices(self, then: Callable[[], None]) -> None:
        """Ask the printer and terminal how they are now (on a thread); then redraw."""
        self.run_async(self._recheck(self.flow.devices, then))

    async def _recheck(self, devices: DeviceHub, then: Callable[[], None]) -> None:
        await asyncio.to_thread(devices.refresh)
        if self.showing():
            then()

    def choose(self, bills: list[PayableBill], source: Source) -> str | None:
        """Make ``bills`` the payment to confirm and show it; return a msgid if refused."""
        try:
            selection = self.service().select(bills)
        except PayError as err:
            return err.message_key
        self.flow.chosen(selection, source, offline=not self.online())
        self.go_on("pay_confirm")
        return None

    def open_barcode(self, code: str, say: Callable[[str], None]) -> None:
        """Read a bill's barcode and confirm it; ``say`` gets a msgid when it cannot be paid.

        Decoded on the kiosk; checked at the API when the link is up (a paid bill says so).
        """
        try:
            self.service().bill_from_barcode(code)
        except BarcodeError as err:
            log.info("bill barcode refused: %s", err.reason)
            say(err.message_key)
            return
        self.run_async(self._by_barcode(code, say, self.flow))

    async def _by_barcode(self, code: str, say: Callable[[str], None], flow: PayFlow) -> None:
        found = await self.service().bill_by_barcode(code)
        if not self.current(flow) or not self.showing():
            return
        if not found.bills:
            say(found.message_key or "")
            return
        say(self.choose(list(found.bills), Source.BARCODE) or "")

    def listen_to_scanner(self) -> None:
        """Take a keyboard-like barcode scanner's keys while this screen shows."""
        Window.bind(on_key_down=self._key_down)

    def _key_down(self, _window: Any, key: int, _scancode: int, codepoint: str | None,
                  _modifiers: list[str]) -> bool:
        if not self.showing():
            return False
        return self.scanner_key(key, codepoint)

    def scanner_key(self, key: int, codepoint: str | None) -> bool:
        """Handle one key from a scanner or a keyboard; True when it was used."""
        return False
