"""Search: the expected procedure comes first for realistic queries (run with -s to see it)."""

from __future__ import annotations

import pytest

from offline_cache.catalog import CatalogCache
from offline_cache.search import CatalogSearch, fold
from tests.offline.catalog_fixture import catalog

# (what a citizen types, expected first procedure id, why the query is hard)
QUERIES: list[tuple[str, str, str]] = [
    ("predial", "property-tax", "one word"),
    ("pagar agua", "water-bill", "verb + noun"),
    ("acta de nacimiento", "birth-certificate", "stopword inside"),
    ("licensia de funcionamiento", "business-licence", "typo s/c"),
    ("multa transito", "traffic-fine", "missing accent"),
    ("transito multa", "traffic-fine", "word order"),
    ("MULTA DE TRÁNSITO", "traffic-fine", "upper case + accent"),
    ("impuesto predal", "property-tax", "typo: missing letter"),
    ("nacimeinto", "birth-certificate", "typo: swapped letters"),
    ("acta matrimonio", "marriage-certificate", "two words"),
    ("matrimonio acta", "marriage-certificate", "word order"),
    ("defuncion", "death-certificate", "missing accent"),
    ("licencia conducir", "driving-licence", "disambiguation"),
    ("licensia de conducir", "driving-licence", "typo + disambiguation"),
    ("no adeudo predial", "no-debt-certificate", "competes with property tax"),
    ("constancia predial", "no-debt-certificate", "partial title"),
    ("numero oficial", "street-number", "missing accent"),
    ("poda de arboles", "tree-pruning", "missing accent + plural"),
    ("uso de suelo", "land-use", "stopwords"),
    ("ampliacion de casa", "house-extension", "missing accent"),
    ("permiso de construccion", "building-permit", "keyword, no accent"),
    ("anuncio", "advertising-tax", "keyword"),
    ("basura", "garbage-collection", "keyword"),
    ("reclamo", "complaint", "keyword"),
    ("queja", "complaint", "synonym keyword"),
    ("estado de mi tramite", "case-status", "phrase with stopwords"),
    ("beca", "scholarship", "short word"),
    ("pension", "pension-certificate", "missing accent"),
    ("lic funcionamiento", "business-licence", "prefix"),
    ("birth certificate", "birth-certificate", "English"),
    ("property tax", "property-tax", "English"),
    ("water", "water-bill", "English, one word"),
    ("traffic fine", "traffic-fine", "English"),
    ("driving license", "driving-licence", "American spelling"),
    ("garbage", "garbage-collection", "English keyword"),
    ("death certificat", "death-certificate", "English, truncated"),
    ("marriage", "marriage-certificate", "English, one word"),
    ("scholarship", "scholarship", "English"),
    ("compalint", "complaint", "English typo"),
    ("residencia", "residence-certificate", "Spanish title word"),
]


@pytest.fixture(scope="module")
def search(tmp_path_factory) -> CatalogSearch:
    from offline_cache.database import open_database

    db = open_database(tmp_path_factory.mktemp("search") / "kiosk.db")
    CatalogCache(db).store(catalog(), '"v1"')
    return CatalogSearch(db)


def test_query_table_puts_the_expected_procedure_first(search):
    rows, failures = [], []
    for query, expected, why in QUERIES:
        hits = search.search(query)
        first = hits[0].procedure_id if hits else "(none)"
        ok = first == expected
        rows.append(f"{'ok ' if ok else 'BAD'} {query:<28} {first:<22} {why}")
        if not ok:
            failures.append((query, expected, first))
    print("\n" + "\n".join([f"    {'query':<28} {'first result':<22} case", *rows]))
    assert len(QUERIES) >= 30
    assert failures == []


def test_results_are_ranked_best_first(search):
    hits = search.search("acta de nacimiento")
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len(hits) > 1  # other "acta" records follow, lower


def test_titles_come_in_the_requested_language(search):
    assert search.search("predial", lang="en")[0].title == "Property tax payment"
    assert search.search("predial", lang="es")[0].title == "Pago del impuesto predial"


def test_nonsense_finds_nothing(search):
    assert search.search("xqzvw kkkk") == []
    assert search.search("de la") == []


def test_fold_strips_accents_and_case():
    assert fold("Tránsito ÑANDÚ") == "transito nandu"
