"""The journey rig itself: the kiosk on every real stack sees every device usable."""

from __future__ import annotations

from tests.fixtures.ui import KioskStack


def test_kiosk_on_the_real_stacks_can_pay_print_and_identify(kiosk_stack: KioskStack) -> None:
    ui = kiosk_stack.start()
    ui.wait_until(lambda: ui.call("capabilities")["can_pay_by_card"], "the terminal")
    capabilities = ui.call("capabilities")
    assert capabilities == {"can_pay_by_card": True, "receipt_mode": "paper",
                            "can_use_eid": True}
    assert ui.call("screen") == "attract"
