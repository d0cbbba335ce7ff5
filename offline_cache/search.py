"""Find procedures by what a citizen types, in Spanish or English, with typos.

Index: one SQLite FTS5 row per procedure (``catalog_fts``, created in
:mod:`offline_cache.database`) holding both languages' title, keywords and description.
``unicode61 remove_diacritics 2`` makes "tránsito" = "transito" = "TRANSITO"; ``prefix``
indexes make "lic" find "licencia" fast. Query: the text is folded the same way, split
into words, common words dropped ("de", "the", "para"...), and each remaining word becomes
a prefix term; a word that is neither a known term nor the prefix of one is replaced by
its closest known terms (rapidfuzz ratio >= 75: "licensia" → "licencia"). Terms are OR-ed,
so word order and extra words do not matter, and ranked by BM25 with title > keywords >
description. When FTS finds nothing, a rapidfuzz WRatio match over whole titles and
keywords is the fallback.
"""

from __future__ import annotations

import bisect
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from offline_cache.database import OfflineDatabase

_STOPWORDS_ES = "de del la las el los lo un una unos unas y e o u a al en con por para mi mis su"
_STOPWORDS_EN = "the a an of for to my i want need and or in on with how do get"
STOPWORDS = frozenset(f"{_STOPWORDS_ES} sus que como quiero necesito {_STOPWORDS_EN}".split())
WEIGHTS = (0.0, 0.0, 0.0, 10.0, 4.0, 1.0)  # bm25 per column; unindexed ones weigh nothing
_WEIGHTS_SQL = ", ".join(map(str, WEIGHTS))
FUZZY_TERM_CUTOFF = 75.0
FUZZY_DOC_CUTOFF = 60.0


@dataclass(frozen=True)
class SearchHit:
    """One ranked result."""

    procedure_id: str
    title: str
    score: float


def fold(text: str) -> str:
    """Lower-case and strip accents the way the FTS tokenizer does."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """Split folded text into words, without stopwords."""
    return [w for w in re.findall(r"[0-9a-z]+", fold(text)) if w not in STOPWORDS]


def _both(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(_both(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_both(v) for v in value)
    return str(value or "")


def index_catalog(tx: sqlite3.Connection, catalog: dict[str, Any]) -> None:
    """Rebuild the search index from a catalog document, inside the caller's transaction."""
    tx.execute("DELETE FROM catalog_fts")
    tx.executemany(
        "INSERT INTO catalog_fts (procedure_id, title_es, title_en, title, keywords, body)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                p["id"], p["title"].get("es", ""), p["title"].get("en", ""),
                _both(p["title"]), _both(p.get("keywords", {})),
                _both(p.get("description", {})) + " " + _both(p.get("what_you_get", {})),
            )
            for p in catalog.get("procedures", [])
        ],
    )


class CatalogSearch:
    """Ranked, typo-tolerant search over the cached catalog."""

    def __init__(self, database: OfflineDatabase) -> None:
        self._database = database
        self._vocab: list[str] = []
        self._docs: dict[str, str] = {}
        self._loaded_for: object = None

    def _reload_if_changed(self) -> None:
        """Re-read the vocabulary when a new catalog was stored (cheap check per search)."""
        conn = self._database.conn
        stamp = conn.execute("SELECT fetched_at FROM catalog WHERE id = 1").fetchone()
        if stamp == self._loaded_for:
            return
        self._loaded_for = stamp
        self._vocab = sorted(r[0] for r in conn.execute("SELECT term FROM catalog_vocab"))
        self._docs = {
            r[0]: fold(f"{r[1]} {r[2]}")
            for r in conn.execute("SELECT procedure_id, title, keywords FROM catalog_fts")
        }

    def _known_prefix(self, word: str) -> bool:
        at = bisect.bisect_left(self._vocab, word)
        return at < len(self._vocab) and self._vocab[at].startswith(word)

    def _terms(self, query: str) -> list[str]:
        terms: list[str] = []
        for word in words(query):
            if self._known_prefix(word):
                terms.append(f'"{word}"*')
                continue
            if len(word) < 3:
                continue
            for match, _score, _ in process.extract(
                word, self._vocab, scorer=fuzz.ratio, score_cutoff=FUZZY_TERM_CUTOFF, limit=2
            ):
                terms.append(f'"{match}"')
        return terms

    def search(self, query: str, lang: str = "es", limit: int = 10) -> list[SearchHit]:
        """Return procedures matching ``query``, best first (empty if nothing is close)."""
        with self._database.reading():  # the helpers below use the connection under the lock
            return self._search(query, lang, limit)

    def _search(self, query: str, lang: str, limit: int) -> list[SearchHit]:
        self._reload_if_changed()
        title_column = "title_en" if lang == "en" else "title_es"
        terms = self._terms(query)
        if terms:
            rows = self._database.conn.execute(
                f"SELECT procedure_id, {title_column}, bm25(catalog_fts, {_WEIGHTS_SQL})"
                " AS rank FROM catalog_fts WHERE catalog_fts MATCH ? ORDER BY rank LIMIT ?",
                (" OR ".join(terms), limit),
            ).fetchall()
            if rows:
                return [SearchHit(r[0], r[1], -float(r[2])) for r in rows]
        return self._fuzzy(query, title_column, limit)

    def _fuzzy(self, query: str, title_column: str, limit: int) -> list[SearchHit]:
        folded = " ".join(words(query))
        if not folded:
            return []
        matches = process.extract(
            folded, self._docs, scorer=fuzz.WRatio, score_cutoff=FUZZY_DOC_CUTOFF,
            limit=limit,
        )
        titles = dict(
            self._database.conn.execute(f"SELECT procedure_id, {title_column} FROM catalog_fts")
        )
        return [SearchHit(key, titles[key], float(score) / 100) for _doc, score, key in matches]
