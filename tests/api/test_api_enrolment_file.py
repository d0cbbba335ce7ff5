"""The technician's enrolment step: code in, token saved privately, reused after restart."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kiosk.api import ApiRejected
from kiosk.enrolment import EnrolmentFileError, enrol, load_enrolment, use_saved_or_enrol
from kiosk.simulated.api import ApiServer


def test_enrolment_is_saved_privately_and_works_after_restart(
    api_server: ApiServer, tmp_path: Path
) -> None:
    path = tmp_path / "data" / "enrolment.json"
    assert load_enrolment(path) is None
    code = api_server.new_enrolment_code("kiosk-file-test")
    enrol(api_server.client(), code, "kiosk-file-test", path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = load_enrolment(path)
    assert saved is not None and saved["kiosk_id"] == "kiosk-file-test"
    assert api_server.client(saved["token"]).catalog().catalog is not None


def test_saved_enrolment_is_reused_without_spending_a_code(
    api_server: ApiServer, tmp_path: Path
) -> None:
    path, code = tmp_path / "enrolment.json", api_server.new_enrolment_code("kiosk-reuse")
    first = use_saved_or_enrol(api_server.client(), path, code, "kiosk-reuse")
    client = api_server.client()
    again = use_saved_or_enrol(client, path, code, "kiosk-reuse")  # the code is used up
    assert again == first and client.token == first["token"]
    assert client.debts(plate="VE0001")


def test_wrong_code_leaves_no_file(api_server: ApiServer, tmp_path: Path) -> None:
    path = tmp_path / "enrolment.json"
    with pytest.raises(ApiRejected):
        enrol(api_server.client(), "WRONG-CODE", "kiosk-x", path)
    assert not path.exists()


@pytest.mark.parametrize("content", ["{broken", '{"kiosk_id": "k"}', "[]"])
def test_damaged_enrolment_file_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "enrolment.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EnrolmentFileError, match="enrolment file"):
        load_enrolment(path)
