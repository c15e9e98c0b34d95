"""Sweep designs: the grid of cells, their child seeds, and the pre-flight checks.

A *design* is a DataFrame with one row per cell and one column per parameter.
A dict ``{name: values}`` becomes the full factorial design (the first name
varies slowest, like ``itertools.product``); a DataFrame is taken as it is, so
designs from any sampler (Latin hypercube from ``scipy.stats.qmc``, a
Sobol sequence, a hand-made list of policies) can be swept.

Each cell ``k`` gets its own seed from the root seed::

    child_k = SeedSequence(seed).spawn(cells)[k]
    seed_k  = first 64-bit word of child_k.generate_state, shifted right by one bit

a plain non-negative int below ``2**63`` (it fits an int64 column, CSV and
Parquet without loss) that ``numpy.random.default_rng(seed_k)`` accepts.
Spawned children are statistically independent streams, so cells never share
random numbers, and the seed of a cell does not depend on which machine or
process runs it.

References
----------
O'Neill, M. E. (2015). PCG: a family of simple fast space-efficient
statistically good algorithms for random number generation. HMC-CS-2014-0905
(the seeding scheme behind ``numpy.random.SeedSequence``).

NumPy documentation, "Parallel random number generation"
(``SeedSequence.spawn``).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._random import seed_sequence
from ..errors import InputError

__all__ = ["make_design", "root_seed_sequence", "cell_seeds", "check_func", "func_name",
           "MAX_CELLS"]

RESERVED = ("seed",)
#: the most cells of one sweep (a larger design is sampled, not enumerated)
MAX_CELLS = 50_000_000


def _is_scalar_like(values: Any) -> bool:
    return isinstance(values, (str, bytes)) or not hasattr(values, "__iter__")


def make_design(grid: Mapping[str, Any] | pd.DataFrame) -> pd.DataFrame:
    """Turn a sweep grid into a design DataFrame (one row per cell).

    Parameters
    ----------
    grid : dict of str -> sequence, or DataFrame
        A dict gives the full factorial design of its value lists, in
        ``itertools.product`` order (the first parameter varies slowest);
        a DataFrame is a list of designs, one row per cell, columns named
        after the parameters.

    Returns
    -------
    DataFrame
        Fresh copy with a ``RangeIndex``; dtypes follow the values given.

    Raises
    ------
    InputError
        An empty grid, a parameter with no values, a scalar where a list of
        values is expected, a column name that is not a valid keyword, or the
        reserved name ``seed``.

    Examples
    --------
    >>> from cooperation.sweeps import make_design
    >>> make_design({"q": [0.1, 0.2], "fine": [5, 10, 20]}).shape
    (6, 2)
    """
    if isinstance(grid, pd.DataFrame):
        if grid.shape[1] == 0:
            raise InputError("a design needs at least one parameter column", field="grid",
                             value=f"DataFrame with columns {list(grid.columns)}",
                             fix="pass a DataFrame whose columns are func's parameters")
        if len(grid) == 0:
            raise InputError("a design needs at least one row (cell)", field="grid",
                             value=f"empty DataFrame with columns {list(grid.columns)}",
                             fix="pass at least one design row")
        names = list(grid.columns)
        _check_names(names)
        design = grid.reset_index(drop=True).copy()
        design.columns = [str(c) for c in names]
        return design
    if not isinstance(grid, Mapping):
        raise InputError("the grid must be a dict of parameter -> values or a DataFrame "
                         "of designs", field="grid", value=grid,
                         fix="e.g. grid={'delta': np.linspace(0.05, 0.95, 19)}")
    if len(grid) == 0:
        raise InputError("the grid is empty: there is no cell to run", field="grid",
                         value=dict(grid),
                         fix="give at least one parameter with at least one value")
    names = list(grid)
    _check_names(names)
    levels = []
    for name in names:
        values = grid[name]
        if _is_scalar_like(values):
            raise InputError("each grid entry must be a sequence of values, not one value",
                             field=f"grid[{name!r}]", value=values,
                             fix=f"wrap it in a list: [{values!r}], or pass it with "
                                 f"fixed={{{name!r}: {values!r}}}")
        vals = list(np.asarray(values).ravel()) if isinstance(values, np.ndarray) \
            else list(values)
        if len(vals) == 0:
            raise InputError("a grid parameter has no values: the grid has no cells",
                             field=f"grid[{name!r}]", value=values,
                             fix="give at least one value")
        levels.append(pd.Index(vals) if not isinstance(values, np.ndarray)
                      else pd.Index(np.asarray(values).ravel()))
    if math.prod(len(lv) for lv in levels) > MAX_CELLS:
        raise InputError("the full factorial grid has more than 50 million cells",
                         field="grid", value={n: len(lv) for n, lv in zip(names, levels,
                                                                           strict=True)},
                         fix="sample it instead (e.g. scipy.stats.qmc.LatinHypercube) and "
                             "pass the design as a DataFrame")
    cols = {}
    sizes = [len(lv) for lv in levels]
    total = math.prod(sizes)
    for j, lv in enumerate(levels):
        inner = math.prod(sizes[j + 1:])
        outer = total // (inner * sizes[j])
        idx = np.tile(np.repeat(np.arange(sizes[j]), inner), outer)
        cols[names[j]] = lv.take(idx).to_numpy()
    return pd.DataFrame(cols)


def _check_names(names: list) -> None:
    seen = set()
    for name in names:
        if not isinstance(name, str) or not name.isidentifier():
            raise InputError("a parameter name must be a string that is a valid Python "
                             "identifier (it is passed as a keyword argument)",
                             field="grid", value=name, fix="rename the column")
        if name in RESERVED:
            raise InputError("'seed' is reserved: sweep passes each cell its own child seed",
                             field="grid['seed']", value=name,
                             fix="rename the parameter; the seed column is added for you")
        if name in seen:
            raise InputError("duplicate parameter name", field="grid", value=name)
        seen.add(name)


def root_seed_sequence(seed: Any) -> np.random.SeedSequence:
    """The root ``SeedSequence`` of a sweep.

    ``int`` (``0`` included) -> ``SeedSequence(seed)``; a ``SeedSequence`` is
    copied without its spawn counter, so the same object gives the same cell
    seeds every time; a ``Generator`` contributes 128 bits drawn from it (it
    is advanced); ``None`` draws fresh OS entropy (recorded in
    ``DataFrame.attrs['sweep']['seed_entropy']``).
    """
    return seed_sequence(seed, none_ok=True)


def cell_seeds(root: np.random.SeedSequence, cells: int) -> list[int]:
    """Plain-int child seeds ``k = 0..cells-1`` of ``root`` (see the module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> from cooperation.sweeps.grid import cell_seeds
    >>> a = cell_seeds(np.random.SeedSequence(0), 3)
    >>> a == cell_seeds(np.random.SeedSequence(0), 3), len(set(a))
    (True, 3)
    """
    fresh = np.random.SeedSequence(root.entropy, spawn_key=root.spawn_key,
                                   pool_size=root.pool_size)
    return [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1))
            for c in fresh.spawn(cells)]


def func_name(func: Callable) -> str:
    """``module:qualname`` of a callable (best effort, for messages and checkpoints)."""
    target = func
    while hasattr(target, "func") and not hasattr(target, "__qualname__"):  # partial
        target = target.func
    mod = getattr(target, "__module__", None) or type(target).__module__
    qual = getattr(target, "__qualname__", None) or type(target).__qualname__
    return f"{mod}:{qual}"


def check_func(func: Callable, names: list[str], fixed: Mapping[str, Any]) -> None:
    """Check, before any work, that ``func(**params, **fixed, seed=...)`` can be called.

    Every grid parameter, every fixed argument and ``seed`` must be accepted
    (by name or through ``**kwargs``), and every required argument of
    ``func`` must be supplied.
    """
    if not callable(func):
        raise InputError("func must be callable: func(**params, seed=child_seed) -> dict",
                         field="func", value=func)
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):  # some builtins: nothing to check
        return
    params = sig.parameters
    var_kw = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    by_name = {n for n, p in params.items()
               if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD,
                             inspect.Parameter.KEYWORD_ONLY)}
    name = func_name(func)
    overlap = set(names) & set(fixed)
    if overlap:
        raise InputError("a parameter is both swept and fixed", field="fixed",
                         value=sorted(overlap), fix="drop it from one of the two")
    for n in [*names, *fixed, "seed"]:
        if n not in by_name and not var_kw:
            where = ("grid" if n in names else "fixed") if n != "seed" else "func"
            raise InputError(f"{name} does not accept a parameter {n!r} (it takes "
                             f"{list(params)})",
                             field=f"{where}[{n!r}]" if n != "seed" else "func",
                             value=n if n != "seed" else name,
                             fix="add it to func's signature, or **kwargs" if n != "seed"
                             else "add a `seed` keyword argument to func")
    supplied = {*names, *fixed, "seed"}
    for n, p in params.items():
        if p.default is inspect.Parameter.empty and p.kind in (
                inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY,
                inspect.Parameter.POSITIONAL_ONLY) and n not in supplied:
            raise InputError(f"{name} needs an argument {n!r} that neither the grid nor "
                             f"fixed= supplies", field="grid", value=names,
                             fix=f"add {n!r} to the grid, pass fixed={{{n!r}: ...}}, or "
                                 f"give it a default")
