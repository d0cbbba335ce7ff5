"""Transbank's own SDK (transbank-pos-sdk) as a second, independent client of our simulator.

If the simulator only agreed with our driver, a shared misreading of the protocol would go
unnoticed; the vendor's SDK parses every answer with its own field layout.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from transbank.POS.POSIntegrado import POSIntegrado

from drivers.payment.simulator import Fault, Script, SerialDevicePort, TerminalSimulator
from rig.serial_pty import SerialPair


@pytest.fixture
def sdk_line(serial_pair: SerialPair) -> Iterator[tuple[POSIntegrado, TerminalSimulator]]:
    simulator = TerminalSimulator(SerialDevicePort(serial_pair.device_end), think_s=0.0).start()
    pos = POSIntegrado()
    pos.open_port(serial_pair.kiosk_end, 9600)
    yield pos, simulator
    pos.close_port()
    simulator.stop()


def test_sdk_poll_is_acknowledged(sdk_line: tuple[POSIntegrado, TerminalSimulator]) -> None:
    pos, simulator = sdk_line
    assert pos.poll() is True
    assert simulator.commands_seen == ["0100"]


def test_sdk_sale_with_intermediate_messages_is_approved(
        sdk_line: tuple[POSIntegrado, TerminalSimulator]) -> None:
    pos, simulator = sdk_line
    messages: list[dict[str, Any]] = []
    answer = pos.sale(25_000, "000321", True, messages.append)
    sale = simulator.memory.approved[0]
    assert [m["response_code"] for m in messages] == ["78", "81", "82"]
    assert answer["success"] is True and answer["response_code"] == "00"
    assert answer["ticket"] == "000321" and answer["amount"] == "25000"
    assert answer["authorization_code"] == sale.authorization_code
    assert answer["operation_number"] == sale.operation_number
    assert answer["last_4_digits"] == sale.last4 and answer["card_type"] == sale.card_type


def test_sdk_reads_a_declined_sale_and_the_last_sale(
        sdk_line: tuple[POSIntegrado, TerminalSimulator]) -> None:
    pos, simulator = sdk_line
    simulator.memory.queue(Script(Fault.DECLINE, code="01"))
    declined = pos.sale(3_000, "000007")
    assert declined["success"] is False and declined["response_message"] == "Rechazado"
    last = pos.last_sale()
    assert last["function_code"] == 260 and last["ticket"] == "000007"
    assert last["response_code"] == "01"


def test_sdk_refunds_an_approved_operation(
        sdk_line: tuple[POSIntegrado, TerminalSimulator]) -> None:
    pos, _simulator = sdk_line
    sale = pos.sale(4_000, "000008")
    refund = pos.refund(int(sale["operation_number"]))
    assert refund["success"] is True and refund["authorization_code"]
    assert refund["operation_number"] == sale["operation_number"]
    again = pos.refund(int(sale["operation_number"]))
    assert again["success"] is False and again["response_code"] == "04"


def test_sdk_closes_the_day(sdk_line: tuple[POSIntegrado, TerminalSimulator]) -> None:
    pos, simulator = sdk_line
    answer = pos.close()
    assert answer["success"] is True and answer["function_code"] == 510
    assert simulator.memory.closes == 1
