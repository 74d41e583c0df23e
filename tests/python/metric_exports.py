"""Format-true CloudWatch metric exports from a known rate, for the tests of traffic from metrics.

`aws cloudwatch get-metric-data` JSON as the AWS CLI prints it (4-space indent, newest first,
periods without requests left out, ISO 8601 timestamps with an offset, float values) and the
`timestamp,value` CSV sluice also reads. Counts per period are Poisson at a sine-modulated rate, so a
test knows the generating parameters. Malformed data points can be planted; the writers return the
line of each one so a test can check that the error names it.

    python tests/python/metric_exports.py OUT_DIR   # writes count.json and count.csv
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

START = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class SineRate:
    """rate(t) = mean * (1 + amplitude * sin(2 pi t / cycle_s)), requests per second."""

    mean: float = 20.0
    amplitude: float = 0.5
    cycle_s: float = 3600.0

    def expected(self, period_s: int, periods: int) -> np.ndarray:
        """The expected count of each period (the rate at its middle times its length)."""
        mid = (np.arange(periods) + 0.5) * period_s
        return period_s * self.mean * (1 + self.amplitude * np.sin(2 * math.pi * mid / self.cycle_s))


def poisson_counts(rate: SineRate, period_s: int, periods: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).poisson(rate.expected(period_s, periods)).astype(np.int64)


def _stamp(k: int, period_s: int) -> str:
    return (START + timedelta(seconds=k * period_s)).isoformat()  # 2026-11-30T10:05:00+00:00


def write_get_metric_data(path: Path, counts, period_s: int = 60, *, label: str = "Count",
                          status: str = "Complete", bad: dict[int, object] | None = None,
                          next_token: bool = False) -> dict[int, int]:
    """Writes the JSON; `bad` maps a period's index to the value written in place of its count.
    Returns the line of each planted bad value, by period index."""
    bad = bad or {}
    kept = [k for k in range(len(counts)) if counts[k] > 0 or k in bad][::-1]  # newest first
    doc: dict[str, object] = {"MetricDataResults": [{
        "Id": "m1", "Label": label,
        "Timestamps": [_stamp(k, period_s) for k in kept],
        "Values": [bad[k] if k in bad else float(counts[k]) for k in kept],
        "StatusCode": status}], "Messages": []}
    if next_token:
        doc["NextToken"] = "eyJwYWdlIjogMn0="
    text = json.dumps(doc, indent=4) + "\n"
    path.write_text(text, encoding="utf-8")
    first_value = text.splitlines().index('            "Values": [') + 2
    return {k: first_value + i for i, k in enumerate(kept) if k in bad}


def write_metric_csv(path: Path, counts, period_s: int = 60, *,
                     bad: dict[int, str] | None = None) -> dict[int, int]:
    """Writes timestamp,value oldest first; `bad` maps a period's index to a whole malformed line
    written in place of its row. Returns the line of each, by period index."""
    bad = bad or {}
    lines, where = ["timestamp,value"], {}
    for k, c in enumerate(counts):
        if k in bad:
            lines.append(bad[k])
            where[k] = len(lines)
        elif c > 0:
            lines.append(f"{_stamp(k, period_s).replace('+00:00', 'Z')},{int(c)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return where


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    counts = poisson_counts(SineRate(), 60, 180, seed=1)
    write_get_metric_data(out / "count.json", counts)
    write_metric_csv(out / "count.csv", counts)
    print(f"wrote {out / 'count.json'} and {out / 'count.csv'}: {int(counts.sum())} requests in 180 minutes")
