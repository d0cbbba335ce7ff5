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
import sys
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
from rig.search_queries import QUERIES

BODY = {"score": 4, "journey": "pay_bills", "note": "x" * 200}


def _rate(count: int, func: Callable[[], None]) -> float:
    start = time.perf_counter()
    for _ in range(count):
        func()
    return count / (time.perf_counter() - start)


class OutboxSide:
    """The kiosk outbox: enqueue = one encrypted item per transaction; drain = due + confirm."""

    name = "offline_cache outbox"

    def __init__(self, folder: Path) -> None:
        self.db = open_database(folder / "outbox.db")
        self.cipher = RecordCipher(b"\x05" * 32)
        self.outbox = Outbox(self.db, self.cipher)
        self.journal = Journal(self.db, self.cipher)
        self.submissions = Submissions(self.db, self.cipher)

    def put(self) -> None:
        with self.db.transaction() as tx:
            enqueue(tx, self.cipher, "satisfaction", BODY)

    def take(self) -> None:
        [item] = self.outbox.due(1)
        confirm(self.db, self.journal, self.submissions, item, {})

    def close(self) -> None:
        self.db.close()


class PersistQueueSide:
    """persist-queue's SQLiteAckQueue at the same durability: put; get + ack."""

    name = "persistqueue.SQLiteAckQueue"

    def __init__(self, folder: Path) -> None:
        self.queue = SQLiteAckQueue(str(folder / "pq"), auto_commit=True)
        for conn in (self.queue._putter, self.queue._getter):
            conn.execute("PRAGMA synchronous = FULL")
        mode = self.queue._getter.execute("PRAGMA journal_mode").fetchone()[0]
        sync = self.queue._getter.execute("PRAGMA synchronous").fetchone()[0]
        assert (mode, sync) == ("wal", 2), (mode, sync)

    def put(self) -> None:
        self.queue.put(BODY)

    def take(self) -> None:
        self.queue.ack(self.queue.get(block=False))

    def close(self) -> None:
        self.queue.close()


def bench_queues(folder: Path, items: int, rounds: int = 5) -> dict[str, tuple[float, float]]:
    """Return {name: (enqueue/s, drain/s)}, rounds interleaved so load changes hit both."""
    sides = [OutboxSide(folder), PersistQueueSide(folder)]
    per_round = max(1, items // rounds)
    rates: dict[str, dict[str, list[float]]] = {s.name: {"put": [], "take": []} for s in sides}
    for step in ("put", "take"):
        for _ in range(rounds):
            for side in sides:
                rates[side.name][step].append(_rate(per_round, getattr(side, step)))
    for side in sides:
        side.close()
    return {
        name: (statistics.median(r["put"]), statistics.median(r["take"]))
        for name, r in rates.items()
    }


_NOUN_TEXT = ("impuesto predial agua potable multa transito licencia funcionamiento acta"
          " nacimiento matrimonio defuncion permiso construccion poda arbol basura anuncio"
          " constancia adeudo residencia beca pension empleo subsidio vehiculo")
_NOUNS = _NOUN_TEXT.split()


def synthetic_catalog(count: int, rng: random.Random) -> dict[str, Any]:
    """Build ``count`` procedures: the demo seed's, then synthetic ones with the same words."""
    from procedure_api.catalog_data import PROCEDURES

    procedures = list(PROCEDURES)
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
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--procedures", type=int, default=5000)
    args = parser.parse_args(argv or [])  # the bench runner calls main() with no arguments
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rates = bench_queues(folder, args.items)
        ours, theirs = rates[OutboxSide.name], rates[PersistQueueSide.name]
        print(f"durable queue, {args.items} items in 5 interleaved rounds (median),"
              " WAL + synchronous=FULL, one commit per item")
        print(f"  {'':<28}{'enqueue/s':>12}{'drain/s':>12}")
        for name, (put, take) in rates.items():
            print(f"  {name:<28}{put:>12.0f}{take:>12.0f}")
        print(f"  ratio outbox/persist-queue: enqueue {ours[0] / theirs[0]:.2f}x,"
              f" drain {ours[1] / theirs[1]:.2f}x")
        latency = bench_search(folder, args.procedures)
        print(f"search over {args.procedures} procedures, {len(QUERIES)} queries x 5")
        for name, (p50, p95) in latency.items():
            print(f"  {name:<28} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms")
        fts, like = latency["fts5+rapidfuzz"], latency["LIKE scan"]
        print(f"  ratio LIKE/FTS: p50 {like[0] / fts[0]:.2f}x, p95 {like[1] / fts[1]:.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
