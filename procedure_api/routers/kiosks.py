"""Kiosk enrolment with a one-time code, and the staff's enrolment-code and revoke calls."""

from __future__ import annotations

import logging
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Path

from procedure_api.auth import State, hash_secret, new_secret, require_staff
from procedure_api.db import Database, iso
from procedure_api.errors import ApiProblem
from procedure_api.schemas import Enrolment, EnrolmentCode, EnrolmentRequest, KioskRevoked

log = logging.getLogger(__name__)
router = APIRouter(tags=["kiosks"])
staff = APIRouter(tags=["staff"], dependencies=[Depends(require_staff)])


def add_enrolment_code(db: Database, code: str | None = None, now: str = "") -> str:
    """Store a one-time enrolment code (a random one unless given) and return it."""
    code = code or "-".join(secrets.token_hex(2).upper() for _ in range(3))
    with db.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO enrolment_codes (code_hash, created_at) VALUES (?, ?)",
            (hash_secret(code), now),
        )
    return code


@router.post("/v1/enrolments", response_model=Enrolment, status_code=201)
def enrol(body: EnrolmentRequest, state: State) -> Enrolment:
    """Trade a one-time code for a kiosk token (re-enrolling replaces the old token)."""
    token, now = new_secret(), iso(state.config.clock())
    with state.db.transaction() as conn:
        used = conn.execute(
            "UPDATE enrolment_codes SET used_at = ?, kiosk_id = ?"
            " WHERE code_hash = ? AND used_at IS NULL",
            (now, body.kiosk_id, hash_secret(body.code)),
        ).rowcount
        if not used:
            log.warning("enrolment refused for kiosk %s: bad or used code", body.kiosk_id)
            raise ApiProblem(403, "invalid_enrolment_code")
        conn.execute(
            "INSERT INTO kiosks (kiosk_id, token_hash, enrolled_at) VALUES (?, ?, ?)"
            " ON CONFLICT (kiosk_id) DO UPDATE SET token_hash = excluded.token_hash,"
            " enrolled_at = excluded.enrolled_at, revoked_at = NULL",
            (body.kiosk_id, hash_secret(token), now),
        )
    log.info("kiosk %s enrolled", body.kiosk_id)
    return Enrolment(kiosk_id=body.kiosk_id, token=token)


@staff.post("/v1/staff/enrolment-codes", response_model=EnrolmentCode, status_code=201)
def create_enrolment_code(state: State) -> EnrolmentCode:
    """Issue a one-time code a technician types on a new kiosk."""
    return EnrolmentCode(code=add_enrolment_code(state.db, now=iso(state.config.clock())))


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
