"""Procedure submissions (which open a case) and case status look-ups.

Case numbers are unguessable: ``VE-<year>-`` and eight random Crockford base-32 characters
(40 bits), so nobody finds another person's case by counting. Numbers from before
(``VE-2026-000123``) are still answered. Looked up by its number alone, a case shows only
its status; the procedure and dates are for the identified citizen.

A procedure with a fixed fee opens its case as ``awaiting_payment`` together with a fee
bill (a ``debts`` row of kind ``fee`` with an unguessable 12-digit reference, typed like any
bill's number; ``GET /v1/bills/{case number}`` finds it too), so the fee is paid by the one
card-payment path at any kiosk, by its number, the case number or among the citizen's
debts. The payment that settles the bill moves the case on to
``received`` (procedure_api/settlement.py).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from procedure_api.auth import Kiosk, State, citizen_for_session, citizen_session_header
from procedure_api.db import iso
from procedure_api.errors import ApiProblem
from procedure_api.idempotency import IdempotencyKey, run_once
from procedure_api.schemas import (
    CaseList,
    CasePublicStatus,
    CaseStatus,
    SubmissionAccepted,
    SubmissionRequest,
)

router = APIRouter(tags=["cases"])
STATUS_LABELS = {
    "awaiting_payment": {"es": "Esperando el pago de la tasa",
                         "en": "Waiting for the fee to be paid"},
    "received": {"es": "Recibido", "en": "Received"},
    "in_review": {"es": "En revisión", "en": "In review"},
    "waiting_for_citizen": {"es": "Esperando documentos suyos",
                            "en": "Waiting for your documents"},
    "resolved": {"es": "Resuelto", "en": "Resolved"},
    "rejected": {"es": "Rechazado", "en": "Rejected"},
}
CASE_PREFIX = "VE"
CASE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CASE_RANDOM_CHARS = 8
# Today's unguessable numbers, or the sequential ones issued before them.
CASE_NUMBER_PATTERN = r"^[A-Z]{2}-[0-9]{4}-([0-9]{6}|[0-9A-HJKMNP-TV-Z]{8})$"
FEE_DUE_DAYS = 30  # the fee bill's due date, counted from the request


def new_fee_reference(conn: sqlite3.Connection) -> str:
    """Allocate a fee bill's reference: 9 and 11 random digits, like a bill's number."""
    while True:
        reference = "9" + "".join(secrets.choice("0123456789") for _ in range(11))
        if conn.execute("SELECT 1 FROM debts WHERE reference = ?", (reference,)).fetchone() \
                is None:
            return reference


def fixed_fee_cents(procedure: dict[str, Any]) -> int | None:
    """The procedure's fixed fee in cents (None when it is free or looked up)."""
    fee = procedure.get("fee") or {}
    amount = fee.get("amount_cents")
    return int(amount) if fee.get("kind") == "fixed" and amount else None


def _open_fee_bill(conn: sqlite3.Connection, procedure: dict[str, Any], case_number: str,
                   national_number: str | None, amount_cents: int, now: datetime) -> str:
    reference = new_fee_reference(conn)
    title = procedure.get("title", {})
    conn.execute(
        "INSERT INTO debts (reference, kind, national_number, description_es, description_en,"
        " amount_cents, due_date, status) VALUES (?, 'fee', ?, ?, ?, ?, ?, 'pending')",
        (reference, national_number,
         f"Tasa: {title.get('es', procedure['id'])}, expediente {case_number}",
         f"Fee: {title.get('en', procedure['id'])}, case {case_number}", amount_cents,
         (now + timedelta(days=FEE_DUE_DAYS)).date().isoformat()))
    return reference


def _procedure(conn: sqlite3.Connection, procedure_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT data FROM procedures WHERE id = ?", (procedure_id,)).fetchone()
    return None if row is None else dict(json.loads(row["data"]))


def _case_status(conn: sqlite3.Connection, row: sqlite3.Row) -> CaseStatus:
    procedure = _procedure(conn, row["procedure_id"]) or {}
    title = procedure.get("title", {"es": row["procedure_id"], "en": row["procedure_id"]})
    return CaseStatus.model_validate({
        "case_number": row["case_number"], "procedure_id": row["procedure_id"], "title": title,
        "status": row["status"], "status_label": STATUS_LABELS[row["status"]],
        "submitted_at": row["submitted_at"], "updated_at": row["updated_at"]})


def _check_form(procedure: dict[str, Any], form: dict[str, Any]) -> None:
    known = {field["name"]: field for field in procedure["form_schema"]}
    unknown = sorted(set(form) - set(known))
    if unknown:
        raise ApiProblem(422, "invalid_request", f"unknown form field {unknown[0]}")
    for name, field in known.items():
        if field["required"] and form.get(name) in (None, ""):
            raise ApiProblem(422, "invalid_request", f"form field {name} is required")


def next_case_number(conn: sqlite3.Connection, year: int) -> str:
    """Allocate an unused, unguessable case number of the year, e.g. VE-2026-7K3M9QXF."""
    while True:
        random_part = "".join(secrets.choice(CASE_ALPHABET) for _ in range(CASE_RANDOM_CHARS))
        case_number = f"{CASE_PREFIX}-{year}-{random_part}"
        if conn.execute("SELECT 1 FROM cases WHERE case_number = ?",
                        (case_number,)).fetchone() is None:
            return case_number


@router.post("/v1/submissions", response_model=SubmissionAccepted, status_code=201)
def submit(
    body: SubmissionRequest, state: State, kiosk: Kiosk, idempotency_key: IdempotencyKey
) -> Any:
    """Open a case for a procedure request; e-ID procedures need the citizen's session."""
    national_number = None
    if body.citizen_session is not None:
        national_number = citizen_for_session(
            state, kiosk, body.citizen_session, for_submission=True)

    def action(conn: sqlite3.Connection) -> tuple[int, dict[str, Any]]:
        procedure = _procedure(conn, body.procedure_id)
        if procedure is None:
            raise ApiProblem(422, "unknown_procedure")
        if procedure["identity_level"] == "eid" and national_number is None:
            raise ApiProblem(403, "citizen_session_required")
        _check_form(procedure, body.form)
        now = state.config.clock()
        case_number = next_case_number(conn, now.year)
        fee = fixed_fee_cents(procedure)
        reference = None if fee is None else _open_fee_bill(
            conn, procedure, case_number, national_number, fee, now)
        conn.execute(
            "INSERT INTO cases (case_number, procedure_id, national_number, kiosk_id, status,"
            " form, submitted_at, updated_at, idempotency_key, fee_reference)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (case_number, body.procedure_id, national_number, kiosk,
             "received" if fee is None else "awaiting_payment", json.dumps(body.form),
             body.submitted_at.isoformat(), iso(now), idempotency_key, reference))
        return 201, {"case_number": case_number, "fee_reference": reference}

    return run_once(state, kiosk, idempotency_key, "submissions", body, action)


@router.get("/v1/cases/{case_number}", response_model=CasePublicStatus)
def case_status(
    case_number: Annotated[str, Path(pattern=CASE_NUMBER_PATTERN)],
    state: State,
    kiosk: Kiosk,
) -> CasePublicStatus:
    """Return a case's status by its number: the status only, nothing about the person."""
    with state.db.transaction() as conn:
        row = conn.execute("SELECT case_number, status FROM cases WHERE case_number = ?",
                           (case_number,)).fetchone()
    if row is None:
        raise ApiProblem(404, "case_not_found")
    return CasePublicStatus.model_validate({
        "case_number": row["case_number"], "status": row["status"],
        "status_label": STATUS_LABELS[row["status"]]})


@router.get("/v1/citizens/me/cases", response_model=CaseList)
def my_cases(
    state: State, kiosk: Kiosk, session: Annotated[str, Depends(citizen_session_header)]
) -> CaseList:
    """Return the identified citizen's cases, newest first."""
    national_number = citizen_for_session(state, kiosk, session)
    with state.db.transaction() as conn:
        rows = conn.execute(
            "SELECT * FROM cases WHERE national_number = ? ORDER BY updated_at DESC",
            (national_number,)).fetchall()
        return CaseList(cases=[_case_status(conn, row) for row in rows])
