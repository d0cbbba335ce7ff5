"""What the shell receives from the composition root (``kiosk/app.py``), already built."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kiosk.demo_panel import DemoPanel
from kiosk.devices import DeviceHub
from kiosk.receipts.request import RequestReceipts
from kiosk.receipts.status import StatusSlips
from kiosk.services.assistance import AssistanceDesk
from kiosk.services.browse_catalog import BrowseCatalog
from kiosk.services.card_custody import CardCustody
from kiosk.services.check_status import CaseOutcome, OverviewOutcome
from kiosk.services.consent import ConsentBook
from kiosk.services.identify import CitizenIdentity, Identifier
from kiosk.services.proactive import NoteSource
from kiosk.services.reprint_receipt import ReprintReceipts
from kiosk.services.satisfaction import SatisfactionBox
from kiosk.services.ui_state import UiState
from kiosk.settings import TimeoutsSection
from screens.identify_flow import ProcedureLookup
from screens.pay_flow import PayFactory
from screens.request_flow import ProcedureSubmitter


class CaseLookup(Protocol):
    """What the status screens need (:class:`kiosk.services.check_status.CheckStatus`)."""

    async def by_case_number(self, typed: str) -> CaseOutcome: ...

    async def overview(self, identity: CitizenIdentity) -> OverviewOutcome: ...


def _no_devices() -> DeviceHub:
    return DeviceHub(None, None, None)


@dataclass(frozen=True)
class ShellOptions:
    """What the shell needs from the configuration and services, already built."""

    municipality: str
    kiosk_id: str
    languages: tuple[str, ...]
    default_language: str
    kiosk_mode: bool
    catalog: BrowseCatalog
    locked: bool = False  # the lock-down: Escape, window close and F1 do nothing
    timeouts: TimeoutsSection = field(default_factory=TimeoutsSection)
    ui_state: UiState = field(default_factory=UiState)
    assistance: AssistanceDesk | None = None
    status: CaseLookup | None = None  # "Check a status" (kiosk/services/check_status.py)
    status_slips: StatusSlips | None = None  # its printed slips (kiosk/receipts/status.py)
    devices: DeviceHub = field(default_factory=_no_devices)  # reader events, capabilities
    identifier: Callable[[], Identifier] | None = None  # one per e-ID identification
    procedure_document: ProcedureLookup | None = None  # full procedure (consent list, form)
    submit: ProcedureSubmitter | None = None  # "Request a procedure" (submit_procedure.py)
    request_receipts: RequestReceipts | None = None  # its receipts (kiosk/receipts/request.py)
    pay_bills: PayFactory | None = None  # one PayBills per session, in its language
    reprint: ReprintReceipts | None = None  # "Reprint a receipt" (reprint_receipt.py)
    satisfaction: SatisfactionBox | None = None  # the survey's answers (durable outbox)
    consents: ConsentBook | None = None  # e-ID consents and refusals (durable outbox)
    proactive: NoteSource | None = None  # after the e-ID: bills due, a case waiting
    # a card left in the reader after a session is never read for the next citizen
    card_custody: CardCustody = field(default_factory=CardCustody)
    demo_panel: DemoPanel | None = None  # `kiosk demo` only: card and terminal controls
    # told True when a citizen starts and False at the wipe (the daily close waits for it)
    on_session: Callable[[bool], None] = field(default=lambda _present: None)
    transition_s: float = 0.0  # 0: screens change at once (see bench/ui_bench.py)
    screenshot: Path | None = None
    exit_after: float | None = None
