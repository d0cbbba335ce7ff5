"""`kiosk doctor`'s payment line: the port must exist and the terminal must answer a poll."""

from __future__ import annotations

from kiosk.doctor import check_payment
from kiosk.settings import PaymentSection
from rig.serial_pty import SerialPair
from tests.fixtures.terminal import TerminalLine


def test_doctor_reports_a_terminal_that_answers(terminal_line: TerminalLine) -> None:
    [diagnosis] = check_payment(PaymentSection(port=terminal_line.pair.kiosk_end))
    assert diagnosis.ok and "answers" in diagnosis.summary


def test_doctor_fails_a_port_where_no_terminal_answers(serial_pair: SerialPair) -> None:
    section = PaymentSection(port=serial_pair.kiosk_end, ack_timeout_s=0.1, required=False)
    [diagnosis] = check_payment(section)
    assert not diagnosis.ok and "no answer to poll" in diagnosis.summary
    assert not diagnosis.required and "switch the terminal on" in diagnosis.action
