"""A simulated POS Integrado terminal on the far end of a serial line (tests and demo)."""

from drivers.payment.simulator.ports import DevicePort, PtyDevicePort, SerialDevicePort
from drivers.payment.simulator.scripts import Fault, Script, SimSale, TerminalMemory
from drivers.payment.simulator.terminal import TerminalSimulator

__all__ = [
    "DevicePort",
    "Fault",
    "PtyDevicePort",
    "Script",
    "SerialDevicePort",
    "SimSale",
    "TerminalMemory",
    "TerminalSimulator",
]
