"""The daily close runs once a day after its time, and never while a citizen is there."""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.daily_close_schedule import DailyCloseSchedule
from kiosk.settings import DailyCloseSection
from tests.fixtures.pay_rig import PayRig


def test_the_close_waits_for_its_time_and_for_the_citizen_then_runs_once_a_day(
        pay_rig: PayRig) -> None:
    clock = {"now": datetime.now().astimezone().replace(hour=23, minute=0, second=0)}
    schedule = DailyCloseSchedule(DailyCloseSection(at="23:30"), pay_rig.service.kiosk,
                                  pay_rig.store, pay_rig.hub, pay_rig.sync,
                                  now=lambda: clock["now"])
    assert not schedule.run_if_due()  # 23:00: not yet
    clock["now"] += timedelta(minutes=45)
    schedule.citizen(True)  # 23:45, but María is paying
    assert schedule.due() and not schedule.run_if_due()
    schedule.citizen(False)  # her session is wiped
    assert schedule.run_if_due()
    assert pay_rig.line.memory.closes == 1 and len(pay_rig.printer.wait_for_jobs(1)) == 1
    assert not schedule.run_if_due()  # once a day
    clock["now"] += timedelta(days=1)
    assert schedule.run_if_due() and pay_rig.line.memory.closes == 2


def test_a_disabled_close_never_runs(pay_rig: PayRig) -> None:
    late = datetime.now().astimezone().replace(hour=23, minute=59)
    schedule = DailyCloseSchedule(DailyCloseSection(enabled=False, at="00:00"),
                                  pay_rig.service.kiosk, pay_rig.store, pay_rig.hub,
                                  pay_rig.sync, now=lambda: late)
    assert not schedule.due() and not schedule.run_if_due()
    assert pay_rig.line.memory.closes == 0
