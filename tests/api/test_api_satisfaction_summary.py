"""Survey answers carry their procedure and a low score's reason; staff read summaries."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from kiosk.api_errors import ApiRejected
from kiosk.simulated.api import ApiServer, EnrolledKiosk, enrol_kiosk


def _answer(kiosk: EnrolledKiosk, score: int, procedure: str | None,
            reason: str | None = None) -> None:
    kiosk.client().satisfaction(score, "request", str(uuid.uuid4()), procedure_id=procedure,
                                reason=reason)


def _groups(server: ApiServer, by: str) -> dict[str | None, dict[str, Any]]:
    summary = server.staff("GET", f"/staff/satisfaction?by={by}")
    assert summary["by"] == by
    return {group["key"]: group for group in summary["groups"]}


def test_staff_summary_per_procedure_and_per_kiosk_counts_means_and_low_score_reasons(
        own_api_server: ApiServer) -> None:
    north, south = enrol_kiosk(own_api_server), enrol_kiosk(own_api_server)
    _answer(north, 1, "birth_certificate", "too_many_steps")
    _answer(north, 2, "birth_certificate", "did_not_understand")
    _answer(south, 1, "birth_certificate", "too_many_steps")
    _answer(south, 2, "birth_certificate")  # a low score whose reason was skipped
    _answer(south, 5, "birth_certificate")
    _answer(north, 4, "property_tax")
    _answer(south, 3, None)  # a journey about no procedure (a typed case number)

    by_procedure = _groups(own_api_server, "procedure")
    assert list(by_procedure) == ["birth_certificate", None, "property_tax"]  # most first
    birth = by_procedure["birth_certificate"]
    assert birth["count"] == 5 and birth["mean"] == pytest.approx(11 / 5)
    assert birth["low_count"] == 4
    assert birth["low_by_reason"] == {"too_many_steps": 0.5, "did_not_understand": 0.25,
                                      "none": 0.25}
    assert by_procedure["property_tax"] == {"key": "property_tax", "count": 1, "mean": 4.0,
                                            "low_count": 0, "low_by_reason": {}}
    assert by_procedure[None]["count"] == 1 and by_procedure[None]["mean"] == 3.0

    by_kiosk = _groups(own_api_server, "kiosk")
    assert set(by_kiosk) == {north.kiosk_id, south.kiosk_id}
    assert by_kiosk[north.kiosk_id]["count"] == 3
    assert by_kiosk[north.kiosk_id]["mean"] == pytest.approx(7 / 3, abs=0.01)
    assert by_kiosk[north.kiosk_id]["low_by_reason"] == {"too_many_steps": 0.5,
                                                         "did_not_understand": 0.5}
    assert by_kiosk[south.kiosk_id]["count"] == 4 and by_kiosk[south.kiosk_id]["low_count"] == 2
    assert by_kiosk[south.kiosk_id]["low_by_reason"] == {"too_many_steps": 0.5, "none": 0.5}


def test_a_reason_outside_the_short_list_is_refused_and_kiosks_cannot_read_the_summary(
        api_kiosk: EnrolledKiosk) -> None:
    with pytest.raises(ApiRejected) as error:
        _answer(api_kiosk, 1, "birth_certificate", "the clerk was rude to me")  # free text
    assert error.value.status == 422
    with pytest.raises(ApiRejected):
        _answer(api_kiosk, 1, "Birth Certificate!", "other")  # not a procedure id
    response = requests.get(api_kiosk.base_url + "/staff/satisfaction", timeout=10,
                            headers={"Authorization": f"Bearer {api_kiosk.token}"})
    assert response.status_code == 401
