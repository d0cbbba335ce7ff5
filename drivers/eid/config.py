"""``[devices.eid]``: which e-ID reader the kiosk uses and how it watches for cards."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from common.config import Section


class EidSection(Section):
    type: Literal["pcsc", "none"] = "pcsc"
    reader: str = ""
    required: bool = True
    poll_timeout_s: Annotated[float, Field(gt=0, le=10)] = 1.0  # card monitor wake-up
    pki_dir: Path = Path("pki")  # demo only: the virtual cards' test PKI, under data_dir
