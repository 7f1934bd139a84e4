"""Whether a second process pays: a core to spare and a Python that can start one.

The ledger import (``ledgerin``) and the batch import (``importlines``) each hand their
per-row work to a plain child interpreter when the machine has a core to spare; on a busy
machine the two processes would only take turns on one core and lose the time they spend
exchanging rows. Never in a frozen (packaged) app, whose executable would start the whole
app again as the child.
"""

from __future__ import annotations

import os
import sys


def core_free(margin: float) -> bool:
    """True when there are at least two cores, the load average of the last minute is at
    most ``cores - margin`` (0 where there is none: Windows) and the app is not frozen."""
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows has none
        load = 0.0
    return cores >= 2 and load <= cores - margin and not getattr(sys, "frozen", False)
