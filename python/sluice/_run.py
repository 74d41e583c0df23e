"""Running one model."""

from __future__ import annotations

from . import _checks, _core
from ._model import Model, PathLike, as_model
from ._results import Results
from ._units import Duration


def run(model: Model | PathLike, duration: Duration | None = None, seed: int | None = None) -> Results:
    """Simulates the model (optionally for another duration or seed) and returns its results.

    ``duration``: a number of seconds or text with a unit ('10m'), 1ms to 366d; None runs the
    model's ``run.duration``. ``seed``: an int from 0 to 2**64 - 1; None runs the model's
    ``run.seed``. The engine runs without the GIL, so several runs can go on in threads at once;
    Ctrl-C stops a run within a fraction of a second with KeyboardInterrupt.
    """
    m = as_model(model)
    duration_s = _checks.duration_s(duration)
    seed = _checks.seed(seed)
    return Results(_core.run(m.spec, duration_s, seed))
