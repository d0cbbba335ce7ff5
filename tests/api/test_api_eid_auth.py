"""e-ID authentication against the real server with a generated test PKI."""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from kiosk.api import ApiClient, ApiRejected, ApiServerError
from kiosk.api_types import CitizenAuthentication
from kiosk.simulated.api import ApiServer, EnrolledKiosk, enrol_kiosk
from tests.api.pki import NOW, Issued, make_ca, make_citizen, write_pem

MARIA = ("65031200353", "García Pérez", "María José")


@pytest.fixture(scope="module")
def pki() -> dict[str, Issued]:
    ca, foreign = make_ca("Test Citizen CA"), make_ca("Some Other CA")
    return {
        "ca": ca,
        "rsa": make_citizen(ca, *MARIA, key=rsa.generate_private_key(65537, 2048)),
        "ec": make_citizen(ca, "48091512412", "Núñez Ibáñez", "José Ángel"),
        "ec384": make_citizen(ca, *MARIA, key=ec.generate_private_key(ec.SECP384R1())),
        "foreign": make_citizen(foreign, *MARIA),
        "signing": make_citizen(ca, *MARIA, for_authentication=False),
        "expired": make_citizen(ca, *MARIA, valid_from=NOW - timedelta(days=3000),
                                valid_until=NOW - timedelta(days=1)),
    }


@pytest.fixture(scope="module")
def eid_server(tmp_path_factory: pytest.TempPathFactory, pki: dict[str, Issued]
               ) -> Iterator[ApiServer]:
    workdir = tmp_path_factory.mktemp("eid-api")
    ca_file = write_pem(workdir / "eid-ca.pem", make_ca("Unrelated Root"), pki["ca"])
    with ApiServer(workdir, eid_ca=ca_file, nonce_ttl_s=0.5) as server:
        yield server


@pytest.fixture
def client(eid_server: ApiServer) -> ApiClient:
    return enrol_kiosk(eid_server).client()


def _authenticate(client: ApiClient, card: Issued, algorithm: str, signed: bytes | None = None,
                  nonce: str | None = None) -> CitizenAuthentication:
    nonce = nonce or client.eid_challenge()["nonce"]
    data = signed if signed is not None else base64.b64decode(nonce)
    return client.eid_authenticate(nonce, card.der_b64(), card.sign_b64(data, algorithm), algorithm)


def _refused(client: ApiClient, card: Issued, algorithm: str = "ES256",
             signed: bytes | None = None, nonce: str | None = None) -> str:
    with pytest.raises(ApiRejected) as error:
        _authenticate(client, card, algorithm, signed, nonce)
    assert error.value.status == 403
    return error.value.code


@pytest.mark.parametrize(("card", "algorithm", "who"), [
    ("rsa", "RS256", MARIA), ("ec384", "ES384", MARIA),
    ("ec", "ES256", ("48091512412", "Núñez Ibáñez", "José Ángel")),
])
def test_valid_card_signature_identifies_the_citizen(
    client: ApiClient, pki: dict[str, Issued], card: str, algorithm: str, who: tuple[str, ...]
) -> None:
    result = _authenticate(client, pki[card], algorithm)
    identity = result["identity"]
    assert (identity["national_number"], identity["surname"], identity["given_names"]) == who
    assert result["citizen_session"]


def test_signature_over_other_data_is_refused(client: ApiClient, pki: dict[str, Issued]) -> None:
    assert _refused(client, pki["ec"], signed=b"not the nonce") == "eid_signature_invalid"


def test_signature_with_wrong_algorithm_is_refused(
    client: ApiClient, pki: dict[str, Issued]
) -> None:
    assert _refused(client, pki["rsa"], "ES256") == "eid_signature_invalid"


def test_reused_nonce_is_refused(client: ApiClient, pki: dict[str, Issued]) -> None:
    nonce = client.eid_challenge()["nonce"]
    _authenticate(client, pki["ec"], "ES256", nonce=nonce)
    assert _refused(client, pki["ec"], nonce=nonce) == "eid_nonce_used"


def test_nonce_from_another_kiosk_is_refused(
    eid_server: ApiServer, client: ApiClient, pki: dict[str, Issued]
) -> None:
    other_nonce = enrol_kiosk(eid_server).client().eid_challenge()["nonce"]
    assert _refused(client, pki["ec"], nonce=other_nonce) == "eid_nonce_unknown"


def test_expired_nonce_is_refused(client: ApiClient, pki: dict[str, Issued]) -> None:
    nonce = client.eid_challenge()["nonce"]
    time.sleep(0.6)  # the module's server runs with --nonce-ttl 0.5
    assert _refused(client, pki["ec"], nonce=nonce) == "eid_nonce_expired"


def test_certificate_from_another_ca_is_refused(client: ApiClient, pki: dict[str, Issued]) -> None:
    assert _refused(client, pki["foreign"]) == "eid_certificate_untrusted"


def test_signing_certificate_cannot_be_used_to_authenticate(
    client: ApiClient, pki: dict[str, Issued]
) -> None:
    assert _refused(client, pki["signing"]) == "eid_certificate_untrusted"


def test_expired_certificate_is_refused(client: ApiClient, pki: dict[str, Issued]) -> None:
    assert _refused(client, pki["expired"]) == "eid_certificate_expired"


def test_garbage_certificate_is_refused(client: ApiClient, pki: dict[str, Issued]) -> None:
    nonce = client.eid_challenge()["nonce"]
    junk = base64.b64encode(b"\x30\x03junk").decode()
    with pytest.raises(ApiRejected) as error:
        client.eid_authenticate(nonce, junk, pki["ec"].sign_b64(b"x", "ES256"), "ES256")
    assert error.value.code == "eid_certificate_invalid"


def test_session_unlocks_own_debts_cases_and_eid_submissions(
    client: ApiClient, pki: dict[str, Issued]
) -> None:
    session = _authenticate(client, pki["rsa"], "RS256")["citizen_session"]
    assert {d["kind"] for d in client.my_debts(session)} >= {"property_tax", "water"}
    assert any(case["status"] != "received" for case in client.my_cases(session))
    case_number = client.submit({
        "procedure_id": "birth_certificate", "citizen_session": session,
        "form": {"national_number": MARIA[0], "full_name": "María José García Pérez",
                 "address": "Calle de los Álamos 14"},
        "submitted_at": "2026-11-21T10:00:00+00:00"}, str(uuid.uuid4()))
    assert case_number in {case["case_number"] for case in client.my_cases(session)}


def test_citizen_session_is_bound_to_its_kiosk(
    eid_server: ApiServer, client: ApiClient, pki: dict[str, Issued]
) -> None:
    session = _authenticate(client, pki["ec"], "ES256")["citizen_session"]
    with pytest.raises(ApiRejected) as error:
        enrol_kiosk(eid_server).client().my_debts(session)
    assert error.value.code == "citizen_session_invalid"


def test_server_without_eid_ca_says_not_configured(
    api_kiosk: EnrolledKiosk, pki: dict[str, Issued]
) -> None:
    with pytest.raises(ApiServerError) as error:
        _authenticate(api_kiosk.client(), pki["ec"], "ES256")
    assert error.value.status == 503


def test_ca_file_path_is_the_trust_input(tmp_path: Path, pki: dict[str, Issued]) -> None:
    with ApiServer(tmp_path, eid_ca=write_pem(tmp_path / "only-foreign.pem",
                                                       make_ca("Foreign"))) as server:
        client = enrol_kiosk(server).client()
        assert _refused(client, pki["ec"]) == "eid_certificate_untrusted"


def test_server_log_holds_no_personal_data(
    eid_server: ApiServer, client: ApiClient, pki: dict[str, Issued]
) -> None:
    session = _authenticate(client, pki["rsa"], "RS256")["citizen_session"]
    client.my_debts(session)
    client.debts(national_number=MARIA[0])
    _refused(client, pki["expired"])
    log = eid_server.log_path.read_text(encoding="utf-8")
    assert "e-ID authentication accepted" in log  # the log is really being written
    for personal in (*MARIA, session):
        assert personal not in log
