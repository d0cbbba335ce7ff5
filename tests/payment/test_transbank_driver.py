"""Every POS Integrado command and every scripted terminal fault, over a real pty pair."""

from __future__ import annotations

import dataclasses
import itertools
import time
from pathlib import Path

import pytest

from drivers.base import DeviceState, DeviceStatus, DeviceTimeout
from drivers.payment.base import (
    OutcomeUnknown,
    SaleResult,
    TerminalUnavailable,
)
from drivers.payment.codes import Outcome
from drivers.payment.simulator import Fault, Script
from drivers.payment.transbank import TransbankTerminal
from tests.fixtures.terminal import TerminalLine

CARD_FIELDS = {"authorization_code", "operation_number", "card_type", "card_last4"}


def test_poll_is_answered(terminal_line: TerminalLine) -> None:
    terminal_line.driver.poll()
    assert terminal_line.simulator.commands_seen == ["0100"]


def test_approved_sale_reports_progress_and_keeps_only_allowed_card_data(
        terminal_line: TerminalLine) -> None:
    progress: list[str] = []
    result = terminal_line.driver.sale(1_250_000, 42, progress.append)
    assert progress == ["Insert or tap your card", "Enter your PIN on the terminal",
                        "Contacting your bank, please wait"]
    assert result.approved and result.outcome is Outcome.APPROVED and result.ticket == 42
    assert result.amount_cents == 1_250_000
    sale = terminal_line.memory.approved[0]
    assert (result.authorization_code, result.operation_number) == (
        sale.authorization_code, sale.operation_number)
    assert result.card_last4 == sale.last4 and result.card_type == sale.card_type
    kept = {f.name for f in dataclasses.fields(SaleResult)}
    assert kept - CARD_FIELDS == {"ticket", "amount_cents", "approved", "outcome",
                                  "response_code", "message_key", "terminal_id"}
    assert result.terminal_id == terminal_line.memory.terminal_id
    assert "*" not in repr(result)  # the masked account number on the wire is dropped


@pytest.mark.parametrize(("script", "code", "outcome"), [
    (Script(Fault.DECLINE, code="01"), "01", Outcome.DECLINED),
    (Script(Fault.DECLINE, code="09"), "09", Outcome.CARD_ERROR),
    (Script(Fault.CANCEL), "07", Outcome.CANCELLED),
])
def test_declined_or_cancelled_sale_has_no_authorization(
        terminal_line: TerminalLine, script: Script, code: str, outcome: Outcome) -> None:
    terminal_line.memory.queue(script)
    result = terminal_line.driver.sale(10_000, 7, lambda _: None)
    assert not result.approved and result.response_code == code and result.outcome is outcome
    assert all(getattr(result, name) is None for name in CARD_FIELDS)
    assert "No money was taken" in result.message_key


def test_nak_once_makes_the_driver_retransmit_the_sale(terminal_line: TerminalLine) -> None:
    terminal_line.memory.queue(Script(Fault.NAK_ONCE))
    result = terminal_line.driver.sale(10_000, 8, lambda _: None)
    assert result.approved
    assert terminal_line.simulator.commands_seen == ["0200", "0200"]
    assert len(terminal_line.memory.approved) == 1  # charged once


def test_garbled_answer_is_naked_and_the_retransmitted_copy_accepted(
        terminal_line: TerminalLine) -> None:
    terminal_line.memory.queue(Script(Fault.GARBLED, bad_copies=1))
    result = terminal_line.driver.sale(10_000, 9, lambda _: None)
    assert result.approved and terminal_line.simulator.naks_received == 1


def test_answer_garbled_every_time_leaves_the_outcome_unknown(
        terminal_line: TerminalLine, caplog: pytest.LogCaptureFixture) -> None:
    terminal_line.memory.queue(Script(Fault.GARBLED, bad_copies=3))
    with pytest.raises(OutcomeUnknown):
        terminal_line.driver.sale(10_000, 10, lambda _: None)
    naks = [r for r in caplog.records if r.getMessage().startswith("bad frame from terminal")]
    assert len(naks) == 3  # bounded: three NAKed copies, then give up


@pytest.mark.parametrize("charged", [False, True])
def test_no_answer_leaves_the_outcome_unknown_and_last_sale_tells_the_truth(
        terminal_line: TerminalLine, charged: bool) -> None:
    terminal_line.memory.queue(Script(Fault.NO_ANSWER, charged=charged))
    with pytest.raises(OutcomeUnknown) as caught:
        terminal_line.driver.sale(10_000, 11, lambda _: None)
    assert caught.value.message_key.startswith("We are checking your payment")
    last = terminal_line.driver.last_sale()
    assert (last is not None and last.ticket == 11 and last.approved) is charged


def test_disconnect_mid_sale_is_unknown_and_reported_as_no_device(
        terminal_line: TerminalLine) -> None:
    events: list[DeviceStatus] = []
    terminal_line.driver.add_listener(events.append)
    terminal_line.memory.queue(Script(Fault.DISCONNECT))
    with pytest.raises(OutcomeUnknown):
        terminal_line.driver.sale(10_000, 12, lambda _: None)
    assert events[-1].state is DeviceState.NO_DEVICE
    assert terminal_line.memory.last_sale is not None
    assert terminal_line.memory.last_sale.code == "00"  # charged: recovery must find it


def test_slow_intermediate_messages_arrive_one_by_one(terminal_line: TerminalLine) -> None:
    terminal_line.memory.queue(Script(Fault.SLOW, delay_s=0.2))
    stamps: list[float] = []
    result = terminal_line.driver.sale(10_000, 13, lambda _: stamps.append(time.monotonic()))
    assert result.approved and len(stamps) == 3
    assert min(b - a for a, b in itertools.pairwise(stamps)) >= 0.15


def test_status_goes_in_transaction_then_idle(terminal_line: TerminalLine) -> None:
    events: list[DeviceStatus] = []
    terminal_line.driver.add_listener(events.append)
    terminal_line.driver.sale(10_000, 14, lambda _: None)
    assert [(e.state, e.detail["terminal"]) for e in events] == [
        (DeviceState.BUSY, "in_transaction"), (DeviceState.ONLINE, "idle")]


def test_last_sale_is_none_on_a_fresh_terminal_then_the_latest_sale(
        terminal_line: TerminalLine) -> None:
    assert terminal_line.driver.last_sale() is None
    terminal_line.driver.sale(5_000, 15, lambda _: None)
    terminal_line.memory.queue(Script(Fault.DECLINE, code="01"))
    terminal_line.driver.sale(6_000, 16, lambda _: None)
    last = terminal_line.driver.last_sale()
    assert last is not None and last.ticket == 16 and not last.approved
    assert last.response_code == "01"


def test_refund_of_an_operation_then_refusal_of_a_second_refund(
        terminal_line: TerminalLine) -> None:
    sale = terminal_line.driver.sale(5_000, 17, lambda _: None)
    assert sale.operation_number is not None
    first = terminal_line.driver.refund(sale.operation_number)
    second = terminal_line.driver.refund(sale.operation_number)
    unknown = terminal_line.driver.refund("999")
    assert first.approved and first.authorization_code
    assert (second.approved, second.response_code) == (False, "04")
    assert (unknown.approved, unknown.response_code) == (False, "05")


def test_close_day_is_acknowledged(terminal_line: TerminalLine) -> None:
    result = terminal_line.driver.close_day()
    assert result.ok and result.response_code == "00" and terminal_line.memory.closes == 1


def test_diagnose_reports_a_terminal_that_answers(terminal_line: TerminalLine) -> None:
    diagnosis = terminal_line.driver.diagnose()
    assert diagnosis.ok and terminal_line.pair.kiosk_end in diagnosis.summary


def test_diagnose_and_sale_on_a_missing_port_say_no_money_was_taken(tmp_path: Path) -> None:
    driver = TransbankTerminal(str(tmp_path / "nothing"), ack_timeout_s=0.2)
    try:
        assert not driver.diagnose().ok
        with pytest.raises(TerminalUnavailable) as caught:
            driver.sale(5_000, 1, lambda _: None)
        assert "No money was taken" in caught.value.message_key
    finally:
        driver.close()


def test_silent_line_times_out_poll_after_bounded_retries(
        terminal_line: TerminalLine, caplog: pytest.LogCaptureFixture) -> None:
    terminal_line.simulator.stop()
    with pytest.raises(DeviceTimeout, match="after 3 attempts"):
        terminal_line.driver.poll()
    retries = [r for r in caplog.records if r.getMessage().startswith("no ACK for frame")]
    assert len(retries) == 3  # three copies of the poll, then the typed timeout
    diagnosis = terminal_line.driver.diagnose()
    assert not diagnosis.ok and "no answer" in diagnosis.summary


def test_unplugged_cable_before_a_sale_is_definitely_not_charged(
        terminal_line: TerminalLine) -> None:
    terminal_line.driver.poll()
    terminal_line.pair.unplug()
    with pytest.raises(TerminalUnavailable):
        terminal_line.driver.sale(5_000, 18, lambda _: None)
    assert terminal_line.memory.sale_commands == 0


def test_a_second_process_cannot_open_the_terminal_in_use(
        terminal_line: TerminalLine) -> None:
    terminal_line.driver.poll()  # the port is open and locked by this driver
    intruder = TransbankTerminal(terminal_line.pair.kiosk_end, ack_timeout_s=0.2)
    try:
        with pytest.raises(TerminalUnavailable):
            intruder.poll()
    finally:
        intruder.close()
    terminal_line.driver.poll()


def test_invalid_amount_or_ticket_is_refused_before_anything_is_sent(
        terminal_line: TerminalLine) -> None:
    for amount, ticket in ((1_050, 1), (0, 1), (5_000, 0), (5_000, 1_000_000)):
        with pytest.raises(ValueError):
            terminal_line.driver.sale(amount, ticket, lambda _: None)
    assert terminal_line.simulator.commands_seen == []



@pytest.mark.parametrize("field", [4, 5, 6, 10])  # ticket, authorization, amount, operation
def test_an_oversized_field_after_a_charge_is_unknown_never_not_sent(
        terminal_line: TerminalLine, field: int) -> None:
    terminal_line.memory.queue(Script(oversize_field=field))
    with pytest.raises(OutcomeUnknown):
        terminal_line.driver.sale(1_500_000, 77, lambda _: None)
    (charged,) = terminal_line.memory.approved  # the bank took the money
    last = terminal_line.driver.last_sale()
    assert last is not None and last.ticket == 77
    assert last.authorization_code == charged.authorization_code


def test_batch_totals_and_detail_list_every_sale_since_the_close(
        terminal_line: TerminalLine) -> None:
    driver, memory = terminal_line.driver, terminal_line.memory
    assert driver.batch_totals().sales_count == 0 and driver.batch_detail() == []
    driver.sale(1_500_000, 1, lambda _: None)
    memory.queue(Script(Fault.DECLINE))
    driver.sale(20_000, 2, lambda _: None)
    driver.sale(300_000, 3, lambda _: None)
    memory.foreign_sale(5_000)  # another till used the terminal
    totals = driver.batch_totals()
    assert (totals.sales_count, totals.sales_total_cents) == (3, 1_800_000 + 5_000 * 100)
    detail = driver.batch_detail()
    assert [s.ticket for s in detail] == [1, 3, 900001]
    assert all(s.approved and s.authorization_code for s in detail)
    assert detail[0].operation_number == memory.approved[0].operation_number
    driver.close_day()
    assert driver.batch_totals().sales_count == 0 and driver.batch_detail() == []


def test_a_terminal_that_was_reset_holds_no_last_sale(terminal_line: TerminalLine) -> None:
    terminal_line.driver.sale(1_000, 5, lambda _: None)
    terminal_line.memory.forget()
    assert terminal_line.driver.last_sale() is None
