"""Which journeys the kiosk can offer now, and the plain sentence for each one it cannot.

The architecture's "Degraded" rules for the home and start screens (no Kivy), on the device
hub's capability rule, the only one (:class:`kiosk.devices.Availability`): a choice is
switched off, with its sentence, when the hub knows its device cannot serve; everything
else keeps working.

* terminal not usable → Pay is off (every payment is by card);
* e-ID reader not usable → what needs the card is off (typing a case or bill number works);
* printer out of paper, cover open or down → receipts are shown on screen (Pay itself
  stays on: the citizen accepts the on-screen receipt before paying);
* central API unreachable → live look-ups (a case status) are off;
* the API revoked this kiosk's token → Pay is off (it could not be booked).

A device the hub has never heard from is ``UNKNOWN``: nothing is claimed about it, neither
"not working" here nor "working" where it is used (a sale and a paper receipt need ``YES``).
``Runtime.start`` asks every device before the first citizen, and the pay screens ask
again on arrival. The e-ID reader always has a status (``offline`` until its watch starts).
"""

from __future__ import annotations

from dataclasses import dataclass

from common.text import N_
from kiosk.devices import Availability, DeviceHub

MSG_NO_PAY = N_("Paying is not possible right now: the card terminal is not working. "
                "Everything else works.")
MSG_NO_EID = N_("The identity card reader is not working right now, so what needs your "
                "card cannot be done. Everything else works.")
MSG_CASE_NUMBER_ONLY = N_("The card reader is not working right now. You can still check "
                          "a case by typing its number.")
MSG_NO_PAPER = N_("Receipts cannot be printed right now: they are shown on the screen "
                  "instead, with a code you can photograph.")
MSG_NOT_AUTHORIZED = N_("Paying is not possible at this kiosk right now. Please ask at the "
                        "desk. Everything else works.")
MSG_NO_LIVE = N_("There is no connection to the town hall right now, so a status cannot "
                 "be checked. Please try again later.")


@dataclass(frozen=True)
class Offer:
    """What a citizen can start now."""

    pay: bool = True
    eid: bool = True
    receipts_on_paper: bool = True
    live_lookups: bool = True
    authorized: bool = True  # the API accepts this kiosk (a revoked one takes no money)

    def home_notices(self) -> list[str]:
        """The sentences (msgids) the home screen shows, most important first."""
        notices = [] if self.authorized else [MSG_NOT_AUTHORIZED]
        notices += [] if self.pay or not self.authorized else [MSG_NO_PAY]
        notices += [] if self.eid else [MSG_NO_EID]
        notices += [] if self.live_lookups else [MSG_NO_LIVE]
        notices += [] if self.receipts_on_paper else [MSG_NO_PAPER]
        return notices


def current_offer(hub: DeviceHub, online: bool, authorized: bool = True) -> Offer:
    """Judge the hub's capabilities and the link; no device I/O (safe on the UI thread)."""
    return Offer(pay=authorized and hub.card_payment() is not Availability.NO,
                 authorized=authorized,
                 eid=hub.identification() is not Availability.NO,
                 receipts_on_paper=hub.paper_receipts() is not Availability.NO,
                 live_lookups=online)
