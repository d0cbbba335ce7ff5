"""The banner and the home's degraded offers: what the link and the devices allow, in words.

Plain Python over the shell's Kivy properties (Kivy's main thread only). The link and the
device faults come from :class:`kiosk.services.ui_state.UiState`; what a citizen can start
comes from :func:`kiosk.services.degraded.current_offer`, on the device hub's capability
rule, the only one.
"""

from __future__ import annotations

from typing import Protocol

from common.text import N_
from kiosk.devices import DeviceHub
from kiosk.i18n import Catalog
from kiosk.services.degraded import current_offer
from kiosk.services.ui_state import Notices

# The banner names the device, since a driver's own sentence ("did not answer") does not.
DEVICE_NAMES = {"eid": N_("ID card reader"), "printer": N_("Receipt printer"),
                "payment": N_("Card terminal")}
DEVICE_NOTICE = N_("{device}: {problem}")
OFFLINE = N_("No connection to the town hall right now. Some things cannot be done now: "
             "each page says what still works.")


class NoticeBoard(Protocol):
    """The shell's properties the banner, home and status screens bind to."""

    i18n: Catalog
    notice_text: str  # a translated sentence per problem, "" when all is well
    can_pay: bool
    can_use_eid: bool
    live_lookups: bool
    degraded_text: str  # translated sentences for the home screen


class NoticePresenter:
    """Keeps the board saying what is wrong now, in the language shown now."""

    def __init__(self, hub: DeviceHub, board: NoticeBoard) -> None:
        self._hub, self._board = hub, board
        self._notices = Notices(True, {})

    def show(self, notices: Notices) -> None:
        """Say the link's state and every device fault, then judge the offers again."""
        self._notices = notices
        translate = self._board.i18n._
        lines = [] if notices.online else [translate(OFFLINE)]
        lines += [translate(DEVICE_NOTICE).format(device=translate(DEVICE_NAMES.get(
                      device, device)), problem=translate(key))
                  for device, key in sorted(notices.faults.items())]
        self._board.notice_text = "\n".join(lines)
        self.reassess()

    def retranslate(self) -> None:
        """Say it all again in the language now shown."""
        self.show(self._notices)

    def reassess(self) -> None:
        """Decide again what the devices and the link allow (after any device event)."""
        offer = current_offer(self._hub, self._notices.online, self._notices.authorized)
        board = self._board
        board.can_pay, board.can_use_eid = offer.pay, offer.eid
        board.live_lookups = offer.live_lookups
        board.degraded_text = "\n\n".join(board.i18n._(key) for key in offer.home_notices())
