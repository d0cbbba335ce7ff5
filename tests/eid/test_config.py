"""The e-ID reader is chosen by config; the demo config points at the vpcd slot."""

from __future__ import annotations

import pytest

from drivers.eid import build_eid_reader
from drivers.eid.reader import PcscEidReader
from kiosk.settings import PROJECT_ROOT, load_settings
from kiosk.simulated.pcsc import VIRTUAL_READER


def test_type_none_builds_no_reader():
    assert build_eid_reader("none") is None


def test_type_pcsc_builds_the_pcsc_reader_for_the_configured_slot():
    settings = load_settings(PROJECT_ROOT / "config" / "demo.toml").devices.eid
    reader = build_eid_reader(settings.type, settings.reader, settings.poll_timeout_s)
    assert isinstance(reader, PcscEidReader)
    assert settings.reader == VIRTUAL_READER
    reader.worker.close()


def test_unknown_type_is_refused():
    with pytest.raises(ValueError, match="unknown e-ID reader type"):
        build_eid_reader("nfc")
