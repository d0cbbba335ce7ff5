"""Write kiosk configuration files for tests and benches (demo settings with overrides)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from kiosk.settings import PROJECT_ROOT
from kiosk.settings import deep_merge as merge

__all__ = ["KIOSK_MODE", "PROJECT_ROOT", "write_config"]
# Kiosk mode needs an https API (kiosk/settings.py); nothing answers on port 9 here.
KIOSK_MODE: dict[str, Any] = {"kiosk": {"mode": "kiosk"},
                              "api": {"url": "https://127.0.0.1:9/v1"}}


def write_config(directory: Path, overrides: dict[str, Any] | None = None,
                 name: str = "kiosk.toml") -> Path:
    """Write demo.toml + overrides, with data and logs inside ``directory``."""
    with (PROJECT_ROOT / "config" / "demo.toml").open("rb") as handle:
        data = tomllib.load(handle)
    data = merge(data, {"kiosk": {"data_dir": str(directory / "data"),
                                  "log_dir": str(directory / "logs")}})
    data = merge(data, overrides or {})
    path = directory / name
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path
