"""Simulated stacks: the reference API, pcscd, the virtual card, printer and terminal.

One builder (:mod:`kiosk.simulated.stack`) for ``kiosk demo``, the tests and the benches.
"""
