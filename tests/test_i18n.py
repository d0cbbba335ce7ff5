"""Every UI text is in both catalogs; Spanish is complete and different from English."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from kiosk.i18n import load_catalog, po_path

ROOT = Path(__file__).resolve().parent.parent
MSGID = re.compile(r"""\b(?:_|N_)\(\s*"((?:[^"\\]|\\.)*)"\s*\)""")
# Drivers and services carry user-facing texts as message keys (translated on screen).
MESSAGE_KEY = re.compile(
    r'\bmessage_key(?:\s*:\s*str)?\s*=\s*(?:N_\()?\s*"((?:[^"\\]|\\.)*)"')


def _n_calls(source: str) -> set[str]:
    """Every N_("...") msgid, also when it is written over several lines ("a" "b")."""
    return {node.args[0].value for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_"
            and node.args and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)}


def used_msgids() -> set[str]:
    found: set[str] = set()
    for folder in ("screens", "kiosk", "drivers", "offline_cache", "common"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".kv"):
                text = path.read_text(encoding="utf-8")
                found.update(MSGID.findall(text))
                found.update(MESSAGE_KEY.findall(text))
                if path.suffix == ".py":
                    found.update(_n_calls(text))
    return found


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_used_text_is_in_the_catalog(language):
    with po_path(language).open("rb") as handle:
        catalog = read_po(handle)
    ids = {message.id for message in catalog if message.id}
    missing = used_msgids() - ids
    assert not missing, f"add to {language} catalog: {sorted(missing)}"


def test_spanish_translates_every_text():
    with po_path("es").open("rb") as handle:
        catalog = read_po(handle)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    assert not untranslated


def test_catalogs_load_and_translate():
    assert load_catalog("es")._("Pay") == "Pagar"
    assert load_catalog("en")._("Pay") == "Pay"
    assert used_msgids()  # the scan itself finds texts
