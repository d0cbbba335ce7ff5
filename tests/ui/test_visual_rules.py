"""Visual rules on every screen, both languages, both orientations, with screenshots.

Rules (screens/theme.py): touch targets at least 15 mm on both sides at the configured DPI,
body text at least 28 px at 1080×1920, text contrast at least 7:1, at most one main action
per screen, nothing outside the window, no clipped text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.settings import load_settings
from rig.catalog import demo_catalog
from rig.harness import LANDSCAPE, PORTRAIT, KioskUI
from screens import theme


@pytest.mark.parametrize("name", sorted(theme.TEXT_PAIRS))
def test_every_text_colour_has_at_least_7_to_1_contrast_on_its_background(name):
    foreground, background = theme.TEXT_PAIRS[name]
    assert theme.contrast_ratio(foreground, background) >= theme.MIN_CONTRAST


def test_contrast_formula_matches_wcag_reference_values():
    black, white = theme.rgba("#000000"), theme.rgba("#ffffff")
    assert theme.contrast_ratio(black, white) == pytest.approx(21.0)
    assert theme.contrast_ratio(theme.rgba("#767676"), white) == pytest.approx(4.54, abs=0.01)


def _problems(ui: KioskUI, screen: str, dpi: float, shot: Path) -> list[str]:
    """Save a screenshot, check what is on screen against the rules, return what breaks."""
    seen = ui.call("inspect", screenshot=str(shot))
    width, height = seen["state"]["window"]
    scale = seen["state"]["ui_scale"]
    found = []
    buttons, labels = seen["buttons"], seen["labels"]
    for b in buttons:
        short_mm = theme.millimetres(min(b["width"], b["height"]), dpi)
        if short_mm < theme.MIN_TARGET_MM:
            found.append(f"{screen}: target {b['text']!r} is {short_mm:.1f} mm")
    mains = [b["text"] for b in buttons if b["main"]]
    if len(mains) > 1:
        found.append(f"{screen}: {len(mains)} main actions {mains}")
    for item in buttons + labels:
        if not item["scrolled"] and (
                item["x"] < -1 or item["y"] < -1 or item["x"] + item["width"] > width + 1
                or item["y"] + item["height"] > height + 1):
            found.append(f"{screen}: {item['text'][:30]!r} is outside the window")
    for label in labels:
        if label["font_size"] < theme.MIN_BODY_PX * scale - 0.01:
            found.append(f"{screen}: text {label['text'][:30]!r} is {label['font_size']:.0f} px")
        if label["texture_height"] > label["height"] + 2 or (
                label["texture_width"] > label["width"] + 2):
            found.append(f"{screen}: text {label['text'][:30]!r} is clipped")
    return found


def _tour(ui: KioskUI, look: Callable[[str], None], language: str) -> None:
    """Visit every screen and overlay of the browsing journey, looking at each."""
    catalog = demo_catalog()
    category = catalog["categories"][0]
    procedure = next(p for p in catalog["procedures"] if p["category_id"] == category["id"])
    look("home")
    ui.tap_through(("request", "categories"))
    look("categories")
    ui.tap_through((category["title"][language], "procedures"))
    look("procedures")
    ui.tap_through((procedure["title"][language], "procedure"))
    look("procedure")
    ui.tap("help")
    look("help")
    ui.tap("close_help")
    for screen in ("procedures", "categories", "home"):
        ui.tap("back")
        ui.wait_for_screen(screen)
    ui.tap("search")
    ui.wait_for_screen("search")
    ui.tap("clear")
    ui.call("type_text", text="predial")
    look("search")
    ui.call("warn_now")
    look("inactivity-warning")
    ui.tap("more_time")
    ui.call("set_online", online=False)
    ui.tap("back")
    ui.wait_for_screen("home")
    ui.wait_until(lambda: ui.call("widget", target="banner")["height"] > 0, "the banner")
    look("home-offline")
    ui.call("set_online", online=True)


def _extra_large_text(ui: KioskUI, look: Callable[[str], None]) -> None:
    """The largest text size must still fit: home, the keyboard and a long procedure."""
    ui.tap("text_size")
    ui.tap("text_size")
    assert ui.call("session_state")["text_size"] == "extra_large"
    look("home-extra-large-text")
    ui.tap("search")
    ui.wait_for_screen("search")
    look("search-extra-large-text")
    catalog = demo_catalog()
    longest = max(catalog["procedures"], key=lambda p: len(str(p["requirements"])))
    (category,) = [c for c in catalog["categories"] if c["id"] == longest["category_id"]]
    ui.tap_through(("back", "home"), ("request", "categories"),
                   (category["title"]["es"], "procedures"), (longest["title"]["es"], "procedure"))
    look("procedure-extra-large-text")


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_every_screen_meets_the_visual_rules_in_both_languages(start_ui, artifacts_dir,
                                                               orientation):
    ui = start_ui({**(PORTRAIT if orientation == "portrait" else LANDSCAPE),
                   "timeouts": {"inactivity_warning_s": 600}})
    dpi = load_settings(ui.config).display.dpi
    problems: list[str] = []
    shots: list[Path] = []

    def look_in(language: str) -> Callable[[str], None]:
        def look(screen: str) -> None:
            shot = artifacts_dir / f"{screen}-{language}-{orientation}.png"
            problems.extend(_problems(ui, f"{screen}-{language}-{orientation}", dpi, shot))
            shots.append(shot)
        return look

    look_in("es")("attract")
    ui.tap("lang_en")
    look_in("en")("attract")
    ui.tap("start")
    ui.wait_for_screen("home")
    _tour(ui, look_in("en"), "en")
    ui.tap("language")
    _tour(ui, look_in("es"), "es")
    _extra_large_text(ui, look_in("es"))
    assert not problems, "\n".join(problems)
    assert len(shots) == 2 + 2 * 8 + 3 and all(shot.stat().st_size > 0 for shot in shots)
