"""Consents to use the e-ID card: recorded once, by field name only, and listed for staff."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from kiosk.api_errors import ApiRejected
from kiosk.services.consent import consent_body, consent_terms
from kiosk.simulated.api import ApiServer, EnrolledKiosk, enrol_kiosk
from procedure_api.catalog_data import PROCEDURES

CATALOG = {p["id"]: p for p in PROCEDURES}
MARIA_NUMBER = "65031200353"


def _consents(server: ApiServer, kiosk_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = server.staff(
        "GET", f"/staff/consents?kiosk_id={kiosk_id}")["consents"]
    return found


def test_a_consent_is_recorded_once_with_its_kiosk_procedure_and_field_names(
        api_server: ApiServer, api_kiosk: EnrolledKiosk) -> None:
    terms = consent_terms("request", CATALOG["residence_certificate"])
    body = consent_body(terms, "agreed")
    key = str(uuid.uuid4())
    client = api_kiosk.client()
    first = client.record_consent(body, key)
    again = client.record_consent(body, key)  # the outbox resends after a lost answer
    assert first == again and first["consent_id"].startswith("CNS-")
    (record,) = _consents(api_server, api_kiosk.kiosk_id)
    assert record["consent_id"] == first["consent_id"]
    assert record["kiosk_id"] == api_kiosk.kiosk_id
    assert (record["decision"], record["journey"], record["procedure_id"]) == (
        "agreed", "request", "residence_certificate")
    assert record["fields_read"] == ["identity_page", "address", "certificate"]
    assert record["fields_shared"] == ["national_number", "full_name", "address"]
    assert record["given_at"].startswith(body["given_at"][:19]) and record["received_at"]


def test_a_payable_tax_shares_the_number_and_name_the_pin_step_sends(
        api_server: ApiServer, api_kiosk: EnrolledKiosk) -> None:
    # property_tax is "id_number" in the catalog, yet paid after the card's PIN
    terms = consent_terms("pay", CATALOG["property_tax"])
    assert terms.fields_shared() == ["national_number", "full_name"]
    assert terms.fields_read() == ["identity_page", "certificate"]  # never the address
    api_kiosk.client().record_consent(consent_body(terms, "refused"), str(uuid.uuid4()))
    (record,) = _consents(api_server, api_kiosk.kiosk_id)
    assert record["decision"] == "refused" and record["procedure_id"] == "property_tax"
    assert record["fields_read"] == ["identity_page"] and record["fields_shared"] == []


def test_a_consent_cannot_carry_personal_data(api_kiosk: EnrolledKiosk) -> None:
    body = consent_body(consent_terms("status", None), "agreed")
    client = api_kiosk.client()
    for smuggled in ({**body, "fields_shared": [MARIA_NUMBER]},
                     {**body, "fields_read": ["María José"]},
                     {**body, "national_number": MARIA_NUMBER}):
        with pytest.raises(ApiRejected) as refused:
            client.record_consent(smuggled, str(uuid.uuid4()))
        assert refused.value.status == 422


def test_staff_list_consents_newest_first_and_a_kiosk_token_cannot(
        api_server: ApiServer) -> None:
    kiosk = enrol_kiosk(api_server)
    client = kiosk.client()
    for journey in ("pay", "status", "request"):
        client.record_consent(consent_body(consent_terms(journey, None), "agreed"),
                              str(uuid.uuid4()))
    assert [c["journey"] for c in _consents(api_server, kiosk.kiosk_id)] == [
        "request", "status", "pay"]
    response = requests.get(kiosk.base_url + "/staff/consents",
                            headers={"Authorization": f"Bearer {kiosk.token}"}, timeout=10)
    assert response.status_code == 401
