"""Run every benchmark module in this package (``python -m bench``)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path


def main() -> None:
    """Import each ``bench/*_bench.py`` and call its ``main()``."""
    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if info.name.endswith("_bench"):
            print(f"== bench.{info.name}", flush=True)
            importlib.import_module(f"bench.{info.name}").main()


if __name__ == "__main__":
    main()
