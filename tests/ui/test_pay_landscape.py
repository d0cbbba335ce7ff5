"""The Pay screens on a landscape kiosk, in Spanish and English, by touch on the real stacks.

Every screen keeps its title, its keys and its main action inside the window with nothing
clipped (tests/ui/test_visual_rules.py's rules), and the receipt preview stays readable.
"""

from __future__ import annotations

from pathlib import Path

from drivers.payment.simulator import Fault, Script
from rig.harness import LANDSCAPE, KioskUI
from tests.fixtures.ui import KioskStack
from tests.ui.looks import look, texts
from tests.ui.pay_steps import identify, open_pay_for, wait_result


def _look_landscape(ui: KioskUI, name: str, artifacts_dir: Path, english: str) -> None:
    """Check and save the screen in Spanish, then in English, and come back to Spanish."""
    look(ui, f"{name}-es-landscape", artifacts_dir)
    ui.tap("language")
    ui.wait_until(lambda: english in texts(ui), f"{name} in English")
    look(ui, f"{name}-en-landscape", artifacts_dir)
    ui.tap("language")
    ui.wait_until(lambda: ui.call("session_state")["language"] == "es", "Spanish")


def test_every_pay_screen_fits_a_landscape_kiosk_in_both_languages(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    stack.terminal.memory.queue(Script(Fault.SLOW, delay_s=1.0))
    ui = stack.start(LANDSCAPE)
    open_pay_for(ui, "Pagar el impuesto predial")
    _look_landscape(ui, "pay_start", artifacts_dir, "How do you want")
    ui.tap_through(("pay_reference", "pay_entry"))
    ui.tap("find")  # nothing typed: the message has its room
    _look_landscape(ui, "pay_entry", artifacts_dir, "bill's number")
    ui.tap_through(("back", "pay_start"), ("pay_cadastral_key", "pay_entry"))
    ui.call("type_text", text="CAT-0001")
    ui.tap("find")
    _look_landscape(ui, "pay_entry-cadastral_key", artifacts_dir, "cadastral key")
    ui.tap_through(("back", "pay_start"))
    identify(ui)
    _look_landscape(ui, "pay_debts", artifacts_dir, "You can also pay")
    ui.tap_through(("continue", "pay_confirm"))
    _look_landscape(ui, "pay_confirm", artifacts_dir, "Property CAT-000001")
    ui.tap("pay")
    ui.wait_for_screen("pay_progress")
    look(ui, "pay_progress-es-landscape", artifacts_dir)
    assert "Pago aprobado" in wait_result(ui)
    _look_landscape(ui, "pay_result", artifacts_dir, "Payment approved")
    (job,) = stack.printer.wait_for_jobs(1)
    assert job.complete
