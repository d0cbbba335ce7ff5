"""e-ID failures, and the ONE place where status words and PC/SC codes become them.

Exception tree (all are :class:`drivers.base.DriverError`)::

    ReaderUnavailable (DeviceUnavailable)   pcscd down, no reader, reader unplugged
    CardAbsent (UserActionRequired)         no card in the reader
    CardRemoved (UserActionRequired)        the card left the reader during an operation
    CardNotSupported (UserActionRequired)   no profile matches the card (ATR / AID)
    CardUnreadable (ProtocolError)          mute card, bad ATR, broken answers, bad data
    CardDataInvalid (CardUnreadable)        a file is malformed or its signature is wrong
    WrongPin (UserActionRequired)           .tries_left from the card (status 63Cx)
    PinBlocked (UserActionRequired)         status 6983 / 63C0
    PinRequired (UserActionRequired)        signing before a successful VERIFY (6982)
"""

from __future__ import annotations

from smartcard.scard import (
    SCARD_E_COMM_DATA_LOST,
    SCARD_E_INVALID_HANDLE,
    SCARD_E_NO_READERS_AVAILABLE,
    SCARD_E_NO_SERVICE,
    SCARD_E_NO_SMARTCARD,
    SCARD_E_NOT_TRANSACTED,
    SCARD_E_PROTO_MISMATCH,
    SCARD_E_READER_UNAVAILABLE,
    SCARD_E_SERVICE_STOPPED,
    SCARD_E_UNKNOWN_READER,
    SCARD_F_COMM_ERROR,
    SCARD_W_REMOVED_CARD,
    SCARD_W_RESET_CARD,
    SCARD_W_UNPOWERED_CARD,
    SCARD_W_UNRESPONSIVE_CARD,
    SCARD_W_UNSUPPORTED_CARD,
    SCardGetErrorMessage,
)

from drivers.base import DeviceUnavailable, ProtocolError, UserActionRequired


class ReaderUnavailable(DeviceUnavailable):
    message_key = "The card reader is not available right now."


class CardAbsent(UserActionRequired):
    message_key = "Please insert your identity card."


class CardRemoved(UserActionRequired):
    message_key = "The card was removed. Please insert it again and leave it in the reader."


class CardNotSupported(UserActionRequired):
    message_key = "This card is not supported."


class CardUnreadable(ProtocolError):
    message_key = "The card cannot be read. Please check it is inserted the right way up."


class CardDataInvalid(CardUnreadable):
    message_key = "The data on this card cannot be trusted. Please ask for assistance."


class WrongPin(UserActionRequired):
    message_key = "The PIN is not correct."

    def __init__(self, log_text: str, tries_left: int) -> None:
        super().__init__(log_text)
        self.tries_left = tries_left


class PinBlocked(UserActionRequired):
    message_key = "The PIN of this card is blocked. The card must be unblocked at the office."


class PinRequired(UserActionRequired):
    message_key = "Please enter your PIN first."


_REMOVED = {SCARD_W_REMOVED_CARD, SCARD_E_NO_SMARTCARD, SCARD_W_RESET_CARD,
            SCARD_W_UNPOWERED_CARD}
_READER_GONE = {SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED, SCARD_E_UNKNOWN_READER,
                SCARD_E_READER_UNAVAILABLE, SCARD_E_NO_READERS_AVAILABLE, SCARD_E_INVALID_HANDLE}
_UNREADABLE = {SCARD_W_UNRESPONSIVE_CARD, SCARD_W_UNSUPPORTED_CARD, SCARD_E_PROTO_MISMATCH,
               SCARD_E_NOT_TRANSACTED, SCARD_F_COMM_ERROR, SCARD_E_COMM_DATA_LOST}


def pcsc_code_name(code: int) -> str:
    """Return PC/SC's text for a return code (for technicians' logs)."""
    return f"{SCardGetErrorMessage(code)} ({code & 0xFFFFFFFF:#010x})"


def error_for_pcsc(code: int, during: str) -> Exception:
    """Map a failed PC/SC call's return code to a typed e-ID error."""
    text = f"{during}: {pcsc_code_name(code)}"
    if code in _REMOVED:
        return CardRemoved(text)
    if code in _READER_GONE:
        return ReaderUnavailable(text)
    if code in _UNREADABLE:
        return CardUnreadable(text)
    return ReaderUnavailable(text)


def is_connection_lost(code: int) -> bool:
    """Tell whether a PC/SC code means our context or reader is gone (reconnect needed)."""
    return code in _READER_GONE


SW_OK = 0x9000
SW_EOF = frozenset({0x6B00, 0x6282})  # "offset beyond the end" as cards report it


def error_for_sw(sw: int, during: str) -> Exception:
    """Map a status word other than 9000 to a typed e-ID error."""
    text = f"{during}: status {sw:04X}"
    if sw == 0x6983 or sw == 0x63C0:
        return PinBlocked(text)
    if sw & 0xFFF0 == 0x63C0:
        return WrongPin(text, tries_left=sw & 0x000F)
    if sw in (0x6982, 0x6985):
        return PinRequired(text)
    if sw in (0x6A82, 0x6A86, 0x6D00, 0x6E00):
        return CardNotSupported(text)
    return CardUnreadable(text)


class PinFormatInvalid(UserActionRequired):
    message_key = "The PIN must have 4 to 12 digits."
