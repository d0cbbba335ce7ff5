"""Money: one formatter for every screen and receipt, and whole pesos before any sale."""

from __future__ import annotations

import pytest

from common.money import AmountError, Money, format_money, total


@pytest.mark.parametrize(("money", "locale", "text"), [
    (Money(1_500_00), "es", "$1.500"),
    (Money(1_500_00), "es_CL", "$1.500"),
    (Money(12_345_678_00), "es", "$12.345.678"),
    (Money(1_500_00), "en", "CLP 1,500"),  # never "$1.500": a reader of English sees dollars
    (Money(0), "en", "CLP 0"),
    (Money(1_234_56, "EUR"), "es_ES", "1.234,56 €"),
    (Money(1_234_56, "EUR"), "en", "€1,234.56"),  # a symbol takes no space
])
def test_amounts_are_written_as_readers_of_each_language_expect(money, locale, text):
    assert format_money(money, locale) == text


def test_a_sale_in_pesos_must_be_whole_pesos_and_positive():
    assert Money(1_500_00).for_sale() == Money(1_500_00)
    for cents in (1_500_50, 1, 0, -100):
        with pytest.raises(AmountError, match="whole CLP units"):
            Money(cents).for_sale()


def test_a_sale_in_a_currency_with_cents_may_have_cents():
    assert Money(12_50, "EUR").for_sale() == Money(12_50, "EUR")


def test_the_total_of_bills_is_their_sum_in_one_currency():
    assert total([Money(1_000_00), Money(2_500_00)]) == Money(3_500_00)
    assert total([]) == Money(0)
    with pytest.raises(ValueError, match="EUR"):
        total([Money(100), Money(100, "EUR")])
