"""Models: the YAML a user wrote, plus overrides, validated by the engine."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any, Union

from . import _core

# A path as os.fspath() takes it: text, bytes or a path object such as pathlib.Path.
PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]

# The engine's limit on a model file (docs/model-reference.md, "Limits of model files").
_MAX_FILE_BYTES = 4 * 1024 * 1024


def _to_json(value: Any, what: str) -> str:
    """JSON text (JSON is YAML) of a dict or list; a structure nested deeper than Python can
    walk is a ModelError like any other bad model, not a RecursionError."""
    try:
        return json.dumps(value, indent=1)
    except RecursionError:
        raise _core.ModelError(f"{what}: the value is nested too deeply") from None


def _as_override_value(value: Any) -> str:
    """The text of an override value, as the command line's --set would take it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, (list, dict)):
        return _to_json(value, "an override value")
    raise TypeError("an override value must be text, a number, a bool, a list or a dict, "
                    f"not {type(value).__name__}")


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
        self._name = name
        if not isinstance(base_dir, (str, bytes, os.PathLike)):
            raise TypeError(f"base_dir must be a path, not {type(base_dir).__name__}")
        # Any path-like (a pathlib.Path, bytes) as the text the engine takes.
        base_dir = os.fsdecode(base_dir)
        # Absolute, so that a pickled model (a Dask task) or a later os.chdir() still finds its
        # trace and price files; messages name those files as the model writes them.
        self._base_dir = os.path.abspath(base_dir)
        self._overrides = tuple(overrides)
        self._identity: tuple[str, _core.ModelSpec] | None = None
        self._spec = _core.load_model_from_string(text, list(self._overrides), name, base_dir)

    # --- constructors ---
    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Model:
        """Reads a model file; relative paths inside it (traces, price files) start at its folder."""
        path = os.fspath(path)
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
            raise TypeError(f"from_dict takes a dict, not {type(d).__name__}")
        return cls(_to_json(d, "<dict>"), name="<dict>", base_dir=base_dir)

    # --- variants ---
    def set(self, key_path: str, value: Any) -> Model:
        """A new model with one key overridden, by the same paths as ``--set``."""
        if not isinstance(key_path, str) or not key_path:
            raise TypeError("key_path must be a non-empty str like 'components.ingest.memory'")
        overrides = self._overrides + ((key_path, _as_override_value(value)),)
        return Model(self._text, name=self._name, base_dir=self._base_dir, overrides=overrides)

    def with_overrides(self, overrides: Mapping[str, Any]) -> Model:
        """A new model with several keys overridden at once, validated once as a whole (like
        several ``--set`` options): the intermediate combinations need not be valid."""
        if not isinstance(overrides, Mapping):
            raise TypeError(f"overrides must be a dict of key path -> value, not {type(overrides).__name__}")
        added = []
        for key_path, value in overrides.items():
            if not isinstance(key_path, str) or not key_path:
                raise TypeError("key_path must be a non-empty str like 'components.ingest.memory'")
            added.append((key_path, _as_override_value(value)))
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


def as_model(model: Model | str | os.PathLike[str]) -> Model:
    if isinstance(model, Model):
        return model
    if isinstance(model, (str, os.PathLike)):
        return Model.load(model)
    raise TypeError(f"expected a sluice.Model or a path to a model, not {type(model).__name__}")
