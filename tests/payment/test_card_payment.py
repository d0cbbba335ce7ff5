"""Paying through the journal: every scripted terminal outcome ends in the right row state."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from common.money import Money
from drivers.base import DeviceTimeout
from drivers.payment.simulator import Fault, Script, SerialDevicePort, TerminalSimulator
from drivers.payment.transbank import TransbankTerminal
from kiosk.services.card_payment import PaymentOutcome, PaymentStatus, RecoveryPending, pay
from kiosk.services.payment_recovery import recover_all
from offline_cache.journal import Journal, PaidBill, PaymentState
from rig.serial_pty import open_serial_pair
from rig.wait import wait_for
from tests.fixtures.terminal import TerminalLine

BILLS = (PaidBill("WATER-2026-0042", Money(1_500_000)),)


def run_pay(line: TerminalLine, journal: Journal, amount: int = 1_500_000,
            progress: list[str] | None = None) -> PaymentOutcome:
    sink = progress if progress is not None else []
    return asyncio.run(pay(journal, line.driver, Money(amount), BILLS, sink.append))


def test_approved_payment_is_authorized_with_the_terminals_codes(
        terminal_line: TerminalLine, journal: Journal) -> None:
    progress: list[str] = []
    outcome = asyncio.run(pay(journal, terminal_line.driver, Money(1_500_000), BILLS,
                              progress.append))
    sale = terminal_line.memory.approved[0]
    assert outcome.status is PaymentStatus.PAID
    row = journal.get(outcome.payment.ticket)
    assert row.state is PaymentState.AUTHORIZED and row.bills == BILLS
    assert (row.authorization_code, row.operation_number, row.card_last4) == (
        sale.authorization_code, sale.operation_number, sale.last4)
    assert sale.ticket == f"{row.ticket:06d}" and sale.amount_pesos == 15_000
    assert progress[0] == "Insert or tap your card"


@pytest.mark.parametrize(("script", "code"), [
    (Script(Fault.DECLINE, code="01"), "01"),
    (Script(Fault.DECLINE, code="93"), "93"),
    (Script(Fault.CANCEL), "07"),
])
def test_declined_or_cancelled_payment_is_declined_with_the_terminal_code(
        terminal_line: TerminalLine, journal: Journal, script: Script, code: str) -> None:
    terminal_line.memory.queue(script)
    outcome = run_pay(terminal_line, journal)
    row = journal.get(outcome.payment.ticket)
    assert outcome.status is PaymentStatus.NOT_PAID
    assert row.state is PaymentState.DECLINED and row.decline_code == code
    assert row.authorization_code is None


@pytest.mark.parametrize("script", [
    Script(Fault.NAK_ONCE), Script(Fault.GARBLED, bad_copies=1), Script(Fault.SLOW, delay_s=0.1),
])
def test_recoverable_link_faults_still_pay_exactly_once(
        terminal_line: TerminalLine, journal: Journal, script: Script) -> None:
    terminal_line.memory.queue(script)
    outcome = run_pay(terminal_line, journal)
    assert outcome.status is PaymentStatus.PAID
    assert len(terminal_line.memory.approved) == 1


@pytest.mark.parametrize(("script", "status", "state"), [
    (Script(Fault.GARBLED, bad_copies=3), PaymentStatus.PAID, PaymentState.AUTHORIZED),
    (Script(Fault.NO_ANSWER, charged=True), PaymentStatus.PAID, PaymentState.AUTHORIZED),
    # never settled at the bank, but the terminal's last sale is an older ticket: unproven
    (Script(Fault.NO_ANSWER, charged=False), PaymentStatus.CHECKING, PaymentState.UNKNOWN),
])
def test_unknown_outcome_is_settled_at_once_from_the_terminals_last_sale(
        terminal_line: TerminalLine, journal: Journal, script: Script,
        status: PaymentStatus, state: PaymentState) -> None:
    terminal_line.memory.queue(Script(), script)  # an earlier sale: last sale is not empty
    run_pay(terminal_line, journal)
    outcome = run_pay(terminal_line, journal)
    assert outcome.status is status
    row = journal.get(outcome.payment.ticket)
    assert row.state is state
    assert (row.authorization_code is not None) is (state is PaymentState.AUTHORIZED)
    assert journal.needing_recovery() == []  # the terminal answered: no sale waits
    assert (row.review_reason is not None) is (state is PaymentState.UNKNOWN)


def test_disconnect_mid_sale_stays_unknown_until_the_cable_is_back_then_authorized(
        terminal_line: TerminalLine, journal: Journal, tmp_path: Path) -> None:
    terminal_line.memory.queue(Script(Fault.DISCONNECT))
    outcome = run_pay(terminal_line, journal)
    assert outcome.status is PaymentStatus.CHECKING
    ticket = outcome.payment.ticket
    assert journal.get(ticket).state is PaymentState.UNKNOWN
    with pytest.raises(RecoveryPending):  # no new citizen until the row is settled
        run_pay(terminal_line, journal)
    # the technician plugs a new cable; the terminal kept its memory
    cable_dir = tmp_path / "new-cable"
    cable_dir.mkdir()
    cable = open_serial_pair(cable_dir)
    simulator = TerminalSimulator(SerialDevicePort(cable.device_end),
                                  terminal_line.memory).start()
    driver = TransbankTerminal(cable.kiosk_end, ack_timeout_s=0.5, response_timeout_s=1.5)
    try:
        settled = asyncio.run(recover_all(journal, driver))
    finally:
        driver.close()
        simulator.stop()
        cable.unplug()
    assert [p.state for p in settled] == [PaymentState.AUTHORIZED]
    assert journal.get(ticket).authorization_code == \
        terminal_line.memory.approved[0].authorization_code


def test_crash_before_the_sale_left_the_kiosk_stays_unknown_for_staff_not_declined(
        terminal_line: TerminalLine, journal: Journal) -> None:
    run_pay(terminal_line, journal)  # terminal's last sale: an older ticket, approved
    orphan = journal.create_payment(Money(700_000), BILLS)
    journal.begin_authorizing(orphan.ticket)  # ... and the kiosk died right here
    settled = asyncio.run(recover_all(journal, terminal_line.driver))
    assert [(p.ticket, p.state, p.review_reason) for p in settled] == [
        (orphan.ticket, PaymentState.UNKNOWN, "terminal_last_sale_is_another_ticket")]
    assert len(terminal_line.memory.approved) == 1  # nothing charged for the orphan ...
    assert run_pay(terminal_line, journal).status is PaymentStatus.PAID  # ... sales go on


def test_terminal_without_any_sale_leaves_an_open_row_unknown_for_staff(
        terminal_line: TerminalLine, journal: Journal) -> None:
    orphan = journal.create_payment(Money(700_000), BILLS)
    journal.begin_authorizing(orphan.ticket)
    settled = asyncio.run(recover_all(journal, terminal_line.driver))
    assert settled[0].review_reason == "terminal_holds_no_sale"
    assert [p.ticket for p in journal.awaiting_staff()] == [orphan.ticket]


def test_missing_terminal_declines_without_charging(tmp_path: Path, journal: Journal) -> None:
    driver = TransbankTerminal(str(tmp_path / "no-port"), ack_timeout_s=0.2)
    try:
        outcome = asyncio.run(pay(journal, driver, Money(500_000), BILLS, lambda _: None))
    finally:
        driver.close()
    assert outcome.status is PaymentStatus.NOT_PAID
    assert journal.get(outcome.payment.ticket).decline_code == "terminal_unavailable"
    assert "No money was taken" in outcome.message_key


def test_recovery_with_the_terminal_offline_leaves_the_row_open(
        terminal_line: TerminalLine, journal: Journal) -> None:
    orphan = journal.create_payment(Money(700_000), BILLS)
    journal.begin_authorizing(orphan.ticket)
    journal.record_unknown(orphan.ticket)
    terminal_line.simulator.stop()
    with pytest.raises(DeviceTimeout):
        asyncio.run(recover_all(journal, terminal_line.driver))
    assert [p.ticket for p in journal.needing_recovery()] == [orphan.ticket]


def test_session_cancelled_mid_sale_still_records_the_terminals_answer(
        terminal_line: TerminalLine, journal: Journal) -> None:
    terminal_line.memory.queue(Script(Fault.SLOW, delay_s=0.2))

    async def citizen_walks_away() -> None:
        session = asyncio.create_task(
            pay(journal, terminal_line.driver, Money(1_500_000), BILLS, lambda _: None))
        # Cancel once the terminal has taken the sale (it then pauses on each message).
        await asyncio.to_thread(wait_for, lambda: not terminal_line.memory.scripts,
                                "the terminal to take the sale")
        session.cancel()
        with pytest.raises(asyncio.CancelledError):
            await session

    asyncio.run(citizen_walks_away())  # returns once the device thread has finished
    sale = terminal_line.memory.approved[0]
    row = journal.get(int(sale.ticket))
    assert row.state is PaymentState.AUTHORIZED
    assert row.authorization_code == sale.authorization_code
