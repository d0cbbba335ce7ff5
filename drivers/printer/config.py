"""``[devices.printer]``: the receipt printer's transport, profile and paper."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from common.config import Baudrate, Port, Seconds, Section


class PrinterSection(Section):
    type: Literal["network", "serial", "usb", "file", "none"] = "network"
    host: str = "127.0.0.1"
    port: Port = 9100
    device: str = ""
    baudrate: Baudrate = 115200
    flow_control: Literal["dsrdtr", "rtscts", "none"] = "dsrdtr"  # serial handshake
    usb_vendor: Annotated[int, Field(ge=0, le=0xFFFF)] = 0
    usb_product: Annotated[int, Field(ge=0, le=0xFFFF)] = 0
    profile: str = "TM-T20II"
    width_chars: Annotated[int, Field(ge=24, le=64)] = 42
    width_dots: Annotated[int, Field(ge=200, le=1024)] = 512
    codepage: str = "CP858"
    native_qr: bool = True
    native_barcode: bool = True
    timeout_s: Seconds = 5
    required: bool = True
