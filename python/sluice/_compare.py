"""Design comparison: several architectures, one workload (the same seed), side by side."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from . import _checks, _core
from ._model import Model, PathLike, as_model
from ._units import Duration

_COLUMNS = ["file", "requests", "completed", "in_flight", "falling_behind", "in_flight_growth", "p50_ms",
            "p99_ms", "peak_backlog", "oldest_message_age_s", "throttles", "dead_lettered", "duplicates",
            "cost_per_month_usd", "cost_per_million_usd", "ledger_balanced"]


def compare(models: Sequence[Model | PathLike], *, duration: Duration | None = None,
            seed: int | None = None, set: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Runs every design with one seed (the first design's unless given) and returns one row per
    design: requests, completed and still in flight at the end, whether the design is falling
    behind (requests in flight grew over the last tenth of the run by more than noise allows; see
    ``docs/model-reference.md``), end-to-end p50/p99, peak backlog, oldest message, throttles,
    dead-lettered, duplicates, cost per month and per 1M requests, and one ``lost_<reason>`` column
    per failure reason seen.

    ``set`` applies overrides as ``sluice compare --set`` does: ``{"sources.orders.arrivals.rate":
    "500/s"}`` to every design, ``{"kinesis-lambda:components.orders-in.shards": 10}`` only to the
    design of that name (its model name or file name without .yaml).

    ``duration``: a number of seconds or text with a unit, 1ms to 366d, longer than every
    design's warm-up; ``seed`` an int from 0 to 2**64 - 1. Ctrl-C stops the runs with
    KeyboardInterrupt.
    """
    if _checks.is_path(models) or isinstance(models, Model):
        raise TypeError("compare() takes a list of designs, e.g. compare(['a.yaml', 'b.yaml'])")
    entries = _checks.non_empty(_checks.items(models, "models", "designs (sluice.Model or model files)"),
                                "models", "designs")
    designs = [as_model(m, "each of models") for m in entries]
    duration_s = _checks.duration_s(duration)
    seed = _checks.seed(seed)
    if set is not None:
        _checks.mapping(set, "set", "{'run.seed': 7}")
        for key in set:
            _checks.text(key, "a key of set", "design:components.f.memory")
    if set:
        keys = list(set)
        routed = _core.overrides_per_design([(d.name, d.spec.file) for d in designs],
                                            [(k, str(i)) for i, k in enumerate(keys)])
        designs = [d.with_overrides({key: set[keys[int(i)]] for key, i in own}) if own else d
                   for d, own in zip(designs, routed)]
    # The engine checks every design's warm-up against the duration itself (naming the design);
    # the rest of a run's checks are made here, for every design before the first runs.
    for d in designs:
        if duration_s is None or d.spec.warmup_s < duration_s:
            try:
                _checks.check_run(d.spec, duration_s)
            except _core.ModelError as e:
                raise _core.ModelError(f"{d.spec.file}: {e}") from None
    rows = json.loads(_core.compare([d.spec for d in designs], duration_s, seed))
    reasons = sorted({reason for row in rows for reason in row["lost"]})
    table = pd.DataFrame(
        [{**{c: row[c] for c in _COLUMNS}, **{f"lost_{r}": row["lost"].get(r, 0) for r in reasons}}
         for row in rows],
        index=pd.Index([row["design"] for row in rows], name="design"))
    return table
