"""The simulated devices as parts of a stack: the e-ID card, the printer, the terminal.

The simulators live beside their drivers; these parts start them and say what a kiosk
needs to use them. A device runs as a child process (the demo; benches, so its memory is not
the kiosk's) or, for the printer and the terminal, in this process, where a test reads the
jobs printed and the sales made and scripts faults on the simulator object itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self

from drivers.eid.virtual_card.control import VirtualCardClient
from drivers.payment.simulator import SerialDevicePort, TerminalSimulator
from drivers.payment.simulator.control import send
from drivers.printer.simulator import PrinterSimulator
from drivers.printer.simulator.control import send_command
from kiosk.simulated.child import ChildProcess, StackError, python_module
from kiosk.simulated.pcsc import VIRTUAL_READER

CARD, PRINTER, TERMINAL = ("drivers.eid.virtual_card", "drivers.printer.simulator",
                           "drivers.payment.simulator")


def printer_settings(port: int) -> dict[str, Any]:
    """Settings for a kiosk printing on a simulator at 127.0.0.1:``port``."""
    return {"devices": {"printer": {"type": "network", "host": "127.0.0.1", "port": port}}}


def terminal_settings(kiosk_end: str) -> dict[str, Any]:
    """Settings for a kiosk paying through a terminal on the serial device ``kiosk_end``."""
    return {"devices": {"payment": {"type": "transbank", "port": kiosk_end}}}


class _ChildPart:
    """A part that is one program; ``facts`` are the words of its ready line."""

    def __init__(self, name: str, module: str, logs: Path, args: list[str], ready: str) -> None:
        self._child = ChildProcess(name, python_module(module, *args), logs / f"{module}.log",
                                   ready_prefix=ready)
        self.facts: dict[str, str] = {}

    def __enter__(self) -> Self:
        self.facts = self._child.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._child.stop()

    def _control_port(self) -> int:
        if self.facts.get("control", "none") == "none":
            raise StackError(f"{self._child.name} runs without a control port")
        return int(self.facts["control"])


class CardProcess(_ChildPart):
    """The virtual e-ID card in vpcd's first slot, driven through its control port."""

    def __init__(self, logs: Path, pki_dir: Path, vpcd_port: int) -> None:
        super().__init__("virtual e-ID card", CARD, logs,
                         ["--pki", str(pki_dir.resolve()), "--vpcd-port", str(vpcd_port)],
                         ready="virtual-card ready")

    @property
    def control_port(self) -> int:
        return self._control_port()

    def client(self) -> VirtualCardClient:
        """Connect a new control client (insert, remove, faults); close it after use."""
        return VirtualCardClient(self.control_port)

    def kiosk_settings(self) -> dict[str, Any]:
        """Settings for a kiosk reading this card: PC/SC, the reader of vpcd's first slot."""
        return {"devices": {"eid": {"type": "pcsc", "reader": VIRTUAL_READER}}}


class PrinterProcess(_ChildPart):
    """The ESC/POS printer simulator as a program on a loopback TCP port."""

    def __init__(self, logs: Path, *, port: int = 0, png_dir: Path | None = None,
                 control: bool = False) -> None:
        args = ["--port", str(port)]
        args += ["--png-dir", str(png_dir)] if png_dir is not None else []
        args += ["--control-port", "0"] if control else []
        super().__init__("printer simulator", PRINTER, logs, args,
                         ready="printer simulator ready")

    @property
    def port(self) -> int:
        return int(self.facts["port"])

    def jobs(self) -> list[dict[str, Any]]:
        """Summaries of the jobs it recorded, through its control port (``control=True``)."""
        answer = send_command(self._control_port(), "jobs", timeout=10)
        if not answer.startswith("ok "):
            raise StackError(f"the printer simulator answered {answer!r}")
        jobs: list[dict[str, Any]] = json.loads(answer.removeprefix("ok "))
        return jobs

    def kiosk_settings(self) -> dict[str, Any]:
        """Settings for a kiosk printing on this simulator."""
        return printer_settings(self.port)


class TerminalProcess(_ChildPart):
    """The payment terminal simulator as a program on a pseudo-terminal it makes itself."""

    def __init__(self, logs: Path, *, link: Path | None = None, think_s: float | None = None,
                 control: bool = True) -> None:
        args = ["--pty"]
        args += ["--link", str(link)] if link is not None else []
        args += ["--think-s", str(think_s)] if think_s is not None else []
        args += ["--control-port", "0"] if control else []
        super().__init__("payment terminal simulator", TERMINAL, logs, args,
                         ready="terminal simulator ready")

    @property
    def kiosk_port(self) -> str:
        return self.facts["kiosk-port"]

    @property
    def control_port(self) -> int:
        return self._control_port()

    def state(self) -> dict[str, Any]:
        """What the terminal remembers (last sale, approved sales), through its control port."""
        return send(self.control_port, {"state": True})

    def kiosk_settings(self) -> dict[str, Any]:
        """Settings for a kiosk paying through this terminal."""
        return terminal_settings(self.kiosk_port)


class LocalPrinter:
    """The printer simulator in this process, on a loopback TCP port."""

    def __init__(self, *, port: int = 0, png_dir: Path | None = None) -> None:
        self.simulator = PrinterSimulator(png_dir=png_dir)
        self._wanted_port, self.port = port, 0

    def __enter__(self) -> LocalPrinter:
        self.port = self.simulator.listen(self._wanted_port)
        return self

    def __exit__(self, *exc: object) -> None:
        self.simulator.close()

    def kiosk_settings(self) -> dict[str, Any]:
        """Settings for a kiosk printing on this simulator."""
        return printer_settings(self.port)


class SerialLine(Protocol):
    """Two serial devices wired to each other (a socat pair, a null-modem cable)."""

    kiosk_end: str
    device_end: str

    def unplug(self) -> None:
        """Cut the link, as pulling the cable would."""


class LocalTerminal:
    """The terminal simulator in this process, on the device end of a serial line.

    When a scripted fault disconnects the terminal, the line is unplugged, so the kiosk's
    end sees the hang-up a pulled cable gives.
    """

    simulator: TerminalSimulator  # from __enter__ on

    def __init__(self, line: SerialLine, *, think_s: float = 0.02,
                 ack_timeout_s: float = 2.0) -> None:
        self.line, self._think_s, self._ack_timeout_s = line, think_s, ack_timeout_s

    def __enter__(self) -> LocalTerminal:
        self.simulator = TerminalSimulator(
            SerialDevicePort(self.line.device_end), think_s=self._think_s,
            ack_timeout_s=self._ack_timeout_s, on_disconnect=self.line.unplug).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.simulator.stop()

    def kiosk_settings(self) -> dict[str, Any]:
        """Settings for a kiosk paying through this terminal."""
        return terminal_settings(self.line.kiosk_end)
