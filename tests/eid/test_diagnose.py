"""`kiosk doctor` lines for the e-ID reader reflect pcscd, the reader and the card."""

from __future__ import annotations

import pytest

from drivers.eid.diagnose import diagnose_pcsc
from tests.fixtures.eid import card_is

pytestmark = pytest.mark.pcsc


def test_healthy_reader_with_a_recognised_card_diagnoses_all_ok(reader):
    lines = reader.diagnose()
    assert [line.part for line in lines] == ["e-ID pcscd", "e-ID reader", "e-ID card"]
    assert all(line.ok for line in lines), [line.line() for line in lines]
    assert "belpic" in lines[-1].summary


def test_missing_card_is_a_warning_not_a_failure(reader, card, statuses):
    card.remove()
    statuses.wait_for(card_is("absent"))
    card_line = reader.diagnose()[-1]
    assert not card_line.ok and not card_line.required
    assert card_line.line().startswith("[warn]")


def test_reader_name_that_matches_nothing_fails_with_an_action(pcscd):
    lines = diagnose_pcsc("No Such Reader", None)
    assert lines[0].ok and not lines[1].ok
    assert "plug the card reader in" in lines[1].action


def test_pcscd_down_fails_the_first_line(pcscd):
    pcscd.stop()
    try:
        lines = diagnose_pcsc("", None)
    finally:
        pcscd.start()
    assert len(lines) == 1 and not lines[0].ok
    assert "pcscd" in lines[0].action
