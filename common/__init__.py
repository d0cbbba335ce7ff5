"""The vocabulary every layer shares: drivers, the offline cache, services and screens.

It imports nothing of the project, so anything may import it: a translation marker
(:mod:`common.text`), a ``kiosk doctor`` line (:mod:`common.diagnosis`), money and its
formatting (:mod:`common.money`), typed configuration sections (:mod:`common.config`).
"""
