"""Pay all debts after e-ID: the citizen session's debts from the API, paid in one sale."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path

from drivers.printer.driver import EscposReceiptPrinter
from drivers.printer.simulator import PrinterSimulator
from kiosk.services.pay_model import PayResult
from kiosk.simulated.api import ApiServer
from offline_cache.journal import PaymentState
from rig.wait import wait_for
from tests.api.pki import make_ca, make_citizen, write_pem
from tests.fixtures.pay_rig import pay_rig_on
from tests.fixtures.terminal import TerminalLine

MARIA = ("65031200353", "García Pérez", "María José")  # config/demo/citizens.toml


def test_all_debts_of_an_identified_citizen_are_paid_in_one_sale_with_one_receipt(
        tmp_path: Path, terminal_line: TerminalLine, sim_printer: EscposReceiptPrinter,
        printer_sim: PrinterSimulator) -> None:
    ca = make_ca("Journey Citizen CA")
    card = make_citizen(ca, *MARIA)
    workdir = tmp_path / "api"
    workdir.mkdir()
    with ApiServer(workdir, eid_ca=write_pem(tmp_path / "ca.pem", ca)) as server, \
            pay_rig_on(tmp_path, server, terminal_line, sim_printer, printer_sim) as rig:
        api = rig.service.api
        nonce = api.eid_challenge()["nonce"]
        session = api.eid_authenticate(nonce, card.der_b64(),
                                       card.sign_b64(base64.b64decode(nonce), "ES256"),
                                       "ES256")["citizen_session"]
        found = asyncio.run(rig.service.debts_of_citizen(session))
        assert len(found.bills) >= 2 and found.message_key is None
        selection = rig.service.select(list(found.bills))
        outcome = asyncio.run(rig.service.pay(selection, lambda _: None))
        assert outcome.result is PayResult.PAID_PRINTED and outcome.payment is not None
        (sale,) = rig.line.memory.approved
        assert sale.amount_pesos * 100 == selection.total.cents
        (job,) = rig.printer.wait_for_jobs(1)
        assert all(bill.reference in job.text for bill in found.bills)
        ticket = outcome.payment.ticket
        wait_for(lambda: rig.store.journal.get(ticket).state is PaymentState.SYNCED,
                 "the payment to be delivered")
        after = asyncio.run(rig.service.debts_of_citizen(session))
        assert after.bills == () and after.message_key is not None  # nothing left to pay
