"""Reference API: catalog fetch cold vs 304, and debt look-up latency with 10,000 citizens.

Run: python -m bench.api_bench [--citizens N] [--rounds N]
Starts the real server (subprocess, loopback, temp SQLite) with the demo seed plus N
synthetic citizens, then times requests through the kiosk's own ApiClient.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.simulated.api import ApiServer, enrol_kiosk

FIRST_SYNTHETIC = 100_000  # procedure_api.seed.seed_synthetic_citizens numbering


def _timings(action: Callable[[], object], rounds: int) -> list[float]:
    action()  # warm the connection pool and the server's caches
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _summary(label: str, samples: list[float]) -> str:
    quantiles = statistics.quantiles(samples, n=20)
    return (f"{label:<38} p50 {statistics.median(samples):6.2f} ms   "
            f"p95 {quantiles[18]:6.2f} ms   (n={len(samples)})")


def _compare_index(db_path: Path, numbers: list[str]) -> None:
    """Time the look-up query itself with its index and as a full scan (the alternative)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    query = "SELECT * FROM debts {} WHERE national_number = ? AND status = 'pending'"
    for label, hint in (("indexed", ""), ("full scan (NOT INDEXED)", "NOT INDEXED")):
        found = iter(numbers)
        samples = _timings(lambda h=hint, f=found: conn.execute(
            query.format(h), (next(f, numbers[0]),)).fetchall(), len(numbers) - 1)
        print(_summary(f"  SQL only, {label}", samples))
    conn.close()


def run(citizens: int, rounds: int) -> None:
    """Start a server, measure, print the figures."""
    with tempfile.TemporaryDirectory() as workdir:
        server = ApiServer(Path(workdir), extra_args=["--synthetic-citizens", str(citizens)])
        started = time.perf_counter()
        server.start(timeout=120)
        print(f"server with demo seed + {citizens} synthetic citizens ready in "
              f"{time.perf_counter() - started:.1f} s")
        try:
            client = enrol_kiosk(server).client(retries=0)
            full = client.catalog()
            assert full.catalog is not None
            size = len(str(full.catalog).encode())
            print(f"catalog: {len(full.catalog['procedures'])} procedures, ~{size / 1024:.0f} KiB")
            cold = _timings(lambda: client.catalog(), rounds)
            cached = _timings(lambda: client.catalog(etag=full.etag), rounds)
            print(_summary("catalog cold (200, full body)", cold))
            print(_summary("catalog unchanged (If-None-Match, 304)", cached))
            print(f"  -> 304 is {statistics.median(cold) / statistics.median(cached):.1f}x "
                  "faster at the median and sends no body")
            rng = random.Random(1)
            numbers = [f"{FIRST_SYNTHETIC + rng.randrange(citizens):011d}" for _ in range(rounds)]
            found = iter(numbers)
            lookup = _timings(lambda: client.debts(national_number=next(found, numbers[0])), rounds)
            print(_summary(f"debt look-up, {citizens} citizens", lookup))
            floor = _timings(client.health, rounds)
            print(_summary("GET /health (HTTP floor, no database)", floor))
            _compare_index(server.db_path, numbers)
        finally:
            server.stop()


def main(argv: list[str] | None = None) -> None:
    """Parse options (none when run by ``python -m bench``) and run the benchmark."""
    parser = argparse.ArgumentParser(prog="python -m bench.api_bench")
    parser.add_argument("--citizens", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args(argv or [])
    run(args.citizens, args.rounds)


if __name__ == "__main__":
    main(sys.argv[1:])
