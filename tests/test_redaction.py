"""No PIN, card number, national ID number or name can reach a log line."""

from __future__ import annotations

import logging

import pytest

from kiosk.logging_setup import configure_logging
from kiosk.redaction import REDACTOR, Redactor, RememberedValues


@pytest.fixture
def redactor():
    return Redactor()


@pytest.fixture(autouse=True)
def _restore_root_logging():
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    for handler in saved:
        root.addHandler(handler)
    root.setLevel(level)


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("verify pin=1234 for card", "1234"),
        ('payload {"pin": "987654", "ok": true}', "987654"),
        ("PIN: 2580 entered", "2580"),
        ("charged card 4111 1111 1111 1111 ok", "4111 1111 1111 1111"),
        ("charged card 5500-0000-0000-0004", "5500-0000-0000-0004"),
        ("pan=4012888888881881", "4012888888881881"),
        ("identity read: 65031200353", "65031200353"),
        ("national number 65.03.12-003.53", "65.03.12-003.53"),
        ("rut 12.345.678-5 looked up", "12.345.678-5"),
        ("dni 12345678Z looked up", "12345678Z"),
        ("curp GARM650312MSRRRR09 found", "GARM650312MSRRRR09"),
        ("national_number='65031200353'", "65031200353"),
        ("surname=García given_names='María José'", "María José"),
        ('{"name": "José Ángel Núñez", "amount": 1500}', "José Ángel Núñez"),
        ("address: Calle_Peñón_22", "Calle_Peñón_22"),
    ],
)
def test_patterns_remove_personal_data(redactor, line, secret):
    cleaned = redactor.redact(line)
    assert secret not in cleaned
    assert "[REDACTED]" in cleaned


def test_ordinary_operational_data_survives(redactor):
    line = "payment ticket 000042 amount_cents=15000 state=authorized after 2.5 s"
    assert redactor.redact(line) == line


def test_remembered_session_names_are_removed_until_forgotten(redactor):
    redactor.remember("María José", "García Pérez")
    cleaned = redactor.redact("Hello maría josé GARCÍA PÉREZ, welcome; García again")
    for word in ("María", "maría", "josé", "GARCÍA", "PÉREZ", "García"):
        assert word not in cleaned
    redactor.forget_all()
    assert "García" in redactor.redact("García")


def test_remembered_words_are_redacted_as_words_not_inside_other_words(redactor):
    redactor.remember("Calle de los Álamos 14")
    cleaned = redactor.redact("Closing the session of Calle de los Álamos 14; los Álamos again")
    assert cleaned.startswith("Closing the session of ")
    assert "Álamos" not in cleaned and " los " not in cleaned


def test_the_next_citizens_values_replace_the_last_ones_which_stay_with_their_scope(redactor):
    last = RememberedValues()
    redactor.serve(last)
    redactor.remember("García Pérez")
    assert redactor.redact("García") == "[REDACTED]"
    redactor.serve(RememberedValues())  # the wipe: a new citizen's scope
    assert redactor.redact("García") == "García"
    assert "García" in last.current()  # dropped with the last citizen's scope, not shared


def test_log_file_never_receives_personal_data(tmp_path):
    path = configure_logging(tmp_path, "DEBUG", console=False)
    logger = logging.getLogger("kiosk.test")
    REDACTOR.remember("Emily Rose", "Smith")
    try:
        logger.info("citizen %s %s read, national number %s", "Emily Rose", "Smith",
                    "87010205768")
        logger.debug("VERIFY pin=%s", "1111")
        try:
            raise ValueError("card 4111111111111111 rejected for Smith")
        except ValueError:
            logger.exception("sale failed")
    finally:
        REDACTOR.forget_all()
        for handler in logging.getLogger().handlers:
            handler.flush()
    text = path.read_text(encoding="utf-8")
    for secret in ("Emily", "Smith", "87010205768", "1111", "4111111111111111"):
        assert secret not in text
    assert "sale failed" in text and "ValueError" in text  # the traceback is still there
    assert text.count("[REDACTED]") >= 5


def test_log_directory_is_not_world_readable(tmp_path):
    configure_logging(tmp_path / "logs", console=False)
    assert (tmp_path / "logs").stat().st_mode & 0o007 == 0
