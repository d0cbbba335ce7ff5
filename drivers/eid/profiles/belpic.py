"""Belgian eID ("Belpic" applet 1.7): files, TLV tags, PIN and signature commands.

Public references: the Belpic applet reference manual, OpenSC ``card-belpic.c`` (ATRs,
SELECT by path P1=08 P2=0C, MSE SET data ``04 80 <algo> 84 <key>``), and the eID middleware
(PIN in "GlobalPlatform" format ``2N`` + BCD digits padded with FF, PSO with algorithm 0x08 =
SHA-256 PKCS#1 where the card adds the DigestInfo).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import unicodedata
from enum import IntEnum

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from drivers.eid import tlv
from drivers.eid.base import Address, ChallengeSignature, Identity
from drivers.eid.errors import CardDataInvalid, CardNotSupported, PinFormatInvalid
from drivers.eid.session import CardSession, der_length

log = logging.getLogger(__name__)

ATRS = (
    bytes.fromhex("3B9813400AA503010101AD1311"),  # applet 1.1 / 1.7
    bytes.fromhex("3B9894400AA503010101AD1310"),  # applet 1.0, EMV-compatible ATR
    bytes.fromhex("3B989440FFA503010101AD1310"),  # applet beta 5 + 1.0
)
AID = bytes.fromhex("A000000177504B43532D3135")
ID_DF = "3F00DF01"
PKCS15_DF = "3F00DF00"
IDENTITY, IDENTITY_SIGNATURE = ID_DF + "4031", ID_DF + "4032"
ADDRESS, ADDRESS_SIGNATURE, PHOTO = ID_DF + "4033", ID_DF + "4034", ID_DF + "4035"
AUTH_CERT, RRN_CERT = PKCS15_DF + "5038", PKCS15_DF + "503C"
AUTH_KEY_REF, SIGN_KEY_REF = 0x82, 0x83
AUTH_CERT_ID, SIGN_CERT_ID = 2, 3
PIN_REF = 0x01
ALGO_SHA256_PKCS1 = 0x08


class IdentityTag(IntEnum):
    CARD_NUMBER = 1
    CHIP_NUMBER = 2
    VALID_FROM = 3
    VALID_UNTIL = 4
    DELIVERY_MUNICIPALITY = 5
    NATIONAL_NUMBER = 6
    SURNAME = 7
    GIVEN_NAMES = 8
    THIRD_INITIAL = 9
    NATIONALITY = 10
    BIRTH_PLACE = 11
    BIRTH_DATE = 12
    SEX = 13
    NOBLE_CONDITION = 14
    DOCUMENT_TYPE = 15
    SPECIAL_STATUS = 16
    PHOTO_HASH = 17


class AddressTag(IntEnum):
    STREET = 1
    POSTAL_CODE = 2
    MUNICIPALITY = 3


# Month abbreviations as printed by the card in French, Dutch, German and English.
_MONTHS = {
    "JAN": 1, "FEB": 2, "FEV": 2, "MAR": 3, "MARS": 3, "MAAR": 3, "MAA": 3, "APR": 4, "AVR": 4,
    "MAY": 5, "MAI": 5, "MEI": 5, "JUN": 6, "JUIN": 6, "JUL": 7, "JUIL": 7, "AUG": 8, "AOUT": 8,
    "AOU": 8, "SEP": 9, "SEPT": 9, "OCT": 10, "OKT": 10, "NOV": 11, "DEC": 12, "DEZ": 12,
}


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def parse_birth_date(raw: str) -> dt.date:
    """Parse "12 MAR 1965" / "12.MAA.1965" / "12 MÄR 1965"; ValueError if not a date."""
    parts = raw.replace(".", " ").split()
    if len(parts) != 3 or _plain(parts[1]).upper() not in _MONTHS:
        raise ValueError("birth date is not DD MMM YYYY")
    return dt.date(int(parts[2]), _MONTHS[_plain(parts[1]).upper()], int(parts[0]))


def parse_card_date(raw: str) -> dt.date:
    """Parse "DD.MM.YYYY"; ValueError if not a date."""
    day, month, year = raw.split(".")
    return dt.date(int(year), int(month), int(day))


def _text(fields: dict[int, bytes], tag: int, name: str) -> str:
    if tag not in fields:
        raise CardDataInvalid(f"identity data has no {name}")
    return fields[tag].decode("utf-8")


def parse_identity(identity: bytes, address: bytes | None) -> Identity:
    """Decode the identity (and address) files; only :class:`CardDataInvalid` escapes."""
    try:
        fields = tlv.parse(identity)
        given = _text(fields, IdentityTag.GIVEN_NAMES, "given names")
        third = fields.get(IdentityTag.THIRD_INITIAL, b"").decode("utf-8")
        place = None
        if address is not None:
            parts = tlv.parse(address)
            place = Address(_text(parts, AddressTag.STREET, "street"),
                            _text(parts, AddressTag.POSTAL_CODE, "postal code"),
                            _text(parts, AddressTag.MUNICIPALITY, "municipality"))
        return Identity(
            national_number=_text(fields, IdentityTag.NATIONAL_NUMBER, "national number"),
            surname=_text(fields, IdentityTag.SURNAME, "surname"),
            given_names=f"{given} {third}".strip(),
            birth_date=parse_birth_date(_text(fields, IdentityTag.BIRTH_DATE, "birth date")),
            birth_place=_text(fields, IdentityTag.BIRTH_PLACE, "birth place"),
            nationality=_text(fields, IdentityTag.NATIONALITY, "nationality"),
            sex=_text(fields, IdentityTag.SEX, "sex"),
            card_number=_text(fields, IdentityTag.CARD_NUMBER, "card number"),
            valid_from=parse_card_date(_text(fields, IdentityTag.VALID_FROM, "validity start")),
            valid_until=parse_card_date(_text(fields, IdentityTag.VALID_UNTIL, "validity end")),
            address=place,
            profile="belpic",
        )
    except (tlv.TlvError, UnicodeDecodeError, ValueError) as err:
        raise CardDataInvalid(f"identity data malformed: {type(err).__name__}: {err}") from err


def verify_file_signature(rrn_certificate: bytes, data: bytes, signature: bytes) -> None:
    """Check an identity/address signature with the card's RRN certificate."""
    try:
        key = x509.load_der_x509_certificate(rrn_certificate).public_key()
    except ValueError as err:
        raise CardDataInvalid("RRN certificate unreadable") from err
    if not isinstance(key, rsa.RSAPublicKey):
        raise CardDataInvalid("RRN certificate has no RSA key")
    for digest in (hashes.SHA256(), hashes.SHA1()):
        try:
            key.verify(signature, data, padding.PKCS1v15(), digest)
            return
        except InvalidSignature:
            continue
    raise CardDataInvalid("identity file signature does not match the RRN certificate")


def _signature_size(rrn_certificate: bytes) -> int | None:
    """Byte length of the RRN key's signatures (None when the certificate is unreadable)."""
    try:
        key = x509.load_der_x509_certificate(rrn_certificate).public_key()
    except ValueError:
        return None
    return (key.key_size + 7) // 8 if isinstance(key, rsa.RSAPublicKey) else None


def pin_block(pin: bytearray) -> bytearray:
    """Encode a PIN as the card wants it: 0x2N, BCD digits, padded with FF to 8 bytes."""
    if not 4 <= len(pin) <= 12 or not all(0x30 <= c <= 0x39 for c in pin):
        raise PinFormatInvalid("PIN must be 4 to 12 digits")
    block = bytearray(b"\xff" * 8)
    block[0] = 0x20 | len(pin)
    for index, char in enumerate(pin):
        digit = char - 0x30
        position = 1 + index // 2
        if index % 2 == 0:
            block[position] = (digit << 4) | 0x0F
        else:
            block[position] = (block[position] & 0xF0) | digit
    return block


class BelpicFamily:
    """The Belgian eID card family."""

    name = "belpic"
    label = "Belgian eID"
    aid: bytes | None = AID

    def matches_atr(self, atr: bytes) -> bool:
        """Tell whether ``atr`` is one of the Belpic applet's ATRs."""
        return atr in ATRS

    def read_identity(self, session: CardSession, include_photo: bool,
                      include_address: bool = True) -> Identity:
        """Read and check identity (+ address when asked); the photo only when asked."""
        rrn = session.read_file(RRN_CERT, der_length)
        size = _signature_size(rrn)  # knowing it saves the 6Cxx round trip per signature
        identity = session.read_file(IDENTITY)
        identity_signature = session.read_file(IDENTITY_SIGNATURE, lambda _: size)
        address = session.read_file(ADDRESS) if include_address else None
        parsed = parse_identity(identity, address)
        verify_file_signature(rrn, identity, identity_signature)
        if address is not None:
            address_signature = session.read_file(ADDRESS_SIGNATURE, lambda _: size)
            verify_file_signature(rrn, address.rstrip(b"\x00") + identity_signature,
                                  address_signature)
        photo = session.read_file(PHOTO) if include_photo else None
        if photo is not None:
            expected = tlv.parse(identity).get(IdentityTag.PHOTO_HASH, b"")
            if expected not in (hashlib.sha256(photo).digest(), hashlib.sha1(photo).digest()):
                raise CardDataInvalid("photo does not match its hash in the identity file")
        return dataclasses.replace(parsed, photo=photo, signed=True)

    def read_auth_certificate(self, session: CardSession) -> bytes:
        """Read the authentication certificate (DER), never truncated."""
        return session.read_file(AUTH_CERT, der_length)

    def verify_pin(self, session: CardSession, pin: bytearray) -> None:
        """VERIFY once; wrong/blocked PINs raise with the tries left reported by the card."""
        block = pin_block(pin)
        command = bytearray([0x00, 0x20, 0x00, PIN_REF, len(block)]) + block
        try:
            session.check(command, "verify PIN")
        finally:
            command[:] = bytes(len(command))
            block[:] = bytes(len(block))

    def sign_challenge(self, session: CardSession, nonce: bytes, certificate: bytes,
                       ) -> ChallengeSignature:
        """Sign SHA-256(nonce) with the authentication key (the card adds the DigestInfo)."""
        key = x509.load_der_x509_certificate(certificate).public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise CardNotSupported("only RSA Belpic cards (applet 1.7) are supported")
        session.select_path(PKCS15_DF)
        session.check(bytes([0x00, 0x22, 0x41, 0xB6, 0x05, 0x04, 0x80, ALGO_SHA256_PKCS1,
                             0x84, AUTH_KEY_REF]), "MSE SET")
        digest = hashlib.sha256(nonce).digest()
        signature = session.check(bytes([0x00, 0x2A, 0x9E, 0x9A, len(digest)]) + digest
                                  + b"\x00", "PSO compute signature")
        return ChallengeSignature(signature, "RS256")


FAMILY = BelpicFamily()
