"""``[devices.payment]``: the card terminal's driver and serial line."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from common.config import Baudrate, Seconds, Section


class PaymentSection(Section):
    type: Literal["transbank", "none"] = "transbank"
    port: str = "/dev/ttyUSB0"
    baudrate: Baudrate = 9600
    ack_timeout_s: Seconds = 2
    response_timeout_s: Seconds = 150
    max_attempts: Annotated[int, Field(ge=1, le=10)] = 3  # copies of a NAKed frame, both ways
    required: bool = True
