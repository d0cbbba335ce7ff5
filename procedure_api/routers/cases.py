"""Procedure submissions (which open a case) and case status look-ups.

Case numbers are unguessable: ``VE-<year>-`` and eight random Crockford base-32 characters
(40 bits), so nobody finds another person's case by counting. Numbers from before
(``VE-2026-000123``) are still answered. Looked up by its number alone, a case shows only
its status; the procedure and dates are for the identified citizen.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
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
        conn.execute(
            "INSERT INTO cases VALUES (?, ?, ?, ?, 'received', ?, ?, ?, ?)",
            (case_number, body.procedure_id, national_number, kiosk, json.dumps(body.form),
             body.submitted_at.isoformat(), iso(now), idempotency_key))
        return 201, {"case_number": case_number}

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
