"""Identify, request a procedure, check a status: services on pcscd + virtual card + real API."""

from __future__ import annotations

import asyncio
import io
import logging
import sqlite3
from collections.abc import Iterator

import pytest

from kiosk.api import ApiClient
from kiosk.api_uploader import ApiUploader
from kiosk.logging_setup import RedactingFormatter
from kiosk.redaction import REDACTOR
from kiosk.services.check_status import (
    MSG_CASE_NOT_FOUND,
    CaseFound,
    CheckStatus,
    CitizenOverview,
    StatusRefused,
    StatusUnavailable,
    normalise_case_number,
)
from kiosk.services.consent import shared_fields
from kiosk.services.identify import (
    MSG_API_OFFLINE,
    Authenticated,
    CitizenIdentity,
    Identifier,
    IdentifyFailed,
    IdentityPreview,
    PinLocked,
    PinWrong,
    SessionEnded,
)
from kiosk.services.submit_procedure import (
    MSG_PHONE,
    MSG_REQUIRED,
    FormInvalid,
    SubmitProcedure,
    Submitted,
    prefill,
    procedure_document,
    summary,
)
from kiosk.simulated.api import ApiServer, EnrolledKiosk, enrol_kiosk
from kiosk.simulated.net import free_port
from offline_cache.store import OfflineStore
from offline_cache.sync import SyncWorker
from procedure_api.catalog_data import PROCEDURES
from rig.wait import wait_for
from tests.fixtures.eid import CITIZENS

pytestmark = pytest.mark.pcsc
MARIA = CITIZENS[0]
VERIFY = 0x20
CATALOG = {p["id"]: p for p in PROCEDURES}
RESIDENCE = CATALOG["residence_certificate"]  # identity level eid
PENSION = CATALOG["pension_advice"]  # identity level id_number


@pytest.fixture
def kiosk(eid_api: ApiServer) -> EnrolledKiosk:
    return enrol_kiosk(eid_api)


@pytest.fixture
def client(kiosk: EnrolledKiosk) -> ApiClient:
    return kiosk.client(retries=0, connect_timeout_s=1.0)


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    """Every log line of the test, through the kiosk's redacting formatter."""
    text = io.StringIO()
    handler = logging.StreamHandler(text)
    handler.setFormatter(RedactingFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield text
    root.removeHandler(handler)
    root.setLevel(old_level)
    REDACTOR.forget_all()


def _worker(store: OfflineStore, client: ApiClient) -> SyncWorker:
    return SyncWorker(store.database, store.cipher, ApiUploader(client), interval_s=0.2,
                      max_backoff_s=0.3, base_backoff_s=0.05, retention_days=30)


def _assert_no_names(text: str) -> None:
    for secret in (MARIA.surname, MARIA.given_names, *MARIA.surname.split(),
                   *MARIA.given_names.split(), MARIA.national_number):
        assert secret not in text


def test_form_prefill_validation_summary_and_consent_come_from_the_catalog():
    who = CitizenIdentity(MARIA.national_number, MARIA.surname, MARIA.given_names,
                          "Calle de los Álamos 14, 41001 Villa Esperanza", "s", "eid")
    answers = prefill(RESIDENCE, who)
    assert answers == {"national_number": MARIA.national_number,
                       "full_name": f"{MARIA.given_names} {MARIA.surname}",
                       "address": "Calle de los Álamos 14, 41001 Villa Esperanza"}
    assert [f.name for f in shared_fields(RESIDENCE)] == ["national_number", "full_name",
                                                           "address"]
    assert [f.name for f in shared_fields(CATALOG["complaint"])] == []
    bad = asyncio.run(SubmitProcedure(None, lambda: None).submit(  # type: ignore[arg-type]
        RESIDENCE, {**answers, "national_number": " ", "phone": "12ab"}, who))
    assert bad == FormInvalid({"national_number": MSG_REQUIRED, "phone": MSG_PHONE})
    rows = summary(RESIDENCE, {**answers, "phone": "+56 9 1234 5678"}, "en")
    assert [(r.label, r.value) for r in rows][-1] == ("Contact phone", "+56 9 1234 5678")
    assert normalise_case_number(" ve 2026 000123 ") == "VE-2026-000123"
    assert normalise_case_number("2026-123") is None
    identifier = Identifier(None, None)  # type: ignore[arg-type]
    assert isinstance(identifier.by_id_number(RESIDENCE, MARIA.national_number), IdentifyFailed)
    assert isinstance(identifier.by_id_number(PENSION, "65.03.12-003.54"), IdentifyFailed)
    typed = identifier.by_id_number(PENSION, "65.03.12-003.53")
    assert isinstance(typed, Authenticated) and typed.identity.citizen_session is None
    identifier.end()


def test_card_preview_then_right_pin_opens_a_session_with_cases_and_debts(
        reader, card, client, logs):
    identifier = Identifier(reader, client)
    preview = asyncio.run(identifier.preview())
    assert preview == IdentityPreview(MARIA.given_names, MARIA.surname, "••••••••353")
    assert REDACTOR.redact(f"hello {MARIA.surname}") == "hello [REDACTED]"
    pin = bytearray(MARIA.pin.encode())
    outcome = asyncio.run(identifier.authenticate(pin))
    assert pin == bytearray(len(pin))
    assert isinstance(outcome, Authenticated)
    assert outcome.identity.national_number == MARIA.national_number
    assert outcome.identity.citizen_session
    overview = asyncio.run(CheckStatus(client).overview(outcome.identity))
    assert isinstance(overview, CitizenOverview)
    assert overview.debts and all(d["status"] == "pending" for d in overview.debts)
    logging.getLogger("test").info("citizen %s identified", MARIA.given_names)
    identifier.end()
    assert REDACTOR.redact(MARIA.surname) == MARIA.surname  # forgotten at the end
    _assert_no_names(logs.getvalue())


def test_wrong_pin_shows_the_cards_tries_left_and_is_not_retried(reader, card, client):
    identifier = Identifier(reader, client)
    assert isinstance(asyncio.run(identifier.preview()), IdentityPreview)
    card.reset_apdu_count()
    pin = bytearray(b"9999")
    outcome = asyncio.run(identifier.authenticate(pin))
    assert outcome == PinWrong(tries_left=2)
    assert card.status()["apdu_count"] == 1  # one VERIFY, nothing after it
    assert pin == bytearray(4)
    identifier.end()


def test_last_wrong_pin_reports_the_pin_blocked(reader, card, client):
    card.set_pin(MARIA.pin, tries=1)
    outcome = asyncio.run(Identifier(reader, client).authenticate(bytearray(b"9999")))
    assert outcome == PinLocked()
    REDACTOR.forget_all()


def test_unreachable_api_fails_plainly_before_the_card_spends_a_pin_try(reader, card):
    offline = ApiClient(f"http://127.0.0.1:{free_port()}/v1", token="t", retries=0,
                        connect_timeout_s=1.0)
    identifier = Identifier(reader, offline)
    assert isinstance(asyncio.run(identifier.preview()), IdentityPreview)
    card.reset_apdu_count()
    pin = bytearray(MARIA.pin.encode())
    assert asyncio.run(identifier.authenticate(pin)) == IdentifyFailed(MSG_API_OFFLINE)
    assert card.status()["apdu_count"] == 0
    assert pin == bytearray(len(pin))
    identifier.end()


def test_card_pulled_during_the_pin_step_ends_the_session(reader, card, client):
    identifier = Identifier(reader, client)
    assert isinstance(asyncio.run(identifier.preview()), IdentityPreview)
    card.set_faults(remove_on_ins=VERIFY)
    pin = bytearray(MARIA.pin.encode())
    assert asyncio.run(identifier.authenticate(pin)) == SessionEnded()
    assert pin == bytearray(len(pin))
    identifier.end()


def test_signed_submission_gets_a_case_number_shown_under_the_citizens_cases(
        reader, card, client, tmp_path, logs):
    store = OfflineStore.open(tmp_path / "kiosk.db", tmp_path / "kiosk.key")
    worker = _worker(store, client)
    worker.start()
    identifier = Identifier(reader, client)
    try:
        store.catalog.current(ApiUploader(client))  # the form comes from the API's catalog
        procedure = procedure_document(store.catalog, "residence_certificate")
        assert procedure is not None and procedure["identity_level"] == "eid"
        assert asyncio.run(identifier.preview()).surname == MARIA.surname  # type: ignore[union-attr]
        assert identifier.card_identity().address is None  # type: ignore[union-attr]
        # she agreed that the form receives her address: only now is it read
        assert asyncio.run(identifier.read_address()) is None
        auth = asyncio.run(identifier.authenticate(bytearray(MARIA.pin.encode())))
        assert isinstance(auth, Authenticated)
        answers = {**prefill(procedure, auth.identity), "phone": "+56912345678"}
        sent = asyncio.run(SubmitProcedure(store.submissions, worker.wake).submit(
            procedure, answers, auth.identity))
        assert isinstance(sent, Submitted) and sent.case_number is not None
        assert not sent.pending_confirmation
        status = CheckStatus(client)
        overview = asyncio.run(status.overview(auth.identity))
        assert isinstance(overview, CitizenOverview)
        assert sent.case_number in [c["case_number"] for c in overview.open_cases]
        found = asyncio.run(status.by_case_number(sent.case_number.lower()))
        # a certificate with a fixed fee waits for it (paid at the kiosk: test_request_fee.py)
        assert isinstance(found, CaseFound) and found.case["status"] == "awaiting_payment"
        assert any(d["kind"] == "fee" for d in overview.debts)  # her fee, payable anywhere
        unknown = asyncio.run(status.by_case_number("VE-1999-999999"))
        assert unknown == StatusRefused(MSG_CASE_NOT_FOUND)
        assert store.submissions.get(sent.submission_id).form == {}  # purged once synced
    finally:
        identifier.end()
        worker.stop()
        store.close()
    _assert_no_names(logs.getvalue())


def test_submission_with_the_api_down_is_provisional_then_delivered_once_after_restart(
        eid_api, kiosk, client, tmp_path):
    """Runs last in this module: it stops and restarts the module's API server."""
    store = OfflineStore.open(tmp_path / "kiosk.db", tmp_path / "kiosk.key")
    worker = _worker(store, client)
    worker.start()
    typed = Identifier(None, client).by_id_number(PENSION, MARIA.national_number)  # type: ignore[arg-type]
    assert isinstance(typed, Authenticated)
    eid_api.stop()
    try:
        answers = {**prefill(PENSION, typed.identity), "phone": "912345678"}
        sent = asyncio.run(SubmitProcedure(store.submissions, worker.wake, wait_s=0.5).submit(
            PENSION, answers, typed.identity))
        assert isinstance(sent, Submitted) and sent.pending_confirmation
        assert isinstance(asyncio.run(CheckStatus(client).by_case_number("VE-2026-000001")),
                          StatusUnavailable)
        worker.stop()
        store.close()  # the kiosk restarts too: only the journal and outbox remain
    finally:
        eid_api.start()
    store = OfflineStore.open(tmp_path / "kiosk.db", tmp_path / "kiosk.key")
    worker = _worker(store, client)
    worker.start()
    try:
        service = SubmitProcedure(store.submissions, worker.wake)
        wait_for(lambda: asyncio.run(service.case_number(sent.submission_id)),
                 "the case number", timeout=10)
        case_number = asyncio.run(service.case_number(sent.submission_id))
        assert case_number is not None
    finally:
        worker.stop()
        store.close()
    with sqlite3.connect(eid_api.db_path) as db:
        rows = db.execute("SELECT case_number FROM cases WHERE idempotency_key = ?",
                          (sent.provisional_reference,)).fetchall()
    assert rows == [(case_number,)]
