"""The Pay journey without screens: find debts, select bills, pay by card, print the receipt.

One :class:`PayBills` per citizen session. Money rules:

* the total is summed once, when the bills are chosen, and must be whole pesos right then.
* a :class:`Selection` is paid at most once: it is sealed as soon as the terminal approved
  (or its outcome is unknown); pressing "Back" and paying again raises SelectionUsed, and a
  bill paid in this session cannot be selected again (AlreadyPaid), nor paid in any later
  session while its payment waits for the API's confirmation (the journal says so). A
  declined selection reopens: nothing was taken, the citizen may try another card.
* once approved, the payment stays paid whatever the printer does: paper out or a failed
  print gives ``PAID_RECEIPT_ON_SCREEN`` with the print job id for a reprint, never a re-sale.
* the receipt says "pending confirmation" until the API has recorded the payment (the sync
  worker is woken and given a short moment to deliver it first).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime

from common.money import AmountError, Money, total
from common.text import N_
from drivers.payment.base import PaymentTerminal, TerminalUnavailable
from drivers.printer.receipt import Receipt
from kiosk import bill_barcode
from kiosk.api import ApiClient
from kiosk.api_errors import ApiError, ApiOffline, ApiRejected
from kiosk.api_types import Debt
from kiosk.devices import DeviceHub, ReceiptMode
from kiosk.i18n import load_catalog
from kiosk.receipts.payment import (
    RequestOnReceipt,
    build_checking_receipt,
    build_payment_receipt,
    print_paid_receipt,
)
from kiosk.receipts.printing import print_receipt
from kiosk.services import card_payment
from kiosk.services.bill_keys import FORMATS, AccountKind, normalise_account
from kiosk.services.pay_errors import (
    AlreadyPaid,
    KioskNotAuthorized,
    NotPayableByCard,
    PayError,
    PreviousPaymentOpen,
    ReceiptChoiceRequired,
    SelectionUsed,
)
from kiosk.services.pay_model import (
    DebtsFound,
    PayableBill,
    PayOutcome,
    PayResult,
    Selection,
    SelectionState,
    normalise_reference,
    receipt_descriptions,
)
from kiosk.settings import KioskSection
from offline_cache.journal import Journal, PaidBill, Payment, PaymentState
from offline_cache.receipt_copies import ReceiptCopies
from offline_cache.sync import LinkState, SyncWorker

log = logging.getLogger(__name__)

RECEIPT_PRINTED = N_("Payment approved. Please take your receipt.")
RECEIPT_ON_SCREEN = N_("Payment approved. Your receipt is on the screen: scan the QR code.")
OFFLINE_BARCODE = N_("No connection right now. You can still pay a bill by its barcode.")
BILL_BY_BARCODE = N_("Municipal bill")
NO_DEBTS = N_("You have no pending debts.")
BILL_NOT_FOUND = N_("We found no bill with this reference number. Please check it on your bill.")
BILL_REFERENCE_INVALID = N_(
    "A reference number has only digits and letters. Please check it on your bill.")
BILL_ALREADY_PAID = N_("This bill is already paid. There is nothing to pay.")
NOTHING_FOR_ACCOUNT = N_("There is nothing to pay for this number: no pending debts. If you "
                         "think this is wrong, check the number on your bill.")


class PayBills:
    """The Pay use cases for one citizen session (plain async, no Kivy)."""

    def __init__(self, *, api: ApiClient, journal: Journal, devices: DeviceHub,
                 kiosk: KioskSection, sync: SyncWorker | None = None,
                 language: str = "es", confirm_wait_s: float = 3.0,
                 copies: ReceiptCopies | None = None) -> None:
        self.api, self.journal, self.devices, self.kiosk = api, journal, devices, kiosk
        self.sync, self.language, self.confirm_wait_s = sync, language, confirm_wait_s
        self.copies = copies  # what a later reprint needs (offline_cache/receipt_copies.py)
        self._paid: set[str] = set()

    # -- finding debts ------------------------------------------------------------------
    async def debts_of_citizen(self, citizen_session: str) -> DebtsFound:
        """List the identified citizen's pending debts (proactive service after e-ID)."""
        return await self._lookup(lambda: self.api.my_debts(citizen_session))

    async def bill_by_reference(self, typed: str) -> DebtsFound:
        """Find the one bill a citizen typed the reference of; paid or unknown: a message."""
        reference = normalise_reference(typed)
        if reference is None:
            return DebtsFound((), message_key=BILL_REFERENCE_INVALID)
        return await self._lookup(lambda: [self.api.bill(reference)], nothing=BILL_ALREADY_PAID)

    async def debts_by_account(self, kind: AccountKind, typed: str) -> DebtsFound:
        """List the pending debts of a property, water account or plate typed by the citizen.

        A number of the wrong shape is answered here, with what to check, before any call.
        """
        value = normalise_account(kind, typed)
        if value is None:
            return DebtsFound((), message_key=FORMATS[kind].wrong_format)
        return await self._lookup(lambda: self.api.debts(**{kind.value: value}),
                                  nothing=NOTHING_FOR_ACCOUNT)

    async def _lookup(self, call: Callable[[], list[Debt]], *,
                      nothing: str = NO_DEBTS) -> DebtsFound:
        try:
            debts = await asyncio.to_thread(call)
        except ApiOffline as err:
            log.info("debt lookup offline: %s", err)
            return DebtsFound((), offline=True, message_key=OFFLINE_BARCODE)
        except ApiRejected as err:
            log.info("debt lookup refused: %s", err.code)
            not_found = err.code == "bill_not_found"
            return DebtsFound((), message_key=BILL_NOT_FOUND if not_found else err.message_key)
        except ApiError as err:
            log.warning("debt lookup failed: %s", err)
            return DebtsFound((), message_key=err.message_key)
        bills = tuple(PayableBill(d["reference"], Money(int(d["amount_cents"])), d["due_date"],
                                  d["kind"], {k: str(v) for k, v in d["description"].items()},
                                  d.get("account") or "", d.get("address_hint") or "")
                      for d in debts
                      if d["status"] == "pending" and d["reference"] not in self._paid)
        return DebtsFound(bills, message_key=None if bills else nothing)

    async def bill_by_barcode(self, barcode: str) -> DebtsFound:
        """Read a scanned or typed bill: decoded here, then checked at the API when it answers.

        Online, the API's answer wins (a bill paid at another kiosk or in an earlier session
        says so; its description comes along). Offline, the barcode alone is enough to pay.
        Raises bill_barcode.BarcodeError when the digits are not a bill's.
        """
        bill = self.bill_from_barcode(barcode)
        found = await self.bill_by_reference(bill.reference)
        if found.offline:  # the barcode carries no description: name it for the receipt
            described = replace(bill, description={
                language: load_catalog(language)._(BILL_BY_BARCODE) for language in ("es", "en")})
            return DebtsFound((described,), offline=True)
        return found

    def bill_from_barcode(self, barcode: str) -> PayableBill:
        """Read a bill from its printed barcode, offline; raises bill_barcode.BarcodeError."""
        bill = bill_barcode.decode(barcode)
        return PayableBill(bill.reference, Money(bill.amount_cents), bill.due_date.isoformat())

    # -- paying -------------------------------------------------------------------------
    def select(self, bills: list[PayableBill]) -> Selection:
        """Start a payment of ``bills``; raise AlreadyPaid, NotPayableByCard or ValueError."""
        if not bills:
            raise ValueError("select at least one bill")
        if any(bill.reference in self._paid for bill in bills):
            raise AlreadyPaid("a selected bill was paid earlier in this session")
        try:
            amount = total(bill.amount for bill in bills).for_sale()
        except AmountError as err:
            log.warning("selection refused before any journal row: %s", err)
            raise NotPayableByCard(str(err)) from err
        return Selection(tuple(bills), amount)

    async def pay(self, selection: Selection, on_progress: Callable[[str], None], *,
                  receipt_on_screen_ok: bool = False,
                  request: RequestOnReceipt | None = None,
                  before_receipt: Callable[[], Awaitable[object]] | None = None) -> PayOutcome:
        """Charge the selection once; raise SelectionUsed, AlreadyPaid, ReceiptChoiceRequired.

        ``request``: the selection is a request's fee; its one receipt names the case.
        ``before_receipt`` runs once the sale is recorded and before its receipt prints
        (the card asked back first, as an ATM does).
        """
        if selection.state is not SelectionState.OPEN:
            raise SelectionUsed(f"selection is {selection.state}")
        if any(bill.reference in self._paid for bill in selection.bills):
            raise AlreadyPaid("a selected bill was paid earlier in this session")
        unconfirmed = await asyncio.to_thread(self.journal.unconfirmed_references)
        if any(bill.reference in unconfirmed for bill in selection.bills):
            raise AlreadyPaid("a selected bill is in a payment the API has not confirmed yet")
        if self.devices.receipt_mode() is ReceiptMode.QR_ONLY_IF_ACCEPTED \
                and not receipt_on_screen_ok:
            raise ReceiptChoiceRequired("printer unusable and the QR receipt not accepted")
        terminal = self.devices.terminal
        if terminal is None:
            return PayOutcome(PayResult.NOT_PAID, TerminalUnavailable.message_key, None)
        if self.sync is not None and self.sync.link is LinkState.REVOKED:
            raise KioskNotAuthorized("the API revoked this kiosk: no card sale")
        selection.state = SelectionState.PAYING
        try:
            outcome = await self._charge(terminal, selection, on_progress)
        except PreviousPaymentOpen:
            selection.state = SelectionState.OPEN  # refused before the terminal was asked
            raise
        except BaseException:
            selection.state = SelectionState.SEALED  # cannot tell what happened: never again
            raise
        if outcome.status is card_payment.PaymentStatus.NOT_PAID:
            selection.state = SelectionState.OPEN
            return PayOutcome(PayResult.NOT_PAID, outcome.message_key, outcome.payment)
        selection.state = SelectionState.SEALED
        self._paid.update(bill.reference for bill in selection.bills)
        if before_receipt is not None:
            await before_receipt()
        if outcome.status is card_payment.PaymentStatus.CHECKING:
            return await self._issue_checking(outcome, selection, request)
        return await self._issue_receipt(outcome.payment, selection, request)

    async def _charge(self, terminal: PaymentTerminal, selection: Selection,
                      on_progress: Callable[[str], None]) -> card_payment.PaymentOutcome:
        bills = tuple(PaidBill(bill.reference, bill.amount) for bill in selection.bills)
        try:
            return await card_payment.pay(self.journal, terminal, selection.total, bills,
                                          on_progress)
        except card_payment.RecoveryPending as err:
            log.error("payment refused: %s", err)
            raise PreviousPaymentOpen(str(err)) from err

    async def _issue_receipt(self, payment: Payment, selection: Selection,
                             request: RequestOnReceipt | None = None) -> PayOutcome:
        pending = not await self._confirmed(payment.ticket)
        receipt = build_payment_receipt(
            self.kiosk, payment, receipt_descriptions(selection.bills),
            issued_at=datetime.now().astimezone(), pending=pending, language=self.language,
            request=request)
        if self.copies is not None:
            await asyncio.to_thread(self.copies.record, "payment", payment.idempotency_key,
                                    receipt.reference, receipt.to_json(),
                                    payment.card_last4 or "")
        return await self._print(payment, receipt, pending)

    async def _issue_checking(self, outcome: card_payment.PaymentOutcome,
                              selection: Selection,
                              request: RequestOnReceipt | None = None) -> PayOutcome:
        """Give the citizen a 'being checked' receipt with the reference to show staff."""
        payment = outcome.payment
        receipt = build_checking_receipt(
            self.kiosk, payment, receipt_descriptions(selection.bills),
            issued_at=datetime.now().astimezone(), language=self.language, request=request)
        attempt = await print_receipt(self.devices.printer, receipt,
                                      f"ticket {payment.ticket:06d} being checked")
        return PayOutcome(PayResult.CHECKING, outcome.message_key, payment, receipt,
                          attempt.job_id)

    async def _confirmed(self, ticket: int) -> bool:
        """Give the sync worker a moment to deliver the payment (False: still pending)."""
        if self.sync is None or self.sync.link is LinkState.OFFLINE:
            return False
        self.sync.wake()
        deadline = time.monotonic() + self.confirm_wait_s
        while time.monotonic() < deadline:
            if (await asyncio.to_thread(self.journal.get, ticket)).state is PaymentState.SYNCED:
                return True
            await asyncio.sleep(0.05)
        return False

    async def _print(self, payment: Payment, receipt: Receipt, pending: bool,
                     job_id: int | None = None) -> PayOutcome:
        current, attempt = await print_paid_receipt(self.devices.printer, self.journal, payment,
                                                    receipt, reprint_of=job_id)
        result, message = ((PayResult.PAID_PRINTED, RECEIPT_PRINTED) if attempt.printed
                           else (PayResult.PAID_RECEIPT_ON_SCREEN, RECEIPT_ON_SCREEN))
        return PayOutcome(result, message, current, receipt, attempt.job_id, pending)

    async def reprint(self, outcome: PayOutcome) -> PayOutcome:
        """Print a paid receipt that stayed on screen (paper back); never charges again."""
        if outcome.payment is None or outcome.receipt is None:
            raise PayError("nothing to reprint")
        return await self._print(outcome.payment, outcome.receipt,
                                 outcome.pending_confirmation, outcome.print_job_id)
