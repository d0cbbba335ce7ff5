"""Load and validate the kiosk's TOML configuration.

A site file is layered over ``config/default.toml``. The device sections are owned by their
drivers (``drivers/<class>/config.py``); this module composes them with the kiosk's own.
Every value is validated on load; any problem raises :class:`ConfigError` whose message
names the file, the key and the problem in plain words, so a technician can fix it without
reading a traceback. A string value of the form ``"env:NAME"`` is read from the environment
variable NAME (for secrets).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from common.config import Port, Seconds
from common.config import Section as _Section
from drivers.eid.config import EidSection
from drivers.payment.config import PaymentSection
from drivers.printer.config import PrinterSection

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "default.toml"

__all__ = ["ConfigError", "EidSection", "PaymentSection", "PrinterSection", "Settings",
           "load_settings"]


class ConfigError(Exception):
    """A configuration file is missing, unreadable or invalid."""

    def __init__(self, path: Path | str, problem: str, key: str | None = None) -> None:
        self.path, self.key, self.problem = str(path), key, problem
        where = f"{self.path}: {key}: " if key else f"{self.path}: "
        super().__init__(where + problem)


class KioskSection(_Section):
    id: str = Field(min_length=1, max_length=64)
    municipality: str = Field(min_length=1)
    languages: list[Literal["es", "en"]] = Field(min_length=1)
    default_language: Literal["es", "en"] = "es"
    mode: Literal["kiosk", "development"] = "kiosk"
    # Escape, window close and Kivy's F1 settings do nothing. None: only in kiosk mode. The
    # demo sets it (it runs in development mode for its http:// API, yet must behave like
    # the kiosk, except for its own keys).
    lock_down: bool | None = None
    data_dir: Path
    log_dir: Path
    verification_url: str = Field(min_length=1)
    # A receipt can be reprinted (at any kiosk) for this many days after it was issued.
    reprint_window_days: Annotated[int, Field(ge=1, le=3650)] = 90

    @model_validator(mode="after")
    def _kiosk_is_locked(self) -> KioskSection:
        if self.mode == "kiosk" and self.lock_down is False:
            raise ValueError("lock_down cannot be false in kiosk mode")
        return self

    def locked(self) -> bool:
        """Tell whether the window ignores Escape, close and F1 (the kiosk lock-down)."""
        return self.mode == "kiosk" if self.lock_down is None else self.lock_down

    @field_validator("languages")
    @classmethod
    def _no_repeats(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a language is listed twice")
        return value


class DisplaySection(_Section):
    fullscreen: bool = True
    width: Annotated[int, Field(ge=320, le=7680)] = 1080
    height: Annotated[int, Field(ge=320, le=7680)] = 1920
    dpi: Annotated[float, Field(ge=50, le=600)] = 96.0
    # GL multisampling smooths round edges (a few hundred pixels of a screen differ). Off by
    # default: with no GPU (Mesa llvmpipe) Kivy's usual 2x costs ten times as much per frame.
    multisamples: Annotated[int, Field(ge=0, le=8)] = 0


class TimeoutsSection(_Section):
    inactivity_warning_s: Seconds = 60
    inactivity_countdown_s: Seconds = 30
    large_text_factor: Annotated[float, Field(ge=1, le=5)] = 1.5
    assisted_factor: Annotated[float, Field(ge=1, le=10)] = 3.0
    goodbye_s: Seconds = 8  # the goodbye screen shows this long before the wipe
    card_back_s: Seconds = 20  # a paid receipt waits this long at most for her card to leave


class ApiSection(_Section):
    url: str = Field(pattern=r"^https?://")
    connect_timeout_s: Seconds = 3
    read_timeout_s: Seconds = 10
    retries: Annotated[int, Field(ge=0, le=10)] = 2
    backoff_s: Annotated[float, Field(ge=0, le=60)] = 0.5
    ca_bundle: Path | None = None
    pinned_sha256: list[Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]] = Field(
        default_factory=list)
    enrolment_file: Path = Path("enrolment.json")
    required: bool = True
    heartbeat_interval_s: Seconds = 60  # health report to the API (kiosk/heartbeat.py)


class DevicesSection(_Section):
    eid: EidSection = EidSection()
    printer: PrinterSection = PrinterSection()
    payment: PaymentSection = PaymentSection()


class OfflineSection(_Section):
    database: Path = Path("kiosk.db")
    key_file: Path = Path("kiosk.key")
    retention_days: Annotated[int, Field(ge=1, le=365)] = 30
    sync_interval_s: Seconds = 5
    base_backoff_s: Seconds = 1  # first retry delay; doubles per failure (jittered)
    max_backoff_s: Seconds = 300
    batch_size: Annotated[int, Field(ge=1, le=1000)] = 50  # outbox items per sync round
    catalog_refresh_s: Seconds = 900  # the catalog is checked again this often (ETag: cheap)


class DailyCloseSection(_Section):
    enabled: bool = True
    at: str = Field(default="23:30", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")  # local time


class LoggingSection(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    max_bytes: Annotated[int, Field(ge=10_000)] = 5_000_000
    backups: Annotated[int, Field(ge=1, le=100)] = 10


class DemoSection(_Section):
    api_port: Port = 8765
    printer_port: Port = 9100
    vpcd_port: Port = 35963  # where pcscd's vpcd driver waits for the virtual card
    start_simulators: bool = True


class Settings(_Section):
    kiosk: KioskSection
    display: DisplaySection = DisplaySection()
    timeouts: TimeoutsSection = TimeoutsSection()
    api: ApiSection
    devices: DevicesSection = DevicesSection()
    offline: OfflineSection = OfflineSection()
    daily_close: DailyCloseSection = DailyCloseSection()
    logging: LoggingSection = LoggingSection()
    demo: DemoSection = DemoSection()

    def data_path(self, path: Path) -> Path:
        """Resolve a path from the config against the data directory."""
        return path if path.is_absolute() else self.kiosk.data_dir / path


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as err:
        raise ConfigError(path, "file not found") from err
    except PermissionError as err:
        raise ConfigError(path, "file cannot be read (permission denied)") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(path, f"not valid TOML ({err})") from err
    except UnicodeDecodeError as err:
        raise ConfigError(path, "not a UTF-8 text file") from err


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Return ``base`` with ``override`` laid over it, table by table (as site files are)."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _resolve_env(value: Any, key: str, path: Path) -> Any:
    if isinstance(value, dict):
        return {k: _resolve_env(v, f"{key}.{k}" if key else k, path) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("env:"):
        name = value[4:]
        if name not in os.environ:
            raise ConfigError(path, f"environment variable {name} is not set", key)
        return os.environ[name]
    return value


def _describe(error: ErrorDetails) -> tuple[str, str]:
    key = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return key, "unknown key (check the spelling against config/site-example.toml)"
    if error["type"] == "missing":
        return key, "required key is missing"
    return key, f"{error['msg']} (got {error.get('input')!r})"


def load_settings(path: Path | str | None = None) -> Settings:
    """Load ``default.toml`` overlaid with the site file at ``path`` and validate it."""
    site = Path(path) if path else None
    data = _read_toml(DEFAULT_CONFIG)
    source = DEFAULT_CONFIG
    if site is not None and site.resolve() != DEFAULT_CONFIG:
        site_data = _read_toml(site)
        data, source = deep_merge(data, site_data), site
    data = _resolve_env(data, "", source)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as err:
        key, problem = _describe(err.errors()[0])
        raise ConfigError(source, problem, key) from err
    _check_transport(settings.kiosk.mode, settings.api, source)
    return _anchor(settings, source)


def _check_transport(mode: str, api: ApiSection, source: Path) -> None:
    """Refuse a kiosk that would talk to the API in clear text or ignore its pin.

    A kiosk in the field carries citizens' data and payments: plain http is for the demo and
    development only, and a certificate pin on an http URL would be silently meaningless.
    """
    if api.url.startswith("https://"):
        return
    if mode == "kiosk":
        raise ConfigError(source, "must start with https:// in kiosk mode (http:// is only "
                          "for the demo and development mode)", "api.url")
    if api.pinned_sha256:
        raise ConfigError(source, "pinned_sha256 needs an https:// URL (a pin cannot protect "
                          "http://)", "api.pinned_sha256")


def _anchor(settings: Settings, source: Path) -> Settings:
    """Make relative data and log directories relative to the project root, not the cwd."""
    kiosk = settings.kiosk
    updates = {}
    for name in ("data_dir", "log_dir"):
        value: Path = getattr(kiosk, name)
        if not value.is_absolute():
            updates[name] = (PROJECT_ROOT / value).resolve()
    if not updates:
        return settings
    return settings.model_copy(update={"kiosk": kiosk.model_copy(update=updates)})
