"""Benchmark: every command at county scale (issue 15), with peak memory, against the
numbers before the scale path and against scipy's MILP on the same optimum.

Run:  python benchmarks/bench_scale.py [--sizes 300 1000 3000] [--quick]

``--quick``: 300 counties only, for a check in seconds.

Inputs: the ILLUSTRATIVE county river network of ``data/county`` (3,000 counties,
``data/county/generate.py``, seed 20240601) and the same generator at 300 and 1,000
counties. Each step runs in a fresh process (wall time including interpreter
start and imports, as ``/usr/bin/time`` measured the numbers before; peak memory
is the process's maximum resident set):

1. ``cooperation analyze DIR``: exact optimum and extreme equilibria by MILP,
   withdrawal costs, Shapley values (exact by group, sampled with standard errors),
   the responsibility rules;
2. ``cooperation compensate DIR --plan --links DIR/links.csv``: the least-subsidy
   design (exact target and outside option by MILP) and the payment plan;
3. ``cooperation simulate DIR --runs 100 --rounds 50``;
4. ``co.compare_rules(scenario)`` (Python API);
5. peer: the social-optimum MILP through highspy (the package) and through
   ``scipy.optimize.milp`` (the same HiGHS behind scipy's interface); ratio = package
   / scipy, and both optima printed.

``BEFORE`` holds the same commands measured at commit f75822a (before this work) on
the development machine (2 shared cores); the ratio column is now / before (< 1:
faster). "refused" means the command stopped with the tensor-limit error.

Not a test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNTY = ROOT / "data" / "county"

#: (command, counties) -> (seconds, peak MB) at commit f75822a; None: refused (tensor limit)
BEFORE = {
    ("analyze", 300): None,
    ("analyze", 1000): None,
    ("analyze", 3000): None,
    ("compensate --plan", 300): (2.22, 186),
    ("compensate --plan", 1000): (3.49, 203),
    ("compensate --plan", 3000): (7.72, 266),
    ("simulate", 300): (3.61, 178),
    ("simulate", 1000): (5.54, 399),
    ("simulate", 3000): (19.29, 2259),
    ("compare_rules", 300): None,
    ("compare_rules", 1000): None,
    ("compare_rules", 3000): None,
}
#: the old analyze at 20 counties (the largest it ran): 15.83 s, 2,651 MB, and
#: to_game() alone 10.7 s; compensate --plan then used a local optimum and the
#: default beneficiary links (plan infeasible across basins), now the exact optimum
#: and the generator's link table.


def _generator():
    spec = importlib.util.spec_from_file_location("county_generate", COUNTY / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _child(step: str, folder: str) -> None:
    """Run one step in this process and print ``{"code", "peak_mb", ...}`` as JSON."""
    import io

    out = {}
    if step in ("analyze", "compensate --plan", "simulate"):
        from cooperation.cli import main

        argv = {
            "analyze": ["analyze", folder],
            "compensate --plan": [
                "compensate",
                folder,
                "--plan",
                "--links",
                str(Path(folder) / "links.csv"),
            ],
            "simulate": ["simulate", folder, "--runs", "100", "--rounds", "50"],
        }[step]
        sys.stdout, real = io.StringIO(), sys.stdout
        try:
            out["code"] = main(argv)
        finally:
            text, sys.stdout = sys.stdout.getvalue(), real
        out["lines"] = len(text.splitlines())
        if step == "analyze":
            out["answer"] = next(
                (
                    ln.split("Answer: ")[1].split(" ")[0]
                    for ln in text.splitlines()
                    if "Answer: " in ln
                ),
                "?",
            )
    elif step == "compare_rules":
        import cooperation as co

        t = co.compare_rules(co.load_scenario(folder))
        out["code"] = 0
        out["answer"] = t.attrs.get("answer", "exact")
    elif step == "milp":
        import numpy as np

        import cooperation as co
        from cooperation.equilibria import milp
        from cooperation.lp.model import Objective

        s = co.load_scenario(folder)
        T = milp.hazard_table(s)
        lp, y, z = milp._model(T)
        cy, cz, const = milp._welfare_coefs(T)
        sc = milp._scale(T)
        c = np.concatenate([cy, cz]) / sc
        for backend in ("highs", "scipy"):
            t0 = time.perf_counter()
            sol = milp.solve_milp(lp, Objective(c, sense=-1), y, backend=backend)
            out[backend] = (time.perf_counter() - t0, sol.objective * sc + const, sol.status)
        out["size"] = (lp.n_cols, lp.n_rows, int(lp.A.nnz))
        out["code"] = 0
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def _run(step: str, folder: Path) -> tuple[float, dict]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", step, str(folder)], capture_output=True, text=True
    )
    wall = time.perf_counter() - t0
    try:
        info = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        info = {"code": proc.returncode, "error": proc.stderr.strip()[-300:]}
    return wall, info


def _before(step, n) -> str:
    b = BEFORE.get((step, n))
    return "refused" if b is None else f"{b[0]:.2f} s {b[1]:.0f} MB"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[300, 1000, 3000])
    p.add_argument("--quick", action="store_true", help="300 counties only")
    p.add_argument("--child", nargs=2, metavar=("STEP", "FOLDER"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0
    sizes = [300] if args.quick else args.sizes
    gen = _generator()
    steps = ("analyze", "compensate --plan", "simulate", "compare_rules")
    print(f"{'step':<18} {'counties':>8} {'now':>16} {'before':>16} {'ratio':>7}  notes")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            folder = COUNTY if n == gen.COUNTIES else Path(tmp) / f"c{n}"
            if folder != COUNTY:
                gen.write(folder, n)
            for step in steps:
                wall, info = _run(step, folder)
                b = BEFORE.get((step, n))
                ratio = f"{wall / b[0]:.2f}" if b else "-"
                note = f"exit {info.get('code')}"
                for key in ("answer", "lines"):
                    if key in info:
                        note += f", {key} {info[key]}"
                if "error" in info:
                    note += f", {info['error']}"
                now = f"{wall:.2f} s {info.get('peak_mb', float('nan')):.0f} MB"
                print(
                    f"{step:<18} {n:>8} {now:>16} {_before(step, n):>16} {ratio:>7}  {note}",
                    flush=True,
                )
            wall, info = _run("milp", folder)
            if "highs" in info:
                (th, wh, _), (ts, ws, _) = info["highs"], info["scipy"]
                print(
                    f"{'optimum MILP':<18} {n:>8} {'highspy ' + f'{th:.2f} s':>16} "
                    f"{'scipy ' + f'{ts:.2f} s':>16} {th / ts:>7.2f}  W = {wh:.10g} / "
                    f"{ws:.10g}; (cols, rows, nnz) = {tuple(info['size'])}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
