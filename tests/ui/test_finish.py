"""Finish without any device: survey and goodbye fit every layout, and goodbye wipes by itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rig.harness import LANDSCAPE, KioskUI
from tests.ui.test_session_lifecycle import assert_nothing_left
from tests.ui.test_status_journey import _look


def test_survey_and_goodbye_fit_landscape_with_extra_large_text_then_the_wipe_comes_alone(
        start_ui: Callable[..., KioskUI], loopback_port: int, artifacts_dir: Path) -> None:
    ui = start_ui({**LANDSCAPE, "api": {"url": f"http://127.0.0.1:{loopback_port}/v1"},
                   "timeouts": {"inactivity_warning_s": 600, "goodbye_s": 2}})
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap("text_size")
    ui.tap("text_size")
    ui.tap_through(("status", "status"))
    ui.call("type_text", text="VE2026000001")
    ui.tap("check")
    ui.wait_for_screen("status_result")  # the API does not answer: "unavailable"
    ui.tap("finish")
    ui.wait_for_screen("survey")
    _look(ui, "survey-es-landscape-extra-large-text", artifacts_dir)
    ui.tap("Muy bien")
    ui.wait_for_screen("goodbye")
    texts = "\n".join(ui.call("texts"))
    assert "Retire su comprobante" not in texts and "Retire su cédula" not in texts
    _look(ui, "goodbye-es-landscape-extra-large-text", artifacts_dir)
    ui.wait_for_screen("attract")  # nobody touched: goodbye_s later, the wipe
    assert_nothing_left(ui, ["VE 2026 000001", "Ahora no podemos consultarlo"])


def test_the_reasons_after_a_low_score_fit_landscape_with_extra_large_text_in_both_languages(
        start_ui: Callable[..., KioskUI], loopback_port: int, artifacts_dir: Path) -> None:
    ui = start_ui({**LANDSCAPE, "api": {"url": f"http://127.0.0.1:{loopback_port}/v1"},
                   "timeouts": {"inactivity_warning_s": 600}})
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap("text_size")
    ui.tap("text_size")
    ui.tap_through(("status", "status"))
    ui.call("type_text", text="VE2026000001")
    ui.tap("check")
    ui.wait_for_screen("status_result")
    ui.tap("finish")
    ui.wait_for_screen("survey")
    ui.tap("Muy mal")
    ui.wait_for_screen("survey_reason")
    _look(ui, "survey_reason-es-landscape-extra-large-text", artifacts_dir)
    ui.tap("language")
    ui.wait_until(lambda: "What went wrong?" in ui.call("texts"), "the reasons in English")
    _look(ui, "survey_reason-en-landscape-extra-large-text", artifacts_dir)
    ui.tap("Something else")
    ui.wait_for_screen("goodbye")
    # The session is over: no Back to bring her screens again, no Start again.
    shown = [button["text"] for button in ui.call("buttons")]
    assert "Terminar" not in shown and "Finish" in shown
    assert "< Back" not in shown and "Start again" not in shown and "? Help" in shown
