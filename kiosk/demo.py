"""``kiosk demo``: start the simulators and the reference API, then run the kiosk on them.

The demo configuration chooses the parts and their ports: the reference API always, the
system's pcscd and the virtual e-ID card for a ``pcsc`` reader, the printer simulator for
a ``network`` printer, the terminal simulator (on a pseudo-terminal of its own) for
``transbank``. The simulated stack (:mod:`kiosk.simulated.stack`) runs each as a child
process, waits until it is ready, tells the kiosk what only the running part knows (the
terminal's pseudo-terminal) and stops every part when the kiosk exits. The kiosk enrols
once with the demo's code. Output goes to ``<data_dir>/demo/``.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from kiosk.demo_panel import DemoPanel
from kiosk.settings import Settings, deep_merge
from kiosk.simulated.api import ApiServer
from kiosk.simulated.devices import CardProcess, PrinterProcess, TerminalProcess
from kiosk.simulated.pcsc import SystemPcscd
from kiosk.simulated.stack import SimulatedStack

DEMO_ENROLMENT_CODE = "DEMO-KIOSK-ENROL"


def _merge(settings: Settings, update: dict[str, Any]) -> Settings:
    """Return ``settings`` with the nested values of ``update`` laid over them."""
    return Settings.model_validate(deep_merge(settings.model_dump(), update))


class DemoStack:
    """Context manager owning the demo's simulated parts."""

    def __init__(self, settings: Settings, enabled: bool = True) -> None:
        self.settings = settings
        self.enabled = enabled
        self._stack = SimulatedStack()
        self._card: CardProcess | None = None
        self._terminal: TerminalProcess | None = None

    def __enter__(self) -> DemoStack:
        if not self.enabled:
            return self
        try:
            self._start_parts()
            self.settings = _merge(self.settings, self._stack.kiosk_settings())
            self._enrol()
        except BaseException:
            self._stack.close()
            raise
        return self

    def _start_parts(self) -> None:
        """Start what the configuration asks for, in order: API, pcscd, card, printer, terminal."""
        from drivers.eid.citizens import load_citizens
        from drivers.eid.test_pki import load_or_create_pki

        settings, stack = self.settings, self._stack
        data, demo = settings.kiosk.data_dir, settings.demo
        logs = data / "demo"
        pki = None
        if settings.devices.eid.type == "pcsc":
            pki = load_or_create_pki(settings.data_path(settings.devices.eid.pki_dir),
                                     load_citizens())
        stack.start(ApiServer(logs, port=demo.api_port, staff_token=None,
                              database=data / "reference-api.db",
                              enrolment_codes=(f"{settings.kiosk.id}:{DEMO_ENROLMENT_CODE}",),
                              eid_ca=None if pki is None else pki.ca_bundle_path))
        if pki is not None:
            pcscd = stack.start(SystemPcscd(demo.vpcd_port, logs))
            self._card = stack.start(CardProcess(logs, pki.directory, pcscd.vpcd_port))
        if settings.devices.printer.type == "network":
            stack.start(PrinterProcess(logs, port=demo.printer_port, png_dir=data / "receipts"))
        if settings.devices.payment.type == "transbank":
            self._terminal = stack.start(TerminalProcess(logs, link=data / "payment-terminal"))

    def demo_panel(self) -> DemoPanel | None:
        """The control panel over the running card and terminal simulators (None: neither)."""
        card = None if self._card is None else self._card.control_port
        terminal = None if self._terminal is None else self._terminal.control_port
        if card is None and terminal is None:
            return None
        return DemoPanel(card, terminal)

    def _enrol(self) -> None:
        from kiosk.api import ApiClient
        from kiosk.enrolment import use_saved_or_enrol

        client = ApiClient.from_settings(self.settings.api, token=None)
        try:
            use_saved_or_enrol(client, self.settings.data_path(self.settings.api.enrolment_file),
                               DEMO_ENROLMENT_CODE, self.settings.kiosk.id)
        finally:
            client.close()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stack.close()
