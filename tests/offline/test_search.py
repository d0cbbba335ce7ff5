"""Search: the expected procedure comes first for realistic queries (run with -s to see it).

The catalog is the reference API's demo seed (procedure_api.catalog_data, issue 3), i.e. the
catalog a demo kiosk really serves.
"""

from __future__ import annotations

from typing import Any

import pytest

from offline_cache.catalog import CatalogCache
from offline_cache.search import CatalogSearch, fold
from procedure_api.catalog_data import CATEGORIES, PROCEDURES

# (what a citizen types, expected first procedure id, why the query is hard)
QUERIES: list[tuple[str, str, str]] = [
    ("predial", "property_tax", "one word, two procedures share it"),
    ("pagar agua", "water_bill", "verb + noun"),
    ("acta de nacimiento", "birth_certificate", "stopword inside"),
    ("licensia de funcionamiento", "business_licence", "typo s/c"),
    ("multa transito", "traffic_fine", "missing accent"),
    ("transito multa", "traffic_fine", "word order"),
    ("MULTA DE TRÁNSITO", "traffic_fine", "upper case + accent"),
    ("impuesto predal", "property_tax", "typo: missing letter"),
    ("nacimeinto", "birth_certificate", "typo: swapped letters"),
    ("matrimonio acta", "marriage_certificate", "word order"),
    ("defuncion", "death_certificate", "missing accent"),
    ("no adeudo predial", "no_property_debt_certificate", "competes with property tax"),
    ("constancia predial", "no_property_debt_certificate", "partial title"),
    ("numero oficial", "street_number", "missing accent"),
    ("poda de arboles", "tree_pruning", "missing accent + plural"),
    ("uso de suelo", "land_use", "stopwords"),
    ("ampliacion de casa", "house_extension", "missing accent"),
    ("permiso de construccion", "building_permit", "several permits compete"),
    ("permiso de circulacion", "circulation_permit", "several permits compete"),
    ("conexion de agua", "water_connection", "competes with the water bill"),
    ("renovar patente", "business_licence_renewal", "keyword, not title"),
    ("farol apagado", "street_light_report", "everyday words"),
    ("grua", "towed_vehicle", "missing accent, keyword only"),
    ("basura", "bulky_waste", "keyword"),
    ("queja", "complaint", "synonym keyword"),
    ("beca", "school_grant", "short word"),
    ("pension", "pension_advice", "missing accent"),
    ("adulto mayor", "senior_card", "two-word keyword"),
    ("estacionamiento discapacidad", "disabled_parking", "two parking cards compete"),
    ("matricula escuela", "school_enrolment", "missing accent"),
    ("vivienda social", "social_housing_register", "two words"),
    ("lic funcionamiento", "business_licence", "prefix"),
    ("birth certificate", "birth_certificate", "English"),
    ("traffic fine", "traffic_fine", "English"),
    ("street light", "street_light_report", "English"),
    ("towed car", "towed_vehicle", "English, one word unknown"),
    ("senior card", "senior_card", "English"),
    ("death certificat", "death_certificate", "English, truncated"),
    ("marriage", "marriage_certificate", "English, one word"),
    ("compalint", "complaint", "English typo"),
    ("certificadoresidencia", "residence_certificate", "words run together (fallback)"),
]


def demo_catalog() -> dict[str, Any]:
    """The reference API's demo catalog document."""
    return {"version": "demo-seed", "categories": CATEGORIES, "procedures": PROCEDURES}


@pytest.fixture(scope="module")
def search(tmp_path_factory) -> CatalogSearch:
    from offline_cache.database import open_database

    db = open_database(tmp_path_factory.mktemp("search") / "kiosk.db")
    CatalogCache(db).store(demo_catalog(), '"v1"')
    return CatalogSearch(db)


def test_query_table_puts_the_expected_procedure_first(search):
    rows, failures = [], []
    for query, expected, why in QUERIES:
        hits = search.search(query)
        first = hits[0].procedure_id if hits else "(none)"
        ok = first == expected
        rows.append(f"{'ok ' if ok else 'BAD'} {query:<29} {first:<29} {why}")
        if not ok:
            failures.append((query, expected, first))
    print("\n" + "\n".join([f"    {'query':<29} {'first result':<29} case", *rows]))
    assert len(QUERIES) >= 30
    assert failures == []


def test_results_are_ranked_best_first(search):
    hits = search.search("acta de nacimiento")
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len(hits) > 1  # other "acta" records follow, lower


def test_titles_come_in_the_requested_language(search):
    assert search.search("predial", lang="en")[0].title == "Pay property tax"
    assert search.search("predial", lang="es")[0].title == "Pagar el impuesto predial"


def test_whole_text_fuzzy_fallback_answers_when_no_word_matches(search):
    assert search.search("certificadoresidencia")[0].procedure_id == "residence_certificate"
    assert search._terms("certificadoresidencia") == []  # FTS had nothing to look for


def test_nonsense_finds_nothing(search):
    assert search.search("xqzvw kkkk") == []
    assert search.search("de la") == []


def test_fold_strips_accents_and_case():
    assert fold("Tránsito ÑANDÚ") == "transito nandu"
