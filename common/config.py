"""What every configuration section shares, so each layer can own the part it reads.

Drivers define their own section models (``drivers/<class>/config.py``); ``kiosk.settings``
composes them into the whole file. Every section refuses unknown keys, so a misspelt key in
a site file is an error naming the key, never a silently ignored setting.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Seconds = Annotated[float, Field(gt=0, le=3600)]
Port = Annotated[int, Field(ge=1, le=65535)]
Baudrate = Annotated[int, Field(ge=1200, le=921600)]


class Section(BaseModel):
    """A frozen table of a configuration file that refuses unknown keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)
