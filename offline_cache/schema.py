"""The kiosk database's schema, and the steps that bring an older file up to date.

``SCHEMA`` creates a file at the current version; ``MIGRATIONS[n]`` turns a version ``n-1``
file into version ``n`` (only the changes to tables that already existed: new tables come
from ``SCHEMA``, which only creates what is missing). A file newer than ``SCHEMA_VERSION``
was written by a newer release and is never opened (software rollback): the kiosk goes out
of service rather than guess at columns it does not know.
"""

from __future__ import annotations

SCHEMA_VERSION = 3

SCHEMA = """
CREATE TABLE IF NOT EXISTS payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    currency TEXT NOT NULL,
    state TEXT NOT NULL,
    authorization_code TEXT, operation_number TEXT, card_type TEXT, decline_code TEXT,
    private BLOB,                       -- AES-GCM: bills (references), card_last4
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    authorized_at TEXT, receipt_printed_at TEXT, synced_at TEXT, purged_at TEXT,
    review_reason TEXT,                 -- why a person must look (never personal data)
    terminal_amount_cents INTEGER,      -- what the terminal approved, when it differs
    close_id INTEGER                    -- the daily close that counted this payment
);
CREATE INDEX IF NOT EXISTS payments_ticket ON payments (ticket);
CREATE INDEX IF NOT EXISTS payments_state ON payments (state);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    procedure_id TEXT NOT NULL,
    state TEXT NOT NULL,
    case_number TEXT,
    private BLOB,                       -- AES-GCM: form answers, citizen session
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    submitted_at TEXT, receipt_printed_at TEXT, synced_at TEXT, purged_at TEXT
);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,                 -- payment | submission | satisfaction | heartbeat | ...
    stream TEXT NOT NULL,               -- items of one stream are delivered in id order
    ref_id INTEGER,                     -- payments.id / submissions.id when relevant
    idempotency_key TEXT NOT NULL,
    state TEXT NOT NULL,                -- pending | delivered | parked
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    payload BLOB,                       -- AES-GCM JSON body; NULL once delivered
    created_at TEXT NOT NULL, delivered_at TEXT
);
CREATE INDEX IF NOT EXISTS outbox_state ON outbox (state, id);
CREATE INDEX IF NOT EXISTS outbox_stream ON outbox (stream, id);
CREATE TABLE IF NOT EXISTS catalog (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    etag TEXT, version TEXT, body TEXT NOT NULL, fetched_at TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS catalog_fts USING fts5(
    procedure_id UNINDEXED, title_es UNINDEXED, title_en UNINDEXED,
    title, keywords, body,
    tokenize = "unicode61 remove_diacritics 2", prefix = "2 3 4"
);
CREATE VIRTUAL TABLE IF NOT EXISTS catalog_vocab USING fts5vocab(catalog_fts, row);
CREATE TABLE IF NOT EXISTS closes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    state TEXT NOT NULL,                -- closing | closed | failed
    started_at TEXT NOT NULL, closed_at TEXT,
    terminal_count INTEGER, terminal_total_cents INTEGER,
    kiosk_count INTEGER, kiosk_total_cents INTEGER,
    api_status TEXT,                    -- reconciled | differences | pending (not yet sent)
    differences TEXT                    -- JSON: tickets / operation numbers that disagree
);
CREATE TABLE IF NOT EXISTS receipt_copies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,                 -- payment | request
    qr_key TEXT NOT NULL,               -- SHA-256 of the QR's reference (an Idempotency-Key)
    printed_reference TEXT NOT NULL,    -- SHA-256 of the reference printed as text
    private BLOB NOT NULL,              -- AES-GCM: the receipt (JSON) and its check
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS receipt_copies_qr ON receipt_copies (qr_key);
CREATE INDEX IF NOT EXISTS receipt_copies_reference ON receipt_copies (printed_reference);
CREATE TABLE IF NOT EXISTS incidents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL, detail TEXT NOT NULL, created_at TEXT NOT NULL,
    acknowledged INTEGER NOT NULL DEFAULT 0
);
"""

MIGRATIONS: dict[int, tuple[str, ...]] = {
    # 2: what a person must look at (no personal data), what the terminal said when it
    # differs, and which daily close counted a payment.
    2: (
        "ALTER TABLE payments ADD COLUMN review_reason TEXT",
        "ALTER TABLE payments ADD COLUMN terminal_amount_cents INTEGER",
        "ALTER TABLE payments ADD COLUMN close_id INTEGER",
    ),
    # 3: receipt_copies, what a reprint needs (a new table: SCHEMA creates it).
    3: (),
}
