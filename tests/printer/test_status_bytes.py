"""DLE EOT answers are read per the Epson reference; silence or junk is never ok or out."""

from __future__ import annotations

import pytest

from drivers.base import DeviceState
from drivers.printer.status import (
    PaperState,
    PrinterStatus,
    StatusQuery,
    Tristate,
    paper_from_sensor,
)


@pytest.mark.parametrize(
    ("byte", "paper"),
    [
        (0x12, PaperState.OK),
        (0x1E, PaperState.LOW),  # near-end bits 2+3
        (0x72, PaperState.OUT),  # end bits 5+6
        (0x7E, PaperState.OUT),  # end and near end
        (None, PaperState.UNKNOWN),  # no answer
        (0xFF, PaperState.UNKNOWN),  # fixed bits broken
        (0x00, PaperState.UNKNOWN),
        (0x16, PaperState.UNKNOWN),  # only one near-end bit: not a state the spec defines
        (0x32, PaperState.UNKNOWN),  # only one paper-end bit
    ],
)
def test_paper_sensor_byte_is_interpreted_per_spec(byte, paper):
    assert paper_from_sensor(byte) is paper


def test_silent_printer_is_unknown_not_ok_and_does_not_block():
    status = PrinterStatus.from_answers({StatusQuery.PRINTER: None})
    assert (status.paper, status.cover_open, status.online) == (
        PaperState.UNKNOWN, Tristate.UNKNOWN, Tristate.UNKNOWN)
    assert status.blocking_message() is None
    assert status.device_status().detail["paper"] == "unknown"


def test_paper_end_stop_in_offline_cause_counts_as_out_when_sensor_is_silent():
    status = PrinterStatus.from_answers({StatusQuery.PRINTER: 0x1A,
                                         StatusQuery.OFFLINE_CAUSE: 0x32,
                                         StatusQuery.ERROR_CAUSE: None})
    assert status.paper is PaperState.OUT
    assert status.online is Tristate.NO


def test_cover_open_blocks_with_a_plain_message_and_user_error_state():
    status = PrinterStatus.from_answers({StatusQuery.PRINTER: 0x1A, StatusQuery.OFFLINE_CAUSE: 0x16,
                                         StatusQuery.ERROR_CAUSE: 0x12,
                                         StatusQuery.PAPER_SENSOR: 0x12})
    event = status.device_status()
    assert status.cover_open is Tristate.YES
    assert event.state is DeviceState.USER_ERROR
    assert event.detail["cover"] == "open"
    assert event.message_key is not None and "cover is open" in event.message_key


def test_unrecoverable_error_is_a_hardware_error():
    status = PrinterStatus.from_answers({StatusQuery.PRINTER: 0x1A, StatusQuery.OFFLINE_CAUSE: 0x52,
                                         StatusQuery.ERROR_CAUSE: 0x1A,
                                         StatusQuery.PAPER_SENSOR: 0x12})
    assert status.device_status().state is DeviceState.HARDWARE_ERROR


def test_status_query_commands_are_dle_eot_n():
    assert [q.command for q in StatusQuery] == [b"\x10\x04\x01", b"\x10\x04\x02",
                                                b"\x10\x04\x03", b"\x10\x04\x04"]
