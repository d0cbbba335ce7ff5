"""The demo control panel: what a presenter does to the simulated hardware (no Kivy).

``kiosk demo`` only. Each action talks to a simulator's loopback control port — the
virtual e-ID card (:class:`drivers.eid.virtual_card.control.VirtualCardClient`) and the
payment terminal simulator (:mod:`drivers.payment.simulator.control`) — and returns one
line saying what it did (shown by the overlay, ``screens/demo_overlay.py``). Actions block
on a socket, so the overlay runs them off Kivy's thread. The texts are for the presenter,
not the citizen: English only, like the technician's tools.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from drivers.eid.citizens import Citizen, load_citizens
from drivers.eid.virtual_card.control import VirtualCardClient
from drivers.payment.simulator.control import send

log = logging.getLogger(__name__)

# SDL2 key codes as Kivy reports them.
F5, F6, F7, F8, F9, F12 = 286, 287, 288, 289, 290, 293
TOGGLE_KEY = F12
Action = Callable[[], str]


class DemoPanelError(RuntimeError):
    """A simulator refused or did not answer."""


class DemoPanel:
    """Insert, remove or switch the virtual card; script the terminal's next answer."""

    def __init__(self, card_port: int | None, terminal_port: int | None,
                 citizens: list[Citizen] | None = None) -> None:
        self.card_port = card_port
        self.terminal_port = terminal_port
        self.citizens = citizens if citizens is not None else load_citizens()
        self._citizen = 0

    # -- the virtual card -------------------------------------------------------------
    def _card(self, work: Callable[[VirtualCardClient], None]) -> None:
        if self.card_port is None:
            raise DemoPanelError("the virtual card is not running in this demo")
        try:
            client = VirtualCardClient(self.card_port, timeout=5)
        except OSError as err:
            raise DemoPanelError(f"the virtual card does not answer: {err}") from err
        try:
            work(client)
        except (OSError, RuntimeError) as err:
            raise DemoPanelError(f"the virtual card refused: {err}") from err
        finally:
            client.close()

    def _who(self) -> str:
        citizen = self.citizens[self._citizen]
        return f"{citizen.given_names} {citizen.surname}"

    def insert_card(self) -> str:
        """Put the current demo citizen's card in the reader."""
        self._card(lambda card: card.insert(self.citizens[self._citizen].national_number))
        return f"card inserted: {self._who()} (PIN {self.citizens[self._citizen].pin})"

    def remove_card(self) -> str:
        """Pull the card out (ends an identified session)."""
        self._card(lambda card: card.remove())
        return "card removed"

    def next_citizen(self) -> str:
        """Pull the card and insert the next demo citizen's."""
        self._citizen = (self._citizen + 1) % len(self.citizens)

        def swap(card: VirtualCardClient) -> None:
            card.remove()
            card.insert(self.citizens[self._citizen].national_number)

        self._card(swap)
        return f"card swapped: {self._who()} (PIN {self.citizens[self._citizen].pin})"

    # -- the payment terminal ----------------------------------------------------------
    def _script(self, script: dict[str, Any], said: str) -> str:
        if self.terminal_port is None:
            raise DemoPanelError("the terminal simulator has no control port in this demo")
        try:
            answer = send(self.terminal_port, {"script": script})
        except OSError as err:
            raise DemoPanelError(f"the terminal simulator does not answer: {err}") from err
        if "queued" not in answer:
            raise DemoPanelError(f"the terminal simulator refused: {answer.get('error')}")
        return f"{said} ({answer['queued']} scripted)"

    def decline_next_sale(self) -> str:
        """The bank declines the next sale (code 05)."""
        return self._script({"fault": "decline", "code": "05"}, "next sale: declined")

    def silent_next_sale(self) -> str:
        """The terminal charges the next sale, then goes silent (recovery by its last sale)."""
        return self._script({"fault": "no_answer", "charged": True},
                            "next sale: charged, then the terminal goes silent")

    def key_actions(self) -> dict[int, tuple[str, Action]]:
        """Key code → (legend line, action)."""
        return {
            F5: ("F5  insert the card", self.insert_card),
            F6: ("F6  remove the card", self.remove_card),
            F7: ("F7  next citizen's card", self.next_citizen),
            F8: ("F8  terminal: decline the next sale", self.decline_next_sale),
            F9: ("F9  terminal: charge, then go silent", self.silent_next_sale),
        }

    def legend(self) -> str:
        """The keys in a few lines (F12 shows or hides it)."""
        lines = [line for line, _action in self.key_actions().values()]
        return "\n".join(["Demo controls (F12 hides)", *lines])

    def run(self, key: int) -> str | None:
        """Run the action of ``key`` (blocking); None when the key is not the panel's."""
        entry = self.key_actions().get(key)
        if entry is None:
            return None
        try:
            result = entry[1]()
        except DemoPanelError as err:
            log.warning("demo panel: %s", err)
            return f"not done: {err}"
        log.info("demo panel: %s done", entry[0].split()[0])  # the result names a citizen
        return result
