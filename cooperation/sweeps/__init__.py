"""Parameter sweeps: policy phase diagrams on all local cores or on a Dask cluster.

``sweep(func, grid, seed=0, executor=None, progress=True, checkpoint=None)``
runs ``func(**params, seed=child_seed)`` on every cell of a grid (full
factorial dict, or a DataFrame of designs) and returns one tidy DataFrame.
``scenario_sweep(scenario, vary, measure)`` does the same with no Python of
one's own: it varies a scenario's settings by dotted path
(``monitoring.audit_prob``) and measures the simulation result.
Executors: ``"serial"``, local processes (default) and ``dask.distributed``;
the same seed gives the same table on all three. See docs/model.md, section 7,
and docs/howto-sweep.md.
"""

from .analysis import experiments_outcomes, phase_boundary
from .checkpoint import Checkpoint
from .executors import DaskExecutor, ProcessExecutor, SerialExecutor
from .grid import cell_seeds, make_design
from .output import write_table
from .scenario_sweep import scenario_sweep
from .spec import SweepSpec, load_spec
from .sweep import sweep

__all__ = [
    "Checkpoint", "DaskExecutor", "ProcessExecutor", "SerialExecutor", "SweepSpec",
    "cell_seeds", "experiments_outcomes", "load_spec", "make_design", "phase_boundary",
    "scenario_sweep", "sweep", "write_table",
]
