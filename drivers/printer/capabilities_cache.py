"""A lasting cache of python-escpos's printer database, written whole or not at all.

python-escpos parses its 96 kB capabilities file with PyYAML at every import (150 ms of
CPU at each start of the kiosk) and caches the result in a fresh ``mkdtemp()`` folder that
nothing ever deletes: one stray folder in /tmp per start (it calls ``mkdtemp()`` even when
told where its cache is). Given a lasting folder (``ESCPOS_CAPABILITIES_PICKLE_DIR``) it
reads its pickle instead, but writes that pickle in place, so a second process starting
meanwhile could read half of it. So this module writes the pickle itself, atomically, into
a folder per python-escpos version (an upgrade starts a new one), then imports
python-escpos's capabilities with its stray folder made inside ours and removed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pickle
import platform
import tempfile
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)

PICKLE_DIR_VARIABLE = "ESCPOS_CAPABILITIES_PICKLE_DIR"


def cache_root() -> Path:
    """systemd's CacheDirectory= when run as a service, else the user's XDG cache."""
    if os.environ.get("CACHE_DIRECTORY"):
        return Path(os.environ["CACHE_DIRECTORY"].split(":")[0])
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "municipal-kiosk"


def pickle_path(directory: Path) -> Path:
    """Where python-escpos looks for its pickle in ``directory``."""
    return directory / f"{platform.python_version()}.capabilities.pickle"


def write_pickle(directory: Path) -> Path:
    """Parse the capabilities file and replace the pickle in one step."""
    directory.mkdir(parents=True, exist_ok=True)
    target = pickle_path(directory)
    source = resources.files("escpos") / "capabilities.json"
    capabilities = json.loads(source.read_text(encoding="utf-8"))
    descriptor, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as out:
            pickle.dump(capabilities, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def prepare(root: Path | None = None) -> None:
    """Point python-escpos at a complete pickle (call before importing it).

    A folder already chosen by the environment is left alone. When nothing can be written,
    python-escpos keeps its own behaviour: slower, and one stray temporary folder.
    """
    if os.environ.get(PICKLE_DIR_VARIABLE):
        return
    import escpos  # its version only: the package itself imports nothing more

    directory = (root or cache_root()) / f"escpos-{escpos.__version__}"
    try:
        if not pickle_path(directory).is_file():
            write_pickle(directory)
    except OSError as err:
        log.warning("printer database cache unavailable in %s (%s): parsed at each start",
                    directory, err)
        return
    os.environ[PICKLE_DIR_VARIABLE] = str(directory)
    _import_without_stray_folder(directory / "scratch")


def _import_without_stray_folder(scratch: Path) -> None:
    scratch.mkdir(exist_ok=True)
    previous, tempfile.tempdir = tempfile.tempdir, str(scratch)
    try:
        import escpos.capabilities  # noqa: F401  # its mkdtemp() lands in scratch
    finally:
        tempfile.tempdir = previous
    for stray in scratch.iterdir():
        with contextlib.suppress(OSError):
            stray.rmdir()
