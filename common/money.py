"""Money: integer cents with an ISO 4217 currency, one formatter, and the rule for a sale.

Amounts are counted in hundredths ("cents") everywhere, whatever the currency: the API and
the journal store ``amount_cents``. A currency whose smallest unit is bigger than a cent
(the Chilean peso has no cents, CLDR gives it 0 digits) can only be charged in whole
units: :meth:`Money.for_sale` says so before any journal row is written, the card terminal
would refuse it later.

:func:`format_money` is the only formatter: Spanish as Chileans write pesos (``$1.500``),
English with the currency code so no reader takes pesos for dollars (``CLP 1,500``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision

PESO = "CLP"  # the kiosk's currency: the API takes payments in Chilean pesos only
# The kiosk's languages, written as Chileans read money; a full locale passes unchanged.
LOCALES = {"es": "es_CL", "en": "en"}
# CLDR currencySpacing, which Babel does not apply: a currency written with letters gets a
# space before an adjacent digit ("CLP1,500" -> "CLP 1,500"); symbols ($, €) do not.
_CODE_BEFORE_DIGIT = re.compile(r"(?<=[A-Z])(?=\d)")


class AmountError(ValueError):
    """An amount that cannot be charged (technician text; the caller words it for citizens)."""


@dataclass(frozen=True, order=True)
class Money:
    """An amount in hundredths of ``currency`` (ISO 4217 code)."""

    cents: int
    currency: str = PESO

    def __add__(self, other: Money) -> Money:
        """Add an amount of the same currency; ValueError for another currency."""
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.cents + other.cents, self.currency)

    @property
    def units(self) -> Decimal:
        """The amount in whole units of its currency (pesos, euros), exactly."""
        return Decimal(self.cents) / 100

    def for_sale(self) -> Money:
        """Return this amount as a card sale; AmountError if not positive whole units."""
        step = 10 ** max(0, 2 - get_currency_precision(self.currency))
        if self.cents <= 0 or self.cents % step:
            raise AmountError(f"{self.cents} cents of {self.currency} is not a positive "
                              f"amount in whole {self.currency} units")
        return self


def total(amounts: Iterable[Money], currency: str = PESO) -> Money:
    """Sum ``amounts`` (all in ``currency``; nothing to sum is zero)."""
    return sum(amounts, Money(0, currency))


def format_money(money: Money, locale: str = "es") -> str:
    """Write ``money`` for ``locale``: a kiosk language (es, en) or a full locale (es_ES)."""
    text = format_currency(money.units, money.currency, locale=LOCALES.get(locale, locale))
    text = text.replace("\xa0", " ").replace("\u202f", " ")  # paper and fonts: plain spaces
    return _CODE_BEFORE_DIGIT.sub(" ", text)
