"""The kiosk's enrolment with the central API: one-time code in, token kept on disk.

The token file (``settings.api.enrolment_file`` under the data directory) is written
atomically with owner-only permissions; a missing file means "not enrolled yet", an
unreadable or malformed one is an :class:`EnrolmentFileError` a technician must fix.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from kiosk.api import ApiClient
from kiosk.api_types import Enrolment

log = logging.getLogger(__name__)


class EnrolmentFileError(Exception):
    """The enrolment file exists but cannot be used."""

    message_key = "This kiosk is out of service. Please call a technician."


def load_enrolment(path: Path) -> Enrolment | None:
    """Read the saved enrolment; None if the kiosk was never enrolled."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
        raise EnrolmentFileError(f"{path}: cannot read the enrolment file ({err})") from err
    if not (isinstance(data, dict) and isinstance(data.get("kiosk_id"), str)
            and isinstance(data.get("token"), str) and data["token"]):
        raise EnrolmentFileError(f"{path}: the enrolment file lacks kiosk_id or token")
    return Enrolment(kiosk_id=data["kiosk_id"], token=data["token"])


def save_enrolment(path: Path, enrolment: Enrolment) -> None:
    """Write the enrolment atomically (temp file + rename) readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".enrolment-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(dict(enrolment), file)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def use_saved_or_enrol(client: ApiClient, path: Path, code: str, kiosk_id: str) -> Enrolment:
    """Give ``client`` the saved token, enrolling with ``code`` first if there is none.

    For the demo and first start-up; a revoked token is not replaced here (the kiosk shows
    "out of service" until a technician enrols it again).
    """
    saved = load_enrolment(path)
    if saved is not None:
        client.token = saved["token"]
        return saved
    return enrol(client, code, kiosk_id, path)


def enrol(client: ApiClient, code: str, kiosk_id: str, path: Path) -> Enrolment:
    """Trade the technician's code for a token, save it, and let ``client`` use it."""
    enrolment = client.enrol(code, kiosk_id)
    save_enrolment(path, enrolment)
    log.info("kiosk %s enrolled with the central API", kiosk_id)
    return enrolment
