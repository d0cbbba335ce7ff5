"""Request a procedure without screens: what the form asks, and the receipt it prints.

The receipt is laid out by the printer's own layout code (``drivers/printer/layout.py``),
so what is asserted here is what the paper and the on-screen preview show.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

from drivers.printer.layout import BarcodeBlock, QrBlock, TextBlock, layout
from kiosk.receipts.request import build_request_receipt, request_reference
from kiosk.services.identify import CitizenIdentity
from kiosk.services.submit_procedure import (
    MSG_PHONE,
    MSG_REQUIRED,
    FormInvalid,
    SubmitProcedure,
    Submitted,
)
from kiosk.settings import KioskSection
from procedure_api.catalog_data import PROCEDURES
from screens.request_flow import RequestFlow

CATALOG = {p["id"]: p for p in PROCEDURES}
KIOSK = KioskSection(id="kiosk-7", municipality="Villa Esperanza", languages=["es", "en"],
                     data_dir=Path("data"), log_dir=Path("logs"),
                     verification_url="https://verify.example/verify")
KEY = "d9bd12b1-dd18-4334-837a-9be631be50d5"
ANA = CitizenIdentity("65031200353", "García", "Ana", "Calle 1, 41001 Villa", None, "eid")


def _text(receipt: Any) -> str:
    lines = " ".join(b.text for b in layout(receipt, 42) if isinstance(b, TextBlock))
    return " ".join(lines.split())  # wrapped lines read as one text


def test_confirmed_request_receipt_prints_the_case_number_and_how_to_pay_the_fee_later() -> None:
    sent = Submitted(3, KEY, "VE-2026-000042")
    receipt = build_request_receipt(KIOSK, CATALOG["death_certificate"], sent,
                                    issued_at=datetime(2026, 11, 21, 23, 0), language="es")
    blocks = layout(receipt, 42)
    text = _text(receipt)
    assert "Acta de defunción" in text and "ESPERANDO EL PAGO" in text
    assert "Tasa $1.500: aún no pagada" in text
    assert ("Listo en: 5 minutos una vez pagada la tasa. Lo retira en: Registro civil, "
            "primer piso") in text
    assert "TOTAL" not in text  # nothing was paid at the kiosk
    assert [b.data for b in blocks if isinstance(b, BarcodeBlock)] == ["VE-2026-000042"]
    assert [b.data for b in blocks if isinstance(b, QrBlock)] == [
        f"https://verify.example/verify?ref={KEY}"]


def test_pending_request_receipt_gives_a_short_reference_and_says_pending_in_english() -> None:
    sent = Submitted(3, KEY, None)
    receipt = build_request_receipt(KIOSK, CATALOG["complaint"], sent,
                                    issued_at=datetime(2026, 11, 21, 23, 0), language="en")
    assert request_reference(sent) == "SOL-D9BD12B1" == receipt.reference
    text = _text(receipt)
    assert "PENDING CONFIRMATION" in text and "Make a complaint" in text
    assert "Fee" not in text  # a free procedure has no fee line


def test_form_asks_only_what_the_card_did_not_answer_and_checks_each_answer() -> None:
    flow = RequestFlow(CATALOG.get, None, None)
    assert flow.begin("death_certificate", ANA)
    names = [f.name for f in flow.fields]
    assert [names[i] for i in flow.asked] == ["phone", "deceased_name"]
    assert flow.answers["full_name"] == "Ana García"
    assert flow.answer(flow.asked[0], "12") == MSG_PHONE
    assert flow.answer(flow.asked[0], "0470123456") is None
    assert flow.next_question(flow.asked[0]) == flow.asked[1]
    assert flow.next_question(flow.asked[1]) is None  # then "check your answers"
    assert flow.first_problem() == (flow.asked[1], MSG_REQUIRED)
    flow.end()
    assert flow.answers == {} and not flow.document


def test_a_form_with_a_problem_is_not_sent_and_keeps_its_answers() -> None:
    class Refusing:
        async def submit(self, procedure: Any, answers: Any, identity: Any) -> FormInvalid:
            return FormInvalid({"details": MSG_REQUIRED})

    flow = RequestFlow(CATALOG.get, Refusing(), object())  # type: ignore[arg-type]
    assert flow.begin("complaint", None)
    flow.answer(0, "024561234")
    outcome = asyncio.run(flow.send(None, "es"))
    assert isinstance(outcome, FormInvalid) and flow.sent is None
    assert flow.answers == {"phone": "024561234"}


def test_a_request_sent_while_the_link_is_known_down_is_provisional_without_waiting(
        tmp_path: Path) -> None:
    from offline_cache.store import OfflineStore
    from offline_cache.submissions import SubmissionState

    store = OfflineStore.open(tmp_path / "kiosk.db", tmp_path / "kiosk.key")
    woken: list[bool] = []
    try:
        # An hour's wait would hit the test's time-out if the known-down link were ignored.
        service = SubmitProcedure(store.submissions, lambda: woken.append(True),
                                  wait_s=3600, link_down=lambda: True)
        complaint = CATALOG["complaint"]
        answers = {f["name"]: "912345678" if f["type"] == "phone" else "Un bache"
                   for f in complaint["form_schema"] if f["required"]}
        sent = asyncio.run(service.submit(complaint, answers, None))
        assert isinstance(sent, Submitted) and sent.pending_confirmation
        assert store.submissions.get(sent.submission_id).state is SubmissionState.QUEUED
        assert woken == [True]  # the sync worker still tries at once
    finally:
        store.close()
