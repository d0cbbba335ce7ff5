"""Independent check: OpenSC's own tools accept the virtual card as a Belgian eID."""

from __future__ import annotations

import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from tests.rig.pcsc import VIRTUAL_READER

pytestmark = pytest.mark.pcsc


def _run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*args, "--reader", VIRTUAL_READER] if args[0] == "pkcs15-tool"
                          else [*args, "-r", VIRTUAL_READER],
                          capture_output=True, timeout=60, check=True)


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
