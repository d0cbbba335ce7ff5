"""Citizen journeys driven by touches: browse, search on the keyboard, language, text size,
Back everywhere, and the catalog served from the cache while the API is down."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rig.catalog import demo_catalog
from rig.harness import PORTRAIT, KioskUI
from tests.ui.looks import ocr


def _title(procedure_id: str, language: str) -> str:
    (procedure,) = [p for p in demo_catalog()["procedures"] if p["id"] == procedure_id]
    return str(procedure["title"][language])


def _first_of_category(category_id: str) -> dict[str, Any]:
    return next(p for p in demo_catalog()["procedures"] if p["category_id"] == category_id)


def _back_to(ui: KioskUI, screen: str) -> None:
    ui.tap("back")
    ui.wait_for_screen(screen)


def test_browse_to_a_procedure_page_and_back_everywhere_from_the_cache_while_offline(
        start_ui: Callable[..., KioskUI], loopback_port: int, artifacts_dir: Path) -> None:
    # Nothing listens on this port: the app can only use what the offline cache holds.
    ui = start_ui({**PORTRAIT, "api": {"url": f"http://127.0.0.1:{loopback_port}/v1"}})
    ui.call("set_online", online=False)  # what the sync worker reports without a link
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.wait_until(lambda: "Ahora no hay conexión" in ui.call("widget", target="banner")["text"],
                  "the offline banner")
    ui.tap("request")
    ui.wait_for_screen("categories")
    shot = artifacts_dir / "categories-es-portrait-offline.png"
    ui.call("screenshot", path=str(shot))
    assert "no hay conexión" in ocr(shot, "es")  # said in words, not by colour alone
    category = demo_catalog()["categories"][0]
    procedure = _first_of_category(category["id"])
    ui.tap(category["title"]["es"])
    ui.wait_for_screen("procedures")
    assert ui.call("screen_params") == {"screen": "procedures", "category_id": category["id"]}
    ui.tap(procedure["title"]["es"])
    ui.wait_for_screen("procedure")
    texts = ui.call("texts")
    for heading in ("Qué recibe", "Qué necesita", "Costo", "Cuánto tarda", "Adónde ir después"):
        assert heading in texts
    assert procedure["title"]["es"] in texts and procedure["office"]["es"] in texts
    assert procedure["identity_level"] == "eid"  # offline it cannot be sent: Start is off,
    assert "Este trámite necesita su cédula de identidad" in ui.call(  # and the page says why
        "widget", target="start_notice")["text"]
    assert ui.call("disabled", target="start")

    _back_to(ui, "procedures")
    _back_to(ui, "categories")
    _back_to(ui, "home")
    ui.tap("pay")
    ui.wait_for_screen("procedures")
    payable = {p["title"]["es"] for p in demo_catalog()["procedures"]
               if p["fee"]["kind"] == "lookup"}
    assert payable and payable <= set(ui.call("all_texts"))
    ui.call("device_status", device="printer", state="hardware_error",
            message_key="The device is not available right now.")
    ui.wait_until(lambda: ui.call("widget", target="banner")["text"].endswith(
        "\nImpresora de comprobantes: El equipo no está disponible en este momento."),
        "the device notice, naming the device, translated")
    ui.call("set_online", online=True)
    ui.call("device_status", device="printer", state="online")
    ui.wait_until(lambda: ui.call("widget", target="banner")["text"] == "", "notices gone")
    _back_to(ui, "home")
    _back_to(ui, "attract")  # Back from home ends the session
    assert ui.call("session_state")["history"] == []


def test_search_typed_on_the_keyboard_then_language_and_text_size(
        start_ui: Callable[..., KioskUI]) -> None:
    ui = start_ui(PORTRAIT)
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap("search")
    ui.wait_for_screen("search")
    seen_counts = []
    for letter in "predial":
        ui.tap(letter)
        seen_counts.append(len([t for t in ui.call("all_texts") if "predial" in t.lower()]))
    assert seen_counts[-1] > 0  # results appear while typing, before any "search" button
    assert ui.call("widget", target="field")["text"] == "predial|"
    title = _title("property_tax", "es")
    ui.tap(title)
    ui.wait_for_screen("procedure")
    assert ui.call("screen_params")["procedure_id"] == "property_tax"

    ui.tap("language")
    english = _title("property_tax", "en")
    ui.wait_until(lambda: english in ui.call("texts"), "the page in English")
    assert "What you need" in ui.call("texts")

    before = ui.call("widget", target="title")["font_size"]
    for size, label in (("large", "Large"), ("extra_large", "Extra large"),
                        ("normal", "Normal")):
        ui.tap("text_size")
        state = ui.call("session_state")
        assert state["text_size"] == size
        assert ui.call("widget", target="text_size")["text"].endswith(f"[b]{label}[/b]")
        if size == "extra_large":
            assert ui.call("widget", target="title")["font_size"] == 1.5 * before
    assert ui.call("widget", target="title")["font_size"] == before

    _back_to(ui, "search")
    assert ui.call("widget", target="field")["text"] == "predial|"  # the query is kept
    ui.tap("language")
    ui.wait_until(lambda: title in ui.call("all_texts"), "results back in Spanish")
    ui.tap("Borrar")
    assert ui.call("widget", target="field")["text"] == "predia|"
    _back_to(ui, "home")
