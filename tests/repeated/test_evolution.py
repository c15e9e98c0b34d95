"""Evolutionary dynamics over a strategy payoff matrix.

Known answers: neutral drift fixes a single mutant with probability 1/N; a
mutant of constant relative fitness r fixes with probability
(1 - 1/r) / (1 - 1/r**N) (Nowak 2006, *Evolutionary Dynamics*, eq. 6.13).
Then the simulated Moran process agrees with the closed form (z-test), and
the replicator dynamics of the Prisoner's Dilemma goes to defection.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from cooperation import repeated as rp
from cooperation.errors import InputError


def test_neutral_fixation_is_one_over_n():
    rho = rp.moran_fixation(np.ones((3, 3)), population=12)
    off = ~np.eye(3, dtype=bool)
    assert np.allclose(rho.to_numpy()[off], 1 / 12)


@pytest.mark.parametrize("r, N", [(1.1, 10), (2.0, 5), (0.8, 20)])
def test_constant_fitness_fixation(r, N):
    """Payoffs a = b = r for the mutant, c = d = 1 for residents, w = 1: fitness r vs 1."""
    M = np.array([[r, r], [1.0, 1.0]])
    rho = rp.moran_fixation(M, population=N, intensity=1.0).iat[0, 1]
    assert rho == pytest.approx((1 - 1 / r) / (1 - 1 / r ** N), rel=1e-12)


def test_simulated_fixation_agrees_with_closed_form():
    """Frequency-dependent game (TFT vs AllD, 10 turns): 6000 seeded Moran runs, N = 8."""
    res = rp.tournament([rp.TitForTat(), rp.AlwaysDefect()], turns=10, repetitions=1)
    rho = rp.moran_fixation(res, population=8, intensity=0.2)
    sim = rp.moran(res, initial=[1, 7], runs=6000, intensity=0.2, seed=3)
    p = rho.iat[0, 1]
    est = sim.fixation_probability.iloc[0]
    assert (sim.fixated >= 0).all()
    assert abs(est - p) < 4 * math.sqrt(p * (1 - p) / 6000)
    sim_d = rp.moran(res, initial=[7, 1], runs=6000, intensity=0.2, seed=4)
    q = rho.iat[1, 0]
    assert abs(sim_d.fixation_probability.iloc[1] - q) < 4 * math.sqrt(q * (1 - q) / 6000)


def test_stationary_under_rare_mutations():
    pd_matrix = [[3, 0], [5, 1]]
    share = rp.moran_stationary(pd_matrix, population=10, intensity=0.5)
    assert share.sum() == pytest.approx(1.0)
    assert share.iloc[1] > 0.99
    # two strategies: pi_0 / pi_1 = rho_01 / rho_10
    rho = rp.moran_fixation(pd_matrix, population=10, intensity=0.5)
    assert share.iloc[0] / share.iloc[1] == pytest.approx(rho.iat[0, 1] / rho.iat[1, 0])


def test_replicator_over_a_tournament():
    """Against AllD and AllC, TFT invades when it starts with enough weight (TFT vs AllD
    loses only the first round), and the labels are the strategy names."""
    res = rp.tournament([rp.TitForTat(), rp.AlwaysDefect(), rp.AlwaysCooperate()],
                        turns=50, repetitions=1)
    traj = rp.replicator(res, x0=[0.4, 0.2, 0.4], steps=3000, dt=0.05)
    assert traj.labels == ["Tit For Tat", "Always Defect", "Always Cooperate"]
    assert traj.final[1] < 1e-3
    pd_traj = rp.replicator([[3, 0], [5, 1]], x0=[0.9, 0.1], steps=2000, dt=0.05)
    assert pd_traj.final[1] > 0.99


def test_evolution_errors():
    with pytest.raises(InputError, match="square"):
        rp.moran_fixation([[1, 2, 3]], population=5)
    with pytest.raises(InputError, match="positive"):
        rp.moran_fixation([[-5, 0], [0, 0]], population=5, intensity=1.0)
    with pytest.raises(InputError, match="sum to the population"):
        rp.moran([[1, 1], [1, 1]], initial=[1, 2], population=5)
    with pytest.raises(InputError, match="integer >= 2"):
        rp.moran_fixation([[1, 1], [1, 1]], population=1)
