"""Interpret DLE EOT real-time status bytes per the Epson ESC/POS reference.

This is the one place where status bytes become meaning. Each answer byte has bits 1 and 4
set and bits 0 and 7 clear; a byte that breaks that rule, or no byte at all, means we
cannot tell, which is ``unknown`` -- never "ok" and never "out". (python-escpos 3.1's
``paper_status()`` reports "adequate" for silence and "no paper" for a byte it does not
recognise, so it is not used.)

    n=1 printer status    bit 3: offline
    n=2 offline cause     bit 2: cover open, bit 5: stopped by paper end, bit 6: error
    n=3 error cause       bit 2: autocutter, bit 3: unrecoverable, bit 5: auto-recoverable
    n=4 roll paper sensor bits 2+3: near end, bits 5+6: paper end (both bits of a pair move
                          together; a split pair is not a state the spec defines)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

from common.diagnosis import Diagnosis
from common.text import N_
from drivers.base import DeviceClass, DeviceState, DeviceStatus

DLE_EOT = b"\x10\x04"
_FIXED_MASK, _FIXED_VALUE = 0b1001_0011, 0b0001_0010


class StatusQuery(IntEnum):
    PRINTER = 1
    OFFLINE_CAUSE = 2
    ERROR_CAUSE = 3
    PAPER_SENSOR = 4

    @property
    def command(self) -> bytes:
        """The bytes that ask this question."""
        return DLE_EOT + bytes([self.value])


class PaperState(StrEnum):
    OK = "ok"
    LOW = "low"
    OUT = "out"
    UNKNOWN = "unknown"


class Tristate(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Fault(StrEnum):
    """What stops a printer; the value is the technician's wording."""

    PAPER_OUT = "paper ran out"
    COVER_OPEN = "cover is open"
    ERROR = "printer reported an error"


USER_MESSAGES = {
    Fault.PAPER_OUT: N_("The printer has run out of paper. Please ask a member of staff for help."),
    Fault.COVER_OPEN: N_("The printer cover is open. Please ask a member of staff to close it."),
    Fault.ERROR: N_("The printer has a fault. Please ask a member of staff for help."),
}


def _valid(byte: int | None) -> bool:
    return byte is not None and (byte & _FIXED_MASK) == _FIXED_VALUE


def _bit(byte: int | None, bit: int) -> Tristate:
    if not _valid(byte):
        return Tristate.UNKNOWN
    assert byte is not None
    return Tristate.YES if byte & (1 << bit) else Tristate.NO


def _pair(byte: int, low_bit: int) -> bool | None:
    bits = (byte >> low_bit) & 0b11
    return {0b00: False, 0b11: True}.get(bits)


def paper_from_sensor(byte: int | None) -> PaperState:
    """Read the roll-paper sensor answer (n=4); silence or an odd byte is UNKNOWN."""
    if byte is None or not _valid(byte):
        return PaperState.UNKNOWN
    end, near_end = _pair(byte, 5), _pair(byte, 2)
    if end is None or near_end is None:
        return PaperState.UNKNOWN
    if end:
        return PaperState.OUT
    return PaperState.LOW if near_end else PaperState.OK


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer told us, one field per question; UNKNOWN where it did not say."""

    online: Tristate
    paper: PaperState
    cover_open: Tristate
    error: Tristate
    answered: bool

    @classmethod
    def from_answers(cls, answers: dict[StatusQuery, int | None]) -> PrinterStatus:
        """Combine the raw answer bytes (None = no answer) into one status."""
        printer = answers.get(StatusQuery.PRINTER)
        offline = answers.get(StatusQuery.OFFLINE_CAUSE)
        error = answers.get(StatusQuery.ERROR_CAUSE)
        paper = paper_from_sensor(answers.get(StatusQuery.PAPER_SENSOR))
        if paper is PaperState.UNKNOWN and _bit(offline, 5) is Tristate.YES:
            paper = PaperState.OUT  # "printing stopped by paper end" is a definite answer
        offline_bit = _bit(printer, 3)
        online = {Tristate.YES: Tristate.NO, Tristate.NO: Tristate.YES}.get(
            offline_bit, Tristate.UNKNOWN
        )
        errors = [_bit(offline, 6), _bit(error, 3), _bit(error, 2), _bit(error, 5)]
        if Tristate.YES in errors:
            has_error = Tristate.YES
        elif Tristate.UNKNOWN in errors:
            has_error = Tristate.UNKNOWN
        else:
            has_error = Tristate.NO
        return cls(
            online=online,
            paper=paper,
            cover_open=_bit(offline, 2),
            error=has_error,
            answered=any(_valid(b) for b in answers.values()),
        )

    @classmethod
    def unreachable(cls) -> PrinterStatus:
        """The status of a printer we could not talk to at all."""
        return cls(Tristate.UNKNOWN, PaperState.UNKNOWN, Tristate.UNKNOWN, Tristate.UNKNOWN, False)

    def fault(self) -> Fault | None:
        """The condition that stops printing, most urgent first (None: none reported)."""
        if self.paper is PaperState.OUT:
            return Fault.PAPER_OUT
        if self.cover_open is Tristate.YES:
            return Fault.COVER_OPEN
        if self.error is Tristate.YES:
            return Fault.ERROR
        return None

    def blocking_message(self) -> str | None:
        """Say why a job must not start (gettext msgid), or None if it may."""
        fault = self.fault()
        return None if fault is None else USER_MESSAGES[fault]

    def device_status(self, reachable: bool = True) -> DeviceStatus:
        """Express this in the shared device vocabulary."""
        detail = {
            "paper": self.paper.value,
            "cover": _cover_word(self.cover_open),
            "online": self.online.value,
        }
        if not reachable:
            detail["link"] = "down"
            return DeviceStatus(
                DeviceClass.PRINTER,
                DeviceState.NO_DEVICE,
                detail,
                N_("The printer is not available right now."),
            )
        message = self.blocking_message()
        if message is not None:
            state = (
                DeviceState.HARDWARE_ERROR if self.error is Tristate.YES else DeviceState.USER_ERROR
            )
            return DeviceStatus(DeviceClass.PRINTER, state, detail, message)
        if self.online is Tristate.NO:
            return DeviceStatus(
                DeviceClass.PRINTER, DeviceState.OFFLINE, detail, N_("The printer is offline.")
            )
        return DeviceStatus(DeviceClass.PRINTER, DeviceState.ONLINE, detail)


def _cover_word(cover_open: Tristate) -> str:
    return {Tristate.YES: "open", Tristate.NO: "closed"}.get(cover_open, "unknown")


def status_diagnosis(status: PrinterStatus, required: bool = True) -> Diagnosis:
    """One ``kiosk doctor`` line for the paper, cover and error state."""
    summary = (f"paper {status.paper.value}, cover {_cover_word(status.cover_open)}, "
               f"online {status.online.value}")
    if not status.answered:
        return Diagnosis("printer status", False, "the printer does not answer status "
                         "queries (paper unknown)", "check that the model speaks DLE EOT",
                         required=False)
    blocking = status.blocking_message()
    if blocking is not None:
        return Diagnosis("printer status", False, summary, blocking, required)
    if status.paper is PaperState.LOW:
        return Diagnosis("printer status", False, summary, "load a new paper roll soon",
                         required=False)
    return Diagnosis("printer status", True, summary, required=required)
