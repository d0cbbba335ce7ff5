"""The one place where POS Integrado response codes become typed outcomes and plain text.

Codes and their meanings come from Transbank's public "POS Integrado" documentation (the
same table ships in the vendor SDKs). A sale is approved only with code ``00``; every other
final code is a definite "not charged". Codes 78-88 only ever arrive in intermediate
``0900`` messages and describe what the citizen must do at the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from common.text import N_


class Outcome(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"  # the bank or the card said no
    CANCELLED = "cancelled"  # the citizen cancelled at the terminal
    CARD_ERROR = "card_error"  # card unreadable, unsupported or invalid
    TERMINAL_ERROR = "terminal_error"  # terminal needs attention (close day, keys, paper ...)
    HOST_UNREACHABLE = "host_unreachable"  # the terminal could not reach the bank
    NO_SALE = "no_sale"  # "last sale" asked but the terminal holds none


@dataclass(frozen=True)
class CodeMeaning:
    outcome: Outcome
    message_key: str  # gettext msgid for the citizen
    log_text: str  # for technicians


_DECLINED = N_("Your card was declined. No money was taken.")
_CANCELLED = N_("The payment was cancelled. No money was taken.")
_CARD = N_("The terminal could not read your card. No money was taken. Please try again.")
_TERMINAL = N_("The card terminal needs attention. No money was taken. Please ask for help.")
_HOST = N_("The bank could not be reached. No money was taken. Please try again later.")

_TABLE: dict[int, CodeMeaning] = {
    0: CodeMeaning(Outcome.APPROVED, N_("Payment approved."), "approved"),
    1: CodeMeaning(Outcome.DECLINED, _DECLINED, "declined"),
    2: CodeMeaning(Outcome.HOST_UNREACHABLE, _HOST, "host does not answer"),
    3: CodeMeaning(Outcome.HOST_UNREACHABLE, _HOST, "connection failed"),
    4: CodeMeaning(Outcome.DECLINED, _DECLINED, "transaction already refunded"),
    5: CodeMeaning(Outcome.DECLINED, _DECLINED, "no transaction to refund"),
    6: CodeMeaning(Outcome.CARD_ERROR, _CARD, "card not supported"),
    7: CodeMeaning(Outcome.CANCELLED, _CANCELLED, "cancelled at the terminal"),
    8: CodeMeaning(Outcome.DECLINED, _DECLINED, "debit transaction cannot be refunded"),
    9: CodeMeaning(Outcome.CARD_ERROR, _CARD, "card read error"),
    10: CodeMeaning(Outcome.DECLINED, _DECLINED, "amount below the minimum"),
    11: CodeMeaning(Outcome.NO_SALE, _TERMINAL, "no sale stored"),
    12: CodeMeaning(Outcome.TERMINAL_ERROR, _TERMINAL, "transaction not supported"),
    13: CodeMeaning(Outcome.TERMINAL_ERROR, _TERMINAL, "must run close of day"),
    14: CodeMeaning(Outcome.HOST_UNREACHABLE, _HOST, "no dial tone"),
    16: CodeMeaning(Outcome.HOST_UNREACHABLE, _HOST, "host answer malformed"),
    17: CodeMeaning(Outcome.CARD_ERROR, _CARD, "last four digits mismatch"),
    20: CodeMeaning(Outcome.CARD_ERROR, _CARD, "invalid card"),
    21: CodeMeaning(Outcome.DECLINED, _DECLINED, "refund not allowed"),
    22: CodeMeaning(Outcome.CANCELLED, _CANCELLED, "terminal timed out waiting for the card"),
    24: CodeMeaning(Outcome.TERMINAL_ERROR, _TERMINAL, "terminal printer out of paper"),
    26: CodeMeaning(Outcome.TERMINAL_ERROR, _TERMINAL, "terminal must load keys"),
    27: CodeMeaning(Outcome.TERMINAL_ERROR, _TERMINAL, "terminal must update"),
    62: CodeMeaning(Outcome.TERMINAL_ERROR, _TERMINAL, "internal PIN pad problem"),
    65: CodeMeaning(Outcome.HOST_UNREACHABLE, _HOST, "error processing the host answer"),
    67: CodeMeaning(Outcome.TERMINAL_ERROR, _TERMINAL, "too many sales, must run close"),
    72: CodeMeaning(Outcome.DECLINED, _DECLINED, "amount must be above zero"),
    73: CodeMeaning(Outcome.TERMINAL_ERROR, _TERMINAL, "terminal id not configured"),
    74: CodeMeaning(Outcome.TERMINAL_ERROR, _TERMINAL, "must run close"),
    76: CodeMeaning(Outcome.TERMINAL_ERROR, _TERMINAL, "too many sales, must run close"),
    77: CodeMeaning(Outcome.TERMINAL_ERROR, _TERMINAL, "must run close"),
    93: CodeMeaning(Outcome.DECLINED, _DECLINED, "declined"),
    94: CodeMeaning(Outcome.HOST_UNREACHABLE, _HOST, "error processing the answer"),
}
_UNLISTED = CodeMeaning(Outcome.TERMINAL_ERROR, _TERMINAL, "unlisted response code")

# Intermediate 0900 messages: what the citizen is asked to do at the terminal right now.
_PROGRESS: dict[int, str] = {
    78: N_("Insert or tap your card"),
    79: N_("Confirm the amount on the terminal"),
    80: N_("Choose the number of instalments on the terminal"),
    81: N_("Enter your PIN on the terminal"),
    82: N_("Contacting your bank, please wait"),
    83: N_("Choose credit or debit on the terminal"),
    84: N_("Insert or tap your card"),
    85: N_("Choose the number of instalments on the terminal"),
    86: N_("Enter the number of instalments on the terminal"),
    87: N_("Confirm the instalments on the terminal"),
}
PROGRESS_FALLBACK = N_("Follow the instructions on the terminal")

APPROVED_CODE = "00"


def meaning(code: str) -> CodeMeaning:
    """Map a two-digit response code to its outcome; unknown codes are terminal errors."""
    try:
        return _TABLE.get(int(code), _UNLISTED)
    except ValueError:
        return _UNLISTED


def progress_message(code: str) -> str:
    """Map an intermediate-message code to the msgid shown to the citizen."""
    try:
        return _PROGRESS.get(int(code), PROGRESS_FALLBACK)
    except ValueError:
        return PROGRESS_FALLBACK
