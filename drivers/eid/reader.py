"""The PC/SC e-ID reader: slot events, card sessions and operations on one device thread.

The monitor thread only observes; every connect, APDU and disconnect runs on the reader's
:class:`~drivers.worker.DeviceWorker`, with its own PC/SC context (separate from the
monitor's, because pcsc-lite serialises calls on one context). Both contexts are rebuilt
after pcscd restarts. Status changes are pushed to listeners from the device thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from smartcard.scard import (
    SCARD_LEAVE_CARD,
    SCARD_PROTOCOL_T0,
    SCARD_PROTOCOL_T1,
    SCARD_S_SUCCESS,
    SCARD_SCOPE_USER,
    SCARD_SHARE_SHARED,
    SCardBeginTransaction,
    SCardConnect,
    SCardDisconnect,
    SCardEndTransaction,
    SCardEstablishContext,
    SCardReleaseContext,
    SCardStatus,
)

from common.diagnosis import Diagnosis
from drivers.base import DeviceClass, DeviceListener, DeviceState, DeviceStatus
from drivers.eid.base import ChallengeSignature, Identity
from drivers.eid.errors import (
    CardAbsent,
    CardNotSupported,
    CardRemoved,
    CardUnreadable,
    ReaderUnavailable,
    error_for_pcsc,
    is_connection_lost,
)
from drivers.eid.monitor import SlotEvent, SlotMonitor, SlotState
from drivers.eid.profiles import CardFamily, choose_family
from drivers.eid.session import CardSession
from drivers.worker import DeviceWorker

log = logging.getLogger(__name__)
T = TypeVar("T")


def _status(state: DeviceState, message_key: str | None = None, **detail: str) -> DeviceStatus:
    return DeviceStatus(DeviceClass.EID, state, detail, message_key)


class PcscEidReader:
    """An e-ID reader on pcscd; see :class:`drivers.eid.base.EidReader`."""

    def __init__(self, reader_filter: str = "", worker: DeviceWorker | None = None,
                 monitor_timeout_s: float = 1.0) -> None:
        self.worker = worker or DeviceWorker("eid")
        self._filter = reader_filter
        self._listeners: list[DeviceListener] = []
        self._status = _status(DeviceState.OFFLINE, None, card="unknown")
        self._slot = SlotEvent(SlotState.NO_SERVICE)
        self._context: int | None = None
        self._session: CardSession | None = None
        self._family: CardFamily | None = None
        self._certificate: bytes | None = None
        self._monitor = SlotMonitor(reader_filter, self._on_slot_event, monitor_timeout_s)

    # -- lifecycle and events ---------------------------------------------------------
    @property
    def status(self) -> DeviceStatus:
        """The latest status (also pushed to listeners on every change)."""
        return self._status

    def add_listener(self, listener: DeviceListener) -> None:
        """Call ``listener(status)`` on the device thread whenever the status changes."""
        self._listeners.append(listener)

    def start(self) -> None:
        """Start watching the reader."""
        self._monitor.start()

    def stop(self) -> None:
        """Stop watching, disconnect and release PC/SC resources."""
        self._monitor.stop()
        self.worker.call(self._drop_context)
        self.worker.close()

    def _on_slot_event(self, event: SlotEvent) -> None:
        self.worker.call(self._handle_slot, event)

    def _handle_slot(self, event: SlotEvent) -> None:
        self._slot = event
        self._drop_session()
        if event.state is SlotState.NO_SERVICE:
            self._drop_context()
            self._set(_status(DeviceState.NO_DEVICE, ReaderUnavailable.message_key,
                              card="unknown", reason="pcscd"))
        elif event.state is SlotState.NO_READER:
            self._set(_status(DeviceState.NO_DEVICE, ReaderUnavailable.message_key,
                              card="unknown", reason="no_reader"))
        elif event.state is SlotState.EMPTY:
            self._set(_status(DeviceState.ONLINE, None, card="absent"))
        elif event.state is SlotState.MUTE:
            self._set(_status(DeviceState.USER_ERROR, CardUnreadable.message_key,
                              card="unreadable"))
        else:
            self._recognise()

    def _recognise(self) -> None:
        try:
            session = self._connect()
            self._family = choose_family(session)
        except CardNotSupported as err:
            self._set(_status(DeviceState.USER_ERROR, err.message_key, card="present",
                              profile="unknown"))
        except (CardUnreadable, CardRemoved, ReaderUnavailable) as err:
            log.info("card not usable: %s", err)
            state = "absent" if isinstance(err, CardRemoved) else "unreadable"
            self._set(_status(DeviceState.USER_ERROR, err.message_key, card=state))
        else:
            self._set(_status(DeviceState.ONLINE, None, card="present",
                              profile=self._family.name))

    def _set(self, status: DeviceStatus) -> None:
        if status == self._status:
            return
        self._status = status
        for listener in list(self._listeners):
            try:
                listener(status)
            except Exception:
                log.exception("e-ID status listener failed")

    # -- PC/SC plumbing (device thread only) ---------------------------------------
    def _ensure_context(self) -> int:
        if self._context is None:
            code, context = SCardEstablishContext(SCARD_SCOPE_USER)
            if code != SCARD_S_SUCCESS:
                raise error_for_pcsc(code, "establish context")
            self._context = context
        return self._context

    def _drop_context(self) -> None:
        self._drop_session()
        if self._context is not None:
            SCardReleaseContext(self._context)
            self._context = None

    def _drop_session(self, disposition: int = SCARD_LEAVE_CARD) -> None:
        if self._session is not None:
            SCardDisconnect(self._session.handle, disposition)
        self._session, self._family, self._certificate = None, None, None

    def _connect(self) -> CardSession:
        if self._session is not None:
            return self._session
        if self._slot.state is not SlotState.PRESENT:
            if self._slot.state in (SlotState.NO_SERVICE, SlotState.NO_READER):
                raise ReaderUnavailable(f"no reader ({self._slot.state})")
            if self._slot.state is SlotState.MUTE:
                raise CardUnreadable("card does not answer its reset")
            raise CardAbsent("no card in the reader")
        context = self._ensure_context()
        code, handle, protocol = SCardConnect(context, self._slot.reader, SCARD_SHARE_SHARED,
                                              SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1)
        if code != SCARD_S_SUCCESS:
            if is_connection_lost(code):
                self._drop_context()
            raise error_for_pcsc(code, "connect")
        code, _, _, _, atr = SCardStatus(handle)
        if code != SCARD_S_SUCCESS:
            SCardDisconnect(handle, SCARD_LEAVE_CARD)
            raise error_for_pcsc(code, "card status")
        self._session = CardSession(handle, protocol, bytes(atr), context,
                                    self._slot.reader)
        return self._session

    def _with_card(self, operation: Callable[[CardSession, CardFamily], T]) -> T:
        session = self._connect()
        if self._family is None:
            self._family = choose_family(session)
        family = self._family
        code = SCardBeginTransaction(session.handle)
        if code != SCARD_S_SUCCESS:
            self._drop_session()
            raise error_for_pcsc(code, "begin transaction")
        try:
            return operation(session, family)
        except (CardRemoved, ReaderUnavailable):
            self._drop_session()
            raise
        finally:
            if self._session is session:
                SCardEndTransaction(session.handle, SCARD_LEAVE_CARD)

    # -- operations ----------------------------------------------------------------
    def read_identity(self, *, include_photo: bool = False,
                      include_address: bool = True) -> Identity:
        """Read and verify the holder's identity and address (no PIN needed).

        ``include_address=False`` leaves the address file unread (before consent).
        """
        def read(session: CardSession, family: CardFamily) -> Identity:
            return family.read_identity(session, include_photo, include_address)
        return self.worker.call(self._with_card, read)

    def read_auth_certificate(self) -> bytes:
        """The authentication certificate (DER), cached while the card stays in."""
        return self.worker.call(self._with_card, self._auth_certificate)

    def _auth_certificate(self, session: CardSession, family: CardFamily) -> bytes:
        if self._certificate is None:
            self._certificate = family.read_auth_certificate(session)
        return self._certificate

    def verify_pin(self, pin: bytearray) -> None:
        """VERIFY ``pin`` once (never retried); ``pin`` is wiped before this returns."""
        try:
            self.worker.call(self._with_card, lambda s, f: f.verify_pin(s, pin))
        finally:
            pin[:] = bytes(len(pin))

    def sign_challenge(self, nonce: bytes) -> ChallengeSignature:
        """Sign the API's nonce with the authentication key (after :meth:`verify_pin`)."""
        def sign(session: CardSession, family: CardFamily) -> ChallengeSignature:
            certificate = self._auth_certificate(session, family)
            return family.sign_challenge(session, nonce, certificate)
        return self.worker.call(self._with_card, sign)

    def diagnose(self) -> list[Diagnosis]:
        """pcscd reachable, reader found, card present and recognised."""
        from drivers.eid.diagnose import diagnose_pcsc

        return diagnose_pcsc(self._filter, self._status)
