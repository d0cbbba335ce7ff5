"""Write kiosk configuration files for tests (demo settings with test overrides)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``override`` into a copy of ``base``."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


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
