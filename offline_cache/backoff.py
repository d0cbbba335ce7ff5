"""Exponential backoff with "equal jitter", capped.

Written out (five lines) rather than taken from a retry library: tenacity and backoff wrap a
*call* in a retry loop, but the sync worker's retry is a wait between rounds over a durable
queue, interruptible by ``stop()``/``wake()``. The formula is the "equal jitter" variant
from AWS's "Exponential Backoff And Jitter" article: half the exponential step is kept so
retries never collapse to zero, the other half is random so kiosks that lost the link
together do not all come back in the same second.
"""

from __future__ import annotations

import random


def backoff_delay(failures: int, *, base_s: float, cap_s: float, rng: random.Random) -> float:
    """Return seconds to wait after ``failures`` consecutive failures (>= 1), at most cap_s."""
    step = min(cap_s, base_s * float(2 ** min(failures - 1, 32)))
    return step / 2 + rng.uniform(0, step / 2)
