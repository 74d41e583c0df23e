# Type stubs of the private extension module sluice._core.
from typing import List, Optional, Sequence, Tuple

import numpy as np

class ModelError(ValueError): ...
class RunAborted(RuntimeError): ...

class ModelSpec:
    name: str
    file: str
    duration_s: float
    warmup_s: float
    seed: int
    sources: List[str]
    components: List[Tuple[str, str]]
    warnings: List[str]
    def __eq__(self, other: object) -> bool: ...

def load_model(path: str, overrides: Sequence[Tuple[str, str]]) -> ModelSpec: ...
def load_model_from_string(text: str, overrides: Sequence[Tuple[str, str]], display_name: str,
                           base_dir: str) -> ModelSpec: ...
def effective_yaml(text: str, overrides: Sequence[Tuple[str, str]], display_name: str) -> str: ...
def effective_json(text: str, overrides: Sequence[Tuple[str, str]], display_name: str) -> str: ...
def to_dot(model: ModelSpec) -> str: ...
def supported_component_types() -> List[str]: ...

class Results:
    summary_json: str
    component_names: List[str]
    metric_names: List[str]
    time_s: np.ndarray
    component_codes: np.ndarray
    metric_codes: np.ndarray
    values: np.ndarray
    warnings: List[str]
    def summary_json_without_wall_clock(self) -> str: ...
    def timeseries_csv(self) -> str: ...

def run(model: ModelSpec, duration_s: Optional[float] = None, seed: Optional[int] = None) -> Results: ...

class PowerTunePoint:
    memory_mb: int
    invocations: int
    throttles: int
    errors: int
    crashes: int
    duration_mean_ms: float
    duration_p50_ms: float
    duration_p99_ms: float
    end_to_end_p99_ms: float
    cold_start_share: float
    cost_per_million_usd: float
    meets_slo: bool

class PowerTuneResult:
    points: List[PowerTunePoint]
    recommended_memory_mb: Optional[int]
    explanation: str

def power_tune(model: ModelSpec, function: str, memories_mb: Sequence[int], slo_p99_ms: Optional[float],
               strategy: str, balanced_weight: float, duration_s: Optional[float],
               seed: Optional[int]) -> PowerTuneResult: ...

class Calibration:
    cpu_ms: float
    threads: int
    io_ms: float
    r_squared: float
    rmse_ms: float
    measurements: int
    fitted_ms: List[float]

def calibrate(memory_mb: Sequence[float], duration_ms: Sequence[float]) -> Calibration: ...
def compare(designs: Sequence[ModelSpec], duration_s: Optional[float], seed: Optional[int]) -> str: ...
def read_measurements_csv(path: str) -> Tuple[List[float], List[float]]: ...
