"""Offline cache: durable outbox throughput vs persist-queue, and search latency vs LIKE.

Run: ``python -m bench.offline_bench [--items N] [--procedures N]``.

Durability is the same on both sides: WAL, ``synchronous=FULL``, one commit per item (the
outbox additionally AES-GCM-encrypts every body). Drain = take the next item and
acknowledge it (our ``due`` + ``confirm``; persist-queue's ``get`` + ``ack``), with the
upload itself left out so the figure is the queue's own cost.
Search: p50/p95 over a 5,000-procedure synthetic catalog for the realistic query table,
against a naive ``LIKE '%word%'`` scan over the same rows, ranked by matched words (no
accent folding beyond the query, no typo tolerance: it is the cheap baseline).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from persistqueue import SQLiteAckQueue

from offline_cache.catalog import CatalogCache
from offline_cache.crypto import RecordCipher
from offline_cache.database import OfflineDatabase, open_database
from offline_cache.delivery import confirm
from offline_cache.journal import Journal
from offline_cache.outbox import Outbox, enqueue
from offline_cache.search import CatalogSearch, words
from offline_cache.submissions import Submissions

BODY = {"score": 4, "journey": "pay_bills", "note": "x" * 200}


def _rate(count: int, func: Callable[[], None]) -> float:
    start = time.perf_counter()
    for _ in range(count):
        func()
    return count / (time.perf_counter() - start)


def bench_outbox(folder: Path, items: int) -> tuple[float, float]:
    """Return (enqueue/s, drain/s) for the kiosk outbox."""
    db = open_database(folder / "outbox.db")
    cipher = RecordCipher(b"\x05" * 32)
    outbox = Outbox(db, cipher)

    def put() -> None:
        with db.transaction() as tx:
            enqueue(tx, cipher, "satisfaction", BODY)

    journal, submissions = Journal(db, cipher), Submissions(db, cipher)

    def take() -> None:
        [item] = outbox.due(1)
        confirm(db, journal, submissions, item, {})

    rates = _rate(items, put), _rate(items, take)
    db.close()
    return rates


def bench_persist_queue(folder: Path, items: int) -> tuple[float, float]:
    """Return (put/s, get+ack/s) for persist-queue's SQLiteAckQueue at the same durability."""
    queue = SQLiteAckQueue(str(folder / "pq"), auto_commit=True)
    queue._putter.execute("PRAGMA synchronous = FULL")
    queue._getter.execute("PRAGMA synchronous = FULL")
    mode = queue._getter.execute("PRAGMA journal_mode").fetchone()[0]
    sync = queue._getter.execute("PRAGMA synchronous").fetchone()[0]
    assert (mode, sync) == ("wal", 2), (mode, sync)

    def take() -> None:
        queue.ack(queue.get(block=False))

    rates = _rate(items, lambda: queue.put(BODY)), _rate(items, take)
    queue.close()
    return rates


_NOUN_TEXT = ("impuesto predial agua potable multa transito licencia funcionamiento acta"
          " nacimiento matrimonio defuncion permiso construccion poda arbol basura anuncio"
          " constancia adeudo residencia beca pension empleo subsidio vehiculo")
_NOUNS = _NOUN_TEXT.split()


def synthetic_catalog(count: int, rng: random.Random) -> dict[str, Any]:
    """Build ``count`` procedures with realistic words (the first 25 are the fixture's)."""
    from tests.offline.catalog_fixture import catalog

    base = catalog()
    procedures = list(base["procedures"])
    for i in range(count - len(procedures)):
        title = " ".join(rng.sample(_NOUNS, 3)) + f" zona {i}"
        procedures.append({
            "id": f"synthetic-{i}", "category_id": "x",
            "title": {"es": title, "en": title}, "description": {"es": title, "en": ""},
            "keywords": {"es": rng.sample(_NOUNS, 2), "en": []},
        })
    return {"version": "bench", "categories": [], "procedures": procedures}


def _like_scan(db: OfflineDatabase, query: str) -> list[str]:
    """Rank by how many query words appear anywhere in title or keywords (a full scan)."""
    clauses: list[str] = []
    params: list[str] = []
    for word in words(query):
        clauses.append("((lower(title) LIKE ?) + (lower(keywords) LIKE ?))")
        params += [f"%{word}%", f"%{word}%"]
    if not clauses:
        return []
    rows = db.conn.execute(
        f"SELECT procedure_id, {' + '.join(clauses)} AS hits FROM catalog_fts"
        " WHERE hits > 0 ORDER BY hits DESC LIMIT 10",
        params,
    ).fetchall()
    return [r[0] for r in rows]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=20)
    return statistics.median(samples) * 1000, cuts[18] * 1000


def bench_search(folder: Path, procedures: int) -> dict[str, tuple[float, float]]:
    """Return p50/p95 latency (ms) for FTS+fuzzy search and for a LIKE scan."""
    from tests.offline.test_search import QUERIES

    db = open_database(folder / "search.db")
    CatalogCache(db).store(synthetic_catalog(procedures, random.Random(7)), None)
    search = CatalogSearch(db)
    results: dict[str, tuple[float, float]] = {}
    runners: list[tuple[str, Callable[[str], object]]] = [
        ("fts5+rapidfuzz", search.search), ("LIKE scan", lambda q: _like_scan(db, q))
    ]
    for name, run in runners:
        samples = []
        for _ in range(5):
            for query, _expected, _why in QUERIES:
                start = time.perf_counter()
                run(query)
                samples.append(time.perf_counter() - start)
        results[name] = _percentiles(samples)
    db.close()
    return results


def main(argv: list[str] | None = None) -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.offline_bench")
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--procedures", type=int, default=5000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ours = bench_outbox(folder, args.items)
        theirs = bench_persist_queue(folder, args.items)
        print(f"durable queue, {args.items} items, WAL + synchronous=FULL, one commit per item")
        print(f"  {'':<28}{'enqueue/s':>12}{'drain/s':>12}")
        print(f"  {'offline_cache outbox':<28}{ours[0]:>12.0f}{ours[1]:>12.0f}")
        print(f"  {'persistqueue.SQLiteAckQueue':<28}{theirs[0]:>12.0f}{theirs[1]:>12.0f}")
        print(f"  ratio outbox/persist-queue: enqueue {ours[0] / theirs[0]:.2f}x,"
              f" drain {ours[1] / theirs[1]:.2f}x")
        latency = bench_search(folder, args.procedures)
        print(f"search over {args.procedures} procedures, 40 queries x 5")
        for name, (p50, p95) in latency.items():
            print(f"  {name:<28} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms")
        fts, like = latency["fts5+rapidfuzz"], latency["LIKE scan"]
        print(f"  ratio LIKE/FTS: p50 {like[0] / fts[0]:.2f}x, p95 {like[1] / fts[1]:.2f}x")


if __name__ == "__main__":
    main()
