"""Case numbers cannot be guessed, and a case typed by its number shows its status only."""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from kiosk.api_errors import ApiRejected
from kiosk.services.check_status import normalise_case_number
from kiosk.simulated.api import ApiServer, EnrolledKiosk

NEW_NUMBER = re.compile(r"^VE-\d{4}-[0-9A-HJKMNP-TV-Z]{8}$")  # Crockford base 32, 40 bits
LEGACY_SEEDED = "VE-2026-000001"  # procedure_api/seed.py: issued before random numbers


def _submit(kiosk: EnrolledKiosk) -> str:
    return kiosk.client().submit({"procedure_id": "street_light_report", "citizen_session": None,
                                  "form": {"address": "Calle 1", "details": "Apagado"},
                                  "submitted_at": "2026-11-21T10:00:00+00:00"},
                                 str(uuid.uuid4()))


def test_new_case_numbers_are_random_not_counted_and_each_is_found_by_its_own_number(
        api_kiosk: EnrolledKiosk) -> None:
    numbers = [_submit(api_kiosk) for _ in range(12)]
    assert all(NEW_NUMBER.match(number) for number in numbers), numbers
    assert len(set(numbers)) == 12
    serials = [number.rsplit("-", 1)[1] for number in numbers]
    assert len({serial[:4] for serial in serials}) > 6  # not one counter's neighbours
    for number in numbers[:3]:
        assert api_kiosk.client().case_status(number)["case_number"] == number
    neighbour = numbers[0][:-1] + ("1" if numbers[0][-1] != "1" else "2")
    if neighbour not in numbers:  # the number next to one's own leads nowhere
        with pytest.raises(ApiRejected) as error:
            api_kiosk.client().case_status(neighbour)
        assert error.value.status == 404


def test_a_case_by_number_alone_says_its_status_and_nothing_about_the_person(
        api_kiosk: EnrolledKiosk) -> None:
    answer = api_kiosk.client().case_status(LEGACY_SEEDED)  # old numbers still answer
    assert set(answer) == {"case_number", "status", "status_label"}
    raw = requests.get(f"{api_kiosk.base_url}/cases/{LEGACY_SEEDED}", timeout=10,
                       headers={"Authorization": f"Bearer {api_kiosk.token}"}).text
    for detail in ("procedure_id", "title", "submitted_at", "updated_at", "national_number",
                   "building_permit"):
        assert detail not in raw


def test_verify_page_finds_a_random_case_number_and_an_old_one(
        api_server: ApiServer, api_kiosk: EnrolledKiosk) -> None:
    number = _submit(api_kiosk)
    for ref in (number, LEGACY_SEEDED):
        page = requests.get(f"{api_server.root_url}/verify", params={"ref": ref}, timeout=10)
        assert page.status_code == 200 and ref in page.text


@pytest.mark.parametrize(("typed", "expected"), [
    ("ve 2026 7k3m 9qxf", "VE-2026-7K3M9QXF"),
    ("VE-2026-7K3M9QXO", "VE-2026-7K3M9QX0"),  # O typed for zero
    ("ve2026 ilab cdef", "VE-2026-11ABCDEF"),  # I and L typed for one
    ("ve 2026 000123", "VE-2026-000123"),  # a number from before
    ("ve 2026 7k3m 9qxu", None),  # U is not in the alphabet
    ("ve 2026 7k3m", None),
])
def test_typed_case_numbers_forgive_confusable_letters(typed: str, expected: str | None) -> None:
    assert normalise_case_number(typed) == expected
