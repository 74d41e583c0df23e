"""Metrics: the numbers of a run's summary, named by their dotted paths
('sources.shoppers.latency_ms.p99', 'end_to_end.failed.throttled', 'cost_usd.total').

Which metrics a model has is read from the engine (sluice/sweep.hpp), not from a list kept here:
a run of the model lasting 1 ms, without warm-up, has the summary of every run of that model,
only with other numbers. That probe takes about a millisecond, so a misspelled metric is caught
before the first real run. One exception today: the engine writes a function's AsyncEvent*
metrics once it has an on-failure destination or has received an asynchronous event, so a
function invoked asynchronously without a destination lacks them in the probe.
"""

from __future__ import annotations

import os
from typing import Union

from . import _core
from ._model import Model, as_model

Number = Union[int, float]


def summary_metrics(model: Model | str | os.PathLike[str]) -> list[str]:
    """Every metric of the model's summary, by its dotted path: what ``sweep(metrics=...)``
    accepts. Read from a 1 ms run of the model (see the module's docstring)."""
    return list(_core.summary_metrics(as_model(model).spec))


def unknown_metric(model: Model, metrics: list[str]) -> str | None:
    """What is wrong with the first of ``metrics`` that is not in the model's summary (with the
    closest names, and what the deepest existing part of its path holds), or None."""
    return _core.unknown_metric(model.spec, metrics)
