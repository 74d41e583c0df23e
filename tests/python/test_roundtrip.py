"""Round trips: to_dict/from_dict, to_yaml/from_yaml and pickle give back an equal model, also
after set(); equal models hash alike and simulate alike."""

from __future__ import annotations

import os
import pickle

import pytest

import sluice
from conftest import MODELS, TINY_YAML

MODEL_FILES = sorted(p.name for p in MODELS.glob("*.yaml"))


def variants(model: sluice.Model):
    yield model
    yield model.set("run.seed", 123)
    function = next(name for name, kind in model.components.items() if kind == "lambda")
    yield model.set(f"components.{function}.memory", "1024MB")
    yield model.set(f"components.{function}.steps.0", {"cpu": "3ms"}).set("run.warmup", "2m")


@pytest.mark.parametrize("name", MODEL_FILES)
def test_dict_and_yaml_round_trips(name):
    # Relative paths inside a model (trace and price files) start at base_dir.
    for model in variants(sluice.Model.load(MODELS / name)):
        from_dict = sluice.Model.from_dict(model.to_dict(), base_dir=str(MODELS))
        from_yaml = sluice.Model.from_yaml(model.to_yaml(), base_dir=str(MODELS))
        assert from_dict == model
        assert from_yaml == model
        assert hash(from_dict) == hash(model) == hash(from_yaml)
        assert from_dict.to_dict() == model.to_dict()
        assert from_yaml.to_dict() == model.to_dict()
        assert from_yaml.spec.seed == model.spec.seed
        assert from_yaml.spec.duration_s == model.spec.duration_s


@pytest.mark.parametrize("name", MODEL_FILES)
def test_pickle_round_trip(name):
    for model in variants(sluice.Model.load(MODELS / name)):
        again = pickle.loads(pickle.dumps(model))
        assert again == model
        assert hash(again) == hash(model)
        assert again.overrides == model.overrides
        assert again.to_yaml() == model.to_yaml()
        assert repr(again) == repr(model)


@pytest.mark.parametrize("as_path", [str, lambda p: p, os.fsencode], ids=["str", "pathlib.Path", "bytes"])
def test_base_dir_takes_any_path_like(as_path):
    """The trace file of trace-replay.yaml is found relative to base_dir, however it is given."""
    text = (MODELS / "trace-replay.yaml").read_text(encoding="utf-8")
    loaded = sluice.Model.load(MODELS / "trace-replay.yaml")
    base_dir = as_path(MODELS)
    for model in (sluice.Model(text, base_dir=base_dir), sluice.Model.from_yaml(text, base_dir=base_dir),
                  sluice.Model.from_dict(loaded.to_dict(), base_dir=base_dir)):
        assert model == loaded
        assert pickle.loads(pickle.dumps(model)) == loaded
    with pytest.raises(TypeError, match="base_dir"):
        sluice.Model.from_yaml(text, base_dir=3)


def test_round_trip_simulates_the_same(tiny):
    changed = tiny.set("components.checkout.memory", "1024MB")
    again = sluice.Model.from_yaml(changed.to_yaml())
    a = sluice.run(changed, seed=4)
    b = sluice.run(again, seed=4)
    assert a.summary == b.summary
    assert a.timeseries().equals(b.timeseries())


def test_equality_is_about_content(tiny):
    assert tiny == sluice.Model.from_yaml(TINY_YAML + "\n# a comment changes nothing\n")
    assert tiny != tiny.set("run.seed", 8)
    assert tiny.set("run.seed", 8) == tiny.set("run.seed", 8)
    assert tiny.set("run.seed", 8).set("run.seed", 7) == tiny  # the last override wins
    assert len({tiny, sluice.Model.from_yaml(TINY_YAML), pickle.loads(pickle.dumps(tiny))}) == 1
    assert tiny != "tiny"
    assert tiny != TINY_YAML


def test_to_yaml_of_an_override_is_valid_yaml_for_the_command_line(tiny, tmp_path):
    from conftest import run_cli

    path = tmp_path / "variant.yaml"
    path.write_text(tiny.set("components.checkout.steps.0.cpu", "7ms").to_yaml(), encoding="utf-8")
    proc = run_cli("validate", str(path))
    assert "ok" in proc.stdout
    assert sluice.Model.load(path) == tiny.set("components.checkout.steps.0.cpu", "7ms")


def test_pickled_model_finds_its_files_from_another_directory(monkeypatch, tmp_path):
    """A model with a trace file, loaded by a relative path, unpickled elsewhere (a Dask worker
    with another working directory, or after os.chdir)."""
    from conftest import REPO

    monkeypatch.chdir(REPO)
    model = sluice.Model.load("models/trace-replay.yaml")
    data = pickle.dumps(model)
    monkeypatch.chdir(tmp_path)
    again = pickle.loads(data)
    assert again == model
    assert again.name == "trace-replay"
