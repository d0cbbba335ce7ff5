"""A simulated ESC/POS receipt printer that records, checks and renders what it receives.

See :mod:`drivers.printer.simulator.server` (the printer), ``parser`` (ESC/POS), ``render``
(PNG), ``control`` (fault injection over loopback) and ``__main__`` (command line).
"""

from drivers.printer.simulator.elements import EscPosError
from drivers.printer.simulator.job import Job
from drivers.printer.simulator.server import PrinterSimulator

__all__ = ["EscPosError", "Job", "PrinterSimulator"]
