"""sluice: a discrete-event simulator for serverless architectures.

Load a model, run it, and read latency, cold starts, throttles and cost back as Python data::

    import sluice
    model = sluice.Model.load("models/default.yaml")
    results = sluice.run(model.set("components.checkout.memory", "1024MB"), duration="10m")
    results.summary["sources"]["shoppers"]["latency_ms"]["p99"]
    results.timeseries()            # a pandas DataFrame
"""

from ._calibrate import Calibration, calibrate
from ._calibrate_logs import LogCalibration, calibrate_logs
from ._compare import compare
from ._core import ModelError, RunAborted
from ._metrics import summary_metrics
from ._model import Model
from ._results import Results
from ._run import run
from ._sweep import sweep
from ._traffic import MetricTraffic, traffic_from_metrics
from ._tune import PowerTuneResult, power_tune

__all__ = [
    "Calibration",
    "LogCalibration",
    "MetricTraffic",
    "Model",
    "ModelError",
    "PowerTuneResult",
    "Results",
    "RunAborted",
    "calibrate",
    "calibrate_logs",
    "compare",
    "power_tune",
    "run",
    "summary_metrics",
    "sweep",
    "traffic_from_metrics",
]
__version__ = "0.1.0"


def __getattr__(name: str):  # noqa: ANN202 - module attribute hook
    # sluice.plot imports matplotlib: loaded on first use, so `import sluice` stays light.
    if name == "plot":
        import importlib

        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module 'sluice' has no attribute {name!r}")
