"""Bad input: ModelError (a ValueError) with the command line's file:line:column message, and no
Python call, however wrong its arguments, can crash the interpreter."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

import sluice
from conftest import BAD, MODELS, REPO, bad_model_overrides, run_cli

# A spread of the bad-model corpus: YAML syntax, unknown and duplicate keys, units, ranges,
# dangling targets, recursion, a table without capacity, a missing trace file, and --set errors.
BAD_FILES = [
    "01-yaml-bad-indentation.yaml", "02-yaml-unclosed-bracket.yaml", "04-empty-file.yaml",
    "12-unknown-component-key.yaml", "15-duplicate-key.yaml", "19-timeout-without-unit.yaml",
    "23-memory-below-minimum.yaml", "28-provisioned-above-reserved.yaml",
    "33-lognormal-p99-not-above-median.yaml",
    "38-source-target-dangling.yaml", "43-recursion-loop.yaml", "47-dynamodb-without-read-capacity.yaml",
    "58-trace-file-missing.yaml", "66-set-unknown-component.yaml", "69-set-bare-number.yaml",
    "71-set-step-index-out-of-range.yaml", "91-optional-key-without-value.yaml",
]


def test_model_error_is_a_value_error():
    assert issubclass(sluice.ModelError, ValueError)
    assert issubclass(sluice.RunAborted, RuntimeError)


@pytest.mark.parametrize("name", BAD_FILES)
def test_same_message_as_sluice_validate(name, monkeypatch):
    path = BAD / name
    assert path.exists(), path
    relative = path.relative_to(REPO).as_posix()
    sets = bad_model_overrides(path)
    args = ["validate", relative]
    for s in sets:
        args += ["--set", s]
    proc = run_cli(*args, check=False)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""

    monkeypatch.chdir(REPO)  # the same relative path, so the same file name in the message
    with pytest.raises(sluice.ModelError) as info:
        model = sluice.Model.load(relative)
        model.with_overrides(dict(s.split("=", 1) for s in sets))
    assert isinstance(info.value, ValueError)
    assert proc.stderr == f"error: {info.value}\n"
    expect = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    assert expect in str(info.value)


def test_messages_carry_line_and_column():
    text = ("sluice: 1\nname: x\nrun: {duration: 10m}\nsources:\n"
            "  s: {target: f, arrivals: {process: poisson, rate: 1/s}}\n"
            "components:\n  f:\n    type: lambda\n    memory: 12MB\n    steps: [{cpu: 1ms}]\n")
    with pytest.raises(sluice.ModelError,
                       match=r"^<yaml>:9:13: components\.f\.memory: 12MB is below the minimum"):
        sluice.Model.from_yaml(text)


def test_set_errors_name_the_override(default_model):
    with pytest.raises(sluice.ModelError,
                       match=r"^--set components\.checkout\.memroy=1GB: .*did you mean 'memory'"):
        default_model.set("components.checkout.memroy", "1GB")
    with pytest.raises(sluice.ModelError, match=r"holds a list of 2 items"):
        default_model.set("components.checkout.steps.5.cpu", "1ms")


def test_missing_file_is_a_model_error(tmp_path):
    with pytest.raises(sluice.ModelError, match="cannot read the model file"):
        sluice.Model.load(tmp_path / "nope.yaml")


def test_deeply_nested_input_is_a_model_error():
    with pytest.raises(sluice.ModelError):
        sluice.Model.from_yaml("[" * 100_000)
    deep: dict = {}
    node = deep
    for _ in range(5000):  # deeper than Python's recursion limit
        node["a"] = {}
        node = node["a"]
    with pytest.raises(sluice.ModelError, match="nested too deeply"):
        sluice.Model.from_dict(deep)


def test_power_tune_argument_errors(default_model):
    with pytest.raises(sluice.ModelError,
                       match="'chekout' is not a function of this model.*did you mean 'checkout'"):
        sluice.power_tune(default_model, "chekout", [512], duration="6m")
    with pytest.raises(sluice.ModelError, match="not a function"):
        sluice.power_tune(default_model, "api", [512], duration="6m")
    for memories in ([127], [10241], [2**40]):
        with pytest.raises(sluice.ModelError, match="outside Lambda's range"):
            sluice.power_tune(default_model, "checkout", memories, duration="6m")
    with pytest.raises(sluice.ModelError, match="no memory sizes"):
        sluice.power_tune(default_model, "checkout", [], duration="6m")
    with pytest.raises(ValueError, match="whole number"):
        sluice.power_tune(default_model, "checkout", [128.5], duration="6m")  # never silently rounded
    with pytest.raises(ValueError, match="whole number"):
        sluice.power_tune(default_model, "checkout", [float("inf")], duration="6m")
    with pytest.raises(TypeError):
        sluice.power_tune(default_model, "checkout", "512", duration="6m")
    for text in ("512", "512 bananas", "1.5MB", "10s", "-512MB"):  # a size needs a unit and whole MB
        with pytest.raises(ValueError, match="memories: expected a size in whole MB with a unit"):
            sluice.power_tune(default_model, "checkout", [text], duration="6m")
    with pytest.raises(sluice.ModelError, match="outside Lambda's range"):
        sluice.power_tune(default_model, "checkout", ["64MB"], duration="6m")
    with pytest.raises(ValueError, match="strategy"):
        sluice.power_tune(default_model, "checkout", [512], strategy="fast")
    with pytest.raises(ValueError, match="seed"):
        sluice.power_tune(default_model, "checkout", [512], seed=-1)


def test_calibrate_argument_errors():
    nan = float("nan")
    with pytest.raises(ValueError, match="at least 3 measurements"):
        sluice.calibrate(pd.DataFrame({"memory_mb": [512, 1024], "duration_ms": [20.0, 10.0]}))
    with pytest.raises(ValueError, match="missing values"):
        sluice.calibrate(pd.DataFrame({"memory_mb": [512, 1024, nan], "duration_ms": [20.0, 10.0, 5.0]}))
    with pytest.raises(ValueError, match="missing values"):  # columns of different lengths, padded by pandas
        sluice.calibrate(pd.DataFrame({"memory_mb": pd.Series([512, 1024, 2048, 3008]),
                                       "duration_ms": pd.Series([20.0, 10.0, 5.0])}))
    with pytest.raises(ValueError, match="different lengths"):  # the engine's own check
        sluice._core.calibrate([512.0, 1024.0, 2048.0], [20.0, 10.0])
    with pytest.raises(ValueError, match="outside Lambda's"):
        sluice.calibrate(pd.DataFrame({"memory_mb": [64, 1024, 2048], "duration_ms": [20.0, 10.0, 5.0]}))
    with pytest.raises(ValueError, match="not a positive duration"):
        sluice.calibrate(pd.DataFrame({"memory_mb": [512, 1024, 2048], "duration_ms": [20.0, -1.0, 5.0]}))
    with pytest.raises(ValueError, match="no 'memory_mb' column"):
        sluice.calibrate(pd.DataFrame({"memory": [512, 1024, 2048], "duration_ms": [20.0, 10.0, 5.0]}))
    with pytest.raises(TypeError):
        sluice.calibrate([(512, 20.0)])


def test_huge_duration_override_is_rejected_clearly(default_model):
    with pytest.raises(sluice.ModelError, match="366"):
        sluice.run(default_model.set("run.budget.events", 1000), duration=1e12)


def test_duration_override_respects_the_documented_limits(default_model):
    with pytest.raises(sluice.ModelError):
        sluice.run(default_model.set("run.budget.events", 1000), duration="400d")


# --- junk in a subprocess: the process must exit normally, every failure a Python exception ---

BATTERY = textwrap.dedent(r'''
    import faulthandler, json, math, sys
    faulthandler.enable()
    import pandas as pd
    import sluice

    m = sluice.Model.load(sys.argv[1]).set("run.warmup", "1m")
    outcomes = []

    def attempt(name, f):
        try:
            f()
            outcome = "ok"
        except (TypeError, ValueError, KeyError) as e:  # ModelError is a ValueError
            outcome = type(e).__name__
        except BaseException as e:
            outcome = "UNEXPECTED " + type(e).__name__ + ": " + str(e)[:200]
        outcomes.append([name, outcome])

    junk = [None, 0, -1, 1.5, float("nan"), b"sluice: 1", bytearray(b"x"), [], {}, {"sluice": 1}, object(),
            "x" * 10**6, "\x00", "sluice: 1\n" + "\x00" * 10, "\ud800", "- - -", "{", "a: &a [*a]"]
    for i, v in enumerate(junk):
        attempt(f"from_yaml[{i}]", lambda v=v: sluice.Model.from_yaml(v))
        attempt(f"from_dict[{i}]", lambda v=v: sluice.Model.from_dict(v))
        attempt(f"load[{i}]", lambda v=v: sluice.Model.load(v[:4000] if isinstance(v, str) else v))
        attempt(f"run[{i}]", lambda v=v: sluice.run(v))
        attempt(f"Model[{i}]", lambda v=v: sluice.Model(v))
    deep = {}
    node = deep
    for _ in range(100_000):
        node["a"] = {}
        node = node["a"]
    attempt("from_dict(deep)", lambda: sluice.Model.from_dict(deep))
    attempt("set(deep)", lambda: m.set("run", deep))
    attempt("from_yaml(deep [)", lambda: sluice.Model.from_yaml("[" * 1_000_000))
    attempt("from_yaml(deep {)", lambda: sluice.Model.from_yaml("{a: " * 1_000_000))
    deep_block = "".join(" " * i + "a:\n" for i in range(3000))
    attempt("from_yaml(deep block)", lambda: sluice.Model.from_yaml(deep_block))
    laughs = "".join(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 10) + "]\n" for i in range(1, 12))
    attempt("from_yaml(billion laughs)", lambda: sluice.Model.from_yaml("sluice: 1\na0: &a0 [x]\n" + laughs))
    attempt("from_dict(set value)", lambda: sluice.Model.from_dict({**m.to_dict(), "name": {1, 2}}))
    attempt("from_dict(tuple key)", lambda: sluice.Model.from_dict({(1, 2): 3}))
    attempt("from_dict(nan)",
            lambda: sluice.Model.from_dict({**m.to_dict(), "run": {"duration": float("nan")}}))

    paths = ["", ".", "..", "a..b", "components", "components.", ".components", "components.checkout",
             "components.checkout.steps.99.cpu", "components.checkout.steps.-1.cpu",
             "components.checkout.steps.0", "components.checkout.steps.18446744073709551616.cpu",
             "components.checkout.steps.99999999999.cpu", "components.checkout.steps.1e3.cpu",
             "components.checkout.steps.0.cpu.distribution", "components.nope.memory",
             "sources.shoppers.arrivals.rate", "run.seed", "run.duration", "run", "sluice", "x" * 10**4,
             "components.checkout.memory.x.y", "components.checkout.steps.x", "run.seed.0", "\x00",
             "components.\x00", "components.checkout.steps. 0.cpu", None, 1, b"run.seed", ["run", "seed"]]
    values = [None, True, 0, -1, 2**64, 2**70, float("nan"), float("inf"), -0.0, 1e308, "", "x" * 10**4,
              "\x00", [], {}, [1, [2, [3]]], {"a": {"b": None}}, "512MB", "-512MB", "1e400MB", "nanMB",
              "{distribution: lognormal, median: 1ms, p99: 0ms}", "[", "{", "*a", "&a x", "!!binary AAAA",
              "!!python/object:os.system", object(), b"1", {1: 2}, ("a",)]
    for i, p in enumerate(paths):
        for j, v in enumerate(values):
            def variant(p=p, v=v):
                changed = m.set(p, v)
                sluice.run(changed, duration=240, seed=1)
            attempt(f"set[{i},{j}]", variant)
    attempt("set(huge path)", lambda: m.set("components." + "x" * 10**6, 1))
    attempt("set(huge value)", lambda: m.set("components.checkout.memory", "x" * 10**6))
    attempt("with_overrides(list)", lambda: m.with_overrides([("run.seed", 1)]))
    attempt("with_overrides(None)", lambda: m.with_overrides(None))
    attempt("with_overrides(bad key)", lambda: m.with_overrides({1: 2}))

    for i, d in enumerate([0, -1, -1e9, float("nan"), float("inf"), -float("inf"), 1e300, 2**64, 2**2000,
                           1e-300, 1e-9, "5", "5x", "-5m", "nanm", "infm", "1e400s", "0s", " ", "", "5m5m",
                           True, b"5m", [5], "1e-20s", "\x00", "5m\x00"]):
        attempt(f"run(duration)[{i}]", lambda d=d: sluice.run(m, duration=d, seed=1))
    for i, s in enumerate([-1, 2**64, 2**200, 1.5, "1", True, float("nan"), [], b"1", -2**70]):
        attempt(f"run(seed)[{i}]", lambda s=s: sluice.run(m, duration=240, seed=s))

    for i, fn in enumerate(["nope", "", "api", "shoppers", None, 1, "x" * 10**6, "\x00", b"checkout"]):
        attempt(f"power_tune(function)[{i}]", lambda fn=fn: sluice.power_tune(m, fn, [512], duration=240))
    for i, mems in enumerate([[], [0], [-1], [127], [10241], [2**31], [2**40], [-2**70], [float("nan")],
                              [float("inf")], ["512"], "512", None, [512, None], 512, [1e10], [128.9], [True],
                              [[512]], {512: 1}, range(128, 10**9, 10**7)]):
        attempt(f"power_tune(memories)[{i}]",
                lambda mems=mems: sluice.power_tune(m, "checkout", mems, duration=240))
    for i, kw in enumerate([dict(strategy="fast"), dict(strategy=None), dict(strategy=1),
                            dict(balanced_weight=float("nan")), dict(balanced_weight=2),
                            dict(balanced_weight=-0.1), dict(balanced_weight="0.5"),
                            dict(balanced_weight=None), dict(slo_p99=-1),
                            dict(slo_p99="abc"), dict(slo_p99=float("nan")), dict(slo_p99=1e300),
                            dict(slo_p99=float("inf")), dict(seed=-1), dict(seed=2**64), dict(seed="x"),
                            dict(duration=-5), dict(duration=1e300), dict(duration="x")]):
        attempt(f"power_tune(kw)[{i}]",
                lambda kw=kw: sluice.power_tune(m, "checkout", [512], **{"duration": 240, **kw}))

    nan, inf = float("nan"), float("inf")
    for i, (mem, dur) in enumerate([([512, 1024], [10, 5]), ([512], [1]), ([], []),
                                    ([512, nan, 1024], [1, 2, 3]),
                                    ([512, 1024, 2048], [nan, 2, 3]), ([512, 1024, 2048], [inf, 2, 3]),
                                    ([512] * 3, [10] * 3), ([0, 1, 2], [1, 2, 3]),
                                    ([512, 1024, 2048], [-1, 2, 3]),
                                    ([1e308, 1024, 2048], [1, 2, 3]), ([512, 1024, 2048], [1e308] * 3),
                                    ([512, 1024, 2048], [5e-324] * 3), (["a", "b", "c"], [1, 2, 3]),
                                    ([512, 1024, 2048], [None, None, None]), ([512, 1024, 2048], [1, 1, 1]),
                                    (list(range(128, 10240)), [1.0] * (10240 - 128))]):
        measured = {"memory_mb": mem, "duration_ms": dur}
        attempt(f"calibrate[{i}]", lambda measured=measured: sluice.calibrate(pd.DataFrame(measured)))
    unequal = pd.DataFrame({"memory_mb": pd.Series([512, 1024, 2048]), "duration_ms": pd.Series([1.0, 2.0])})
    attempt("calibrate(unequal)", lambda: sluice.calibrate(unequal))
    attempt("_core.calibrate(unequal)", lambda: sluice._core.calibrate([512.0, 1024.0, 2048.0], [1.0]))
    attempt("_core.calibrate(nan)", lambda: sluice._core.calibrate([512.0, nan, 2048.0], [1.0, 2.0, 3.0]))
    for i, junk_arg in enumerate([None, 1, [], {}, pd.DataFrame(), pd.DataFrame({"memory_mb": []})]):
        attempt(f"calibrate(junk)[{i}]", lambda junk_arg=junk_arg: sluice.calibrate(junk_arg))

    base = {"components.checkout.memory": ["512MB"]}
    for i, kw in enumerate([dict(parameters=None), dict(parameters={}), dict(parameters={"x": []}),
                            dict(parameters={"components.nope.memory": ["1GB"]}),
                            dict(parameters={"run.seed": "12"}), dict(parameters={"run.seed": 5}),
                            dict(replications=0), dict(replications=1.5), dict(seed=-1),
                            dict(seed=2**64 - 1, replications=2), dict(metrics=["nope"]),
                            dict(metrics="cost_usd"), dict(metrics=[None]), dict(workers=0),
                            dict(workers="a"), dict(duration=-1)]):
        kw = {"parameters": base, "replications": 1, "duration": 240, "workers": 1, **kw}
        attempt(f"sweep[{i}]", lambda kw=kw: sluice.sweep(m, kw.pop("parameters"), **kw))

    r = sluice.run(m, duration=240, seed=1)
    for i, f in enumerate([lambda: r.latency("nope"), lambda: r.latency(None), lambda: r.latency(1),
                           lambda: r.timeseries_wide("nope"), lambda: r.timeseries_wide(None)]):
        attempt(f"results[{i}]", f)
    print(json.dumps(outcomes))
''')


def _limit_memory():
    # A runaway allocation becomes a MemoryError (reported below), not the machine's OOM killer.
    resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))


def test_junk_never_crashes_the_interpreter():
    proc = subprocess.run([sys.executable, "-X", "faulthandler", "-c", BATTERY, str(MODELS / "default.yaml")],
                          cwd=REPO, capture_output=True, text=True, timeout=300, preexec_fn=_limit_memory)
    assert proc.returncode == 0, f"the interpreter died (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    outcomes = json.loads(proc.stdout.strip().splitlines()[-1])
    assert len(outcomes) > 1000
    unexpected = [(name, outcome) for name, outcome in outcomes if outcome.startswith("UNEXPECTED")]
    assert unexpected == []
    # Junk is rejected, not accepted: most calls must fail.
    assert sum(outcome != "ok" for _, outcome in outcomes) > 0.9 * len(outcomes)


def test_run_errors_match_the_command_line(default_model, monkeypatch):
    """`sluice run models/default.yaml --duration 5m`: the model's 5 m warm-up leaves nothing to
    measure; Python says so in the same words."""
    proc = run_cli("run", "models/default.yaml", "--duration", "5m", "--seed", "3", check=False)
    assert proc.returncode == 2
    monkeypatch.chdir(REPO)
    with pytest.raises(sluice.ModelError) as info:
        sluice.run(sluice.Model.load("models/default.yaml"), duration="5m", seed=3)
    assert proc.stderr == f"error: {info.value}\n"
    assert "warm-up (5m) must be shorter than the run (5m)" in str(info.value)


@pytest.mark.parametrize("command", [["validate"], ["graph"], ["run", "--quiet", "--duration", "2m"]])
def test_set_before_the_model_leaves_the_model_alone(command):
    """One value per --set: `sluice run --set k=v MODEL` reads MODEL as the model, not as a second
    override (it was swallowed, and the command asked for a model)."""
    model = str(MODELS / "default.yaml")
    result = run_cli(command[0], "--set", "run.warmup=0s", "--set", "components.checkout.memory=1GB", model,
                     *command[1:], check=False)
    assert result.returncode == 0, result.stderr
    assert "model is required" not in result.stderr
