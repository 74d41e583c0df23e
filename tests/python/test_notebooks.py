"""The notebooks in notebooks/ run top to bottom without an error.

Each notebook is executed with nbclient in a fresh ipykernel started by the interpreter that
runs pytest (so it imports the same sluice), from the repository root, as the notebooks expect
(they load models by paths like "models/default.yaml"). The executed copy is thrown away: the
notebooks in the repository keep the outputs they were saved with.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager  # noqa: E402
from jupyter_client.manager import AsyncKernelManager  # noqa: E402
from traitlets import default  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT_S = 300  # per cell (notebook 05 runs a 24 h day six times in one cell)


class _ThisInterpreterSpecs(KernelSpecManager):
    """Resolves every kernel name to ipykernel on this interpreter (sys.executable), whatever
    kernelspecs the machine has registered: the notebooks must test the sluice pytest imports."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                          display_name=f"Python ({sys.executable})", language="python")


class _ThisInterpreterKernel(AsyncKernelManager):
    @default("kernel_spec_manager")
    def _default_kernel_spec_manager(self) -> KernelSpecManager:
        return _ThisInterpreterSpecs(parent=self)


def test_the_notebooks_are_there() -> None:
    expected = {"01-first-simulation.ipynb", "02-memory-sizing.ipynb", "03-provisioned-concurrency.ipynb"}
    assert expected <= {p.name for p in NOTEBOOKS}


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_without_errors(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        kernel_manager_class=_ThisInterpreterKernel,
        resources={"metadata": {"path": str(REPO)}},  # the kernel's working directory
    )
    client.execute()  # raises CellExecutionError, naming the cell, on the first error
    errors = [output for cell in nb.cells if cell.cell_type == "code"
              for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    assert not errors, errors
