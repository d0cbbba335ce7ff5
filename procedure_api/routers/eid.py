"""e-ID authentication: a single-use nonce, then the card's signature over it."""

from __future__ import annotations

import base64
import binascii
import logging
import secrets
from datetime import timedelta

from fastapi import APIRouter

from procedure_api.auth import Kiosk, State, open_citizen_session
from procedure_api.db import iso
from procedure_api.eid_auth import EidRejected, load_trust_anchors, verify_authentication
from procedure_api.errors import ApiProblem
from procedure_api.schemas import (
    AuthenticationRequest,
    Challenge,
    CitizenAuthentication,
    ErrorResponse,
)
from procedure_api.state import ServerState

log = logging.getLogger(__name__)
router = APIRouter(tags=["eid"])


def _b64(value: str, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as err:
        raise ApiProblem(422, "invalid_request", f"{what} is not base64") from err


@router.post("/v1/eid/challenges", response_model=Challenge, status_code=201)
def new_challenge(state: State, kiosk: Kiosk) -> Challenge:
    """Issue a fresh 32-byte nonce for the card to sign; it expires after the nonce TTL."""
    nonce = base64.b64encode(secrets.token_bytes(32)).decode()
    expires = iso(state.config.clock() + timedelta(seconds=state.config.nonce_ttl_s))
    with state.db.transaction() as conn:
        conn.execute("INSERT INTO eid_nonces (nonce, kiosk_id, expires_at) VALUES (?, ?, ?)",
                     (nonce, kiosk, expires))
    return Challenge(nonce=nonce, expires_at=expires)


def _consume_nonce(state: ServerState, kiosk: str, nonce: bytes) -> None:
    """Mark the nonce used now (even if the signature later fails: one try per nonce)."""
    text, now = base64.b64encode(nonce).decode(), iso(state.config.clock())
    with state.db.transaction() as conn:
        row = conn.execute("SELECT kiosk_id, expires_at, used_at FROM eid_nonces WHERE nonce = ?",
                           (text,)).fetchone()
        if row is None or row["kiosk_id"] != kiosk:
            raise ApiProblem(403, "eid_nonce_unknown")
        if row["used_at"] is not None:
            raise ApiProblem(403, "eid_nonce_used")
        conn.execute("UPDATE eid_nonces SET used_at = ? WHERE nonce = ?", (now, text))
    if row["expires_at"] <= now:
        raise ApiProblem(403, "eid_nonce_expired")


@router.post("/v1/eid/authentications", response_model=CitizenAuthentication,
             responses={503: {"model": ErrorResponse, "description": "No e-ID CA configured"}})
def authenticate(body: AuthenticationRequest, state: State, kiosk: Kiosk) -> CitizenAuthentication:
    """Verify the card's signature and certificate; open a citizen session on success."""
    if state.config.eid_ca_file is None:
        raise ApiProblem(503, "eid_not_configured")
    nonce = _b64(body.nonce, "nonce")
    certificate = _b64(body.certificate, "certificate")
    signature = _b64(body.signature, "signature")
    _consume_nonce(state, kiosk, nonce)
    anchors = load_trust_anchors(state.config.eid_ca_file)
    try:
        identity = verify_authentication(certificate, signature, body.algorithm, nonce, anchors,
                                         state.config.clock())
    except EidRejected as err:
        log.warning("e-ID authentication refused at kiosk %s: %s", kiosk, err.code)
        raise ApiProblem(403, err.code) from err
    token, expires = open_citizen_session(state, kiosk, identity.national_number)
    log.info("e-ID authentication accepted at kiosk %s", kiosk)
    return CitizenAuthentication.model_validate({
        "citizen_session": token, "expires_at": expires,
        "identity": {"national_number": identity.national_number,
                     "surname": identity.surname, "given_names": identity.given_names}})
