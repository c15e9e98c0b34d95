"""Known answers first: sweeps recover closed-form cooperation boundaries.

The cell functions are small self-contained numpy simulations (vectorised over
runs), deliberately independent of ``cooperation.repeated``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cooperation as co
from cooperation.sweeps import phase_boundary


def grim_cell(delta, T, seed, R=3.0, S=0.0, P=1.0, runs=4000):
    """Repeated Prisoner's Dilemma with continuation probability ``delta``.

    Simulates, round by round and with common random horizons, grim trigger
    against grim trigger (cooperate forever) and the best deviation against
    grim trigger (always defect: T once, then P forever since grim punishes).
    ``gap`` = mean total payoff of staying minus that of deviating; the
    expected totals equal the delta-discounted payoffs.
    """
    rng = np.random.default_rng(seed)
    alive = np.ones(runs, dtype=bool)
    stay = np.zeros(runs)
    deviate = np.zeros(runs)
    grim_punishes = np.zeros(runs, dtype=bool)   # grim's memory of a defection
    rounds = 0
    while alive.any():
        rounds += 1
        stay[alive] += R                                     # C vs C
        deviate[alive] += np.where(grim_punishes, P, T)[alive]   # D vs grim's action
        grim_punishes |= alive
        alive &= rng.random(runs) < delta
    gap = float(stay.mean() - deviate.mean())
    return {"gap": gap, "cooperation_holds": gap >= 0.0, "max_rounds": rounds}


def deterrence_cell(q, fine, seed, gain=1.0, accuracy=0.8, rounds=100, runs=1000):
    """Vertical monitoring: each round a defector gains ``gain``, is audited with
    probability ``q``, detected with probability ``accuracy`` and then fined ``fine``.
    ``net_gain`` = mean gain per round of always defecting over always complying."""
    rng = np.random.default_rng(seed)
    audited = rng.random((runs, rounds)) < q
    detected = audited & (rng.random((runs, rounds)) < accuracy)
    net = gain - fine * detected.mean()
    return {"net_gain": float(net), "deterred": bool(net <= 0.0),
            "fines_per_round": float(fine * detected.mean())}


def test_grim_trigger_threshold_recovered():
    """Grim trigger sustains cooperation iff delta >= (T - R) / (T - P).

    Friedman, J. W. (1971). A non-cooperative equilibrium for supergames.
    *Review of Economic Studies* 38(1), 1-12; Fudenberg & Tirole (1991),
    *Game Theory*, section 5.1. With R=3, P=1 and T in {4, 5, 6, 8} the
    thresholds are 1/3, 1/2, 3/5 and 5/7; the simulated boundary on a 0.05 grid
    must be within one grid step of each.
    """
    deltas = np.round(np.arange(0.05, 0.951, 0.05), 2)
    df = co.sweep(grim_cell, {"T": [4.0, 5.0, 6.0, 8.0], "delta": deltas}, seed=0,
                  executor="serial", progress=False)
    assert len(df) == 4 * len(deltas)
    b = phase_boundary(df, x="delta", outcome="gap", by="T", level=0.0)
    theory = (b["T"] - 3.0) / (b["T"] - 1.0)
    assert b["monotone"].all() and (b["censored"] == "").all()
    assert np.all(np.abs(b["x_first"] - theory) <= b["step"] + 1e-12)
    assert np.all(np.abs(b["x_interp"] - theory) <= b["step"])
    # the interpolated crossing is much sharper than a grid step
    assert np.all(np.abs(b["x_interp"] - theory) < 0.02)
    # not vacuous: a wrong formula (T - R)/(R - P) would miss by more than a step
    wrong = (b["T"] - 3.0) / 2.0
    assert np.any(np.abs(b["x_first"] - wrong) > b["step"])
    # the region is exactly the cells above the line, up to the grid step
    holds = df["cooperation_holds"].to_numpy()
    th = ((df["T"] - 3.0) / (df["T"] - 1.0)).to_numpy()
    clear = np.abs(df["delta"].to_numpy() - th) > 0.05
    assert np.array_equal(holds[clear], (df["delta"].to_numpy() >= th)[clear])


def test_deterrence_boundary_recovered():
    """Defection is deterred iff q * a * F >= gain (expected fine covers the gain).

    Becker, G. S. (1968). Crime and punishment: an economic approach. *Journal of
    Political Economy* 76(2), 169-217. With gain 1 and accuracy a = 0.8, the
    boundary is F*(q) = 1 / (0.8 q); the smallest deterring fine on a 0.25 grid
    must lie within one grid step of it for every audit rate q.
    """
    qs = np.round(np.arange(0.2, 1.001, 0.1), 2)
    fines = np.round(np.arange(0.25, 8.001, 0.25), 2)
    df = co.sweep(deterrence_cell, {"q": qs, "fine": fines}, seed=0, executor="serial",
                  progress=False)
    b = phase_boundary(df, x="fine", outcome="net_gain", by="q", level=0.0, region="below")
    theory = 1.0 / (0.8 * b["q"])
    assert (b["censored"] == "").all() and b["monotone"].all()
    assert np.all(np.abs(b["x_first"] - theory) <= 0.25 + 1e-12)
    assert np.all(b["x_first"] >= theory - 0.25 - 1e-12)
    # ignoring the accuracy (F = gain / q) is detectably wrong
    assert np.any(np.abs(b["x_first"] - 1.0 / b["q"]) > 0.25)
    # the deterred flag agrees with the boundary
    for q, fb in zip(b["q"], b["x_first"], strict=True):
        cells = df[df["q"] == q]
        assert cells.loc[cells["fine"] >= fb, "deterred"].all()


def test_phase_boundary_censoring_and_interpolation():
    """Hand-made curves: interpolation, a region covering the grid, a region never reached."""
    df = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 4 + ["c"] * 4,
                       "x": [0.0, 1.0, 2.0, 3.0] * 3,
                       "z": [0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0.4]})
    b = phase_boundary(df, "x", "z", by="g").set_index("g")
    assert b.loc["a", "x_first"] == 2.0 and b.loc["a", "x_interp"] == pytest.approx(1.5)
    assert b.loc["b", "censored"] == "below_grid" and b.loc["b", "x_first"] == 0.0
    assert b.loc["c", "censored"] == "above_grid" and np.isnan(b.loc["c", "x_first"])
    nonmono = pd.DataFrame({"x": [0, 1, 2, 3, 4], "z": [1, 0, 1, 0, 1]})
    r = phase_boundary(nonmono, "x", "z").iloc[0]
    assert r["x_first"] == 4 and not r["monotone"]


def test_phase_boundary_bad_column():
    with pytest.raises(co.errors.InputError, match="no column 'nope'"):
        phase_boundary(pd.DataFrame({"x": [1]}), "x", "nope")
