"""The public entry point :func:`payment_plan`: check the options, build the network, solve.

See :mod:`cooperation.compensation.plans` for the model (a min-cost flow LP
with the higher level as its own source node) and the cost model.
"""

from __future__ import annotations

import math

import numpy as np

from ..._numeric import RTOL
from ...errors import InputError
from ..results.plan import HIGHER_LEVEL, PaymentPlan
from .flow_lp import SolveSpec
from .links import check_rule, link_table
from .network import build_network, money_scale, net_positions, subsidy_of
from .solve import Labels, solve_network

__all__ = ["UNIQUE_AUTO_MAX_LINKS", "payment_plan"]

#: ``unique="auto"`` tests uniqueness up to this many links
UNIQUE_AUTO_MAX_LINKS = 5000


def payment_plan(result_or_transfers, links=None, rule: str = "beneficiary",
                 max_per_link: float | None = None, *, scenario=None, subsidy: float | None = None,
                 higher_level: str = HIGHER_LEVEL, subsidy_cost: float = 1.0,
                 unit: str | None = None, unique="auto", seed=0, backend: str = "pulp",
                 tol: float = RTOL, time_limit: float | None = None) -> PaymentPlan:
    """Turn net transfers into bilateral payments along allowed links (min-cost flow LP).

    Finds flows ``f_ij >= 0`` (payer ``i`` -> payee ``j``) with::

        received_i - paid_i = t_i          (every jurisdiction)
        paid_G              = g = sum_i t_i   (G: the higher level, 上级政府)
        f_ij <= cap_ij                      (when capped)
        minimise  sum c_ij f_ij,  then  sum f_ij   (the second stage only when
                                                     costs differ between links)

    See the module notes for the cost model (per-unit cost per link: direct
    payments beat relays; a vertex optimum settles each connected group of
    ``m`` jurisdictions with at most ``m - 1`` uncapped payments).

    Parameters
    ----------
    result_or_transfers : CompensationResult, Series or mapping
        Net transfers by jurisdiction, received when positive, paid when
        negative. With a scenario, jurisdictions left out have ``t_i = 0``
        (they may still relay).
    links : None, DataFrame, CSV path or Scenario
        The allowed links. A table has columns ``payer`` and ``payee`` and
        optionally ``cost`` (per unit of money, >= 0; default 1: one hop) and
        ``cap`` (>= 0; empty or ``inf``: no cap). Other columns (``amount``,
        ``unit``, a note) are ignored here; to turn such a table into a plan
        of its own use :func:`fixed_plan`. Rows whose payer is the higher
        level's node name say whom the subsidy may reach (otherwise: every
        jurisdiction, at ``subsidy_cost`` per unit). Repeated (payer, payee)
        rows: the first is kept. None: read from ``scenario`` by ``rule``.
    rule : {"beneficiary", "origin", "both", "complete"}
        How links are read off a scenario (:func:`scenario_links`); default:
        the beneficiary pays the source (exposed -> hazard origin).
    max_per_link : float, optional
        Cap on every link between jurisdictions (the higher level's links are
        not capped by it); combined with a table's caps by taking the smaller.
    scenario : Scenario, optional
        Names the jurisdictions (and gives the unit); needed for default links.
    subsidy : float, optional
        The subsidy the transfers must add up to (checked to ``1e-9`` of their
        size); by default ``sum t_i`` (a CompensationResult's ``subsidy`` is checked).
    higher_level : str
        Node name of the higher level (must not be a jurisdiction's name).
    subsidy_cost : float
        Per-unit cost of the higher level's default links.
    unit : str, optional
        Money unit for the edge table (default: the result's or scenario's).
    unique : "auto", bool
        Test whether the cheapest plan is unique (two more solves on the
        optimal face); "auto": up to 5,000 links.
    seed : int
        Seed of the random direction of the uniqueness test.
    backend : {"pulp", "scipy"}
        PuLP with HiGHS (one thread), or ``scipy.optimize.linprog`` (HiGHS).
    tol : float
        Relative tolerance for "carries money", "at cap" and the checks, in
        units of the money scale (the largest ``|t_i|``): the LP is solved on
        money divided by that scale, so the plan does not depend on the unit.
    time_limit : float, optional
        Seconds per solve.

    Returns
    -------
    PaymentPlan
        ``edges`` (payer, payee, amount, unit), ``totals`` per jurisdiction,
        ``binding`` caps, ``unique``; when infeasible the most that can be moved,
        ``deficit``, ``cut_off``, ``unpaid`` and ``groups``. ``.to_frame()``
        is the edge table; ``.plot()`` a flow diagram (drawn by
        :func:`cooperation.report.plot_payment_plan`).

    Raises
    ------
    InputError
        Transfers that are not finite numbers or do not add up to the subsidy,
        a negative subsidy, an unknown jurisdiction in the links, negative or
        non-numeric costs and caps, an unknown rule, default links without a
        scenario, a higher-level name that is a jurisdiction.

    References
    ----------
    Ahuja, Magnanti and Orlin (1993), *Network Flows*, ch. 9 and sec. 11.3
    (minimum cost flows, spanning-tree solutions), ch. 6 (max-flow min-cut);
    Gale (1957), *Pacific J. Math.* 7, 1073-1082 (the cut condition).

    Examples
    --------
    A river of three: Up protects, Mid and Down benefit; Down pays 3, Mid pays 1,
    Up receives 4. The beneficiary-pays links are Mid->Up, Down->Up and Down->Mid:

    >>> import pandas as pd
    >>> import cooperation as co
    >>> links = pd.DataFrame({"payer": ["Mid", "Down", "Down"],
    ...                       "payee": ["Up", "Up", "Mid"]})
    >>> plan = co.payment_plan({"Up": 4.0, "Mid": -1.0, "Down": -3.0}, links=links)
    >>> plan.edges[["payer", "payee", "amount"]].values.tolist()
    [['Mid', 'Up', 1.0], ['Down', 'Up', 3.0]]
    >>> plan.unique, float(plan.totals.loc["Up", "net"])
    (True, 4.0)
    """
    from ...scenario.model import Scenario

    check_rule(rule)
    if isinstance(links, Scenario):
        if scenario is not None and scenario is not links:
            raise InputError("two different scenarios given", field="links", value="Scenario",
                             fix="pass the scenario once")
        scenario, links = links, None
    if scenario is not None and not isinstance(scenario, Scenario):
        raise InputError("must be a Scenario", field="scenario", value=type(scenario).__name__)
    _check_options(tol, subsidy_cost, max_per_link, unique, higher_level)
    t, sub_given, unit0 = net_positions(result_or_transfers, scenario)
    notes: list[str] = []
    players = list(t.index)
    if higher_level in players:
        raise InputError("the higher level's node needs a name no jurisdiction has",
                         field="higher_level", value=higher_level,
                         fix="pass higher_level='central government' or similar")
    if subsidy is not None:
        if isinstance(subsidy, bool) or not isinstance(subsidy, int | float | np.number) \
                or not math.isfinite(subsidy):
            raise InputError("must be a finite number", field="subsidy", value=subsidy)
        sub_given = float(subsidy)
    tv = t.to_numpy(dtype=float)
    g = subsidy_of(tv, sub_given, tol, money_scale(tv))
    table, central, how = link_table(links, scenario, rule, players, higher_level, notes)
    net = build_network(t, g, table, central, higher_level=higher_level,
                        subsidy_cost=subsidy_cost, max_per_link=max_per_link, notes=notes)
    m = len(net.src)
    spec = SolveSpec(backend=backend, time_limit=time_limit, tol=tol, seed=seed,
                     unique=(m <= UNIQUE_AUTO_MAX_LINKS) if unique == "auto" else bool(unique))
    labels = Labels(unit=unit if unit is not None else unit0, how=how, notes=tuple(notes))
    return solve_network(net, spec, labels)


def _check_options(tol, subsidy_cost, max_per_link, unique, higher_level) -> None:
    for nm, val in (("tol", tol), ("subsidy_cost", subsidy_cost)):
        if isinstance(val, bool) or not isinstance(val, int | float | np.number) \
                or not math.isfinite(val) or val < 0:
            raise InputError("must be a finite number >= 0", field=nm, value=val)
    if max_per_link is not None:
        if isinstance(max_per_link, bool) or not isinstance(max_per_link, int | float | np.number) \
                or math.isnan(max_per_link) or max_per_link < 0:
            raise InputError("must be a number >= 0 (or None: no cap)", field="max_per_link",
                             value=max_per_link)
    if unique not in ("auto", True, False):
        raise InputError("must be 'auto', True or False", field="unique", value=unique)
    if not isinstance(higher_level, str) or not higher_level.strip():
        raise InputError("must be a non-empty name", field="higher_level", value=higher_level)
