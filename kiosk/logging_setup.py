"""Technician logs: rotating files, every line passed through the redactor."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from kiosk.redaction import REDACTOR, Redactor

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class RedactingFormatter(logging.Formatter):
    """Format a record, traceback included, then strip personal data from the result."""

    def __init__(self, redactor: Redactor = REDACTOR, fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        return self.redactor.redact(super().format(record))


def configure_logging(log_dir: Path, level: str = "INFO", max_bytes: int = 5_000_000,
                      backups: int = 10, console: bool = True) -> Path:
    """Send all logging (Kivy's included) to a rotating file and stderr, redacted."""
    log_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(log_dir, 0o750)
    path = log_dir / "kiosk.log"
    formatter = RedactingFormatter()
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(
            path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
        )
    ]
    if console:
        handlers.append(logging.StreamHandler())
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    for handler in handlers:
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(level)
    return path
