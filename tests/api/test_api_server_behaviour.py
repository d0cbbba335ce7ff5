"""Server rules seen from the wire: error shape and language, assistance, telemetry, verify."""

from __future__ import annotations

import uuid

import pytest
import requests

from kiosk.api import ApiRejected
from kiosk.simulated.api import ApiServer, EnrolledKiosk, enrol_kiosk

PAYMENT = {"ticket": 3, "amount_cents": 1500, "currency": "CLP",
           "bills": [{"reference": "999999999994", "amount_cents": 1500}],
           "authorization_code": "ZZ99", "operation_number": "991", "card_type": "DB",
           "card_last4": "1234", "authorized_at": "2026-11-21T10:00:00+00:00"}


def _post(kiosk: EnrolledKiosk, path: str, data: bytes, **headers: str) -> requests.Response:
    return requests.post(kiosk.base_url + path, data=data, timeout=10, headers={
        "Authorization": f"Bearer {kiosk.token}", "Content-Type": "application/json",
        **headers})


@pytest.mark.parametrize("body", [
    b"{not json", b"[]", b'"text"', b"", b'{"reason": "\\ud800"}', b'{"reason": 12}',
    b'{"reason": "' + b"x" * 5000 + b'"}', b"\xff\xfe",
])
def test_bad_input_gets_a_4xx_error_shape_never_a_500(
    api_kiosk: EnrolledKiosk, body: bytes
) -> None:
    response = _post(api_kiosk, "/assistance-requests", body)
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["code"] == "invalid_request"


def test_huge_numbers_and_booleans_are_rejected_not_crashing(api_kiosk: EnrolledKiosk) -> None:
    for amount in (10**30, True, -5, 1.5):
        body = {**PAYMENT, "amount_cents": amount}
        response = requests.post(api_kiosk.base_url + "/payments", json=body, timeout=10,
                                 headers={"Authorization": f"Bearer {api_kiosk.token}",
                                          "Idempotency-Key": str(uuid.uuid4())})
        assert response.status_code == 422, amount


def test_error_messages_follow_accept_language(api_kiosk: EnrolledKiosk) -> None:
    english = _post(api_kiosk, "/assistance-requests", b"{}", **{"Accept-Language": "en-GB,en"})
    spanish = _post(api_kiosk, "/assistance-requests", b"{}", **{"Accept-Language": "es-CL"})
    default = _post(api_kiosk, "/assistance-requests", b"{}", **{"Accept-Language": "fr"})
    assert english.json()["error"]["message"].startswith("The request is not valid")
    assert spanish.json()["error"]["message"].startswith("La solicitud no es válida")
    assert default.json()["error"]["message"] == spanish.json()["error"]["message"]


def test_unknown_path_uses_the_error_shape(api_server: ApiServer) -> None:
    response = requests.get(api_server.base_url + "/nothing-here", timeout=10)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    wrong_method = requests.delete(api_server.base_url + "/health", timeout=10)
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"


def test_payment_without_idempotency_key_is_refused(api_kiosk: EnrolledKiosk) -> None:
    response = requests.post(api_kiosk.base_url + "/payments", json=PAYMENT, timeout=10,
                             headers={"Authorization": f"Bearer {api_kiosk.token}"})
    assert response.status_code == 422 and "Idempotency-Key" in response.json()["error"]["message"]


def test_replayed_response_is_marked_as_replayed(api_kiosk: EnrolledKiosk) -> None:
    headers = {"Authorization": f"Bearer {api_kiosk.token}", "Idempotency-Key": str(uuid.uuid4())}
    url = api_kiosk.base_url + "/payments"
    first = requests.post(url, json=PAYMENT, headers=headers, timeout=10)
    again = requests.post(url, json=PAYMENT, headers=headers, timeout=10)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert "Idempotent-Replayed" not in first.headers and again.headers["Idempotent-Replayed"]


def test_staff_acknowledges_an_assistance_request(
    api_server: ApiServer, api_kiosk: EnrolledKiosk
) -> None:
    client = api_kiosk.client()
    request = client.request_assistance("card reader does not read my card")
    assert request["status"] == "open"
    open_ids = [r["id"] for r in api_server.staff("GET", "/staff/assistance-requests")["requests"]]
    assert request["id"] in open_ids
    api_server.staff("POST", f"/staff/assistance-requests/{request['id']}/acknowledgement",
                     {"staff_name": "Ana"})
    status = client.assistance_status(request["id"])
    assert status["status"] == "acknowledged" and status["acknowledged_by"] == "Ana"


def test_kiosk_cannot_read_another_kiosks_assistance_request(
    api_server: ApiServer, api_kiosk: EnrolledKiosk
) -> None:
    request = api_kiosk.client().request_assistance("help")
    with pytest.raises(ApiRejected) as error:
        enrol_kiosk(api_server).client().assistance_status(request["id"])
    assert error.value.code == "assistance_request_not_found"


def test_staff_endpoints_refuse_kiosk_tokens(api_kiosk: EnrolledKiosk) -> None:
    response = requests.get(api_kiosk.base_url + "/staff/assistance-requests", timeout=10,
                            headers={"Authorization": f"Bearer {api_kiosk.token}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "staff_unauthorized"


def test_heartbeat_and_satisfaction_are_accepted(api_kiosk: EnrolledKiosk) -> None:
    client = api_kiosk.client()
    ack = client.heartbeat({
        "devices": {"printer": {"state": "online", "detail": {"paper": "low"}},
                    "eid": {"state": "no_device"}},
        "queue_depth": 4, "app_version": "0.1.0", "last_sync": "2026-11-21T09:59:00+00:00"})
    assert ack["status"] == "ok" and ack["server_time"].startswith("20")
    key = str(uuid.uuid4())
    client.satisfaction(4, "pay_bills", key)
    client.satisfaction(4, "pay_bills", key)
    with pytest.raises(ApiRejected) as error:
        client.satisfaction(1, "pay_bills", key)
    assert error.value.code == "idempotency_conflict"


def test_eid_procedure_submission_needs_a_citizen_session(api_kiosk: EnrolledKiosk) -> None:
    submission = {"procedure_id": "birth_certificate", "citizen_session": None,
                  "form": {"national_number": "65031200353", "full_name": "M", "address": "A"},
                  "submitted_at": "2026-11-21T10:00:00+00:00"}
    with pytest.raises(ApiRejected) as error:
        api_kiosk.client().submit(submission, str(uuid.uuid4()))
    assert error.value.status == 403 and error.value.code == "citizen_session_required"


def test_submission_form_is_checked_against_the_form_schema(api_kiosk: EnrolledKiosk) -> None:
    base = {"procedure_id": "complaint", "citizen_session": None,
            "submitted_at": "2026-11-21T10:00:00+00:00"}
    client = api_kiosk.client()
    for form in ({}, {"details": "Broken bench", "colour": "red"}):
        with pytest.raises(ApiRejected) as error:
            client.submit({**base, "form": form}, str(uuid.uuid4()))
        assert error.value.code == "invalid_request"
    assert client.submit({**base, "form": {"details": "Broken bench"}}, str(uuid.uuid4()))


def test_verify_page_shows_payment_case_and_provisional_key(
    api_server: ApiServer, api_kiosk: EnrolledKiosk
) -> None:
    key = str(uuid.uuid4())
    payment = api_kiosk.client().record_payment({**PAYMENT, "ticket": 9}, key)

    def page(ref: str, lang: str = "es") -> requests.Response:
        return requests.get(api_server.root_url + "/verify", params={"ref": ref}, timeout=10,
                            headers={"Accept-Language": lang})

    assert "Pago de $15 registrado" in page(payment["payment_id"]).text
    assert "Payment of $15 recorded" in page(key, "en").text
    assert "VE-2026-000001" in page("VE-2026-000001").text
    unknown = page("no-such-reference")
    assert unknown.status_code == 404 and "text/html" in unknown.headers["Content-Type"]
