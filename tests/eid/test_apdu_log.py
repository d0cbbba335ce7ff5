"""The virtual card's APDU log: what the kiosk asked the card, and never a PIN.

Through pcscd + vpcd with our driver: a read before consent leaves the address file alone,
the address read after it shows in the log, and a VERIFY is logged by its header only.
"""

from __future__ import annotations

import json

import pytest

from drivers.eid.errors import WrongPin
from drivers.eid.reader import PcscEidReader
from drivers.eid.virtual_card.control import VirtualCardClient
from tests.fixtures.eid import CITIZENS

pytestmark = pytest.mark.pcsc
IDENTITY, ADDRESS = "3F00DF014031", "3F00DF014033"


def _read(log: list[dict[str, object]]) -> set[str]:
    return {str(entry["file"]) for entry in log if entry["ins"] == "read_binary"}


def test_the_log_shows_the_address_read_only_when_asked(
        reader: PcscEidReader, card: VirtualCardClient) -> None:
    card.reset_apdu_count()
    assert reader.read_identity(include_address=False).address is None
    before = card.apdu_log()
    assert IDENTITY in _read(before) and ADDRESS not in _read(before)
    assert [entry["n"] for entry in before] == list(range(1, len(before) + 1))
    assert reader.read_identity(include_address=True).address is not None
    assert ADDRESS in _read(card.apdu_log(since=len(before)))
    assert card.apdu_log(since=int(card.status()["apdu_count"])) == []


def test_a_verify_is_logged_without_the_pin(
        reader: PcscEidReader, card: VirtualCardClient) -> None:
    card.reset_apdu_count()
    with pytest.raises(WrongPin):
        reader.verify_pin(bytearray(b"9876"))
    (entry,) = card.apdu_log()
    assert entry["ins"] == "verify" and set(entry) == {"n", "ins", "p1p2", "file"}
    text = json.dumps(card.apdu_log())
    assert "9876" not in text and "39383736" not in text.upper()
    assert CITIZENS[0].national_number not in text
