"""What a reprint needs, for a receipt printed at any kiosk: found by what the receipt says.

The answer is built from the payment or the case the server already holds (no kiosk
uploads anything for it) and carries no personal data: lines, amounts, the card's type and
last four digits, codes, the case number. A QR key (an Idempotency-Key, unguessable) or a
case number finds its receipt alone; a payment's printed reference ("PAG-000123", the
terminal's ticket, not unique across kiosks) needs the card's last four digits, and a
provisional request reference ("SOL-1A2B3C4D") the case number. Wrong or unknown answers
count against the kiosk like wrong enrolment codes (procedure_api/enrolment.py): five in
15 minutes and it must wait (429 with Retry-After).
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from typing import Any

from fastapi import APIRouter

from procedure_api.auth import Kiosk, State
from procedure_api.enrolment import record_failure, seconds_locked_out
from procedure_api.errors import ApiProblem
from procedure_api.report_schemas import ReceiptCopy, ReceiptLookup
from procedure_api.routers.kiosks import LOCKED_OUT

log = logging.getLogger(__name__)
router = APIRouter(tags=["receipts"])
_PAYMENT_REF = re.compile(r"PAG(\d{1,6})")
_PROVISIONAL = re.compile(r"SOL([0-9A-F]{8})")


def _compact(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text).upper()


def _lines(conn: sqlite3.Connection, bills: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for bill in bills:
        debt = conn.execute("SELECT description_es, description_en FROM debts"
                            " WHERE reference = ?", (bill["reference"],)).fetchone()
        es, en = (debt[0], debt[1]) if debt else (bill["reference"], bill["reference"])
        out.append({"description": {"es": es, "en": en}, "amount_cents": bill["amount_cents"],
                    "reference": bill["reference"]})
    return out


def _payment_part(row: sqlite3.Row) -> dict[str, Any]:
    return {key: row[key] for key in ("ticket", "amount_cents", "card_type", "card_last4",
                                      "authorization_code", "operation_number",
                                      "idempotency_key")}


def _case_of_payment(conn: sqlite3.Connection, bills: list[dict[str, Any]]) -> sqlite3.Row | None:
    for bill in bills:
        case = conn.execute("SELECT * FROM cases WHERE fee_reference = ?",
                            (bill["reference"],)).fetchone()
        if case is not None:
            return case
    return None


def _from_payment(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    bills = json.loads(row["bills"])
    case = _case_of_payment(conn, bills)
    return {"kind": "payment", "kiosk_id": row["kiosk_id"], "issued_at": row["authorized_at"],
            "lines": _lines(conn, bills), "payment": _payment_part(row),
            "case_number": None if case is None else case["case_number"],
            "procedure_id": None if case is None else case["procedure_id"],
            "case_key": None if case is None else case["idempotency_key"]}


def _from_case(conn: sqlite3.Connection, case: sqlite3.Row) -> dict[str, Any]:
    procedure = conn.execute("SELECT data FROM procedures WHERE id = ?",
                             (case["procedure_id"],)).fetchone()
    title = json.loads(procedure[0])["title"] if procedure else {
        "es": case["procedure_id"], "en": case["procedure_id"]}
    payment = None
    if case["fee_reference"]:
        payment = conn.execute(
            "SELECT * FROM payments WHERE bills LIKE ? ORDER BY recorded_at DESC LIMIT 1",
            (f'%"{case["fee_reference"]}"%',)).fetchone()
    if payment is not None:  # the one receipt of the request and its fee
        return _from_payment(conn, payment)
    return {"kind": "request", "kiosk_id": case["kiosk_id"] or "",
            "issued_at": case["submitted_at"],
            "lines": [{"description": title, "amount_cents": None, "reference": ""}],
            "payment": None, "case_number": case["case_number"],
            "procedure_id": case["procedure_id"], "case_key": case["idempotency_key"]}


def find_receipt(conn: sqlite3.Connection, reference: str,
                 check: str | None) -> dict[str, Any] | None:
    """What the receipt said, if ``reference`` and ``check`` prove it (None otherwise)."""
    payment = conn.execute("SELECT * FROM payments WHERE idempotency_key = ?",
                           (reference,)).fetchone()
    if payment is not None:
        return _from_payment(conn, payment)
    compact = _compact(reference)
    case = conn.execute("SELECT * FROM cases WHERE idempotency_key = ?"
                        " OR REPLACE(case_number, '-', '') = ?", (reference, compact)).fetchone()
    if case is not None:
        return _from_case(conn, case)
    proof = _compact(check or "")
    if (match := _PAYMENT_REF.fullmatch(compact)) and re.fullmatch(r"\d{4}", proof):
        rows = conn.execute("SELECT * FROM payments WHERE ticket = ? AND card_last4 = ?"
                            " ORDER BY recorded_at DESC", (int(match[1]), proof)).fetchall()
        return _from_payment(conn, rows[0]) if len(rows) == 1 else None
    if (match := _PROVISIONAL.fullmatch(compact)) and proof:
        case = conn.execute(
            "SELECT * FROM cases WHERE REPLACE(case_number, '-', '') = ?"
            " AND UPPER(SUBSTR(REPLACE(idempotency_key, '-', ''), 1, 8)) = ?",
            (proof, match[1])).fetchone()
        return None if case is None else _from_case(conn, case)
    return None


@router.post("/v1/receipts/lookup", response_model=ReceiptCopy, responses=LOCKED_OUT)
def receipt_copy(body: ReceiptLookup, state: State, kiosk: Kiosk) -> ReceiptCopy:
    """Answer what a receipt's reprint needs, once what the citizen typed proves it."""
    source, now = f"reprint:{kiosk}", state.config.clock()
    with state.db.transaction() as conn:
        wait_s = seconds_locked_out(conn, source, now, state.config)
        found = None if wait_s else find_receipt(conn, body.reference.strip(), body.check)
        if found is None and not wait_s:
            record_failure(conn, source, now)
    if wait_s:
        log.warning("receipt look-up from kiosk %s refused: locked out for %d s", kiosk, wait_s)
        raise ApiProblem(429, "too_many_receipt_attempts", headers={"Retry-After": str(wait_s)})
    if found is None:
        raise ApiProblem(404, "receipt_not_found")
    return ReceiptCopy.model_validate(found)
