"""Independent check: OpenSC's own tools accept the virtual card as a Belgian eID."""

from __future__ import annotations

import hashlib
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import Encoding

from kiosk.simulated.pcsc import VIRTUAL_READER
from tests.fixtures.eid import CITIZENS

pytestmark = pytest.mark.pcsc


def _run(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run an OpenSC tool on the virtual reader (opensc-tool spells the option -r)."""
    reader = ["-r", VIRTUAL_READER] if args[0] == "opensc-tool" else ["--reader", VIRTUAL_READER]
    return subprocess.run([*args, *reader], capture_output=True, timeout=60, check=True)


def test_opensc_tool_names_the_card_a_belpic_card(card):
    result = _run("opensc-tool", "--name")
    assert result.stdout.decode().strip() == "Belpic cards"


def test_pkcs15_tool_reads_the_same_auth_certificate_as_our_driver(card, reader):
    ours = reader.read_auth_certificate()
    listing = _run("pkcs15-tool", "--list-certificates").stdout.decode()
    assert "X.509 Certificate [Authentication]" in listing and "ID             : 02" in listing
    pem = _run("pkcs15-tool", "--read-certificate", "02").stdout.decode()
    theirs = x509.load_pem_x509_certificate(pem.encode()).public_bytes(Encoding.DER)
    assert theirs == ours


def test_pkcs15_tool_lists_the_pin_with_the_belpic_reference(card):
    listing = _run("pkcs15-tool", "--list-pins").stdout.decode()
    assert "Basic PIN" in listing and "Reference      : 1" in listing


def test_opensc_signs_with_the_auth_key_and_our_certificate_verifies_it(card, tmp_path):
    digest_file, signature_file = tmp_path / "digest.bin", tmp_path / "signature.bin"
    digest_file.write_bytes(hashlib.sha256(b"kiosk").digest())
    _run("pkcs15-crypt", "--sign", "--key", "02", "--pkcs1", "--sha-256",
         "--input", str(digest_file), "--output", str(signature_file), "--pin", CITIZENS[0].pin)
    pem = _run("pkcs15-tool", "--read-certificate", "02").stdout
    key = x509.load_pem_x509_certificate(pem).public_key()
    key.verify(signature_file.read_bytes(), b"kiosk", padding.PKCS1v15(), hashes.SHA256())


def test_opensc_wrong_pin_costs_a_try_on_the_card(card):
    result = subprocess.run(["pkcs15-tool", "--reader", VIRTUAL_READER, "--verify-pin",
                             "--auth-id", "01", "--pin", "0000"], capture_output=True, timeout=60)
    assert result.returncode != 0
    assert card.status()["tries_left"] == 2
