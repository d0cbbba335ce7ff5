"""Build the file system of a virtual Belgian eID (applet 1.7) for one demo citizen.

Paths, tags, key references and the PKCS#15 layout follow the public Belpic applet
documentation and what OpenSC's ``belpic`` driver reads: 3F00/DF01 holds the identity
(4031), its signature (4032), address (4033), address signature (4034) and photo (4035);
3F00/DF00 holds PKCS#15 (ODF 5031, TokenInfo 5032, AODF 5034, PrKDF 5035, CDF 5037) and the
certificates (5038 authentication, 5039 signature, 503A CA, 503B root, 503C RRN).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from drivers.eid import tlv
from drivers.eid.citizens import Citizen
from drivers.eid.profiles import belpic
from drivers.eid.test_pki import TestPki
from drivers.eid.virtual_card import der

_DER = serialization.Encoding.DER
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
TOKEN_SERIAL = bytes.fromhex("534C494E336600296CFF2623660B0826")
PHOTO = bytes.fromhex("FFD8FFE000104A46494600") + bytes(range(256)) * 12 + bytes.fromhex("FFD9")


@dataclass
class CardImage:
    """Files by full path (``3F00DF014031``), keys by reference, PIN state."""

    files: dict[str, bytes]
    keys: dict[int, rsa.RSAPrivateKey]
    pin: str
    tries_left: int = 3
    max_tries: int = 3
    card_data: bytes = field(default=b"")


def _birth_date(iso: str) -> bytes:
    date = dt.date.fromisoformat(iso)
    return f"{date.day:02d} {_MONTHS[date.month - 1]} {date.year}".encode()


def _card_date(iso: str) -> bytes:
    date = dt.date.fromisoformat(iso)
    return f"{date.day:02d}.{date.month:02d}.{date.year}".encode()


def identity_file(citizen: Citizen, photo: bytes) -> bytes:
    """Encode the identity file (4031) the way the card stores it."""
    given = citizen.given_names.split()
    tags = belpic.IdentityTag
    return tlv.encode([
        (tags.CARD_NUMBER, citizen.card_number.encode()),
        (tags.CHIP_NUMBER, TOKEN_SERIAL),
        (tags.VALID_FROM, _card_date(citizen.card_valid_from)),
        (tags.VALID_UNTIL, _card_date(citizen.card_valid_until)),
        (tags.DELIVERY_MUNICIPALITY, citizen.city.encode()),
        (tags.NATIONAL_NUMBER, citizen.national_number.encode()),
        (tags.SURNAME, citizen.surname.encode()),
        (tags.GIVEN_NAMES, " ".join(given[:2]).encode()),
        (tags.THIRD_INITIAL, (given[2][0] if len(given) > 2 else "").encode()),
        (tags.NATIONALITY, citizen.nationality.encode()),
        (tags.BIRTH_PLACE, citizen.birth_place.encode()),
        (tags.BIRTH_DATE, _birth_date(citizen.birth_date)),
        (tags.SEX, citizen.sex.encode()),
        (tags.NOBLE_CONDITION, b""),
        (tags.DOCUMENT_TYPE, b"1"),
        (tags.SPECIAL_STATUS, b"0"),
        (tags.PHOTO_HASH, hashlib.sha256(photo).digest()),
    ])


def address_file(citizen: Citizen) -> bytes:
    """Encode the address file (4033), zero-padded to 117 bytes like the card."""
    tags = belpic.AddressTag
    data = tlv.encode([
        (tags.STREET, citizen.street.encode()),
        (tags.POSTAL_CODE, citizen.postal_code.encode()),
        (tags.MUNICIPALITY, citizen.city.encode()),
    ])
    return data + bytes(max(0, 117 - len(data)))


def _rrn_sign(pki: TestPki, data: bytes) -> bytes:
    return pki.rrn.key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def _private_key(label: str, key_id: int, usage: bytes, reference: int) -> bytes:
    """PrKDF entry of an RSA-2048 key in DF00 protected by the PIN (authId 01)."""
    return der.seq(
        der.seq(der.utf8(label), der.bits(0b11, unused=6), der.octets(b"\x01")),
        der.seq(der.octets(bytes([key_id])), der.tlv(0x03, usage), der.bits(0b11101, unused=3),
                der.integer(reference)),
        der.tlv(0xA1, der.seq(der.seq(der.octets(bytes.fromhex(belpic.PKCS15_DF))),
                              der.integer(2048))),
    )


def _certificate(label: str, cert_id: int, file_id: str, authority: bool) -> bytes:
    """CDF entry pointing at a certificate file in DF00."""
    common = der.seq(der.octets(bytes([cert_id])))
    if authority:
        common = der.seq(der.octets(bytes([cert_id])), der.boolean(True))
    path = der.seq(der.seq(der.octets(bytes.fromhex(belpic.PKCS15_DF + file_id))))
    return der.seq(der.seq(der.utf8(label)), common, der.tlv(0xA1, path))


def _pkcs15_files() -> dict[str, bytes]:
    df = belpic.PKCS15_DF
    odf = (der.tlv(0xA0, der.path_object(df + "5035")) + der.tlv(0xA4, der.path_object(df + "5037"))
           + der.tlv(0xA8, der.path_object(df + "5034")))
    token_info = der.seq(
        der.integer(0), der.octets(TOKEN_SERIAL), der.utf8("(unknown)"),
        der.tlv(0x80, b"BELPIC"), der.bits(0b0001_0000, unused=4),
    )
    pin = der.seq(
        der.seq(der.utf8("Basic PIN"), der.bits(0b11, unused=6)),
        der.seq(der.octets(b"\x01")),
        der.tlv(0xA1, der.seq(
            der.bits(0b0010_1100, unused=2), der.enumerated(0), der.integer(4),
            der.integer(8), der.integer(12), der.tlv(0x80, b"\x01"), der.octets(b"\xff"),
            der.seq(der.octets(bytes.fromhex("3F00"))),
        )),
    )
    prkdf = (_private_key("Authentication", belpic.AUTH_CERT_ID, b"\x07\x20\x00",
                          belpic.AUTH_KEY_REF)
             + _private_key("Signature", belpic.SIGN_CERT_ID, b"\x06\x00\x40",
                            belpic.SIGN_KEY_REF))
    cdf = (_certificate("Authentication", belpic.AUTH_CERT_ID, "5038", False)
           + _certificate("Signature", belpic.SIGN_CERT_ID, "5039", False)
           + _certificate("CA", 4, "503A", True) + _certificate("Root", 6, "503B", True))
    return {df + "5031": odf, df + "5032": token_info, df + "5034": pin, df + "5035": prkdf,
            df + "5037": cdf}


def build_image(pki: TestPki, citizen: Citizen) -> CardImage:
    """Assemble every file, key and the PIN of ``citizen``'s card."""
    keys = pki.citizens[citizen.national_number]
    identity = identity_file(citizen, PHOTO)
    identity_signature = _rrn_sign(pki, identity)
    address = address_file(citizen)
    address_signature = _rrn_sign(pki, address.rstrip(b"\x00") + identity_signature)
    df, id_df = belpic.PKCS15_DF, belpic.ID_DF
    files = {
        "3F002F00": der.tlv(0x61, der.tlv(0x4F, belpic.AID) + der.tlv(0x50, b"BELPIC")
                            + der.tlv(0x51, bytes.fromhex(df))),
        id_df + "4031": identity, id_df + "4032": identity_signature,
        id_df + "4033": address, id_df + "4034": address_signature, id_df + "4035": PHOTO,
        df + "5038": keys.authentication.certificate.public_bytes(_DER),
        df + "5039": keys.signature.certificate.public_bytes(_DER),
        df + "503A": pki.ca.certificate.public_bytes(_DER),
        df + "503B": pki.root.certificate.public_bytes(_DER),
        df + "503C": pki.rrn.certificate.public_bytes(_DER),
        **_pkcs15_files(),
    }
    card_data = TOKEN_SERIAL + bytes([0xA5, 0x03, 0x01, 0x01, 0x01, 0x17, 0x00, 0x01, 0x17,
                                      0x01, 0x01, 0x0F])
    return CardImage(files, {belpic.AUTH_KEY_REF: keys.authentication.key,
                             belpic.SIGN_KEY_REF: keys.signature.key},
                     pin=citizen.pin, card_data=card_data)
