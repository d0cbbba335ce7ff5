"""The contract in docs/openapi.json: up to date, and honoured by the running server.

Regenerate the file after changing the API with:
    python -m procedure_api openapi --output docs/openapi.json
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from kiosk.simulated.api import ApiServer, EnrolledKiosk, enrol_kiosk
from procedure_api.__main__ import openapi_document
from tests.api.pki import make_ca, write_pem

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
REGENERATE = "python -m procedure_api openapi --output docs/openapi.json"
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance, negative_data_rejection]
# Invalid data is refused as usual, or with 413 when it outgrows the body limit first.
REJECTIONS = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429",
              "5xx"]
schema = schemathesis.openapi.from_path(str(CONTRACT), config=SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": REJECTIONS}}}))


@pytest.fixture(scope="module")
def contract_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """A server with an e-ID CA, so no endpoint is legitimately unavailable (503)."""
    workdir = tmp_path_factory.mktemp("contract")
    with ApiServer(workdir, eid_ca=write_pem(workdir / "ca.pem", make_ca("CA"))) as server:
        yield server


@pytest.fixture(scope="module")
def contract_kiosk(contract_server: ApiServer) -> EnrolledKiosk:
    return enrol_kiosk(contract_server)


def test_committed_contract_matches_the_server() -> None:
    committed = json.loads(CONTRACT.read_text(encoding="utf-8"))
    assert committed == openapi_document(), "docs/openapi.json is stale: " + REGENERATE


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_server_honours_its_contract(
    case: schemathesis.Case, contract_server: ApiServer, contract_kiosk: EnrolledKiosk
) -> None:
    token = contract_server.staff_token if "/staff/" in case.path else contract_kiosk.token
    # Credentials go into the case itself, so that the checks judge what was really sent (a
    # case whose negation was only "no Authorization" is no longer negative once we add it).
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    case.call_and_validate(base_url=contract_server.root_url, checks=CHECKS, timeout=10)
