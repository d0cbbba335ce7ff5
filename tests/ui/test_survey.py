"""The survey by touch: a low score asks why (optional); all of it reaches the API."""

from __future__ import annotations

from pathlib import Path

from screens.journeys import SURVEY_REASON_SCREEN, SURVEY_SCREEN
from tests.fixtures.ui import KioskStack
from tests.ui.looks import look_both, texts
from tests.ui.pay_steps import FINE, open_pay, wait_result
from tests.ui.test_session_lifecycle import assert_nothing_left

SEEDED_CASE = "VE-2026-000001"  # procedure_api/seed.py: the first demo citizen's open case


def _answers(stack: KioskStack) -> list[tuple[int, str, str | None, str | None]]:
    return [(int(score), str(journey), procedure, reason) for score, journey, procedure, reason
            in stack.api_rows("SELECT score, journey, procedure_id, reason FROM satisfaction"
                              " ORDER BY id")]


def test_a_low_score_after_paying_asks_why_and_the_reason_and_procedure_reach_the_api(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    ui = stack.start({"timeouts": {"goodbye_s": 120}})
    open_pay(ui)  # the property tax procedure's Start, then a bill typed by its reference
    ui.tap_through(("pay_reference", "pay_entry"))
    for digit in FINE:
        ui.tap(digit)
    ui.tap("find")
    ui.wait_until(lambda: ui.call("screen") == "pay_confirm", "the bill found")
    ui.tap("pay")
    assert "Pago aprobado" in wait_result(ui)
    ui.tap("finish")
    ui.wait_for_screen(SURVEY_SCREEN)
    assert ui.call("screen_params")["procedure_id"] == "property_tax"
    ui.tap("Muy mal")  # score 1: one more, optional question
    ui.wait_for_screen(SURVEY_REASON_SCREEN)
    shown = texts(ui)
    for reason in ("Demasiados pasos", "No entendí", "Falló un aparato", "Otro motivo"):
        assert reason in shown
    look_both(ui, "survey_reason", artifacts_dir, "What went wrong?")
    ui.tap("Demasiados pasos")
    ui.wait_for_screen("goodbye")
    ui.wait_until(lambda: _answers(stack), "the survey answer at the API")
    assert _answers(stack) == [(1, "pay", "property_tax", "too_many_steps")]
    ui.tap("thanks")
    ui.wait_for_screen("attract")

    # The next citizen checks a case by its number, gives a low score and skips the reason:
    # the score still counts, with no reason (and no procedure: a typed case number names
    # none on the screen, so the survey does not either).
    ui.tap("start")
    ui.tap_through(("status", "status"))
    ui.call("type_text", text=SEEDED_CASE.replace("-", ""))
    ui.tap("check")
    ui.wait_for_screen("status_result")
    ui.tap("finish")
    ui.wait_for_screen(SURVEY_SCREEN)
    ui.tap("Mal")  # score 2
    ui.wait_for_screen(SURVEY_REASON_SCREEN)
    ui.tap("skip")
    ui.wait_for_screen("goodbye")
    ui.wait_until(lambda: len(_answers(stack)) == 2, "the second answer at the API")
    ui.wait_until(lambda: ui.call("outbox_depth") == 0, "the outbox drained")
    assert _answers(stack) == [(1, "pay", "property_tax", "too_many_steps"),
                               (2, "status", None, None)]  # each delivered once
    ui.tap("thanks")
    ui.wait_for_screen("attract")
    assert_nothing_left(ui, [SEEDED_CASE, FINE])

