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
from rig.search_queries import QUERIES


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
