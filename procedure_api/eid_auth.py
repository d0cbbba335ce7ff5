"""Verify an e-ID authentication: certificate chain, validity dates, signature, identity.

The kiosk sends the card's authentication certificate (DER) and the card's signature over
the server's nonce. Trust is a PEM file of CA certificates (``--eid-ca``); every certificate
in it is a trust anchor, so it must hold the CA that issues the citizens' certificates (for
the Belgian eID, the "Citizen CA"; the root may be there too). The identity comes from the
certificate subject: serialNumber = national number, surname, givenName.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

ALGORITHMS = {"RS256": hashes.SHA256, "ES256": hashes.SHA256, "ES384": hashes.SHA384}


class EidRejected(Exception):
    """The authentication is not acceptable; ``code`` is the API error code."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class VerifiedIdentity:
    national_number: str
    surname: str
    given_names: str


def load_trust_anchors(path: Path) -> list[x509.Certificate]:
    """Read every CA certificate in a PEM file; raise ValueError if it holds none."""
    certificates = x509.load_pem_x509_certificates(path.read_bytes())
    if not certificates:
        raise ValueError(f"{path} holds no PEM certificate")
    return certificates


def _valid_at(cert: x509.Certificate, now: datetime) -> bool:
    return cert.not_valid_before_utc <= now <= cert.not_valid_after_utc


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _issued_by_anchor(
    cert: x509.Certificate, anchors: list[x509.Certificate], now: datetime
) -> bool:
    for anchor in anchors:
        if anchor.subject != cert.issuer or not _is_ca(anchor) or not _valid_at(anchor, now):
            continue
        try:
            cert.verify_directly_issued_by(anchor)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return True
    return False


def _allows_authentication(cert: x509.Certificate) -> bool:
    """Refuse e.g. the eID's non-repudiation (signing) certificate used to log in."""
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return bool(usage.digital_signature)


def _check_signature(
    cert: x509.Certificate, algorithm: str, nonce: bytes, signature: bytes
) -> None:
    key = cert.public_key()
    digest = ALGORITHMS[algorithm]()
    try:
        if algorithm == "RS256" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, nonce, padding.PKCS1v15(), digest)
        elif algorithm in ("ES256", "ES384") and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, nonce, ec.ECDSA(digest))
        else:
            raise EidRejected("eid_signature_invalid")
    except InvalidSignature as err:
        raise EidRejected("eid_signature_invalid") from err


def _subject_value(cert: x509.Certificate, oid: x509.ObjectIdentifier) -> str:
    values = cert.subject.get_attributes_for_oid(oid)
    if not values:
        raise EidRejected("eid_certificate_invalid")
    value = values[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def verify_authentication(
    certificate_der: bytes,
    signature: bytes,
    algorithm: str,
    nonce: bytes,
    anchors: list[x509.Certificate],
    now: datetime,
) -> VerifiedIdentity:
    """Return the identity in a trusted, valid certificate whose key signed ``nonce``."""
    if algorithm not in ALGORITHMS:
        raise EidRejected("eid_signature_invalid")
    try:
        cert = x509.load_der_x509_certificate(certificate_der)
    except ValueError as err:
        raise EidRejected("eid_certificate_invalid") from err
    if not _issued_by_anchor(cert, anchors, now):
        raise EidRejected("eid_certificate_untrusted")
    if not _valid_at(cert, now):
        raise EidRejected("eid_certificate_expired")
    if not _allows_authentication(cert):
        raise EidRejected("eid_certificate_untrusted")
    _check_signature(cert, algorithm, nonce, signature)
    return VerifiedIdentity(
        national_number=_subject_value(cert, NameOID.SERIAL_NUMBER),
        surname=_subject_value(cert, NameOID.SURNAME),
        given_names=_subject_value(cert, NameOID.GIVEN_NAME),
    )
