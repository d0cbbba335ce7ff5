"""The receipt model: money formatting, JSON round trip, copies, and a layout that fits."""

from __future__ import annotations

from dataclasses import replace

import pytest

from common.money import Money, format_money
from drivers.printer.layout import TextBlock, layout
from drivers.printer.receipt import Receipt, ReceiptLine


@pytest.mark.parametrize(
    ("cents", "currency", "locale", "text"),
    [
        (12_345_00, "CLP", "es_CL", "$12.345"),
        (0, "CLP", "es_CL", "$0"),
        (1_234_56, "EUR", "es_ES", "1.234,56 €"),
        (12_345_67, "EUR", "es_ES", "12.345,67 €"),
    ],
)
def test_amounts_are_formatted_for_the_locale(cents, currency, locale, text):
    assert format_money(Money(cents, currency), locale) == text


def test_receipt_survives_a_json_round_trip(typical_receipt):
    assert Receipt.from_json(typical_receipt.to_json()) == typical_receipt


def test_malformed_stored_receipt_raises_value_error():
    with pytest.raises(ValueError, match="malformed"):
        Receipt.from_json('{"header": {}}')


def test_copy_is_marked_in_its_language(typical_receipt):
    copy = typical_receipt.as_copy()
    texts = [b.text for b in layout(copy, 42) if isinstance(b, TextBlock)]
    assert texts[0].strip() == "COPIA" and texts[-1] == "*** COPIA ***"
    assert not any("COPIA" in b.text for b in layout(typical_receipt, 42)
                   if isinstance(b, TextBlock))


@pytest.mark.parametrize("width", [32, 42, 48])
def test_every_line_fits_the_paper(typical_receipt, width):
    for block in layout(typical_receipt, width):
        if isinstance(block, TextBlock):
            assert len(block.text) * (2 if block.double else 1) <= width, block


def test_total_is_the_sum_of_the_lines(typical_receipt):
    assert typical_receipt.total_cents == 12_345_00 + 8_990_00
    total = [b.text for b in layout(typical_receipt, 42)
             if isinstance(b, TextBlock) and b.text.startswith("TOTAL")]
    assert total == ["TOTAL" + " " * 9 + "$21.335"]  # 21 double-width columns = 42


def test_free_procedure_receipt_says_no_charge_in_english(typical_receipt):
    receipt = replace(typical_receipt, language="en",
                      lines=(ReceiptLine("Certificate of no property-tax debt"),))
    texts = [b.text for b in layout(receipt, 42) if isinstance(b, TextBlock)]
    assert "TOTAL       No charge" in texts
    assert any(t.startswith("Kiosk: kiosk-demo-01") for t in texts)
    assert "Check this receipt at:" in texts
    assert not any("$" in t for t in texts)
