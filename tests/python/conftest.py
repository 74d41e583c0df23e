"""Shared fixtures of the Python tests: the repository, the installed `sluice` command, a small
model written inline, and matplotlib's Agg backend (set before anything imports pyplot)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

os.environ["MPLBACKEND"] = "Agg"  # before sluice.plot imports matplotlib.pyplot

import jsonschema  # noqa: E402
import pytest  # noqa: E402

import sluice  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "models"
BAD = REPO / "tests" / "data" / "bad"

# docs/summary.schema.json: every summary a test produces is checked against it (below).
SUMMARY_SCHEMA = json.loads((REPO / "docs" / "summary.schema.json").read_text(encoding="utf-8"))
SUMMARY_VALIDATOR = jsonschema.Draft202012Validator(SUMMARY_SCHEMA)


def summary_schema_errors(summary: dict) -> list[str]:
    """Where a summary departs from docs/summary.schema.json, as 'key.path: message' lines."""
    return [f"{'.'.join(str(p) for p in e.absolute_path) or '<top>'}: {e.message}"
            for e in sorted(SUMMARY_VALIDATOR.iter_errors(summary), key=lambda e: list(map(str, e.path)))]


@pytest.fixture(autouse=True)
def _every_summary_matches_the_schema(monkeypatch):
    """Every run a test makes in this process (sluice.run and Results, sweeps on local threads,
    the metrics probe) has its summary validated against docs/summary.schema.json as the engine
    returns it, by wrapping sluice._core.run: a renamed or stray key fails the test that made it.
    Runs in other processes (Dask workers) and the sluice command are not seen here."""
    engine_run = sluice._core.run

    def checked_run(*args, **kwargs):
        results = engine_run(*args, **kwargs)
        errors = summary_schema_errors(json.loads(results.summary_json))
        if errors:
            raise AssertionError("the summary does not match docs/summary.schema.json:\n"
                                 + "\n".join(errors[:20]))
        return results

    monkeypatch.setattr(sluice._core, "run", checked_run)

# A small model: a few thousand requests in five simulated minutes, a few hundredths of a second to run.
TINY_YAML = """\
sluice: 1
name: tiny
run: {duration: 5m, warmup: 1m, seed: 7, bucket: 1m}
sources:
  shoppers:
    target: api
    retries: {max_attempts: 3, base: 100ms, cap: 2s}
    arrivals: {process: poisson, rate: 20/s}
    payload: {size: 2KB}
components:
  api:
    type: api_gateway
    flavor: http
    timeout: 29s
    overhead: {distribution: lognormal, median: 6ms, p99: 25ms}
    target: checkout
  checkout:
    type: lambda
    runtime: python3.12
    architecture: arm64
    memory: 512MB
    timeout: 10s
    errors: 0.5%
    steps:
      - cpu: {distribution: lognormal, median: 20ms, p99: 80ms}
      - io: {distribution: lognormal, median: 15ms, p99: 120ms}
"""


def sluice_command() -> str:
    """The `sluice` command installed next to this interpreter (the venv's bin/)."""
    exe = Path(sys.executable).parent / "sluice"
    if not exe.exists():
        pytest.skip(f"no sluice command next to {sys.executable}")
    return str(exe)


def run_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Runs the sluice command from the repository root (so relative model paths match)."""
    proc = subprocess.run([sluice_command(), *args], cwd=REPO, capture_output=True, text=True, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"sluice {' '.join(args)} exited with {proc.returncode}: {proc.stderr}")
    return proc


@pytest.fixture
def tiny() -> sluice.Model:
    return sluice.Model.from_yaml(TINY_YAML)


@pytest.fixture
def default_model() -> sluice.Model:
    return sluice.Model.load(MODELS / "default.yaml")


@pytest.fixture
def close_figures():
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def bad_model_overrides(path: Path) -> list[str]:
    """The '# set: k=v' lines right after a bad model's '# expect:' line."""
    sets = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if not line.startswith("# set: "):
            break
        sets.append(line[len("# set: "):])
    return sets
