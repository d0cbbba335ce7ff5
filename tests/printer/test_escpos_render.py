"""The ESC/POS bytes: explicit code page, Spanish letters on the right bytes, symbols."""

from __future__ import annotations

import logging
from dataclasses import replace

from escpos.printer import Dummy

from drivers.printer.driver import receipt_bytes
from drivers.printer.escpos_render import encode_text, render_receipt
from drivers.printer.profile import profile_from_settings
from drivers.printer.symbols import qr_image, qr_module_for
from kiosk.settings import PrinterSection

# CP858 (IBM PC Multilingual with euro): byte for each character, from the code page chart
CP858 = {"á": 0xA0, "é": 0x82, "í": 0xA1, "ó": 0xA2, "ú": 0xA3, "ü": 0x81, "ñ": 0xA4,
         "Ñ": 0xA5, "¿": 0xA8, "¡": 0xAD, "€": 0xD5}


def test_code_page_is_selected_explicitly_before_any_text(typical_receipt):
    data = receipt_bytes(typical_receipt, profile_from_settings(PrinterSection(codepage="CP858")))
    assert data.startswith(b"\x1b@\x1bt\x13")  # ESC @, then ESC t 19 (CP858)
    assert data.count(b"\x1bt") == 1  # never switched behind our back


def test_spanish_letters_and_euro_land_on_cp858_bytes():
    profile = profile_from_settings(PrinterSection(codepage="CP858"))
    for char, byte in CP858.items():
        assert encode_text(char, profile) == bytes([byte]), char


def test_cp850_prints_spanish_and_marks_the_missing_euro():
    profile = profile_from_settings(PrinterSection(codepage="CP850"))
    assert profile.codepage_number == 2
    assert encode_text("Añó ¿¡ $", profile) == b"A\xa4\xa2 \xa8\xad $"
    assert encode_text("€", profile) == b"?"


def test_native_profile_sends_gs_paren_k_qr_and_gs_k_code128(typical_receipt):
    profile = profile_from_settings(PrinterSection(native_qr=True, native_barcode=True))
    data = receipt_bytes(typical_receipt, profile)
    url = typical_receipt.verification_url.encode()
    assert b"\x1d(k" + bytes([len(url) + 3, 0]) + b"1P0" + url in data
    assert b"\x1dkI" + bytes([len(typical_receipt.reference) + 2]) + b"{B" + \
        typical_receipt.reference.encode() in data
    assert b"\x1dv0" not in data


def test_image_profile_sends_raster_images_instead(typical_receipt):
    profile = profile_from_settings(PrinterSection(native_qr=False, native_barcode=False))
    data = receipt_bytes(typical_receipt, profile)
    assert data.count(b"\x1dv0") == 2
    assert b"\x1d(k" not in data and b"\x1dkI" not in data


def test_receipt_ends_with_feed_and_full_cut(typical_receipt):
    dummy = Dummy(profile="TM-T20II")
    render_receipt(dummy, typical_receipt, profile_from_settings(PrinterSection()))
    assert dummy.output.endswith(b"\x1bd\x06\x1dV\x00")


def test_reference_too_long_for_a_barcode_is_printed_as_text_and_logged(
        typical_receipt, caplog):
    long_reference = "PAG-2026-000123-ANEXO-7"
    receipt = replace(typical_receipt, reference=long_reference)
    with caplog.at_level(logging.WARNING):
        data = receipt_bytes(receipt, profile_from_settings(PrinterSection()))
    assert b"\x1dkI" not in data  # no barcode the paper cannot hold
    assert data.count(long_reference.encode()) >= 2  # reference line and the barcode's place
    assert "too long for a barcode" in caplog.text and long_reference not in caplog.text


def test_very_long_verification_url_gets_smaller_qr_modules_not_a_squashed_image():
    url = "https://tramites.example.gob/verificar/" + "a" * 600
    profile = profile_from_settings(PrinterSection(native_qr=False))
    assert qr_module_for(url, profile.width_dots, 6) < 6
    module = qr_module_for(url, profile.width_dots, 6)
    assert qr_image(url, module).width <= profile.width_dots
