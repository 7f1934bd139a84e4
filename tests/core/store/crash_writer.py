"""The writer process of the crash test: saves visits in a loop, reporting each returned save.

    python crash_writer.py WORKSPACE USER PASSWORD SEED

Prints ``ready`` once the workspace is open, then after every save that returned, one line
``<child_id> <child_rev> <visit_rev>``, flushed at once. The test kills it with SIGKILL.
"""

from __future__ import annotations

import random
import sys

from surveyapp.core.store import Workspace


def main() -> None:
    path, user, password, seed = sys.argv[1:5]
    rng = random.Random(int(seed))
    ws = Workspace.open(path, user, password)
    known: list[str] = []
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        child = rng.choice(known) if known and rng.random() < 0.4 else None
        # ASCII names keep pypinyin's slow first import out of this short-lived process.
        values = {"child_name": f"Child {seed} No {n}", "id_number": f"{seed:0>6}20100101{n:0>4}",
                  "survey_date": "2026-07-01", "follow_up_days": 30,
                  "remarks": "x" * rng.randint(0, 3000)}
        saved = ws.save_visit(child, values, form_id="child_screening", form_version="1")
        if child is None:
            known.append(saved.child_id)
        print(saved.child_id, saved.child_rev, saved.visit_rev, flush=True)


if __name__ == "__main__":
    main()
