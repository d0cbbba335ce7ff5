"""Who is calling: an enrolled kiosk (bearer token), staff, or an identified citizen."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Header
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from procedure_api.db import iso
from procedure_api.errors import ApiProblem
from procedure_api.state import ServerState, server_state

kiosk_bearer = HTTPBearer(auto_error=False, scheme_name="KioskToken")
staff_bearer = HTTPBearer(auto_error=False, scheme_name="StaffToken")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(kiosk_bearer)]
State = Annotated[ServerState, Depends(server_state)]


def hash_secret(secret: str) -> str:
    """Hash a token or code for storage (the database never holds usable secrets)."""
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def new_secret() -> str:
    """Make a random URL-safe token."""
    return secrets.token_urlsafe(32)


def current_kiosk(state: State, credentials: Credentials) -> str:
    """Return the calling kiosk's id; 401 if the token is missing, unknown or revoked."""
    if credentials is None:
        raise ApiProblem(401, "unauthorized")
    with state.db.transaction() as conn:
        row = conn.execute(
            "SELECT kiosk_id, revoked_at FROM kiosks WHERE token_hash = ?",
            (hash_secret(credentials.credentials),),
        ).fetchone()
    if row is None or row["revoked_at"] is not None:
        raise ApiProblem(401, "unauthorized")
    return str(row["kiosk_id"])


Kiosk = Annotated[str, Depends(current_kiosk)]


def require_staff(
    state: State,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(staff_bearer)],
) -> None:
    """Reject a call that does not carry the configured staff token."""
    expected = state.config.staff_token
    if expected is None or credentials is None or not hmac.compare_digest(
        credentials.credentials.encode("utf-8", "replace"), expected.encode()
    ):
        raise ApiProblem(401, "staff_unauthorized")


def open_citizen_session(
    state: ServerState, kiosk_id: str, national_number: str
) -> tuple[str, str]:
    """Create a citizen session bound to this kiosk; return (token, expires_at)."""
    token, now = new_secret(), state.config.clock()
    expires = iso(now + timedelta(seconds=state.config.citizen_session_ttl_s))
    with state.db.transaction() as conn:
        conn.execute(
            "INSERT INTO citizen_sessions VALUES (?, ?, ?, ?, ?)",
            (hash_secret(token), national_number, kiosk_id, iso(now), expires),
        )
    return token, expires


def citizen_for_session(
    state: ServerState, kiosk_id: str, token: str, *, for_submission: bool = False
) -> str:
    """Return the national number behind a session; 401 if unknown, foreign or expired.

    A submission may arrive days late from an offline kiosk, so it accepts a session for
    ``submission_session_days`` after it was opened; live look-ups only until it expires.
    """
    with state.db.transaction() as conn:
        row = conn.execute(
            "SELECT national_number, kiosk_id, created_at, expires_at FROM citizen_sessions"
            " WHERE token_hash = ?",
            (hash_secret(token),),
        ).fetchone()
    if row is None or row["kiosk_id"] != kiosk_id:
        raise ApiProblem(403, "citizen_session_invalid")
    now = state.config.clock()
    if for_submission:
        limit = iso(now - timedelta(days=state.config.submission_session_days))
        valid = row["created_at"] >= limit
    else:
        valid = row["expires_at"] > iso(now)
    if not valid:
        raise ApiProblem(403, "citizen_session_invalid")
    return str(row["national_number"])


def citizen_session_header(
    x_citizen_session: Annotated[str, Header(max_length=128)],
) -> str:
    """Read the citizen's session token from X-Citizen-Session."""
    return x_citizen_session
