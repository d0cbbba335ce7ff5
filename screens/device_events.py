"""Device events to whom they concern, on Kivy's main thread.

The device hub calls its subscribers on the device threads; the router re-schedules each
event with ``Clock.schedule_once``, then the presenter judges the offers again and, for the
e-ID reader, the session rule runs: pulling the card ends an identified session (and one on
a screen showing or collecting the card's data), unless the screen shows money that moved
or a receipt. Any other reader event goes to the screen showing (``KioskScreen.on_reader``).
"""

from __future__ import annotations

import logging

from kivy.clock import Clock

from drivers.base import DeviceClass, DeviceStatus
from kiosk.services.identify import card_removed
from screens.base import KioskScreen
from screens.notices import NoticePresenter
from screens.session_control import SessionController

log = logging.getLogger(__name__)


def card_pull_ends_session(screen: KioskScreen, identified: bool) -> bool:
    """Tell whether pulling the e-ID card out while ``screen`` shows ends the session."""
    return not screen.outlives_card and (identified or screen.card_bound)


class DeviceEventRouter:
    """A hub subscriber (any thread) that acts on Kivy's main thread."""

    def __init__(self, notices: NoticePresenter, session: SessionController) -> None:
        self._notices, self._session = notices, session

    def __call__(self, status: DeviceStatus) -> None:
        Clock.schedule_once(lambda _dt: self._route(status), 0)

    def _route(self, status: DeviceStatus) -> None:
        self._notices.reassess()
        if status.device is DeviceClass.EID:
            self._reader(status)

    def _reader(self, status: DeviceStatus) -> None:
        screen = self._session.current_screen()
        identified = self._session.scope.identify.identity is not None
        if card_removed(status) and card_pull_ends_session(screen, identified):
            log.info("card removed during identification; ending the session")
            self._session.end()
        else:
            screen.on_reader(status)
