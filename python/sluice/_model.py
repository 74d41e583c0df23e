"""Models: the YAML a user wrote, plus overrides, validated by the engine."""

from __future__ import annotations

import json
import numbers
import os
from collections.abc import Mapping
from typing import Any, Union

import numpy as np

from . import _checks, _core

# A path as os.fspath() takes it: text, bytes or a path object such as pathlib.Path.
PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]

# The engine's limit on a model file (docs/model-reference.md, "Limits of model files").
_MAX_FILE_BYTES = 4 * 1024 * 1024


_VALUES = "text, a number, a bool, a path, a list or a dict"


def _plain(value: Any) -> Any:
    """A value of a model as JSON takes it: numpy's numbers as Python's, paths as text (JSON
    takes tuples as lists by itself). Anything else is not a value a model can hold."""
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, os.PathLike):
        return os.fsdecode(os.fspath(value))
    raise TypeError(f"a model's value must be {_VALUES}, not {type(value).__name__} {_checks.shown(value)}")


def _to_json(value: Any, what: str) -> str:
    """JSON text (JSON is YAML) of a dict or list; a structure nested deeper than Python can
    walk is a ModelError like any other bad model, not a RecursionError."""
    try:
        return json.dumps(value, indent=1, default=_plain)
    except RecursionError:
        raise _core.ModelError(f"{what}: the value is nested too deeply") from None
    except TypeError as e:
        raise TypeError(f"{what}: {e}") from None


def _as_override_value(key_path: str, value: Any) -> str:
    """The text of an override value, as the command line's --set would take it."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral):  # numpy's integers too
        return str(int(value))
    if isinstance(value, numbers.Real):
        return str(float(value))
    if isinstance(value, os.PathLike):  # a trace or price file
        return os.fsdecode(os.fspath(value))
    if isinstance(value, (list, tuple, dict)):
        return _to_json(value, f"the value of {key_path!r}")
    raise TypeError(f"the value of {key_path!r} must be {_VALUES}, not {type(value).__name__} "
                    f"{_checks.shown(value)}")


def _key_path(key_path: Any) -> str:
    return _checks.text(key_path, "key_path", "components.ingest.memory")


def _overrides(overrides: Any) -> tuple[tuple[str, str], ...]:
    pairs = _checks.items(overrides, "overrides", "(key path, value text) pairs")
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise TypeError(f"overrides must be a list of (key path, value text) pairs, "
                            f"like ('run.seed', '7'), not {_checks.shown(pair)}")
    return tuple(pairs)


class Model:
    """A model: its YAML text, where it came from, and the overrides applied on top.

    Models are immutable: :meth:`set` returns a new model. Every constructor validates the
    model at once and raises :class:`sluice.ModelError` (a ``ValueError``) with the same
    ``file:line:column: key.path: problem`` message as the command line.
    """

    __slots__ = ("_base_dir", "_identity", "_name", "_overrides", "_spec", "_text")

    def __init__(self, text: str, *, name: str = "<string>", base_dir: PathLike = ".",
                 overrides: tuple[tuple[str, str], ...] = ()) -> None:
        if not isinstance(text, str):
            raise TypeError(f"a model's text must be a str, not {type(text).__name__}")
        self._text = text
        self._name = _checks.text(name, "name", "models/shop.yaml")
        # Any path-like (a pathlib.Path, bytes) as the text the engine takes.
        base_dir = _checks.path(base_dir, "base_dir")
        # Absolute, so that a pickled model (a Dask task) or a later os.chdir() still finds its
        # trace and price files; messages name those files as the model writes them.
        self._base_dir = os.path.abspath(base_dir)
        self._overrides = _overrides(overrides)
        self._identity: tuple[str, _core.ModelSpec] | None = None
        self._spec = _core.load_model_from_string(text, list(self._overrides), name, base_dir)

    # --- constructors ---
    @classmethod
    def load(cls, path: PathLike) -> Model:
        """Reads a model file; relative paths inside it (traces, price files) start at its folder."""
        path = _checks.path(path, "path")
        try:
            with open(path, "rb") as f:
                data = f.read(_MAX_FILE_BYTES + 1)  # no further: a huge file or a device never fills memory
        except OSError as e:
            raise _core.ModelError(f"{path}: cannot read the model file: {e.strerror}") from None
        text: str | None = None
        if len(data) <= _MAX_FILE_BYTES:
            try:
                text = data.decode("utf-8")  # CR and CRLF line endings are the engine's to read
            except UnicodeDecodeError:
                pass
        if text is None:
            # Too large, or not UTF-8: the engine reads the file itself (as far as its limit) and
            # raises the command line's message, with the line and column of a bad byte.
            _core.load_model(path, [])
            raise _core.ModelError(f"{path}: cannot read the model file: it changed while being read")
        return cls(text, name=path, base_dir=os.path.dirname(path) or ".")

    @classmethod
    def from_yaml(cls, text: str, *, base_dir: PathLike = ".") -> Model:
        return cls(text, name="<yaml>", base_dir=base_dir)

    @classmethod
    def from_dict(cls, d: dict[str, Any], *, base_dir: PathLike = ".") -> Model:
        if not isinstance(d, dict):
            raise TypeError(f"d must be a dict (the model as its YAML reads), not {type(d).__name__}")
        return cls(_to_json(d, "<dict>"), name="<dict>", base_dir=base_dir)

    # --- variants ---
    def set(self, key_path: str, value: Any) -> Model:
        """A new model with one key overridden, by the same paths as ``--set``."""
        key_path = _key_path(key_path)
        overrides = self._overrides + ((key_path, _as_override_value(key_path, value)),)
        return Model(self._text, name=self._name, base_dir=self._base_dir, overrides=overrides)

    def with_overrides(self, overrides: Mapping[str, Any]) -> Model:
        """A new model with several keys overridden at once, validated once as a whole (like
        several ``--set`` options): the intermediate combinations need not be valid."""
        _checks.mapping(overrides, "overrides", "{'components.ingest.memory': '1GB'}")
        added = []
        for key_path, value in overrides.items():
            key_path = _key_path(key_path)
            added.append((key_path, _as_override_value(key_path, value)))
        return Model(self._text, name=self._name, base_dir=self._base_dir,
                     overrides=self._overrides + tuple(added))

    # --- reading ---
    @property
    def name(self) -> str:
        return self._spec.name

    @property
    def spec(self) -> _core.ModelSpec:
        return self._spec

    @property
    def overrides(self) -> list[tuple[str, str]]:
        return list(self._overrides)

    @property
    def sources(self) -> list[str]:
        return list(self._spec.sources)

    @property
    def components(self) -> dict[str, str]:
        return dict(self._spec.components)

    @property
    def warnings(self) -> list[str]:
        return list(self._spec.warnings)

    def to_yaml(self) -> str:
        """The model's YAML with its overrides applied."""
        return _core.effective_yaml(self._text, list(self._overrides), self._name)

    def to_dict(self) -> dict[str, Any]:
        """The model as a dict (scalars as the text the YAML holds, e.g. '512MB')."""
        return json.loads(_core.effective_json(self._text, list(self._overrides), self._name))

    def to_dot(self) -> str:
        """The architecture as Graphviz DOT."""
        return _core.to_dot(self._spec)

    def _identity_key(self) -> tuple[str, _core.ModelSpec]:
        """What makes two models equal: the effective model as canonical JSON, and the spec read
        back from that JSON under one display name (so the data of trace and price files, read
        relative to base_dir, counts too). File names, line and column numbers, comments and
        layout do not count: a model equals its to_dict()/to_yaml() round trip."""
        if self._identity is None:
            canonical = json.dumps(self.to_dict(), indent=1)
            spec = _core.load_model_from_string(canonical, [], "<model>", self._base_dir)
            self._identity = (canonical, spec)
        return self._identity

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Model):
            return NotImplemented
        if self is other:
            return True
        mine, theirs = self._identity_key(), other._identity_key()
        return mine[0] == theirs[0] and mine[1] == theirs[1]

    def __hash__(self) -> int:
        return hash(self._identity_key()[0])

    def __repr__(self) -> str:
        extra = f", {len(self._overrides)} overrides" if self._overrides else ""
        return f"<sluice.Model {self.name!r}{extra}>"

    # Pickling (for Dask): rebuild from the text, which validates again.
    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._text, self._name, self._base_dir, self._overrides))


def _rebuild(text: str, name: str, base_dir: str, overrides: tuple[tuple[str, str], ...]) -> Model:
    return Model(text, name=name, base_dir=base_dir, overrides=overrides)


def as_model(model: Model | PathLike, name: str = "model") -> Model:
    """A model given as a Model or as the path of its file (str, bytes, pathlib.Path)."""
    if isinstance(model, Model):
        return model
    if _checks.is_path(model):
        return Model.load(model)
    raise TypeError(f"{name} must be a sluice.Model or the path of a model file, "
                    f"not {type(model).__name__} {_checks.shown(model)}")
