"""The demo municipality served by the API: enough procedures, bilingual, well formed."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from kiosk.simulated.api import EnrolledKiosk

CATEGORIES = {"benefits", "education", "legal", "vehicles", "housing", "business", "employment"}


@pytest.fixture
def catalog(api_kiosk: EnrolledKiosk) -> dict[str, Any]:
    fetched = api_kiosk.client().catalog()
    assert fetched.catalog is not None
    return fetched.catalog


def test_catalog_has_thirty_procedures_across_the_seven_categories(
    catalog: dict[str, Any],
) -> None:
    assert {c["id"] for c in catalog["categories"]} == CATEGORIES
    per_category = Counter(p["category_id"] for p in catalog["procedures"])
    assert len(catalog["procedures"]) >= 30 and set(per_category) == CATEGORIES


def test_every_text_exists_in_spanish_and_english(catalog: dict[str, Any]) -> None:
    for procedure in catalog["procedures"]:
        for key in ("title", "description", "what_you_get", "estimated_time", "office"):
            assert procedure[key]["es"] and procedure[key]["en"], (procedure["id"], key)
        for key in ("requirements", "keywords"):
            assert procedure[key]["es"] and procedure[key]["en"], (procedure["id"], key)
        for field in procedure["form_schema"]:
            assert field["label"]["es"] and field["label"]["en"]


def test_fees_and_identity_levels_are_consistent(catalog: dict[str, Any]) -> None:
    for procedure in catalog["procedures"]:
        fee = procedure["fee"]
        assert (fee["kind"] == "fixed") == (fee["amount_cents"] is not None), procedure["id"]
        if procedure["identity_level"] == "eid":
            names = {field["name"] for field in procedure["form_schema"]}
            assert "national_number" in names, procedure["id"]


def test_the_guides_typical_procedures_are_offered(catalog: dict[str, Any]) -> None:
    ids = {p["id"] for p in catalog["procedures"]}
    assert {"property_tax", "water_bill", "traffic_fine", "advertising_tax", "business_licence",
            "building_permit", "house_extension", "land_use", "no_property_debt_certificate",
            "street_number", "birth_certificate", "marriage_certificate", "death_certificate",
            "complaint", "tree_pruning"} <= ids
