"""Reprint a receipt later, at any kiosk: found by its QR code or its typed reference.

What the citizen gives decides what proves it (:func:`parse_reference`): the QR's key
(scanned; unguessable) or a case number alone; a payment's printed reference ("PAG-000123")
with the card's last four digits; a provisional request reference ("SOL-1A2B3C4D") with the
case number. This kiosk's own receipts come from its encrypted copies
(``offline_cache/receipt_copies.py``, also offline); any other from the API, which checks
the proof and limits wrong tries. A receipt older than ``kiosk.reprint_window_days`` is
refused with a plain message. The copy is printed marked COPY / COPIA.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from urllib.parse import parse_qs, urlsplit

from common.text import N_
from drivers.printer.base import ReceiptPrinter
from drivers.printer.receipt import Receipt
from kiosk.api import ApiClient
from kiosk.api_errors import ApiError, ApiOffline, ApiRejected
from kiosk.receipts.printing import print_receipt
from kiosk.receipts.reprint import ProcedureLookup, receipt_from_api
from kiosk.services.check_status import normalise_case_number
from kiosk.settings import KioskSection
from offline_cache.receipt_copies import ReceiptCopies, StoredCopy

log = logging.getLogger(__name__)

MSG_NOT_A_REFERENCE = N_("This is not a receipt reference. Type it as printed on the "
                         "receipt, for example PAG-000123 or VE-2026-000042.")
MSG_NOT_FOUND = N_("We found no receipt with this reference and these digits. Please "
                   "check them on your receipt and card.")
MSG_TOO_OLD = N_("This receipt is older than {days} days, so it cannot be printed again "
                 "here. Please ask at the municipal office.")
MSG_TOO_MANY = N_("Too many tries. Please wait a few minutes, or ask at the office.")
MSG_OFFLINE = N_("There is no connection right now, so only receipts from this kiosk can be "
                 "printed again. Please try later.")
MSG_PRINTED = N_("Your copy is printing. Please take it from the printer.")
MSG_ON_SCREEN = N_("The printer is not working, so your copy is here on the screen. Scan its "
                   "QR code with your phone to keep it.")

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}")


class ReferenceKind(StrEnum):
    QR = "qr"  # the QR's key: nothing more to prove
    PAYMENT = "payment"  # PAG-000123: the card's last four digits
    PROVISIONAL = "provisional"  # SOL-1A2B3C4D: the case number
    CASE = "case"  # a case number: nothing more to prove


@dataclass(frozen=True)
class ReprintQuery:
    """A receipt reference as scanned or typed, and what proves it."""

    kind: ReferenceKind
    reference: str

    @property
    def needs_check(self) -> bool:
        """Tell whether a second answer (last four digits or case number) is needed."""
        return self.kind in (ReferenceKind.PAYMENT, ReferenceKind.PROVISIONAL)


def _compact(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text).upper()


def parse_reference(text: str) -> ReprintQuery | None:
    """Read a scanned QR code (its URL) or a typed reference; None when it is neither."""
    text = text.strip()
    if "ref=" in text:  # the QR's verification URL, typed by a USB scanner
        refs = parse_qs(urlsplit(text).query).get("ref", [])
        text = refs[0] if refs else ""
    if _UUID.fullmatch(text):
        return ReprintQuery(ReferenceKind.QR, text.lower())
    compact = _compact(text)
    if match := re.fullmatch(r"PAG(\d{1,6})", compact):
        return ReprintQuery(ReferenceKind.PAYMENT, f"PAG-{int(match[1]):06d}")
    if re.fullmatch(r"SOL[0-9A-F]{8}", compact):
        return ReprintQuery(ReferenceKind.PROVISIONAL, f"SOL-{compact[3:]}")
    if (case_number := normalise_case_number(compact)) is not None:
        return ReprintQuery(ReferenceKind.CASE, case_number)
    return None


@dataclass(frozen=True)
class ReprintFound:
    """The receipt to print again, marked as a copy."""

    receipt: Receipt


@dataclass(frozen=True)
class ReprintRefused:
    """Why the receipt cannot be printed again (a msgid, maybe with ``{days}``)."""

    message_key: str
    days: int = 0


@dataclass(frozen=True)
class Reprinted:
    """The copy, and whether it reached paper (else it is shown on screen)."""

    receipt: Receipt
    printed: bool
    message_key: str


class ReprintReceipts:
    """Find a receipt (this kiosk's copies first, then the API) and print it as a copy."""

    def __init__(self, copies: ReceiptCopies, api: ApiClient, printer: ReceiptPrinter | None,
                 kiosk: KioskSection, procedures: ProcedureLookup) -> None:
        self._copies, self._api, self._printer = copies, api, printer
        self._kiosk, self._procedures = kiosk, procedures

    @property
    def window_days(self) -> int:
        """How long after issue a receipt can be printed again."""
        return self._kiosk.reprint_window_days

    async def find(self, query: ReprintQuery, check: str,
                   language: str) -> ReprintFound | ReprintRefused:
        """Find the receipt ``query`` names, if ``check`` proves it and it is recent enough."""
        stored = await asyncio.to_thread(self._copies.find, query.reference)
        if stored is not None and self._proves(query, check, stored):
            if self._too_old(stored.created_at):
                return ReprintRefused(MSG_TOO_OLD, self.window_days)
            log.info("reprint of a %s receipt from this kiosk's copies", stored.kind)
            return ReprintFound(Receipt.from_json(stored.receipt_json).as_copy())
        return await self._from_api(query, check, language)

    def _proves(self, query: ReprintQuery, check: str, stored: StoredCopy) -> bool:
        return not query.needs_check or (bool(stored.check)
                                         and _compact(check) == _compact(stored.check))

    def _too_old(self, issued_at: datetime) -> bool:
        moment = issued_at if issued_at.tzinfo else issued_at.replace(tzinfo=UTC)
        return datetime.now(UTC) - moment > timedelta(days=self.window_days)

    async def _from_api(self, query: ReprintQuery, check: str,
                        language: str) -> ReprintFound | ReprintRefused:
        try:
            copy = await asyncio.to_thread(self._api.receipt_copy, query.reference,
                                           check.strip() or None)
        except ApiOffline as err:
            log.info("receipt look-up offline: %s", err)
            return ReprintRefused(MSG_OFFLINE)
        except ApiRejected as err:
            log.info("receipt look-up refused: %s", err.code)
            if err.status == 429:
                return ReprintRefused(MSG_TOO_MANY)
            return ReprintRefused(MSG_NOT_FOUND if err.status in (404, 422)
                                  else err.message_key)
        except ApiError as err:
            log.warning("receipt look-up failed: %s", err)
            return ReprintRefused(err.message_key)
        if self._too_old(datetime.fromisoformat(copy["issued_at"])):
            return ReprintRefused(MSG_TOO_OLD, self.window_days)
        try:
            receipt = receipt_from_api(self._kiosk, copy, self._procedures, language)
        except (ValueError, KeyError, TypeError) as err:
            log.warning("receipt answer unusable: %s", err)
            return ReprintRefused(MSG_NOT_FOUND)
        log.info("reprint of a %s receipt from kiosk %s", copy["kind"], copy["kiosk_id"])
        return ReprintFound(receipt.as_copy())

    async def print_copy(self, found: ReprintFound) -> Reprinted:
        """Print the copy through the one print path; a failed print leaves it on screen."""
        attempt = await print_receipt(self._printer, found.receipt, "receipt copy")
        return Reprinted(found.receipt, attempt.printed,
                         MSG_PRINTED if attempt.printed else MSG_ON_SCREEN)
