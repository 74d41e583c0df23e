"""Running one model."""

from __future__ import annotations

import numbers
import os

from . import _core
from ._model import Model, as_model
from ._results import Results
from ._units import Duration, seconds


def run(model: Model | str | os.PathLike[str], duration: Duration | None = None,
        seed: int | None = None) -> Results:
    """Simulates the model (optionally for another duration or seed) and returns its results.

    The engine runs without the GIL, so several runs can go on in threads at once.
    """
    m = as_model(model)
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
            raise ValueError(f"seed must be a non-negative int, got {seed!r}")
        seed = int(seed)  # numpy integers too
    return Results(_core.run(m.spec, seconds(duration), seed))
