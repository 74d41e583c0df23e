#!/usr/bin/env python3
"""Parallel efficiency of sluice.sweep on local threads.

A sweep of 8 points x 2 replications of models/default.yaml (each run about half a second to a
second of engine time), timed with workers=1 and workers=2, best of 3 each. Parallel efficiency
with one extra core is T1 / (2 * T2); the issue asks for at least 0.9 per extra core. Both
sweeps must also give identical tables.

    .venv/bin/python bench/sweep_efficiency.py [--repeats 3] [--duration 3h] \
        [--out bench/results/sweep_efficiency.txt]

The report (command, date, CPU model, load average, every timing) is printed and written to
--out. The machine should be otherwise idle: other processes on the same cores lower the
efficiency measured, not the engine's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shlex
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MEMORIES = ["256MB", "384MB", "512MB", "768MB", "1024MB", "1536MB", "1769MB", "2048MB"]
REPLICATIONS = 2
REQUIRED = 0.9


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="timings per worker count; the best counts")
    parser.add_argument("--duration", default="3h", help="simulated time per run (default 3h: ~0.6 s a run)")
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "sweep_efficiency.txt"))
    args = parser.parse_args()

    import sluice

    model = sluice.Model.load(REPO / "models" / "default.yaml")
    parameters = {"components.checkout.memory": MEMORIES}
    runs = len(MEMORIES) * REPLICATIONS

    def sweep(workers: int):
        start = time.perf_counter()
        table = sluice.sweep(model, parameters, replications=REPLICATIONS, duration=args.duration,
                             workers=workers, progress=False)
        return time.perf_counter() - start, table

    lines = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    command = " ".join(shlex.quote(a) for a in [os.path.relpath(sys.executable, REPO), *sys.argv])
    say("sweep parallel efficiency (bench/sweep_efficiency.py)")
    say(f"command:  {command}")
    say(f"date:     {dt.datetime.now().astimezone().isoformat(timespec='seconds')}")
    say(f"cpu:      {cpu_model()}, {os.cpu_count()} logical CPUs"
        f"{f', {len(os.sched_getaffinity(0))} usable' if hasattr(os, 'sched_getaffinity') else ''}")
    say(f"python:   {platform.python_version()}, sluice {sluice.__version__}")
    say(f"load:     {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) before the timings")
    say(f"sweep:    models/default.yaml, {len(MEMORIES)} points (components.checkout.memory) "
        f"x {REPLICATIONS} "
        f"replications = {runs} runs of {args.duration} simulated")

    # one untimed run first: page in the library and the model's files
    start = time.perf_counter()
    sluice.run(model, duration=args.duration)
    say(f"one run:  {time.perf_counter() - start:.3f} s")
    say()

    # The two worker counts take turns, so that a disturbance from elsewhere hits both alike.
    times = {1: [], 2: []}
    tables = {}
    for _ in range(args.repeats):
        for workers in (1, 2):
            elapsed, tables[workers] = sweep(workers)
            times[workers].append(elapsed)
    best = {workers: min(t) for workers, t in times.items()}
    for workers, t in times.items():
        say(f"workers={workers}: " + ", ".join(f"{x:.3f}" for x in t) + f" s  (best {best[workers]:.3f} s, "
            f"{best[workers] / runs:.3f} s per run)")
    identical = tables[1].equals(tables[2])
    efficiency = best[1] / (2 * best[2])
    say()
    say(f"speed-up T1/T2:              {best[1] / best[2]:.3f}")
    say(f"parallel efficiency T1/(2 T2): {efficiency:.3f}  (required: >= {REQUIRED}) -> "
        f"{'PASS' if efficiency >= REQUIRED else 'FAIL'}")
    say(f"tables identical for workers=1 and workers=2: {identical}")
    say(f"load:     {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) after the timings")

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {os.path.relpath(out, REPO)}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
