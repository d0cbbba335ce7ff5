"""Inactivity: warning with a countdown, "I need more time", then a wipe that leaves nothing."""

from __future__ import annotations

import time
from collections.abc import Callable

from rig.catalog import demo_catalog
from rig.harness import PORTRAIT, KioskUI

SHORT = {"timeouts": {"inactivity_warning_s": 1.6, "inactivity_countdown_s": 1.0,
                      "large_text_factor": 1.5, "assisted_factor": 1.25}}


def _citizen_traces() -> list[str]:
    (procedure,) = [p for p in demo_catalog()["procedures"] if p["id"] == "property_tax"]
    return ["predial", procedure["title"]["es"], procedure["title"]["en"],
            procedure["office"]["es"], procedure["office"]["en"]]


def test_warning_more_time_then_wipe_leaves_nothing_of_the_citizen(
        start_ui: Callable[..., KioskUI]) -> None:
    ui = start_ui({**PORTRAIT, **SHORT})
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap("search")
    ui.wait_for_screen("search")
    ui.call("type_text", text="predial")
    ui.tap(demo_catalog()["procedures"][0]["title"]["es"])
    ui.wait_for_screen("procedure")
    assert ui.call("session_state")["values"] == {"search": "predial"}
    ui.tap("help")
    ui.tap("call_assistant")
    ui.wait_until(lambda: "Guardamos su llamado" in " ".join(ui.call("texts")), "call saved")
    assert ui.call("session_state")["assisted"]  # an assistant is coming: more time
    ui.tap("close_help")
    ui.tap("text_size")  # large text and assisted: 3 s before the warning, 1.9 s countdown
    started = time.monotonic()  # before the last touch, which restarts the wait
    ui.tap("language")
    ui.wait_until(lambda: ui.call("session_state")["overlays"] == 1, "the warning", 6)
    assert time.monotonic() - started >= 2.9  # not before the extended limit
    texts = ui.call("texts")
    assert "Are you still there?" in texts
    assert any("start over in" in t for t in texts)  # the countdown, in words
    ui.tap("more_time")
    state = ui.call("session_state")
    assert state["overlays"] == 0 and state["active"] and ui.call("screen") == "procedure"

    ui.wait_until(lambda: ui.call("session_state")["overlays"] == 1, "the warning again", 6)
    ui.wait_for_screen("attract")  # nobody touched: the countdown ran out

    assert_nothing_left(ui, [*_citizen_traces(), "Guardamos su llamado"])


def assert_nothing_left(ui: KioskUI, traces: list[str]) -> None:
    """The wipe: session object blank, no history or overlay, no trace on any screen."""
    state = ui.call("session_state")
    assert state["blank"] and state["history"] == [] and state["overlays"] == 0
    assert not state["timer_running"] and state["values"] == {}
    assert (state["app_language"], state["text_factor"]) == ("es", 1.0)
    everything = "\n".join(ui.call("all_texts"))
    for trace in traces:
        assert trace not in everything, trace
    fields = [t for t in ui.call("all_texts") if t.endswith("|")]
    # Every typed field on a screen built so far (screens are built when first shown: the
    # search, case-number, bill-number, ID-number, form-answer and reprint fields): empty
    assert fields and set(fields) == {"|"}


def test_touches_keep_the_session_alive(start_ui: Callable[..., KioskUI]) -> None:
    ui = start_ui({**PORTRAIT, "timeouts": {"inactivity_warning_s": 2.5,
                                            "inactivity_countdown_s": 1.0}})
    ui.tap("start")
    ui.wait_for_screen("home")
    started = time.monotonic()
    while time.monotonic() - started < 4.0:  # longer than warning + countdown
        ui.tap("request")
        ui.wait_for_screen("categories")
        ui.tap("back")
        ui.wait_for_screen("home")
        assert ui.call("session_state")["overlays"] == 0
    assert ui.call("session_state")["active"]
