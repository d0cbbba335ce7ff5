"""Every endpoint the kiosk uses, through kiosk.api.ApiClient against the real server."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest

from kiosk import bill_barcode
from kiosk.api import ApiRejected, ApiUnauthorized
from kiosk.simulated.api import ApiServer, EnrolledKiosk, enrol_kiosk

MARIA = "65031200353"
# Recent, as the server settles debts only for payments authorized within its window.
AUTHORIZED_AT = datetime.now(UTC).isoformat()


def _payment(reference: str, amount: int, ticket: int = 1) -> dict[str, object]:
    return {"ticket": ticket, "amount_cents": amount, "currency": "CLP",
            "bills": [{"reference": reference, "amount_cents": amount}],
            "authorization_code": "A1B2C3", "operation_number": "000123", "card_type": "DB",
            "card_last4": "4242", "authorized_at": AUTHORIZED_AT}


def test_health_answers_without_credentials(api_server: ApiServer) -> None:
    assert api_server.client().health()["status"] == "ok"


def test_enrolment_code_works_once(api_server: ApiServer) -> None:
    code = api_server.new_enrolment_code("kiosk-enrol-test")
    client = api_server.client()
    enrolment = client.enrol(code, "kiosk-enrol-test")
    assert enrolment["kiosk_id"] == "kiosk-enrol-test" and client.token == enrolment["token"]
    with pytest.raises(ApiRejected) as error:
        api_server.client().enrol(code, "kiosk-other")
    assert error.value.code == "invalid_enrolment_code" and error.value.status == 403


def test_unchanged_catalog_costs_a_304(api_kiosk: EnrolledKiosk) -> None:
    client = api_kiosk.client()
    first = client.catalog()
    assert first.catalog is not None and first.etag
    assert first.catalog["version"] in first.etag
    again = client.catalog(etag=first.etag)
    assert again.not_modified and again.etag == first.etag
    assert client.catalog(etag='"stale"').catalog == first.catalog


def test_debts_found_by_each_lookup_key(api_kiosk: EnrolledKiosk) -> None:
    client = api_kiosk.client()
    by_person = client.debts(national_number=MARIA)
    kinds = {debt["kind"] for debt in by_person}
    assert {"property_tax", "water"} <= kinds
    assert client.debts(cadastral_key="CAT-000001")[0]["kind"] == "property_tax"
    assert client.debts(water_account="AG00000001")[0]["kind"] == "water"
    assert client.debts(plate="ve-0001")[0]["kind"] == "fine"
    assert client.debts(national_number="00000000000") == []


def test_debt_lookup_without_key_is_rejected_in_the_requested_language(
    api_kiosk: EnrolledKiosk,
) -> None:
    with pytest.raises(ApiRejected) as spanish:
        api_kiosk.client()._json("GET", "/debts")
    with pytest.raises(ApiRejected) as english:
        api_kiosk.client(language="en")._json("GET", "/debts")
    assert spanish.value.code == english.value.code == "lookup_key_required"
    assert "Indique" in spanish.value.message and "Give exactly one" in english.value.message


def test_bill_barcode_decoded_by_server_matches_offline_decoder(api_kiosk: EnrolledKiosk) -> None:
    code = bill_barcode.encode(bill_barcode.Bill("200000000001", 1846800, date(2026, 12, 1)))
    decoded = api_kiosk.client().decode_bill(code)
    assert decoded == {"reference": "200000000001", "amount_cents": 1846800,
                       "due_date": "2026-12-01"}
    with pytest.raises(ApiRejected) as error:
        api_kiosk.client().decode_bill(code[:-1] + str((int(code[-1]) + 1) % 10))
    assert error.value.code == "invalid_barcode"


def test_payment_replay_returns_first_response_and_settles_debt_once(
    api_kiosk: EnrolledKiosk,
) -> None:
    client = api_kiosk.client()
    debt = client.debts(water_account="AG00000002")[0]
    key = str(uuid.uuid4())
    first = client.record_payment(_payment(debt["reference"], debt["amount_cents"]), key)
    replay = client.record_payment(_payment(debt["reference"], debt["amount_cents"]), key)
    assert first == replay and first["status"] == "recorded"
    assert client.debts(water_account="AG00000002") == []


def test_terminal_fields_are_recorded_as_printed_but_never_a_card_number(
    api_kiosk: EnrolledKiosk,
) -> None:
    client = api_kiosk.client()
    padded = {**_payment("999999999996", 700), "authorization_code": "  1234"}
    assert client.record_payment(padded, str(uuid.uuid4()))["status"] == "recorded"
    with pytest.raises(ApiRejected) as error:
        client.record_payment({**padded, "card_last4": "4242424242424242"}, str(uuid.uuid4()))
    assert error.value.status == 422


def test_same_key_with_different_body_is_an_idempotency_conflict(
    api_kiosk: EnrolledKiosk,
) -> None:
    client, key = api_kiosk.client(), str(uuid.uuid4())
    client.record_payment(_payment("999999999991", 1000), key)
    with pytest.raises(ApiRejected) as error:
        client.record_payment(_payment("999999999991", 2000), key)
    assert error.value.status == 409 and error.value.code == "idempotency_conflict"


def test_concurrent_resends_with_one_key_record_one_payment(api_kiosk: EnrolledKiosk) -> None:
    key, body = str(uuid.uuid4()), _payment("999999999995", 3000, ticket=11)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: api_kiosk.client().record_payment(body, key), range(8)))
    assert len({result["payment_id"] for result in results}) == 1


def test_idempotency_keys_are_scoped_per_kiosk(api_server: ApiServer) -> None:
    first, second = enrol_kiosk(api_server), enrol_kiosk(api_server)
    key = str(uuid.uuid4())
    a = first.client().record_payment(_payment("999999999992", 1000), key)
    b = second.client().record_payment(_payment("999999999992", 5000), key)
    assert a["payment_id"] != b["payment_id"]


def test_submission_opens_a_case_whose_status_can_be_read(api_kiosk: EnrolledKiosk) -> None:
    client, key = api_kiosk.client(), str(uuid.uuid4())
    submission = {"procedure_id": "property_tax", "form": {},
                  "citizen_session": None, "submitted_at": "2026-11-21T10:00:00+00:00"}
    case_number = client.submit(submission, key)
    assert client.submit(submission, key) == case_number
    status = client.case_status(case_number)
    assert status == {"case_number": case_number, "status": "received",
                      "status_label": {"es": "Recibido", "en": "Received"}}  # nothing more


def test_unknown_case_is_rejected_with_its_code(api_kiosk: EnrolledKiosk) -> None:
    with pytest.raises(ApiRejected) as error:
        api_kiosk.client().case_status("VE-1999-000001")
    assert error.value.status == 404 and error.value.code == "case_not_found"


def test_revoked_kiosk_gets_unauthorized(api_server: ApiServer) -> None:
    kiosk = enrol_kiosk(api_server)
    client = kiosk.client()
    assert client.catalog().catalog is not None
    api_server.revoke(kiosk.kiosk_id)
    with pytest.raises(ApiUnauthorized):
        client.catalog()


def test_unenrolled_kiosk_gets_unauthorized(api_server: ApiServer) -> None:
    with pytest.raises(ApiUnauthorized):
        api_server.client("not-a-token").debts(national_number=MARIA)
