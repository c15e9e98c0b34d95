"""Shared builders for the compensation tests."""

from __future__ import annotations

import numpy as np
import pytest

import cooperation as co


def up_down(cost_up: float = 1.0, cost_down: float = 0.2, capacity=None) -> co.Scenario:
    """The hand-solved two-jurisdiction case: Up pays 1 to protect; a spill (p = 0.5,
    damage 10) lands wholly on Down; protection cuts its probability by 80%.

    Payoffs (Up, Down): (self, self) = (0, -5); (cooperate, self) = (-1, -1);
    (self, cooperate) = (0, -5.2); (cooperate, cooperate) = (-1, -1.2).
    """
    caps = capacity or (float("nan"), float("nan"))
    return co.Scenario(
        jurisdictions=[co.Jurisdiction("Up", costs={"self": 0, "cooperate": cost_up},
                                       capacity=caps[0]),
                       co.Jurisdiction("Down", costs={"self": 0, "cooperate": cost_down},
                                       capacity=caps[1])],
        hazards=[co.Hazard("spill", probability=0.5, damage=10.0, origins=["Up"],
                           prevention=0.8, spillover={"Down": 1.0})],
        unit="CNY 100M")


def random_scenario(n: int, seed: int, *, levels: int = 2, neighbours: int = 4,
                    hazards: int | None = None) -> co.Scenario:
    """A random sparse scenario: hazard h starts at jurisdiction h mod n and spills onto
    up to ``neighbours`` jurisdictions that follow it (a ring)."""
    rng = np.random.default_rng(seed)
    names = [f"J{i}" for i in range(n)]
    acts = [co.ActionLevel("self", 0.0, 0.0)] + [
        co.ActionLevel(f"level{k}", k / (levels - 1), float(rng.uniform(0.3, 1.0)))
        for k in range(1, levels)]
    js = [co.Jurisdiction(nm, costs=[0.0] + sorted(rng.uniform(0.1, 2.0, levels - 1).tolist()),
                          capacity=float(rng.uniform(1.0, 10.0))) for nm in names]
    hz = []
    for h in range(hazards or n):
        k = int(rng.integers(1, neighbours + 1))
        ids = (h + np.arange(k)) % n
        w = rng.dirichlet(np.ones(k))
        shares = {names[j]: float(x) for j, x in zip(ids, w, strict=True)}
        shares[names[ids[0]]] += 1.0 - sum(shares.values())
        hz.append(co.Hazard(f"h{h}", probability=float(rng.uniform(0.05, 0.8)),
                            damage=float(rng.uniform(1.0, 20.0)), origins=[names[h % n]],
                            prevention=float(rng.uniform(0.2, 0.9)),
                            response=float(rng.uniform(0.0, 0.6)), spillover=shares))
    return co.Scenario(js, hz, acts, unit="CNY 10k")


@pytest.fixture
def updown() -> co.Scenario:
    return up_down()


def check_design(res, game: co.NormalFormGame, *, fine: float = 0.0, caps=None,
                 core_values=None, tol: float = 1e-7) -> dict:
    """Independent check of a CompensationResult against the raw payoff tensor: every
    switched-on constraint, recomputed with plain loops, and budget balance.

    Returns the largest violation per family (all must be <= tol)."""
    import itertools

    U = game.payoffs
    n = game.n_players
    a = tuple(res.target_profile)
    t = res.transfers.to_numpy()
    u = np.array([U[(i,) + a] for i in range(n)])
    o = res.payoff_before.to_numpy()
    out = {"budget": abs(sum(t) - res.subsidy), "subsidy": max(0.0, -res.subsidy)}
    if "participation" in res.constraints:
        out["participation"] = max(max(o[i] - u[i] - t[i], 0.0) for i in range(n))
    if "self_enforcement" in res.constraints:
        worst = 0.0
        for i in range(n):
            for b in range(game.shape[i]):
                if b == a[i]:
                    continue
                prof = list(a)
                prof[i] = b
                dev = U[(i,) + tuple(prof)]
                worst = max(worst, dev - fine - (u[i] + t[i]))
        out["self_enforcement"] = worst
    if "capacity" in res.constraints and caps is not None:
        out["capacity"] = max(max(-t[i] - caps[i], 0.0) for i in range(n))
    if "core" in res.constraints and core_values is not None:
        worst = 0.0
        for size in range(1, n + 1):
            for S in itertools.combinations(range(n), size):
                mask = sum(1 << i for i in S)
                worst = max(worst, core_values[mask] - sum(u[i] + t[i] for i in S))
        out["core"] = worst
    return out


@pytest.fixture(scope="session")
def build():
    """The helpers above, for tests (conftest modules are not imported by name)."""
    import types

    return types.SimpleNamespace(up_down=up_down, random_scenario=random_scenario,
                                 check_design=check_design)
