"""The machinery under the fund: rows and columns generated on demand
(``cooperation.lp.lazy``) against scipy's linprog on the whole LP, HiGHS's statuses
in its own words, the exact merging of identical years, the progress bar, and the
``cooperation fund`` command passing on only what was typed."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

import cooperation as co
from cooperation._progress import progress_bar, wants_progress
from cooperation.cli import main
from cooperation.compensation.fund.calculator import _merge_years
from cooperation.errors import InputError
from cooperation.lp import LinearProgram, Objective
from cooperation.lp.lazy import Generated, solve_lazy

CHISHUI = "data/chishui/scenario.toml"


def _random_lp(seed, n=6, m=30):
    """min c x over 0 <= x <= 5 and rows A x >= b (feasible at x = 5)."""
    rng = np.random.default_rng(seed)
    A = rng.uniform(-1, 2, size=(m, n)) * (rng.random((m, n)) < 0.6)
    b = A @ np.full(n, 5.0) - rng.uniform(0.5, 20, size=m)
    c = rng.uniform(0.1, 2, size=n)
    return A, b, c


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_row_generation_reaches_the_full_lp(seed):
    """Rows handed over one at a time, the most violated first: the same optimum as
    linprog on every row, and never more rows than exist."""
    A, b, c = _random_lp(seed)
    lp = LinearProgram()
    lp.add_vars([f"x{j}" for j in range(len(c))], ub=5.0)

    def worst(x, stage, duals):
        v = b - A @ x
        r = int(np.argmax(v))
        if v[r] <= 1e-9:
            return None
        return Generated(rows=(sp.csr_matrix(A[r : r + 1]), [b[r]], [np.inf]))

    sol = solve_lazy(lp, [Objective(c)], worst)
    ref = linprog(c, A_ub=-A, b_ub=-b, bounds=[(0, 5)] * len(c), method="highs")
    assert sol.status == 0 and ref.status == 0
    assert sol.values[0] == pytest.approx(ref.fun, rel=1e-7, abs=1e-9)
    assert sol.cuts <= A.shape[0]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_column_generation_reaches_the_full_lp(seed):
    """max c x over A x <= b, x >= 0, with only one column written at first: columns with
    a negative reduced cost (c_j - y A_j, as minimised) are added until none is left; the
    optimum is linprog's on every column, at the first stage and the second (a tie
    broken by another objective, the first kept)."""
    rng = np.random.default_rng(seed)
    m, n = 5, 12
    A = rng.uniform(0.1, 2, size=(m, n))
    b = rng.uniform(5, 10, size=m)
    c1 = -rng.integers(1, 4, size=n).astype(float)  # minimise -value
    c2 = rng.uniform(0, 1, size=n)
    lp = LinearProgram()
    lp.add_vars(["x0"])
    lp.add_rows(np.arange(m), np.zeros(m), A[:, 0], -np.inf, b, [f"r{i}" for i in range(m)], "cap")
    have = [0]
    costs = np.vstack([c1, c2])

    def price(x, stage, duals):
        d = costs[stage] - duals.lp @ A
        if stage == 1:
            d -= duals.fixes[0] * c1
        d[have] = 0.0
        new = np.flatnonzero(d < -1e-9)
        if new.size == 0:
            return None
        have.extend(new.tolist())
        return Generated(
            cols=(
                np.zeros(new.size),
                np.full(new.size, np.inf),
                costs[:, new],
                sp.csc_matrix(A[:, new]),
                sp.csc_matrix((0, new.size)),
            )
        )

    sol = solve_lazy(lp, [Objective(np.array([c1[0]])), Objective(np.array([c2[0]]))], price)
    ref1 = linprog(c1, A_ub=A, b_ub=b, method="highs")
    ref2 = linprog(c2, A_ub=np.vstack([A, c1]), b_ub=np.append(b, ref1.fun + 1e-9), method="highs")
    assert sol.status == 0
    assert sol.values[0] == pytest.approx(ref1.fun, rel=1e-7)
    assert sol.values[1] == pytest.approx(ref2.fun, rel=1e-6, abs=1e-7)


def test_statuses_in_highs_words():
    lp = LinearProgram()
    x = lp.add_vars(["x"], lb=-np.inf)
    lp.add_rows([0], x, [1.0], 1.0, np.inf, ["low"], "f")
    unb = solve_lazy(lp, [Objective(np.array([-1.0]))])
    assert unb.status in (3, 4) and "HiGHS: Unbounded" in unb.message
    lp.add_rows([0], x, [1.0], -np.inf, 0.0, ["high"], "f")
    inf = solve_lazy(lp, [Objective(np.array([1.0]))])
    assert inf.status == 2 and inf.message == "HiGHS: Infeasible"
    assert inf.x is None and inf.values == []


def test_merging_years_is_exact_and_linear():
    """Identical years (same members, same amounts) merge, in order of first appearance,
    into the same groups as numpy's unique on the dense matrix."""
    s = co.load_scenario(CHISHUI)
    L = co.compensation.fund.simulate_losses(s, [1, 1, 1], 3000, 9)
    Lu, w, inv = _merge_years(L)
    uniq, counts = np.unique(L.toarray(), axis=0, return_counts=True)
    assert Lu.shape[0] == len(uniq) and sorted(w) == sorted(counts.astype(float))
    np.testing.assert_array_equal(Lu.toarray()[inv], L.toarray())
    assert inv[0] == 0 and w.sum() == 3000


def test_progress_bar_is_quiet_in_tests():
    assert wants_progress(None) is False  # pytest sets PYTEST_CURRENT_TEST
    assert wants_progress(True) is True
    with progress_bar(5, "x", progress=False) as bar:
        bar.update(5)
    with pytest.raises(InputError, match="progress"):
        wants_progress("yes")


# ----------------------------------------------------------------------------- command
def test_cli_passes_only_typed_flags(monkeypatch, capsys):
    seen = {}
    real = co.compensation.fund.calculator.design_fund

    def spy(scenario, **kw):
        seen.update(kw)
        return real(scenario, years=300, **{k: v for k, v in kw.items() if k != "years"})

    monkeypatch.setattr("cooperation.compensation.fund.design_fund", spy)
    assert main(["fund", CHISHUI]) == 0
    assert seen == {}
    seen.clear()
    code = main(
        [
            "fund",
            CHISHUI,
            "--horizon",
            "5",
            "--reserve",
            "2",
            "--time-limit",
            "30",
            "--backend",
            "scipy",
            "--years",
            "300",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert seen == {
        "horizon": 5,
        "reserve": 2.0,
        "time_limit": 30.0,
        "backend": "scipy",
        "years": 300,
    }
    assert "The fund covers a reserve carried over 5 years" in out
    assert "ruin probability" in out


def test_cli_standby_screen_says_one_year(capsys):
    assert main(["fund", CHISHUI, "--years", "500"]) == 0
    out = capsys.readouterr().out
    assert "The fund covers one year's standby money" in out
    assert "standing by for one year's payouts" in out


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["--horizon", "0"], "horizon"),
        (["--time-limit", "-1"], "time-limit"),
        (["--backend", "cbc"], "cbc"),
    ],
)
def test_cli_bad_new_flags_exit_2(capsys, argv, fragment):
    with pytest.raises(SystemExit) as info:
        code = main(["fund", CHISHUI, *argv])
        raise SystemExit(code)
    err = capsys.readouterr().err
    assert info.value.code == 2 and fragment in err and "Traceback" not in err
