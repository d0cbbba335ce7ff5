"""Seed the database: the demo municipality (catalog, citizens, debts, cases) and bulk data.

Seeding is deterministic and happens only on an empty database, so a restarted server keeps
what kiosks recorded. Citizens come from config/demo/citizens.toml, the same file the
virtual e-ID card reads.
"""

from __future__ import annotations

import json
import random
import re
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kiosk import bill_barcode
from procedure_api.catalog_data import CATEGORIES, PROCEDURES
from procedure_api.db import Database

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CITIZENS_FILE = PROJECT_ROOT / "config" / "demo" / "citizens.toml"


def load_citizens(path: Path = CITIZENS_FILE) -> list[dict[str, Any]]:
    """Read the demo citizens (national number, names, address ...)."""
    with path.open("rb") as handle:
        return list(tomllib.load(handle)["citizen"])


DEBT_COLUMNS = ("reference, kind, national_number, cadastral_key, water_account, plate, "
                "description_es, description_en, amount_cents, due_date, status, address_hint")


def address_hint(street: str | None) -> str | None:
    """The street without its number or flat ("Avenida del Río 3, 2.º B" -> "Avenida del Río").

    Enough for a citizen to recognise her property, too little to find her door.
    """
    if not street:
        return None
    return re.split(r"\s*[\d,]", street, maxsplit=1)[0].strip() or None


def _debt_rows(index: int, national_number: str, rng: random.Random,
               street: str | None = None) -> list[tuple[Any, ...]]:
    """Invent a citizen's property-tax, water and (sometimes) fine debts."""
    cadastral, water, plate = f"CAT-{index:06d}", f"AG{index:08d}", f"VE{index:04d}"[:8]
    year_due = date(2026, 12, 31)
    hint = address_hint(street)
    rows = [
        (f"1{index:011d}", "property_tax", national_number, cadastral, None, None,
         "Impuesto predial 2026, 2.º semestre", "Property tax 2026, 2nd half",
         rng.randrange(40_000, 250_000) * 100, year_due.isoformat(), "pending", hint),
        (f"2{index:011d}", "water", national_number, None, water, None,
         "Agua potable, consumo de octubre", "Drinking water, October usage",
         rng.randrange(8_000, 40_000) * 100, (year_due - timedelta(days=30)).isoformat(),
         "pending", hint),
    ]
    if index % 2 == 1:
        rows.append((f"3{index:011d}", "fine", national_number, None, None, plate,
                     "Multa de estacionamiento", "Parking fine",
                     rng.randrange(20_000, 90_000) * 100, "2026-11-30", "pending", None))
    return rows


DEMO_CASES = [  # (procedure, status, submitted) per citizen, in citizens.toml order
    [("building_permit", "in_review", "2026-10-02"),
     ("birth_certificate", "resolved", "2026-09-14")],
    [("senior_card", "waiting_for_citizen", "2026-10-20")],
    [("school_enrolment", "in_review", "2026-11-03")],
    [("job_board", "received", "2026-11-18"), ("tree_pruning", "rejected", "2026-08-30")],
]


def _case_rows(citizens: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    rows, number = [], 0
    for citizen, cases in zip(citizens, DEMO_CASES, strict=False):
        for procedure_id, status, submitted in cases:
            number += 1
            rows.append((f"VE-2026-{number:06d}", procedure_id, citizen["national_number"],
                         None, status, "{}", f"{submitted}T09:30:00+00:00",
                         f"{submitted}T15:00:00+00:00", None))
    return rows


def _insert_debts(db: Database, rows: list[tuple[Any, ...]]) -> None:
    with db.transaction() as conn:
        conn.executemany(f"INSERT OR IGNORE INTO debts ({DEBT_COLUMNS}) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)


def seed_demo(db: Database, citizens_file: Path = CITIZENS_FILE) -> bool:
    """Load the demo municipality into an empty database; return False if already seeded."""
    with db.transaction() as conn:
        if conn.execute("SELECT value FROM meta WHERE key = 'seed'").fetchone():
            return False
        for position, category in enumerate(CATEGORIES):
            conn.execute("INSERT INTO categories VALUES (?, ?, ?)",
                         (category["id"], position, json.dumps(category, ensure_ascii=False)))
        for position, procedure in enumerate(PROCEDURES):
            conn.execute("INSERT INTO procedures VALUES (?, ?, ?, ?)",
                         (procedure["id"], procedure["category_id"], position,
                          json.dumps(procedure, ensure_ascii=False)))
        conn.execute("INSERT INTO meta VALUES ('seed', 'demo')")
    rng = random.Random(2026)
    rows: list[tuple[Any, ...]] = []
    citizens = load_citizens(citizens_file)
    with db.transaction() as conn:
        conn.executemany("INSERT OR IGNORE INTO cases (case_number, procedure_id, national_number,"
                         " kiosk_id, status, form, submitted_at, updated_at, idempotency_key)"
                         " VALUES (?,?,?,?,?,?,?,?,?)",
                         _case_rows(citizens))
        for index, citizen in enumerate(citizens, start=1):
            conn.execute("INSERT OR IGNORE INTO citizens VALUES (?, ?, ?)",
                         (citizen["national_number"], citizen["surname"], citizen["given_names"]))
            rows += _debt_rows(index, citizen["national_number"], rng, citizen.get("street"))
    _insert_debts(db, rows)
    return True


def seed_synthetic_citizens(db: Database, count: int, first_index: int = 100_000) -> None:
    """Add ``count`` invented citizens with debts (for load benchmarks); idempotent."""
    rng = random.Random(count)
    rows: list[tuple[Any, ...]] = []
    citizens = []
    for index in range(first_index, first_index + count):
        national_number = f"{index:011d}"
        citizens.append((national_number, "Sintético", f"Ciudadano {index}"))
        rows += _debt_rows(index, national_number, rng)
    with db.transaction() as conn:
        conn.executemany("INSERT OR IGNORE INTO citizens VALUES (?, ?, ?)", citizens)
    _insert_debts(db, rows)


def bill_lines(db: Database, limit: int = 50) -> list[str]:
    """Describe pending bills with their barcode digits, to print demo bills."""
    with db.transaction() as conn:
        rows = conn.execute("SELECT reference, kind, amount_cents, due_date FROM debts"
                            " WHERE status = 'pending' ORDER BY reference LIMIT ?",
                            (limit,)).fetchall()
    return [f"{row['kind']:<13} {row['reference']} {row['amount_cents']:>12} {row['due_date']}  "
            + bill_barcode.encode(bill_barcode.Bill(row["reference"], row["amount_cents"],
                                                    date.fromisoformat(row["due_date"])))
            for row in rows]
