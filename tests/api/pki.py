"""A throwaway test PKI: CAs and Belgian-style citizen authentication certificates."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
NOW = datetime.now(UTC)


@dataclass(frozen=True)
class Issued:
    """A certificate and its private key."""

    certificate: x509.Certificate
    key: PrivateKey

    def der_b64(self) -> str:
        return base64.b64encode(self.certificate.public_bytes(serialization.Encoding.DER)).decode()

    def sign_b64(self, data: bytes, algorithm: str) -> str:
        """Sign like the card does: RS256 = PKCS#1 v1.5/SHA-256, ES256/384 = DER ECDSA."""
        if isinstance(self.key, rsa.RSAPrivateKey):
            signature = self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        else:
            digest = hashes.SHA384() if algorithm == "ES384" else hashes.SHA256()
            signature = self.key.sign(data, ec.ECDSA(digest))
        return base64.b64encode(signature).decode()


def _name(*attributes: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in attributes])


def make_ca(common_name: str) -> Issued:
    """A self-signed CA (EC P-256 keeps the fixture fast)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name((NameOID.COUNTRY_NAME, "BE"), (NameOID.COMMON_NAME, common_name))
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - timedelta(days=365)).not_valid_after(NOW + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(key, hashes.SHA256()))
    return Issued(cert, key)


def make_citizen(
    ca: Issued, national_number: str, surname: str, given_names: str, *,
    key: PrivateKey | None = None, valid_from: datetime | None = None,
    valid_until: datetime | None = None, for_authentication: bool = True,
) -> Issued:
    """An authentication certificate with the Belgian eID subject layout."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    subject = _name(
        (NameOID.COUNTRY_NAME, "BE"),
        (NameOID.COMMON_NAME, f"{given_names} {surname} (Authentication)"),
        (NameOID.SURNAME, surname), (NameOID.GIVEN_NAME, given_names),
        (NameOID.SERIAL_NUMBER, national_number))
    cert = (x509.CertificateBuilder().subject_name(subject)
            .issuer_name(ca.certificate.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(valid_from or NOW - timedelta(days=30))
            .not_valid_after(valid_until or NOW + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(  # login: digitalSignature; signing: nonRepudiation
                for_authentication, not for_authentication, False, False, False, False, False,
                False, False), critical=True)
            .sign(ca.key, hashes.SHA256()))
    return Issued(cert, key)


def write_pem(path: Path, *cas: Issued) -> Path:
    """Write CA certificates to a PEM file (the server's --eid-ca)."""
    path.write_bytes(b"".join(ca.certificate.public_bytes(serialization.Encoding.PEM)
                              for ca in cas))
    return path
