"""Build POS Integrado commands and parse the terminal's answers into typed results.

Field layouts follow Transbank's public documentation and its SDKs: fields are separated by
``|``; the sale answer (``0210``) and the last-sale answer (``0260``) share one layout::

    0 function  1 response code  2 commerce code  3 terminal id  4 ticket
    5 authorization code  6 amount  7 instalments  8 instalment amount  9 last 4 digits
    10 operation number  11 card type  12 accounting date  13 account number
    14 card brand  15 date  16 time  17 employee  18 tip  [19 voucher]

Only the ticket, amount, codes, operation number, card type and last four digits are kept;
the account number, voucher and everything else is dropped here, at the boundary.
Amounts: the terminal counts whole pesos (CLP has no minor unit in use), the kiosk counts
hundredths ("cents") everywhere, so the driver multiplies or divides by 100 here only.

Every field is checked against its documented width before it is used: a garbled or hostile
answer (a 5,000-digit amount, say) is a :class:`TerminalProtocolError`, never a Python
error that a caller could mistake for "nothing was sent".

Batch commands: totals ``0700`` -> ``0710|code|count|total`` (pesos), and the sales detail
``0260|0|``, answered with one ``0260`` frame per sale of the open batch (the sale layout
above), the last one with an empty authorization code.
"""

from __future__ import annotations

from drivers.payment import codes
from drivers.payment.base import (
    BatchTotals,
    CloseResult,
    RefundResult,
    SaleResult,
    TerminalProtocolError,
)

POLL = "0100"
SALE = "0200"
SALE_ANSWER = "0210"
LAST_SALE = "0250"
LAST_SALE_ANSWER = "0260"
CLOSE = "0500"
CLOSE_ANSWER = "0510"
TOTALS = "0700"
TOTALS_ANSWER = "0710"
DETAIL = "0260"
INTERMEDIATE = "0900"
REFUND = "1200"
REFUND_ANSWER = "1210"

MAX_TICKET = 999_999
MAX_PESOS = 999_999_999
ENCODING = "latin-1"  # the terminal speaks single-byte text; latin-1 never fails to decode


def sale_command(amount_cents: int, ticket: int, send_messages: bool = True) -> bytes:
    """Encode a sale; raise ValueError for amounts or tickets the terminal cannot take."""
    if amount_cents % 100:
        raise ValueError(f"amount {amount_cents} is not a whole number of pesos")
    pesos = amount_cents // 100
    if not 1 <= pesos <= MAX_PESOS:
        raise ValueError(f"amount {pesos} is outside 1..{MAX_PESOS}")
    if not 1 <= ticket <= MAX_TICKET:
        raise ValueError(f"ticket {ticket} is outside 1..{MAX_TICKET}")
    # fields: amount | ticket | print field | send voucher | send intermediate messages
    return f"{SALE}|{pesos}|{ticket:06d}||0|{int(send_messages)}|".encode(ENCODING)


def refund_command(operation_number: str) -> bytes:
    """Encode a refund of one operation (up to 6 digits)."""
    if not _digits(operation_number) or len(operation_number) > 6:
        raise ValueError("operation number must be 1 to 6 digits")
    return f"{REFUND}|{operation_number}|".encode(ENCODING)


def simple_command(function: str) -> bytes:
    """Encode poll, last sale, close, totals or the sales detail (never printed there)."""
    return {POLL: b"0100", LAST_SALE: b"0250|", CLOSE: b"0500||", TOTALS: b"0700||",
            DETAIL: b"0260|0|"}[function]


def function_of(data: bytes) -> str:
    """Return the 4-digit function code a frame starts with."""
    return data[:4].decode(ENCODING)


def fields_of(data: bytes, expected: str, minimum: int) -> list[str]:
    """Split an answer and check its function code and field count."""
    fields = data.decode(ENCODING).split("|")
    if fields[0] != expected:
        raise TerminalProtocolError(f"expected answer {expected}, got {fields[0][:8]!r}")
    if len(fields) < minimum:
        raise TerminalProtocolError(f"answer {expected} has {len(fields)} fields, need {minimum}")
    return fields


def parse_intermediate(data: bytes) -> str:
    """Return the citizen's msgid for an intermediate 0900 message."""
    fields = data.decode(ENCODING).split("|")
    return codes.progress_message(fields[1] if len(fields) > 1 else "")


def parse_sale(data: bytes, expected: str = SALE_ANSWER) -> SaleResult | None:
    """Parse a 0210 / 0260 answer; None for "no sale stored"; raise if unacceptable."""
    fields = fields_of(data, expected, 2)
    code = _code(fields[1])
    meaning = codes.meaning(code)
    if meaning.outcome is codes.Outcome.NO_SALE and expected == LAST_SALE_ANSWER:
        return None
    fields = fields_of(data, expected, 12)
    approved = code == codes.APPROVED_CODE
    authorization = _text(fields[5])
    operation = _text(fields[10])
    if approved and (authorization is None or operation is None):
        raise TerminalProtocolError("approved answer without authorization code or operation")
    return SaleResult(
        ticket=_ticket(fields[4]),
        amount_cents=_pesos(fields[6]) * 100,
        approved=approved,
        outcome=meaning.outcome,
        response_code=code,
        message_key=meaning.message_key,
        authorization_code=authorization if approved else None,
        operation_number=operation if approved else None,
        card_type=_text(fields[11]) if approved else None,
        card_last4=_last4(fields[9]) if approved else None,
        terminal_id=_text(fields[3]),
    )


def parse_totals(data: bytes) -> BatchTotals:
    """Parse a 0710 answer: how many sales and how much since the last close."""
    fields = fields_of(data, TOTALS_ANSWER, 4)
    code = _code(fields[1])
    if code != codes.APPROVED_CODE:
        raise TerminalProtocolError(f"totals refused with code {code}")
    return BatchTotals(_number(fields[2], 6), _number(fields[3], 12) * 100)


def parse_detail_line(data: bytes) -> SaleResult | None:
    """Parse one 0260 frame of the sales detail; None for the closing frame."""
    fields = fields_of(data, DETAIL, 12)
    if _text(fields[5]) is None:
        return None
    return parse_sale(data, DETAIL)


def parse_refund(data: bytes) -> RefundResult:
    """Parse a 1210 answer."""
    fields = fields_of(data, REFUND_ANSWER, 6)
    code = _code(fields[1])
    approved = code == codes.APPROVED_CODE
    return RefundResult(approved, code, codes.meaning(code).message_key,
                        _text(fields[4]) if approved else None, _text(fields[5]))


def parse_close(data: bytes) -> CloseResult:
    """Parse a 0510 answer."""
    fields = fields_of(data, CLOSE_ANSWER, 2)
    code = _code(fields[1])
    return CloseResult(code == codes.APPROVED_CODE, code, codes.meaning(code).message_key)


def _code(text: str) -> str:
    if len(text) != 2 or not _digits(text):
        raise TerminalProtocolError(f"response code {text[:8]!r} is not two digits")
    return text


# Widest value each field may carry; anything longer is a broken or hostile answer.
MAX_TEXT = 40  # authorization code, operation number, card type, dates
MAX_ACCOUNT = 24  # last-four field (the terminal may pad it)


def _bounded(text: str, width: int) -> str:
    stripped = text.strip()
    if len(stripped) > width:
        raise TerminalProtocolError(f"field of {len(stripped)} characters (at most {width})")
    return stripped


def _text(text: str) -> str | None:
    return _bounded(text, MAX_TEXT) or None


def _number(text: str, width: int) -> int:
    stripped = _bounded(text, width)
    if not _digits(stripped):
        raise TerminalProtocolError(f"field {stripped[:12]!r} is not a number")
    return int(stripped)


def _ticket(text: str) -> int:
    stripped = _bounded(text, 6)
    return int(stripped) if _digits(stripped) else 0  # 0: not one of our tickets


def _pesos(text: str) -> int:
    return _number(text, len(str(MAX_PESOS)))


def _last4(text: str) -> str | None:
    stripped = _bounded(text, MAX_ACCOUNT)
    return stripped[-4:] if len(stripped) >= 4 and _digits(stripped[-4:]) else None


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()
