"""Solving the fund LP on a backend: HiGHS with tail rows added as needed (default), or
the extensive form through :func:`cooperation.lp.solve_lp`."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ...errors import InputError
from ...lp import STATUS_ITERATION, STATUS_OPTIMAL, LinearProgram, LPSolution, solve_lp
from ...lp.lazy import solve_lazy
from .generator import Generator, build_master
from .model import FundLP, build

__all__ = ["BACKENDS", "Solved", "alpha_of", "check_backend", "solve_fund"]

#: "highs": the LP with tail rows added as they are violated, through highspy (any number
#: of years and members); "pulp", "scipy": every tail row (the cross-checks)
BACKENDS = ("highs", "pulp", "scipy")


@dataclass
class Solved:
    """An LP as built and solved: the model, its columns, the solution, the cuts."""

    lp: LinearProgram
    ix: dict
    sol: LPSolution
    cuts: Generator | None
    backend: str
    with_key: bool
    c_fixed: float | None


def check_backend(backend) -> str:
    if backend not in BACKENDS:
        raise InputError(
            f"unknown fund backend; choose one of {list(BACKENDS)}", field="backend", value=backend
        )
    return backend


def solve_fund(
    spec: FundLP,
    c_fixed,
    backend: str,
    *,
    time_limit=None,
    bar=None,
    with_key: bool = True,
    first_only: bool = False,
) -> Solved:
    """Build and solve the fund LP (money scaled, as in ``spec``); ``first_only``: the
    first stage alone (the least co-funding, for the infeasibility diagnosis)."""
    if backend == "highs":
        lp, objs, ix, gen = build_master(spec, c_fixed, with_key=with_key)
        if first_only:
            objs = objs[:1]
            gen.names = gen.names[:1]

        def tick(stage, rnd):
            if bar is not None:
                bar.set_postfix_str(
                    f"stage {stage + 1}/{len(objs)}, {gen.rows} tail rows, "
                    f"{len(gen.members)} shares above the coverage"
                )
                bar.update(1)

        sol = solve_lazy(lp, objs, gen, time_limit=time_limit, on_round=tick)
        sol.values = [v + off for v, off in zip(sol.values, gen.offsets(), strict=False)]
        return Solved(lp, ix, sol, gen, backend, with_key, c_fixed)
    lp, objs, ix = build(spec, c_fixed, with_key=with_key)
    if first_only:
        objs = objs[:1]
    t0 = time.perf_counter()
    sol = solve_lp(lp, objs, backend=backend, time_limit=time_limit)
    if (
        sol.status != STATUS_OPTIMAL
        and time_limit is not None
        and time.perf_counter() - t0 >= time_limit
    ):
        sol.status, sol.message = STATUS_ITERATION, "time limit reached before an optimum"
    if bar is not None:
        bar.update(len(objs))
    return Solved(lp, ix, sol, None, backend, with_key, c_fixed)


def alpha_of(solved: Solved, x) -> np.ndarray:
    """The payout shares at ``x``, whichever form was solved."""
    if solved.cuts is not None:
        return solved.cuts.alpha(x)
    return np.asarray(x[solved.ix["al"]], float)
