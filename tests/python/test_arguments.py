"""Hostile arguments to every public function: each gets a TypeError (wrong type) or a ValueError
(ModelError is one) whose message names the argument and what it accepts, and no simulation
has run when it is raised."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

import sluice
from conftest import MODELS, TINY_YAML

MEMORY = "components.checkout.memory"
ONE_POINT = {MEMORY: ["512MB"]}
FAST = {"replications": 1, "duration": 61, "workers": 1, "progress": False}  # tiny's warm-up is 1 m

# (id, call, exception, a fragment of its message). `c` has the tiny model (c.m), a run of it
# (c.results), a sweep's table (c.table), a memory sizing (c.tuned), measurements to calibrate
# (c.measured) and a model file that is not UTF-8 (c.binary).
CASES = [
    # --- sluice.run ---
    ("run seed 2**64", lambda c: sluice.run(c.m, seed=2**64), ValueError,
     "seed must be an int from 0 to 2**64 - 1"),
    ("run seed -1", lambda c: sluice.run(c.m, seed=-1), ValueError,
     "seed must be an int from 0 to 2**64 - 1, got -1"),
    ("run seed text", lambda c: sluice.run(c.m, seed="1"), TypeError,
     "seed must be an int from 0 to 2**64 - 1, not str"),
    ("run seed float", lambda c: sluice.run(c.m, seed=1.0), TypeError, "seed must be an int"),
    ("run seed bool", lambda c: sluice.run(c.m, seed=True), TypeError, "seed must be an int"),
    ("run duration nan", lambda c: sluice.run(c.m, duration=float("nan")), ValueError,
     "duration must be a finite duration above zero"),
    ("run duration inf", lambda c: sluice.run(c.m, duration=float("inf")), ValueError,
     "duration must be a finite duration above zero"),
    ("run duration huge int", lambda c: sluice.run(c.m, duration=2**2000), ValueError,
     "duration must be a finite duration above zero"),
    ("run duration 0", lambda c: sluice.run(c.m, duration=0), ValueError,
     "duration must be a finite duration"),
    ("run duration -5m", lambda c: sluice.run(c.m, duration="-5m"), ValueError,
     "duration must be a number of seconds or text with a unit (us, ms, s, m, h, d)"),
    ("run duration 5min", lambda c: sluice.run(c.m, duration="5min"), ValueError, "got '5min'"),
    ("run duration bytes", lambda c: sluice.run(c.m, duration=b"5m"), TypeError,
     "duration must be a number of seconds or text with a unit"),
    ("run duration bool", lambda c: sluice.run(c.m, duration=True), TypeError, "duration must be a number"),
    ("run duration list", lambda c: sluice.run(c.m, duration=[5]), TypeError, "duration must be a number"),
    ("run duration 400d", lambda c: sluice.run(c.m, duration="400d"), sluice.ModelError,
     "--duration 400d: run.duration: the run's duration must be between 1ms and 366d"),
    ("run duration 100us", lambda c: sluice.run(c.m, duration="100us"), sluice.ModelError,
     "between 1ms and 366d"),
    ("run duration within warm-up", lambda c: sluice.run(c.m, duration="30s"), sluice.ModelError,
     "the warm-up (1m) must be shorter than the run (30s)"),
    ("run model None", lambda c: sluice.run(None), TypeError,
     "model must be a sluice.Model or the path of a model file, not NoneType"),
    ("run model int", lambda c: sluice.run(42), TypeError, "model must be a sluice.Model or the path"),
    # --- sluice.Model ---
    ("load None", lambda c: sluice.Model.load(None), TypeError,
     "path must be a path (str, bytes or os.PathLike)"),
    ("load empty path", lambda c: sluice.Model.load(""), ValueError, "path must be a path, got an empty one"),
    ("load binary file", lambda c: sluice.Model.load(c.binary), sluice.ModelError,
     "invalid UTF-8 byte 0xe9: the model must be UTF-8 text"),
    ("Model text bytes", lambda c: sluice.Model(b"sluice: 1"), TypeError, "a model's text must be a str"),
    ("Model name int", lambda c: sluice.Model(TINY_YAML, name=1), TypeError, "name must be a str"),
    ("Model overrides junk", lambda c: sluice.Model(TINY_YAML, overrides=[1]), TypeError,
     "overrides must be a list of (key path, value text) pairs"),
    ("Model overrides str", lambda c: sluice.Model(TINY_YAML, overrides="run.seed=1"), TypeError,
     "overrides must be a list of (key path, value text) pairs, not str"),
    ("from_yaml None", lambda c: sluice.Model.from_yaml(None), TypeError, "a model's text must be a str"),
    ("from_yaml base_dir None", lambda c: sluice.Model.from_yaml(TINY_YAML, base_dir=None), TypeError,
     "base_dir must be a path (str, bytes or os.PathLike), not NoneType"),
    ("from_dict list", lambda c: sluice.Model.from_dict([]), TypeError, "d must be a dict"),
    ("from_dict set value", lambda c: sluice.Model.from_dict({"name": {1, 2}}), TypeError,
     "a model's value must be text, a number, a bool, a path, a list or a dict, not set"),
    ("set key None", lambda c: c.m.set(None, 1), TypeError,
     "key_path must be a str like 'components.ingest.memory'"),
    ("set key empty", lambda c: c.m.set("", 1), ValueError, "key_path must be a non-empty str"),
    ("set value None", lambda c: c.m.set("run.seed", None), TypeError,
     "the value of 'run.seed' must be text, a number, a bool, a path, a list or a dict, not NoneType"),
    ("set value bytes", lambda c: c.m.set("run.seed", b"1"), TypeError, "the value of 'run.seed' must be"),
    ("set value object", lambda c: c.m.set(MEMORY, object()), TypeError, f"the value of '{MEMORY}' must be"),
    ("set value set in a list", lambda c: c.m.set("components.checkout.steps", [{1}]), TypeError,
     "the value of 'components.checkout.steps'"),
    ("with_overrides list", lambda c: c.m.with_overrides([("run.seed", 1)]), TypeError,
     "overrides must be a dict"),
    ("with_overrides key int", lambda c: c.m.with_overrides({1: 2}), TypeError, "key_path must be a str"),
    # --- sluice.sweep ---
    ("sweep replications 0", lambda c: sluice.sweep(c.m, ONE_POINT, **{**FAST, "replications": 0}),
     ValueError,
     "replications must be an int from 1 to 10,000, got 0"),
    ("sweep replications 10**9", lambda c: sluice.sweep(c.m, ONE_POINT, **{**FAST, "replications": 10**9}),
     ValueError, "replications must be an int from 1 to 10,000"),
    ("sweep replications bool", lambda c: sluice.sweep(c.m, ONE_POINT, **{**FAST, "replications": True}),
     TypeError, "replications must be an int from 1 to 10,000, not bool"),
    ("sweep replications float", lambda c: sluice.sweep(c.m, ONE_POINT, **{**FAST, "replications": 2.0}),
     TypeError, "replications must be an int"),
    ("sweep workers text", lambda c: sluice.sweep(c.m, ONE_POINT, **{**FAST, "workers": "2"}), TypeError,
     "workers must be an int from 1 to 1,024, not str '2'"),
    ("sweep workers 0", lambda c: sluice.sweep(c.m, ONE_POINT, **{**FAST, "workers": 0}), ValueError,
     "workers must be an int from 1 to 1,024, got 0"),
    ("sweep workers 10**9", lambda c: sluice.sweep(c.m, ONE_POINT, **{**FAST, "workers": 10**9}), ValueError,
     "workers must be an int from 1 to 1,024"),
    ("sweep seed 2**64", lambda c: sluice.sweep(c.m, ONE_POINT, seed=2**64, **FAST), ValueError,
     "seed must be an int from 0 to 2**64 - 1"),
    ("sweep last seed beyond 2**64 - 1",
     lambda c: sluice.sweep(c.m, ONE_POINT, seed=2**64 - 1, **{**FAST, "replications": 2}), ValueError,
     "seed + replications - 1 must be at most 2**64 - 1"),
    ("sweep duration nan", lambda c: sluice.sweep(c.m, ONE_POINT, **{**FAST, "duration": float("nan")}),
     ValueError, "duration must be a finite duration above zero"),
    ("sweep duration 400d", lambda c: sluice.sweep(c.m, ONE_POINT, **{**FAST, "duration": "400d"}),
     sluice.ModelError, "between 1ms and 366d"),
    ("sweep duration within one point's warm-up",
     lambda c: sluice.sweep(c.m, {"run.warmup": ["1m", "4m"]},
         **{**FAST, "duration": "3m"}), sluice.ModelError,
     "the warm-up (4m) must be shorter than the run (3m)"),
    ("sweep duration with too many buckets at one point",
     lambda c: sluice.sweep(c.m, {"run.bucket": ["1m", "1ms"]},
         **{**FAST, "duration": "20m"}), sluice.ModelError,
     "more than a million time-series buckets"),
    ("sweep parameters None", lambda c: sluice.sweep(c.m, None, **FAST), TypeError,
     "parameters must be a dict like {'components.f.memory': ['512MB', '1GB']}, not NoneType"),
    ("sweep parameters empty", lambda c: sluice.sweep(c.m, {}, **FAST), ValueError,
     "parameters must hold at least one key path"),
    ("sweep parameter key int", lambda c: sluice.sweep(c.m, {1: [1]}, **FAST), TypeError,
     "a key of parameters must be a str"),
    ("sweep parameter values text", lambda c: sluice.sweep(c.m, {MEMORY: "512MB"}, **FAST), TypeError,
     f"parameters['{MEMORY}'] must be a list of values"),
    ("sweep parameter values empty", lambda c: sluice.sweep(c.m, {MEMORY: []}, **FAST), ValueError,
     f"parameters['{MEMORY}'] has no values"),
    ("sweep parameter value twice", lambda c: sluice.sweep(c.m, {MEMORY: ["512MB", "1GB", "512MB"]}, **FAST),
     ValueError, f"parameters['{MEMORY}']: '512MB' is given twice"),
    ("sweep parameter value twice in other units",
     lambda c: sluice.sweep(c.m, {MEMORY: ["512MB", "0.5GB"]}, **FAST),
     ValueError, "'512MB' and '0.5GB' are the same value"),
    ("sweep parameter value twice as number and text",
     lambda c: sluice.sweep(c.m, {"components.checkout.errors": [0.5, "0.5"]}, **FAST), ValueError,
     "0.5 and '0.5' are the same value"),
    ("sweep metrics empty", lambda c: sluice.sweep(c.m, ONE_POINT, metrics=[], **FAST), ValueError,
     "metrics has no metric paths"),
    ("sweep metric twice", lambda c: sluice.sweep(c.m, ONE_POINT, metrics=["cost_usd.total"] * 2, **FAST),
     ValueError,
     "metrics: 'cost_usd.total' is given twice"),
    ("sweep metrics int", lambda c: sluice.sweep(c.m, ONE_POINT, metrics=5, **FAST), TypeError,
     "metrics must be a list of dotted paths"),
    ("sweep metric None", lambda c: sluice.sweep(c.m, ONE_POINT, metrics=[None], **FAST), TypeError,
     "a metric must be a str"),
    ("sweep progress text", lambda c: sluice.sweep(c.m, ONE_POINT, **{**FAST, "progress": "yes"}), TypeError,
     "progress must be True, False or None"),
    ("sweep raw text", lambda c: sluice.sweep(c.m, ONE_POINT, raw="no", **FAST), TypeError,
     "raw must be True or False"),
    ("sweep client int", lambda c: sluice.sweep(c.m, ONE_POINT, replications=1, client=5), TypeError,
     "client must be a distributed.Client"),
    ("sweep too many runs", lambda c: sluice.sweep(c.m, {MEMORY: [f"{m}MB" for m in range(128, 10240)],
                                                         "run.warmup": [f"{s}s" for s in range(200)]}),
     ValueError, "at most 1,000,000 are accepted"),
    # --- sluice.power_tune ---
    ("power_tune function None", lambda c: sluice.power_tune(c.m, None, [512]), TypeError,
     "function must be a str like 'checkout'"),
    ("power_tune memories text", lambda c: sluice.power_tune(c.m, "checkout", "512"), TypeError,
     "memories must be a list of memory sizes"),
    ("power_tune memory twice", lambda c: sluice.power_tune(c.m, "checkout", [512, 1024, 512]), ValueError,
     "memories: 512 is given twice"),
    ("power_tune memory twice in other units", lambda c: sluice.power_tune(c.m, "checkout", [1024, "1GB"]),
     ValueError, "memories: 1024 and '1GB' are the same value"),
    ("power_tune memory fraction", lambda c: sluice.power_tune(c.m, "checkout", [128.5]), ValueError,
     "memories: a memory size must be a whole number of MB"),
    ("power_tune memory bool", lambda c: sluice.power_tune(c.m, "checkout", [True]), TypeError,
     "memories: a memory size must be a whole number of MB"),
    ("power_tune memory out of range", lambda c: sluice.power_tune(c.m, "checkout", [64]), sluice.ModelError,
     "64 MB is outside Lambda's range of 128 MB to 10240 MB"),
    ("power_tune strategy None", lambda c: sluice.power_tune(c.m, "checkout", [512], strategy=None),
     TypeError,
     "strategy must be one of 'cost', 'speed', 'balanced'"),
    ("power_tune strategy fast", lambda c: sluice.power_tune(c.m, "checkout", [512], strategy="fast"),
     ValueError,
     "strategy must be one of 'cost', 'speed', 'balanced', got 'fast'"),
    ("power_tune weight text", lambda c: sluice.power_tune(c.m, "checkout", [512], balanced_weight="0.5"),
     TypeError, "balanced_weight must be a number from 0 to 1"),
    ("power_tune weight nan",
     lambda c: sluice.power_tune(c.m, "checkout", [512], balanced_weight=float("nan")),
     ValueError, "balanced_weight must be a number from 0 to 1, got nan"),
    ("power_tune weight 2", lambda c: sluice.power_tune(c.m, "checkout", [512], balanced_weight=2),
     ValueError,
     "balanced_weight must be a number from 0 to 1"),
    ("power_tune slo inf", lambda c: sluice.power_tune(c.m, "checkout", [512], slo_p99=float("inf")),
     ValueError,
     "slo_p99 must be a finite duration above zero"),
    ("power_tune slo text", lambda c: sluice.power_tune(c.m, "checkout", [512], slo_p99="fast"), ValueError,
     "slo_p99 must be a number of seconds or text with a unit"),
    ("power_tune seed 2**64", lambda c: sluice.power_tune(c.m, "checkout", [512], seed=2**64), ValueError,
     "seed must be an int from 0 to 2**64 - 1"),
    ("power_tune duration 400d", lambda c: sluice.power_tune(c.m, "checkout", [512], duration="400d"),
     sluice.ModelError, "between 1ms and 366d"),
    # --- sluice.compare ---
    ("compare None", lambda c: sluice.compare(None), TypeError, "models must be a list of designs"),
    ("compare empty", lambda c: sluice.compare([]), ValueError, "models has no designs"),
    ("compare one path", lambda c: sluice.compare("a.yaml"), TypeError, "compare() takes a list of designs"),
    ("compare one bytes path", lambda c: sluice.compare(b"a.yaml"), TypeError,
     "compare() takes a list of designs"),
    ("compare None design", lambda c: sluice.compare([c.m, None]), TypeError,
     "each of models must be a sluice.Model or the path of a model file"),
    ("compare seed 2**64", lambda c: sluice.compare([c.m], seed=2**64), ValueError, "seed must be an int"),
    ("compare seed text", lambda c: sluice.compare([c.m], seed="1"), TypeError, "seed must be an int"),
    ("compare duration nan", lambda c: sluice.compare([c.m], duration=float("nan")), ValueError,
     "duration must be a finite duration above zero"),
    ("compare a design with too many buckets",
     lambda c: sluice.compare([c.m, c.m.set("run.bucket", "1ms")], duration="20m"), sluice.ModelError,
     "<yaml>: --duration 20m: run.bucket: more than a million time-series buckets"),
    ("compare set list", lambda c: sluice.compare([c.m], set=[("run.seed", 1)]), TypeError,
     "set must be a dict"),
    ("compare set text", lambda c: sluice.compare([c.m], set="run.seed=1"), TypeError, "set must be a dict"),
    ("compare set key int", lambda c: sluice.compare([c.m], set={1: 2}), TypeError,
     "a key of set must be a str"),
    ("compare set value None", lambda c: sluice.compare([c.m], set={"run.seed": None}), TypeError,
     "the value of 'run.seed' must be"),
    # --- sluice.calibrate ---
    ("calibrate None", lambda c: sluice.calibrate(None), TypeError,
     "measurements must be a pandas DataFrame or the path of a CSV file"),
    ("calibrate memory column None", lambda c: sluice.calibrate(c.measured, memory=None), TypeError,
     "memory must be a str"),
    ("calibrate duration column None", lambda c: sluice.calibrate(c.measured, duration=None), TypeError,
     "duration must be a str"),
    ("calibrate text in a column",
     lambda c: sluice.calibrate(c.measured.assign(memory_mb=["512", "a lot", "2048"])), ValueError,
     "measurements['memory_mb']: 'a lot' at row 1 is not a number"),
    # --- sluice.Results, sluice.summary_metrics ---
    ("latency None", lambda c: c.results.latency(None), TypeError, "source must be a str"),
    ("timeseries_wide int", lambda c: c.results.timeseries_wide(1), TypeError, "component must be a str"),
    ("summary_metrics None", lambda c: sluice.summary_metrics(None), TypeError,
     "model must be a sluice.Model"),
    # --- sluice.plot ---
    ("plot.timeseries None", lambda c: sluice.plot.timeseries(None), TypeError,
     "results must be the sluice.Results of a run"),
    ("plot.timeseries function int", lambda c: sluice.plot.timeseries(c.results, function=1), TypeError,
     "function must be a str"),
    ("plot.timeseries unknown source", lambda c: sluice.plot.timeseries(c.results, source="nope"), KeyError,
     "no source 'nope'; sources: ['shoppers']"),
    ("plot.sweep_metric None", lambda c: sluice.plot.sweep_metric(None, MEMORY, "cost_usd.total"), TypeError,
     "df must be the DataFrame of sluice.sweep"),
    ("plot.sweep_metric parameter None", lambda c: sluice.plot.sweep_metric(c.table, None, "cost_usd.total"),
     TypeError, "parameter must be a str"),
    ("plot.sweep_metric metric int", lambda c: sluice.plot.sweep_metric(c.table, MEMORY, 1), TypeError,
     "metric must be a str"),
    ("plot.sweep_metric ax int", lambda c: sluice.plot.sweep_metric(c.table, MEMORY, "cost_usd.total", ax=1),
     TypeError, "ax must be a matplotlib Axes"),
    ("plot.sweep_metric xlabel int",
     lambda c: sluice.plot.sweep_metric(c.table, MEMORY, "cost_usd.total", xlabel=1),
     TypeError, "xlabel must be a str"),
    ("plot.power_tuning None", lambda c: sluice.plot.power_tuning(None), TypeError,
     "result must be the sluice.PowerTuneResult of sluice.power_tune"),
    ("plot.power_tuning ax text", lambda c: sluice.plot.power_tuning(c.tuned, ax="left"), TypeError,
     "ax must be a matplotlib Axes"),
]


@pytest.fixture(scope="module")
def context(tmp_path_factory) -> SimpleNamespace:
    tmp = tmp_path_factory.mktemp("arguments")
    binary = tmp / "binary.yaml"
    binary.write_bytes(b"sluice: 1\nna\xe9me: x\n")
    m = sluice.Model.from_yaml(TINY_YAML)
    return SimpleNamespace(
        m=m, binary=binary, results=sluice.run(m, duration=61, seed=1),
        table=sluice.sweep(m, {MEMORY: ["512MB", "1GB"]}, metrics=["cost_usd.total"], **FAST),
        tuned=sluice.power_tune(m, "checkout", [512, 1024], duration=61),
        measured=pd.DataFrame({"memory_mb": [512, 1024, 2048], "duration_ms": [40.0, 21.0, 12.0]}))


@pytest.fixture
def simulations(monkeypatch) -> list[str]:
    """The engine's entry points that ran a model to its end while the test ran (a failed call,
    such as one the engine refused before its first event, is not counted)."""
    finished: list[str] = []
    for name in ("run", "power_tune", "compare", "sweep", "run_replication"):
        original = getattr(sluice._core, name)

        def counted(*args, _original=original, _name=name, **kwargs):
            result = _original(*args, **kwargs)
            finished.append(_name)
            return result

        monkeypatch.setattr(sluice._core, name, counted)
    return finished


@pytest.mark.parametrize(("call", "error", "fragment"), [pytest.param(c, e, f, id=i) for i, c, e, f in CASES])
def test_a_bad_argument_is_named_before_any_simulation(context, simulations, close_figures, call, error,
    fragment):
    with pytest.raises(error) as info:
        call(context)
    assert fragment in str(info.value)
    if error is not KeyError:  # an unknown name is a KeyError, as for a dict
        assert isinstance(info.value, (TypeError, ValueError))
    assert simulations == []


def test_the_same_calls_with_good_arguments_run(context, simulations):
    """Two calls of the table with their bad argument made good: they fail for that argument
    alone, and the simulations they then run are counted."""
    sluice.sweep(context.m, {MEMORY: ["512MB", "1GB"]}, **FAST)
    sluice.compare([context.m, context.m.set("run.bucket", "1s")], duration="20m")
    assert simulations.count("sweep") == 1 and simulations.count("compare") == 1


def test_path_likes_work_where_a_path_is_taken(tmp_path):
    path = MODELS / "default.yaml"
    as_text = sluice.Model.load(str(path))
    for given in (path, os.fsencode(path)):
        assert sluice.Model.load(given) == as_text
    a = sluice.run(os.fsencode(path), duration="6m", seed=1)
    b = sluice.run(Path(path), duration="6m", seed=1)
    assert a.to_json() == b.to_json()
    table = sluice.compare([Path(path), os.fsencode(path)], duration="6m")
    assert list(table.index) == ["checkout-api", "checkout-api"]
    tiny = sluice.Model.from_yaml(TINY_YAML, base_dir=Path(tmp_path))
    assert tiny == sluice.Model.from_yaml(TINY_YAML, base_dir=os.fsencode(tmp_path))
    csv = tmp_path / "measured.csv"
    pd.DataFrame({"memory_mb": [512, 1024, 2048], "duration_ms": [40.0, 21.0, 12.0]}).to_csv(csv, index=False)
    assert sluice.calibrate(os.fsencode(csv)).cpu_ms == sluice.calibrate(csv).cpu_ms > 0


def test_override_values_of_every_plain_kind(tiny):
    """numpy's numbers, tuples and paths are values like ints, lists and text."""
    import numpy as np

    assert tiny.set("run.seed", np.int64(9)) == tiny.set("run.seed", 9)
    assert tiny.set("components.checkout.errors", np.float64(0.25)) == tiny.set("components.checkout.errors",
        0.25)
    steps = ({"cpu": "5ms"}, {"io": "1ms"})
    assert tiny.set("components.checkout.steps", steps) == tiny.set("components.checkout.steps", list(steps))
    assert tiny.set("name", Path("renamed")).name == "renamed"


def test_a_model_file_that_is_not_utf8_is_a_model_error_at_its_first_bad_byte(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("sluice: 1\nname: café\n".encode("latin-1"))
    with pytest.raises(sluice.ModelError) as info:
        sluice.Model.load(path)
    assert str(info.value) == f"{path}:2:10: invalid UTF-8 byte 0xe9: the model must be UTF-8 text"
