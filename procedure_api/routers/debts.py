"""Debt look-ups (by person, property, water account, plate or bill reference) and bill barcodes."""

from __future__ import annotations

import sqlite3
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from kiosk import bill_barcode
from procedure_api.auth import Kiosk, State, citizen_for_session, citizen_session_header
from procedure_api.errors import ApiProblem
from procedure_api.schemas import (
    REFERENCE_PATTERN,
    BillDecodeRequest,
    Debt,
    DebtList,
    DecodedBill,
)

router = APIRouter(tags=["debts"])
LOOKUP_COLUMNS = ("national_number", "cadastral_key", "water_account", "plate")
KeyParam = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9-]{1,32}$")]


def _debt(row: sqlite3.Row) -> dict[str, object]:
    """A debt as the kiosk sees it: what it is for (the account), never whose address."""
    account = row["cadastral_key"] or row["water_account"] or row["plate"]
    return {"reference": row["reference"], "kind": row["kind"],
            "amount_cents": row["amount_cents"],
            "description": {"es": row["description_es"], "en": row["description_en"]},
            "due_date": row["due_date"], "status": row["status"],
            "account": account, "address_hint": row["address_hint"]}


def pending_debts(conn: sqlite3.Connection, column: str, value: str) -> DebtList:
    """Return the pending debts whose ``column`` equals ``value`` (oldest due first)."""
    assert column in LOOKUP_COLUMNS  # a column name, never user text, goes into the SQL
    rows = conn.execute(
        f"SELECT * FROM debts WHERE {column} = ? AND status = 'pending'"
        " ORDER BY due_date, reference",
        (value,),
    ).fetchall()
    return DebtList.model_validate({"debts": [_debt(row) for row in rows]})


@router.get("/v1/debts", response_model=DebtList)
def find_debts(
    state: State,
    kiosk: Kiosk,
    national_number: KeyParam = None,
    cadastral_key: KeyParam = None,
    water_account: KeyParam = None,
    plate: KeyParam = None,
) -> DebtList:
    """Look up pending debts by exactly one key."""
    given = {name: value for name, value in zip(
        LOOKUP_COLUMNS, (national_number, cadastral_key, water_account, plate), strict=True)
        if value is not None}
    if len(given) != 1:
        raise ApiProblem(400, "lookup_key_required")
    (column, value), = given.items()
    if column == "plate":
        value = value.replace("-", "").upper()
    with state.db.transaction() as conn:
        return pending_debts(conn, column, value)


@router.get("/v1/citizens/me/debts", response_model=DebtList)
def my_debts(
    state: State, kiosk: Kiosk, session: Annotated[str, Depends(citizen_session_header)]
) -> DebtList:
    """Return the identified citizen's pending debts (proactive service after e-ID)."""
    national_number = citizen_for_session(state, kiosk, session)
    with state.db.transaction() as conn:
        return pending_debts(conn, "national_number", national_number)


@router.get("/v1/bills/{reference}", response_model=Debt)
def bill_by_reference(
    reference: Annotated[str, Path(pattern=REFERENCE_PATTERN)],
    state: State,
    kiosk: Kiosk,
) -> Debt:
    """Return the bill with this reference number, paid or not (its status tells which).

    A paid bill is answered, not refused, so the kiosk can say "already paid" instead of
    "unknown number"; only a reference that never existed is 404 ``bill_not_found``. A case
    number (with or without its dashes) answers the fee bill of that case.
    """
    with state.db.transaction() as conn:
        row = conn.execute("SELECT * FROM debts WHERE reference = ?", (reference,)).fetchone()
        if row is None:
            row = conn.execute(
                "SELECT debts.* FROM cases JOIN debts ON debts.reference = cases.fee_reference"
                " WHERE REPLACE(cases.case_number, '-', '') = ?",
                (reference.replace("-", "").upper(),)).fetchone()
    if row is None:
        raise ApiProblem(404, "bill_not_found")
    return Debt.model_validate(_debt(row))


@router.post("/v1/bills/decode", response_model=DecodedBill)
def decode_bill(body: BillDecodeRequest, kiosk: Kiosk) -> DecodedBill:
    """Read reference, amount and due date from a bill's barcode digits."""
    try:
        bill = bill_barcode.decode(body.barcode)
    except bill_barcode.BarcodeError as err:
        raise ApiProblem(422, "invalid_barcode", err.reason) from err
    return DecodedBill(reference=bill.reference, amount_cents=bill.amount_cents,
                       due_date=bill.due_date.isoformat())
