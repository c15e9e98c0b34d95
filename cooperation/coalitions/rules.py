"""Responsibility rules: who pays for the cooperative programme.

What is shared
--------------
The **cooperative programme** is the move from the status quo ``a0`` (the
worst-welfare pure Nash equilibrium; when there is none, every player's
mixed security strategy, played independently, with the security levels as
the going-alone payoffs and expected costs and losses under that mixed
profile: the one treatment of :mod:`cooperation.equilibria.status_quo`) to
the target ``a*`` (default: the social optimum). Its bill is the extra
action cost it asks of each jurisdiction::

    C_i = c_i(a*_i) - c_i(a0_i),        C = sum_i C_i

(prevention effort, joint monitoring, a coordinated response). A rule
splits the bill in shares ``sigma_i`` (summing to 1): jurisdiction ``i``
pays ``sigma_i C`` while its own extra cost is reimbursed, so the transfer
it receives is ``t_i = C_i - sigma_i C`` (``sum_i t_i = 0``: budget
balanced, no outside money) and its payoff after transfers is::

    x_i = u_i(a*) + t_i,     gain over going alone  g_i = x_i - u_i(a0)

Each allocation ``x`` is then checked against the core of the scenario's
characteristic function (``outsiders`` by default
:data:`~cooperation.coalitions.characteristic.DEFAULT_OUTSIDERS`, the package's one
default): ``in_core`` and
the largest coalition excess ``max_S v(S) - x(S)`` (positive: that
coalition would rather leave).

The rules (docs/model.md, section 4; seed paper 004)
----------------------------------------------
``origin`` (发生地为主、波及地为辅: the origin leads, the affected assist)
    The bill is first split over hazards in proportion to their status-quo
    expected damage ``p_h(a0) D_h(a0)``; within hazard ``h`` the origins
    bear ``origin_share`` (default 0.6, split in proportion to their
    prevention capability ``r[h, i]``) and the exposed jurisdictions bear the
    rest in proportion to their exposure ``s[h, i]``.
``beneficiary`` (受益者付费)
    In proportion to each jurisdiction's fall in expected loss
    ``L_i(a0) - L_i(a*)`` (negative falls count as 0).
``ability`` (ability to pay, 量能负担)
    In proportion to fiscal capacity.
``equal``
    ``1 / n`` each.

References
----------
Xu and colleagues, urban cross-domain risk governance (seed paper 004):
the principle 发生地为主、波及地为辅.
OECD (1972). *Recommendation on Guiding Principles concerning International
Economic Aspects of Environmental Policies* (polluter pays).
Young, H. P. (1994). Cost allocation. In *Handbook of Game Theory* vol. 2,
ch. 34. Elsevier.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._numeric import DUST, RTOL, TINY
from .._result import ResultMixin
from ..errors import InputError, ScenarioError
from .characteristic import DEFAULT_OUTSIDERS, characteristic_function
from .core import most_violated_coalition
from .tu_game import TUGame

__all__ = ["RULES", "ResponsibilityShares", "responsibility_shares", "compare_rules",
           "programme"]

RULES = ("origin", "beneficiary", "ability", "equal")


def _scenario(s):
    from ..scenario.model import Scenario

    if not isinstance(s, Scenario):
        raise InputError("responsibility rules need a Scenario (origins, exposure, capacity)",
                         field="scenario", value=type(s).__name__)
    return s


def _profile_weights(game, sq):
    """Profiles ``(m, n)`` and weights ``(m,)`` of the status quo: the pure profile with
    weight 1, or every profile weighted by the product of the security strategies."""
    if sq.pure:
        return np.array([sq.profile], dtype=np.intp), np.ones(1)
    grids = np.indices(game.shape).reshape(game.n_players, -1).T
    w = np.ones(len(grids))
    for i, x in enumerate(sq.strategies):
        w = w * x[grids[:, i]]
    keep = w > 0
    return grids[keep].astype(np.intp), w[keep]


def _sq_labels(game, prog) -> tuple:
    """The status quo's action labels, or a word per player when it is mixed."""
    if prog["status_quo"] is not None:
        return game.profile_labels(prog["status_quo"])
    return tuple("mixed security strategy" for _ in game.players)


def programme(scenario, target=None) -> dict:
    """Status quo, target and the programme bill of a scenario (see module notes)."""
    from ..equilibria.status_quo import status_quo

    s = _scenario(scenario)
    game = s.to_game()
    sq = status_quo(game)
    if target is None:
        from ..equilibria.welfare import social_optimum
        a1 = social_optimum(game).profile
    else:
        a1 = game.check_profile(target)
    P0, w0 = _profile_weights(game, sq)
    P1 = np.array([a1], dtype=np.intp)
    u1 = s.payoffs(P1)[0]
    L0 = w0 @ s.expected_losses(P0)
    L1 = s.expected_losses(P1)[0]
    idx = np.arange(s.n_players)
    c0 = w0 @ s.costs[idx[None, :], P0]
    own = s.costs[idx, P1[0]] - c0
    return {"game": game, "status_quo": sq.profile, "status_quo_how": sq.how,
            "status_quo_profiles": P0, "status_quo_weights": w0, "target": tuple(a1),
            "u0": sq.values, "u1": u1, "loss0": L0, "loss1": L1, "own_cost": own,
            "cost": float(own.sum())}


def _shares(s, rule: str, prog: dict, origin_share: float) -> tuple[np.ndarray, str]:
    n = s.n_players
    if rule == "equal":
        return np.full(n, 1.0 / n), "equal split"
    if rule == "ability":
        cap = np.asarray(s.capacity, dtype=float)
        bad = np.flatnonzero(~np.isfinite(cap) | (cap < 0))
        if bad.size:
            j = s.players[int(bad[0])]
            raise ScenarioError("ability-to-pay needs every jurisdiction's fiscal capacity",
                                field=f"jurisdictions[{j}].capacity", value=float(cap[bad[0]]),
                                fix="set capacity (budget or GDP) for every jurisdiction")
        if cap.sum() <= 0:
            raise ScenarioError("capacities sum to 0", field="jurisdictions.capacity",
                                value=cap.tolist())
        return cap / cap.sum(), "in proportion to fiscal capacity"
    if rule == "beneficiary":
        # a fall in expected loss below RTOL x the loss scale is rounding, not benefit
        scale = float(max(np.abs(prog["loss0"]).max(), np.abs(prog["loss1"]).max(), 0.0))
        gain = prog["loss0"] - prog["loss1"]
        gain = np.where(gain > RTOL * scale, gain, 0.0)
        if gain.sum() <= 0:
            return np.full(n, 1.0 / n), "nobody's expected loss falls: equal split instead"
        return gain / gain.sum(), "in proportion to the fall in expected loss"
    # origin
    if not 0.0 <= origin_share <= 1.0:
        raise InputError("must lie in [0, 1]", field="origin_share", value=origin_share)
    p, D = s.hazard_state(prog["status_quo_profiles"])
    weight = prog["status_quo_weights"] @ (p * D)
    if weight.sum() <= 0:
        weight = np.ones(len(s.hazards))
    weight = weight / weight.sum()
    sigma = np.zeros(n)
    for h, hz in enumerate(s.hazards):
        expo = np.zeros(n)
        for j, share in hz.spillover.items():
            expo[s.index_of(j)] = share
        org = np.zeros(n)
        prev = hz.prevention if isinstance(hz.prevention, dict) else {}
        for o in hz.origins:
            org[s.index_of(o)] = prev.get(o, 0.0) if prev else 1.0
        if org.sum() <= 0 and hz.origins:
            for o in hz.origins:
                org[s.index_of(o)] = 1.0
        if org.sum() > 0:
            sigma += weight[h] * (origin_share * org / org.sum()
                                  + (1.0 - origin_share) * expo)
        else:
            sigma += weight[h] * expo
    return sigma / sigma.sum(), (f"origins bear {origin_share:g} of each hazard's part "
                                 f"(by prevention capability), the exposed the rest (by exposure)")


@dataclass(frozen=True, repr=False)
class ResponsibilityShares(ResultMixin):
    """A responsibility rule applied to a scenario's cooperative programme.

    Attributes
    ----------
    rule : str
    shares : Series
        ``sigma_i``: share of the programme bill, summing to 1.
    own_cost : Series
        ``C_i = c_i(a*_i) - c_i(a0_i)``.
    pays : Series
        ``sigma_i C``.
    transfers : Series
        ``t_i = C_i - sigma_i C`` (received if positive; sums to 0).
    payoffs : Series
        ``x_i = u_i(a*) + t_i``.
    gains : Series
        ``x_i - u_i(a0)``: gain over going alone.
    in_core : bool
    max_excess : float
        ``max_S v(S) - x(S)`` (``<= 0`` in the core).
    blocking : tuple of str
        The coalition with the largest excess.
    programme_cost : float
        ``C``.
    status_quo, target : tuple of str
    note : str
        How the shares were formed.
    """

    rule: str
    shares: pd.Series
    own_cost: pd.Series
    pays: pd.Series
    transfers: pd.Series
    payoffs: pd.Series
    gains: pd.Series
    in_core: bool
    max_excess: float
    blocking: tuple
    programme_cost: float
    status_quo: tuple
    target: tuple
    unit: str
    note: str

    def _summary(self):
        u = f" {self.unit}" if self.unit else ""
        return [("rule", self.rule), ("note", self.note),
                ("programme cost", f"{self.programme_cost:.6g}{u}"),
                ("status quo -> target", f"{self.status_quo} -> {self.target}"),
                ("in core", self.in_core), ("max excess", f"{self.max_excess:.6g}"),
                ("everyone gains", bool((self.gains >= -DUST * max(abs(self.programme_cost),
                                                                    TINY)).all()))]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"share": self.shares, "own_cost": self.own_cost,
                             "pays": self.pays, "transfer": self.transfers,
                             "payoff": self.payoffs, "gain": self.gains})


def _core_check(v: TUGame, x: np.ndarray, tol: float):
    res = most_violated_coalition(v, x)
    gap = abs(float(x.sum()) - v.grand_value)
    return bool(res.max_excess <= tol and gap <= tol), res.max_excess, \
        (res.members[0] if res.members else ())


def _build(s, rule, shares, note, prog, v) -> ResponsibilityShares:
    idx = pd.Index(s.players, name="jurisdiction")
    C = prog["cost"]
    own = prog["own_cost"]
    t = own - shares * C
    x = prog["u1"] + t
    ok, exc, block = _core_check(v, x, v._tol(None))
    labels = prog["game"]
    return ResponsibilityShares(
        rule, pd.Series(shares, idx, name="share"), pd.Series(own, idx, name="own_cost"),
        pd.Series(shares * C, idx, name="pays"), pd.Series(t, idx, name="transfer"),
        pd.Series(x, idx, name="payoff"), pd.Series(x - prog["u0"], idx, name="gain"),
        ok, float(exc), tuple(block), C, _sq_labels(labels, prog),
        labels.profile_labels(prog["target"]), s.unit, note)


def responsibility_shares(scenario, rule: str = "origin", *, origin_share: float = 0.6,
                          outsiders: str = DEFAULT_OUTSIDERS,
                          target=None) -> ResponsibilityShares:
    """Split the cooperative programme's bill by a responsibility rule (module notes).

    Parameters
    ----------
    scenario : Scenario
    rule : {"origin", "beneficiary", "ability", "equal"}
    origin_share : float in [0, 1]
        ``origin`` rule: the part of each hazard's bill its origins bear (发生地为主).
    outsiders : str
        Characteristic function used for the core check (see characteristic_function;
        default ``DEFAULT_OUTSIDERS``, "nash").
    target : profile, optional
        Default: the social optimum.

    Returns
    -------
    ResponsibilityShares
        Shares, transfers, payoffs, gains over going alone, and core membership.

    Examples
    --------
    >>> import cooperation as co
    >>> s = co.Scenario(
    ...     jurisdictions=[co.Jurisdiction("Up", costs={"self": 0, "cooperate": 1.0}),
    ...                    co.Jurisdiction("Down", costs={"self": 0, "cooperate": 0.0})],
    ...     hazards=[co.Hazard("spill", probability=0.5, damage=10.0, origins=["Up"],
    ...                        prevention=0.8, spillover={"Down": 1.0})],
    ...     unit="CNY 100M")
    >>> res = co.responsibility_shares(s, "beneficiary")
    >>> res.transfers.round(6).tolist(), res.in_core
    ([1.0, -1.0], True)
    """
    if rule not in RULES:
        raise InputError(f"must be one of {list(RULES)}", field="rule", value=rule)
    s = _scenario(scenario)
    prog = programme(s, target)
    v = characteristic_function(prog["game"], outsiders=outsiders)
    shares, note = _shares(s, rule, prog, origin_share)
    return _build(s, rule, shares, note, prog, v)


def compare_rules(scenario, *, origin_share: float = 0.6,
                  outsiders: str = DEFAULT_OUTSIDERS, target=None) -> pd.DataFrame:
    """Each responsibility rule beside the Shapley value and the nucleolus.

    For every rule (and for Shapley and the nucleolus of the scenario's
    characteristic function, read as payoff allocations) the table gives each
    jurisdiction's share of the programme bill, transfer, payoff, gain over
    going alone, and whether the allocation lies in the core.

    Returns
    -------
    DataFrame
        Index ``(rule, jurisdiction)``; columns ``share``, ``pays``,
        ``transfer``, ``payoff``, ``gain``, ``in_core``, ``max_excess``
        (the largest coalition excess of that allocation), ``certified``
        (nucleolus: Kohlberg's criterion held). ``attrs`` carries the
        programme cost, unit, status quo and target.

    Examples
    --------
    >>> import cooperation as co
    >>> s = co.Scenario(
    ...     jurisdictions=[co.Jurisdiction("Up", costs={"self": 0, "cooperate": 1.0}),
    ...                    co.Jurisdiction("Down", costs={"self": 0, "cooperate": 0.0})],
    ...     hazards=[co.Hazard("spill", probability=0.5, damage=10.0, origins=["Up"],
    ...                        prevention=0.8, spillover={"Down": 1.0})],
    ...     unit="CNY 100M")
    >>> table = co.compare_rules(s)
    >>> table.loc["shapley", "payoff"].round(6).tolist()
    [1.5, -3.5]
    """
    from .nucleolus import nucleolus
    from .shapley import shapley

    s = _scenario(scenario)
    prog = programme(s, target)
    v = characteristic_function(prog["game"], outsiders=outsiders)
    C, own, u1 = prog["cost"], prog["own_cost"], prog["u1"]
    frames = []

    def add(name, x, certified=np.nan, shares=None, note=""):
        t = x - u1
        pays = own - t
        sh = shares if shares is not None else (pays / C if abs(C) > DUST * max(float(np.abs(own).max()), TINY) else
                                                np.full(s.n_players, np.nan))
        if np.all(np.isfinite(x)):
            ok, exc, _ = _core_check(v, x, v._tol(None))
        else:
            ok, exc = None, np.nan
        frames.append(pd.DataFrame({
            "rule": name, "jurisdiction": list(s.players), "share": sh, "pays": pays,
            "transfer": t, "payoff": x, "gain": x - prog["u0"], "in_core": ok,
            "max_excess": exc, "certified": certified, "note": note}))

    for rule in RULES:
        try:
            sh, note = _shares(s, rule, prog, origin_share)
        except ScenarioError as exc:
            add(rule, np.full(s.n_players, np.nan), note=f"not available: {exc.rule}")
            continue
        add(rule, u1 + own - sh * C, shares=sh, note=note)
    add("shapley", shapley(v).to_numpy(), note="Shapley value of v")
    try:
        nuc = nucleolus(v)
        add("nucleolus", nuc.allocation.to_numpy(), certified=nuc.certified,
            note="nucleolus of v")
    except InputError as exc:
        add("nucleolus", np.full(s.n_players, np.nan), note=f"not available: {exc.rule}")
    df = pd.concat(frames, ignore_index=True).set_index(["rule", "jurisdiction"])
    game = prog["game"]
    df.attrs.update(programme_cost=C, unit=s.unit, outsiders=outsiders,
                    status_quo=_sq_labels(game, prog),
                    target=game.profile_labels(prog["target"]))
    return df
