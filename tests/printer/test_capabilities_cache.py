"""python-escpos's printer database: read from a lasting, complete cache, no stray folders."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from escpos import capabilities

from drivers.printer import capabilities_cache
from kiosk.settings import PROJECT_ROOT


def test_the_cache_holds_what_python_escpos_would_parse_itself(tmp_path: Path) -> None:
    written = capabilities_cache.write_pickle(tmp_path)
    with Path(capabilities.capabilities_path).open(encoding="utf-8") as source:
        parsed_by_escpos = yaml.safe_load(source)
    assert pickle.loads(written.read_bytes()) == parsed_by_escpos
    assert [p.name for p in tmp_path.iterdir()] == [written.name]  # no temporary left


def test_a_start_reads_the_cache_and_leaves_no_folder_in_tmp(tmp_path: Path) -> None:
    temp, cache = tmp_path / "tmp", tmp_path / "cache"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != capabilities_cache.PICKLE_DIR_VARIABLE}
    env.update(TMPDIR=str(temp), XDG_CACHE_HOME=str(cache), PYTHONPATH=str(PROJECT_ROOT))
    probe = ("import os, drivers.printer.driver, escpos.capabilities as c; "
             "print(os.environ['ESCPOS_CAPABILITIES_PICKLE_DIR']); print(len(c.CAPABILITIES))")
    for _ in range(2):  # the first start writes the cache, the second reads it
        out = subprocess.run([sys.executable, "-c", probe], env=env, cwd=PROJECT_ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
        assert Path(out[0]).parent == cache / "municipal-kiosk"
        assert int(out[1]) > 0
    assert list(temp.iterdir()) == []  # python-escpos alone leaves a mkdtemp() folder each time
    assert len(list(Path(out[0]).glob("*.capabilities.pickle"))) == 1


def test_an_unwritable_cache_falls_back_to_python_escpos_own_way(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.delenv(capabilities_cache.PICKLE_DIR_VARIABLE, raising=False)
    capabilities_cache.prepare(blocked)
    assert capabilities_cache.PICKLE_DIR_VARIABLE not in os.environ
    assert "printer database cache unavailable" in caplog.text
