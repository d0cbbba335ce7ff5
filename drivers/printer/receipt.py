"""The receipt as data: what the citizen takes home, independent of how it is printed.

The same :class:`Receipt` is rendered to ESC/POS (``escpos_render``), shown on screen
(``screens/widgets/receipt_preview``) and stored as JSON for a reprint (``offline_cache``).
Amounts are integer cents in the receipt's currency, written by :func:`common.money.format_money`.
The receipts themselves are built by :mod:`kiosk.receipts`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

from common.money import PESO, Money, format_money

COPY_MARK = {"es": "COPIA", "en": "COPY"}


@dataclass(frozen=True)
class ReceiptHeader:
    """Who issued the receipt, where and when."""

    municipality: str
    kiosk_id: str
    issued_at: datetime
    title: str = "Comprobante"


@dataclass(frozen=True)
class ReceiptLine:
    """One paid or requested item; ``amount_cents`` is None for a free procedure."""

    description: str
    amount_cents: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class Receipt:
    """Everything printed on one receipt, in printing order."""

    header: ReceiptHeader
    lines: tuple[ReceiptLine, ...]
    reference: str
    verification_url: str
    status_text: str = ""
    footer: tuple[str, ...] = ()
    currency: str = PESO
    locale: str = "es_CL"  # amounts as written in Chile, whatever the receipt's language
    language: str = "es"
    copy: bool = False
    show_total: bool = True  # False: nothing was paid here (a request), so no TOTAL line

    @property
    def total_cents(self) -> int:
        """Sum of the priced lines."""
        return sum(line.amount_cents or 0 for line in self.lines)

    def money(self, cents: int) -> str:
        """Format ``cents`` in this receipt's currency and locale."""
        return format_money(Money(cents, self.currency), self.locale)

    def as_copy(self) -> Receipt:
        """Return the same receipt marked as a copy (for a reprint)."""
        return replace(self, copy=True)

    @property
    def copy_mark(self) -> str:
        """The word printed on a reprint, in the receipt's language."""
        return COPY_MARK.get(self.language, COPY_MARK["en"])

    def to_json(self) -> str:
        """Serialise for the print-job store."""
        data = asdict(self)
        data["header"]["issued_at"] = self.header.issued_at.isoformat()
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Receipt:
        """Rebuild a receipt stored by :meth:`to_json`; raises ValueError if malformed."""
        try:
            data: dict[str, Any] = json.loads(text)
            header = dict(data.pop("header"))
            header["issued_at"] = datetime.fromisoformat(header["issued_at"])
            lines = tuple(ReceiptLine(**line) for line in data.pop("lines"))
            footer = tuple(data.pop("footer"))
            return cls(header=ReceiptHeader(**header), lines=lines, footer=footer, **data)
        except (KeyError, TypeError, json.JSONDecodeError) as err:
            raise ValueError(f"stored receipt is malformed: {err}") from err

