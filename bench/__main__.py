"""Run every benchmark module in this folder, or the ones named on the command line."""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path


def main() -> None:
    names = sys.argv[1:] or sorted(p.stem for p in Path(__file__).parent.glob("*_bench.py"))
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        run = importlib.import_module(f"bench.{name}").main
        # The runner's own arguments are bench names, not the bench's options: defaults.
        run([]) if "argv" in inspect.signature(run).parameters else run()


if __name__ == "__main__":
    main()
