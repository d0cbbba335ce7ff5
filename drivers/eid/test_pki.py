"""Generate (or reload) the test PKI behind the virtual e-ID cards.

Layout written under one directory (``var/demo/pki`` for the demo)::

    root.pem  ca.pem       test root CA and the citizen CA it signed
    eid-ca.pem             both, concatenated: what the reference API trusts (``--eid-ca``)
    rrn.pem  rrn.key       the "national register" key that signs identity and address files
    <national number>/auth.pem auth.key sign.pem sign.key   one folder per citizen

The subjects mimic the Belgian eID: the authentication certificate carries
``serialNumber`` = national number, ``surname`` and ``givenName``. Everything here is for
tests and the demo only; the keys are stored unencrypted on purpose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from drivers.eid.citizens import Citizen

KEY_BITS = 2048
_PEM = serialization.Encoding.PEM
_FOREVER_START = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
_FOREVER_END = dt.datetime(2045, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Issued:
    """A certificate with its private key."""

    certificate: x509.Certificate
    key: rsa.RSAPrivateKey


@dataclass(frozen=True)
class CitizenKeys:
    authentication: Issued
    signature: Issued


@dataclass(frozen=True)
class TestPki:
    """Everything a virtual card and a relying party need."""

    directory: Path
    root: Issued
    ca: Issued
    rrn: Issued
    citizens: dict[str, CitizenKeys]

    @property
    def ca_bundle_path(self) -> Path:
        """PEM file with the citizen CA and the root, for the API's ``--eid-ca``."""
        return self.directory / "eid-ca.pem"


def _name(common_name: str, **extra: str) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "BE")]
    oids = {"surname": NameOID.SURNAME, "given_name": NameOID.GIVEN_NAME,
            "serial_number": NameOID.SERIAL_NUMBER}
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    for key, value in extra.items():
        attributes.append(x509.NameAttribute(oids[key], value))
    return x509.Name(attributes)


def _issue(
    subject: x509.Name,
    issuer: Issued | None,
    *,
    ca: bool,
    start: dt.datetime = _FOREVER_START,
    end: dt.datetime = _FOREVER_END,
    client_auth: bool = False,
    non_repudiation: bool = False,
) -> Issued:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    issuer_name = issuer.certificate.subject if issuer else subject
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca and not non_repudiation,
                content_commitment=non_repudiation, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
    )
    if client_auth:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
        )
    return Issued(builder.sign(signing_key, hashes.SHA256()), key)


def _date(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def _issue_citizen(citizen: Citizen, ca: Issued) -> CitizenKeys:
    full = f"{citizen.given_names} {citizen.surname}"
    extra = {"surname": citizen.surname, "given_name": citizen.given_names,
             "serial_number": citizen.national_number}
    start, end = _date(citizen.card_valid_from), _date(citizen.card_valid_until)
    auth = _issue(_name(f"{full} (Authentication)", **extra), ca, ca=False, start=start,
                  end=end, client_auth=True)
    sign = _issue(_name(f"{full} (Signature)", **extra), ca, ca=False, start=start, end=end,
                  non_repudiation=True)
    return CitizenKeys(auth, sign)


def _write(issued: Issued, stem: Path) -> None:
    stem.parent.mkdir(parents=True, exist_ok=True)
    stem.with_suffix(".pem").write_bytes(issued.certificate.public_bytes(_PEM))
    stem.with_suffix(".key").write_bytes(
        issued.key.private_bytes(_PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
    )


def _read(stem: Path) -> Issued:
    certificate = x509.load_pem_x509_certificate(stem.with_suffix(".pem").read_bytes())
    key = serialization.load_pem_private_key(stem.with_suffix(".key").read_bytes(), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return Issued(certificate, key)


def load_or_create_pki(directory: Path, citizens: Iterable[Citizen]) -> TestPki:
    """Reuse the PKI in ``directory`` or generate what is missing (a few seconds)."""
    directory.mkdir(parents=True, exist_ok=True)
    if (directory / "root.pem").exists():
        root, ca, rrn = (_read(directory / name) for name in ("root", "ca", "rrn"))
    else:
        root = _issue(_name("Kiosk Test eID Root CA"), None, ca=True)
        ca = _issue(_name("Kiosk Test Citizen CA"), root, ca=True)
        rrn = _issue(_name("RRN"), root, ca=False)
        for issued, name in ((root, "root"), (ca, "ca"), (rrn, "rrn")):
            _write(issued, directory / name)
        bundle = ca.certificate.public_bytes(_PEM) + root.certificate.public_bytes(_PEM)
        (directory / "eid-ca.pem").write_bytes(bundle)
    keys: dict[str, CitizenKeys] = {}
    for citizen in citizens:
        folder = directory / citizen.national_number
        if not (folder / "auth.pem").exists():
            fresh = _issue_citizen(citizen, ca)
            _write(fresh.authentication, folder / "auth")
            _write(fresh.signature, folder / "sign")
        keys[citizen.national_number] = CitizenKeys(_read(folder / "auth"), _read(folder / "sign"))
    return TestPki(directory, root, ca, rrn, keys)
