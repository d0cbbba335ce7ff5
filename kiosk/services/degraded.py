"""Which journeys the kiosk can offer now, and the plain sentence for each one it cannot.

The architecture's "Degraded" rules for the home and start screens (no Kivy), on the device
hub's capability rule, the only one (:class:`kiosk.devices.Availability`): a choice is
switched off, with its sentence, when the hub knows its device cannot serve; everything
else keeps working.

* terminal not usable → Pay is off (every payment is by card);
* e-ID reader not usable → what needs the card is off (typing a case or bill number works);
* printer out of paper, cover open or down → receipts are shown on screen (Pay itself
  stays on: the citizen accepts the on-screen receipt before paying);
* central API unreachable → live look-ups (a case status) are off, and so is everything
  that needs the API before it can go on: the e-ID (its PIN is checked with the town hall),
  a bill found by its number. Told up front, on the home and procedure pages, before the
  citizen fills in anything: a request with the e-ID cannot start; any other request is
  filled in and sent when the link returns; Pay takes only a bill's barcode
  (:func:`procedure_offer`);
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
MSG_OFFLINE_OFFERS = N_("There is no connection to the town hall right now. What still "
                        "works: requests that do not need your identity card (we send them "
                        "when the connection returns) and paying a bill by its barcode. What "
                        "does not work now: your identity card, finding a bill by its number, "
                        "and checking a status.")
MSG_REQUEST_SENT_LATER = N_("There is no connection to the town hall right now. You can fill "
                            "in this request: we keep it safe and send it as soon as the "
                            "connection returns.")
MSG_REQUEST_NEEDS_LINK = N_("This request needs your identity card, and the card is checked "
                            "with the town hall. There is no connection right now, so it "
                            "cannot be done now. Please try again later or ask at the desk.")
MSG_PAY_BARCODE_ONLY = N_("There is no connection to the town hall right now. You can pay a "
                          "bill by its barcode. Finding a bill by its number or with your "
                          "identity card is not possible now.")


@dataclass(frozen=True)
class JourneyOffer:
    """Whether a procedure's journey can start now, and what the citizen is told first."""

    startable: bool
    note: str | None = None  # a msgid shown before Start ("" or None: nothing to say)


def procedure_offer(fee_kind: str, identity_level: str, online: bool) -> JourneyOffer:
    """Judge one procedure against the link, so no citizen fills in what cannot be sent.

    Online, everything starts. Offline, a request identified with the e-ID is switched off
    (the PIN is checked at the API); another request starts with the promise that it is
    sent later; a payment starts, but only a barcode can find the bill.
    """
    if online:
        return JourneyOffer(True)
    if fee_kind == "lookup":
        return JourneyOffer(True, MSG_PAY_BARCODE_ONLY)
    if identity_level == "eid":
        return JourneyOffer(False, MSG_REQUEST_NEEDS_LINK)
    return JourneyOffer(True, MSG_REQUEST_SENT_LATER)


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
        notices += [] if self.live_lookups else [MSG_OFFLINE_OFFERS]
        notices += [] if self.receipts_on_paper else [MSG_NO_PAPER]
        return notices


def current_offer(hub: DeviceHub, online: bool, authorized: bool = True) -> Offer:
    """Judge the hub's capabilities and the link; no device I/O (safe on the UI thread)."""
    return Offer(pay=authorized and hub.card_payment() is not Availability.NO,
                 authorized=authorized,
                 eid=hub.identification() is not Availability.NO,
                 receipts_on_paper=hub.paper_receipts() is not Availability.NO,
                 live_lookups=online)
