"""Why a payment is refused before any money moves; each carries the citizen's sentence."""

from __future__ import annotations

from common.text import N_
from kiosk.services.degraded import MSG_NOT_AUTHORIZED


class PayError(Exception):
    """A pay request refused before any money moved; ``message_key`` is for the screen."""

    message_key = N_("This payment cannot be made. Please start again.")


class SelectionUsed(PayError):
    message_key = N_("These bills were already paid. Start a new payment to pay others.")


class AlreadyPaid(PayError):
    message_key = N_("One of these bills was already paid a moment ago.")


class PreviousPaymentOpen(PayError):
    message_key = N_("The kiosk is checking an earlier payment. Please ask for help.")


class ReceiptChoiceRequired(PayError):
    message_key = N_("The printer is out of service. Pay only if a receipt on screen is enough.")


class KioskNotAuthorized(PayError):
    message_key = MSG_NOT_AUTHORIZED


class NotPayableByCard(PayError):
    message_key = N_("This amount cannot be paid by card. Please pay it at the municipal office.")
