"""A whole identification: card signature accepted by the reference API; logs stay clean."""

from __future__ import annotations

import base64
import logging
from pathlib import Path

import pytest

from drivers.eid.errors import WrongPin
from drivers.eid.reader import PcscEidReader
from kiosk.simulated.api import ApiServer, enrol_kiosk
from kiosk.simulated.pcsc import VIRTUAL_READER
from tests.fixtures.eid import CITIZENS, StatusLog, card_is

pytestmark = pytest.mark.pcsc
MARIA = CITIZENS[0]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_card_signature_is_accepted_by_the_reference_api(reader, pki_dir, tmp_path):
    with ApiServer(tmp_path / "api", eid_ca=pki_dir / "eid-ca.pem") as server:
        client = enrol_kiosk(server).client()
        challenge = client.eid_challenge()
        reader.verify_pin(bytearray(MARIA.pin.encode()))
        signed = reader.sign_challenge(base64.b64decode(challenge["nonce"]))
        answer = client.eid_authenticate(challenge["nonce"], _b64(reader.read_auth_certificate()),
                                         _b64(signed.signature), signed.algorithm)
    assert answer["identity"]["national_number"] == MARIA.national_number
    assert answer["identity"]["surname"] == MARIA.surname
    assert answer["citizen_session"]


def test_debug_logs_of_a_full_run_hold_no_pin_and_no_personal_data(card, tmp_path):
    log_file = tmp_path / "kiosk.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    statuses = StatusLog()
    reader = PcscEidReader(VIRTUAL_READER, monitor_timeout_s=0.5)
    reader.add_listener(statuses)
    try:
        reader.start()
        statuses.wait_for(card_is("present"))
        reader.read_identity(include_photo=True)
        reader.read_auth_certificate()
        with pytest.raises(WrongPin):
            reader.verify_pin(bytearray(b"9876"))
        reader.verify_pin(bytearray(MARIA.pin.encode()))
        reader.sign_challenge(b"n" * 32)
        card.set_faults(garbage_identity=True)
        with pytest.raises(Exception, match="identity data malformed"):
            reader.read_identity()
    finally:
        reader.stop()
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    text = Path(log_file).read_text(encoding="utf-8")
    assert "APDU 00 20 00 01" in text  # the VERIFY was logged (header only)
    for secret in (MARIA.pin, "9876", MARIA.national_number, MARIA.surname,
                   MARIA.card_number, MARIA.street, "241234"):
        assert secret not in text, f"{secret!r} leaked into the logs"
