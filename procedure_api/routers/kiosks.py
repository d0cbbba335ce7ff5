"""Kiosk enrolment with a one-time code, and the staff's enrolment-code and revoke calls."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from procedure_api.auth import State, hash_secret, new_secret, require_staff
from procedure_api.db import iso
from procedure_api.enrolment import issue_code, record_failure, redeem_code, seconds_locked_out
from procedure_api.errors import ApiProblem
from procedure_api.routers import ERRORS
from procedure_api.schemas import Enrolment, EnrolmentRequest
from procedure_api.staff_schemas import EnrolmentCode, EnrolmentCodeRequest, KioskRevoked

log = logging.getLogger(__name__)
router = APIRouter(tags=["kiosks"])
staff = APIRouter(tags=["staff"], dependencies=[Depends(require_staff)])
LOCKED_OUT: dict[int | str, dict[str, Any]] = {429: {
    **ERRORS[400], "description": "Too many wrong codes from this address",
    "headers": {"Retry-After": {"schema": {"type": "integer"},
                                "description": "Seconds until it may retry"}}}}


@router.post("/v1/enrolments", response_model=Enrolment, status_code=201, responses=LOCKED_OUT)
def enrol(body: EnrolmentRequest, request: Request, state: State) -> Enrolment:
    """Trade a code issued for this kiosk id for a token (replacing any older token)."""
    source = request.client.host if request.client else "unknown"
    now, token = state.config.clock(), new_secret()
    with state.db.transaction() as conn:
        wait_s = seconds_locked_out(conn, source, now, state.config)
        refusal = "locked out" if wait_s else redeem_code(conn, body.code, body.kiosk_id, now)
        if refusal is None:
            conn.execute(
                "INSERT INTO kiosks (kiosk_id, token_hash, enrolled_at) VALUES (?, ?, ?)"
                " ON CONFLICT (kiosk_id) DO UPDATE SET token_hash = excluded.token_hash,"
                " enrolled_at = excluded.enrolled_at, revoked_at = NULL",
                (body.kiosk_id, hash_secret(token), iso(now)))
        elif not wait_s:
            record_failure(conn, source, now)
    if wait_s:
        log.warning("enrolment attempt for kiosk %s from %s refused: locked out for %d s",
                    body.kiosk_id, source, wait_s)
        raise ApiProblem(429, "too_many_enrolment_attempts", headers={"Retry-After": str(wait_s)})
    if refusal is not None:
        log.warning("enrolment refused for kiosk %s from %s: %s", body.kiosk_id, source, refusal)
        raise ApiProblem(403, "invalid_enrolment_code")
    log.info("kiosk %s enrolled from %s", body.kiosk_id, source)
    return Enrolment(kiosk_id=body.kiosk_id, token=token)


@staff.post("/v1/staff/enrolment-codes", response_model=EnrolmentCode, status_code=201)
def create_enrolment_code(body: EnrolmentCodeRequest, state: State) -> EnrolmentCode:
    """Issue a one-time code for one kiosk id, which its technician types on that kiosk."""
    ttl_hours = body.ttl_hours or state.config.enrolment_code_ttl_hours
    with state.db.transaction() as conn:
        code, expires_at = issue_code(conn, body.kiosk_id, state.config.clock(), ttl_hours)
    log.info("enrolment code issued for kiosk %s, valid until %s", body.kiosk_id, expires_at)
    return EnrolmentCode(code=code, kiosk_id=body.kiosk_id, expires_at=expires_at)


@staff.post("/v1/staff/kiosks/{kiosk_id}/revocation", response_model=KioskRevoked)
def revoke(
    kiosk_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$")], state: State
) -> KioskRevoked:
    """Revoke a kiosk's token: its next call gets 401 and it shows "out of service"."""
    now = iso(state.config.clock())
    with state.db.transaction() as conn:
        if not conn.execute(
            "UPDATE kiosks SET revoked_at = ? WHERE kiosk_id = ?", (now, kiosk_id)
        ).rowcount:
            raise ApiProblem(404, "not_found")
    log.info("kiosk %s revoked", kiosk_id)
    return KioskRevoked(kiosk_id=kiosk_id, revoked_at=now)
