"""Demo-county generation speed: ``generate_demo`` for growing sizes.

Baseline (same run): drawing only the Faker names of the same number of children, the
floor any realistic generator pays. Run: ``.venv/bin/python bench/bench_demo.py``.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from faker import Faker

from surveyapp.core.demo import generate_demo

TODAY = dt.date(2026, 11, 23)


def _median(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    fake = Faker("zh_CN")
    fake.seed_instance(1)
    for n in (500, 2000, 10000):
        base = _median(lambda n=n: [fake.name() for _ in range(n)])
        full = _median(lambda n=n: generate_demo(seed=2016, children=n, today=TODAY), repeat=3)
        county = generate_demo(seed=2016, children=n, today=TODAY)
        visits = sum(1 for _ in county.visits())
        print(
            f"children={n:>6}  visits={visits:>6}  generate_demo={full * 1000:8.1f} ms"
            f"  ({full / n * 1e6:6.1f} us/child)  faker-names-only={base * 1000:7.1f} ms"
            f"  ratio={full / base:5.1f}x"
        )


if __name__ == "__main__":
    main()
