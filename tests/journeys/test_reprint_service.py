"""The reprint service on real stacks: this kiosk's own receipts come from its encrypted
copies, even with the API down; the copy is marked COPIA on the printer simulator's paper;
the proof and the window are checked there too."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta

from kiosk.services.reprint_receipt import (
    MSG_OFFLINE,
    MSG_TOO_OLD,
    ReferenceKind,
    ReprintFound,
    ReprintReceipts,
    ReprintRefused,
    parse_reference,
)
from tests.fixtures.pay_rig import PayRig
from tests.journeys.test_pay_services import pay, water_bill_selection


def _reprint(rig: PayRig) -> ReprintReceipts:
    assert rig.hub.printer is not None
    return ReprintReceipts(rig.store.receipt_copies, rig.service.api, rig.hub.printer,
                           rig.service.kiosk, lambda _procedure_id: None)


def _paid(rig: PayRig) -> tuple[str, str, str]:
    """Pay the water bill with copies kept; return (QR text, reference, card last four)."""
    rig.service.copies = rig.store.receipt_copies  # as kiosk/app.py wires it
    outcome = pay(rig.service, water_bill_selection(rig))
    assert outcome.payment is not None  # synced: its card digits are purged from the journal
    key = outcome.payment.idempotency_key
    with sqlite3.connect(rig.api.db_path) as conn:
        ((last4,),) = conn.execute("SELECT card_last4 FROM payments WHERE idempotency_key = ?",
                                   (key,)).fetchall()
    (job,) = rig.printer.wait_for_jobs(1)
    assert f"****{last4}" in job.text
    return job.qr_codes[0], f"PAG-{outcome.payment.ticket:06d}", str(last4)


def test_references_are_read_as_scanned_or_typed() -> None:
    key = "5ce8d56d-afe5-40ad-b1c6-16511de9199e"
    scanned = parse_reference(f"https://tramites.example.gob/verificar?ref={key}")
    assert scanned is not None and (scanned.kind, scanned.reference) == (ReferenceKind.QR, key)
    typed = parse_reference("pag 17")
    assert typed is not None and typed.reference == "PAG-000017" and typed.needs_check
    case = parse_reference("VE2026000042")
    assert case is not None and case.reference == "VE-2026-000042" and not case.needs_check
    unguessable = parse_reference("ve 2026 7k3m 9qxo")  # today's numbers; O read as 0
    assert unguessable is not None and unguessable.kind is ReferenceKind.CASE
    assert unguessable.reference == "VE-2026-7K3M9QX0"
    provisional = parse_reference("sol-1a2b3c4d")
    assert provisional is not None and provisional.kind is ReferenceKind.PROVISIONAL
    assert parse_reference("HOLA") is None and parse_reference("") is None


def test_this_kiosks_receipt_is_reprinted_from_its_own_copies_with_the_api_down(
        pay_rig: PayRig) -> None:
    qr, reference, last4 = _paid(pay_rig)
    pay_rig.api.stop()  # the link is gone: only this kiosk's copies can answer
    service = _reprint(pay_rig)
    for query, check in ((parse_reference(qr), ""), (parse_reference(reference), last4)):
        assert query is not None
        found = asyncio.run(service.find(query, check, "es"))
        assert isinstance(found, ReprintFound) and found.receipt.copy
        assert asyncio.run(service.print_copy(found)).printed
    first, *copies = pay_rig.printer.wait_for_jobs(3)
    assert "COPIA" not in first.text
    for copy in copies:
        assert "COPIA" in copy.text and reference in copy.text and copy.qr_codes == [qr]
    query = parse_reference(reference)
    assert query is not None
    wrong = "0000" if last4 != "0000" else "1111"
    refused = asyncio.run(service.find(query, wrong, "es"))  # not proven here: asks the API
    assert refused == ReprintRefused(MSG_OFFLINE)


def test_a_copy_older_than_the_window_is_refused_plainly(pay_rig: PayRig) -> None:
    qr, _, _ = _paid(pay_rig)
    aged = (datetime.now(UTC) - timedelta(days=pay_rig.service.kiosk.reprint_window_days + 1))
    with pay_rig.store.database.transaction() as tx:
        tx.execute("UPDATE receipt_copies SET created_at = ?", (aged.isoformat(),))
    query = parse_reference(qr)
    assert query is not None
    refused = asyncio.run(_reprint(pay_rig).find(query, "", "es"))
    assert refused == ReprintRefused(MSG_TOO_OLD, 90)
    assert len(pay_rig.printer.wait_for_jobs(1)) == 1  # nothing printed again
