"""TLS verification is on by default; a private CA bundle and certificate pins work."""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.api import ApiClient, ApiOffline, ApiUntrusted
from kiosk.simulated.api import ApiServer


def _self_signed(directory: Path) -> tuple[Path, Path, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "server.pem", directory / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    pin = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()
    return cert_path, key_path, pin


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ApiServer, str]]:
    workdir = tmp_path_factory.mktemp("tls-api")
    cert, key, pin = _self_signed(workdir)
    with ApiServer(workdir, tls=(cert, key)) as server:
        yield server, pin


def _client(server: ApiServer, **options: Any) -> ApiClient:
    return ApiClient(server.base_url, connect_timeout_s=2, read_timeout_s=5, retries=0,
                     **options)


def test_unknown_certificate_is_refused_by_default(tls_server: tuple[ApiServer, str]) -> None:
    server, _ = tls_server
    with pytest.raises(ApiUntrusted):
        _client(server).health()


def test_private_ca_bundle_is_trusted(tls_server: tuple[ApiServer, str]) -> None:
    server, _ = tls_server
    assert server.tls is not None
    assert _client(server, ca_bundle=server.tls[0]).health()["status"] == "ok"


def test_matching_pin_is_accepted(tls_server: tuple[ApiServer, str]) -> None:
    server, pin = tls_server
    assert server.tls is not None
    client = _client(server, ca_bundle=server.tls[0], pinned_sha256=["0" * 64, pin])
    assert client.health()["status"] == "ok"


def test_wrong_pin_is_refused_as_untrusted(tls_server: tuple[ApiServer, str]) -> None:
    server, _ = tls_server
    assert server.tls is not None
    client = _client(server, ca_bundle=server.tls[0], pinned_sha256=["ab" * 32])
    with pytest.raises(ApiUntrusted) as error:
        client.health()
    assert isinstance(error.value, ApiOffline)  # the UI treats it as "service unavailable"
