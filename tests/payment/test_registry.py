"""The configured terminal type builds the real driver with the configured link settings."""

from __future__ import annotations

import pytest

from drivers.payment.registry import open_terminal
from drivers.payment.transbank import TransbankTerminal
from kiosk.settings import load_settings
from tests.fixtures.terminal import TerminalLine


def test_default_config_builds_a_transbank_driver_that_talks_to_the_terminal(
        terminal_line: TerminalLine) -> None:
    section = load_settings().devices.payment
    options = section.model_dump(exclude={"type", "required"})
    options["port"] = terminal_line.pair.kiosk_end
    terminal = open_terminal(section.type, **options)
    assert isinstance(terminal, TransbankTerminal)
    try:
        assert (terminal.ack_timeout_s, terminal.response_timeout_s, terminal.max_attempts) == (
            section.ack_timeout_s, section.response_timeout_s, section.max_attempts)
        assert terminal.diagnose().ok
    finally:
        terminal.close()


def test_type_none_builds_nothing_and_an_unknown_type_is_refused() -> None:
    options = {"port": "x", "baudrate": 9600, "ack_timeout_s": 1.0,
               "response_timeout_s": 1.0, "max_attempts": 3}
    assert open_terminal("none", **options) is None
    with pytest.raises(ValueError, match="unknown payment terminal type"):
        open_terminal("ingenico", **options)
