"""Payment plans: who pays whom, along which links (a min-cost flow LP).

Net transfers ``t_i`` (received when positive, paid when negative; from
:func:`~cooperation.design_compensation` or given) say how much each
jurisdiction gains or gives. Real agreements are bilateral (Zhejiang pays
Anhui; Guizhou's deduction goes to Sichuan; Beijing funds Langfang and
Baoding), so a finance bureau needs the flows themselves: ``f_ij >= 0`` from
payer ``i`` to payee ``j``, only along allowed links, with::

    sum_j f_ji - sum_j f_ij = t_i        for every jurisdiction i   (balance)
    sum_j f_Gj              = g          the higher level G pays the subsidy
    0 <= f_ij <= cap_ij                  (caps optional)

where ``g = sum_i t_i >= 0`` is the subsidy of the higher level of government
(上级政府), which enters as its own source node (named ``"higher level"`` by
default). A jurisdiction with ``t_i = 0`` may relay money; a payer may also
receive, as long as its balance is met.

Cost model (what "few and short links" means in an LP)
------------------------------------------------------
Each unit of money sent along link ``(i, j)`` costs ``c_ij``: 1 per link
("one hop") unless the link table gives a ``cost`` column (e.g. a distance,
or a transaction cost of that bilateral channel). The plan minimises
``sum c_ij f_ij``, lexicographically followed (only when the costs are not all
equal) by the money routed ``sum f_ij``, so among equally cheap plans the one
with fewer hops per unit of money wins. The second stage is solved on the
optimal face of the first, described exactly by fixing links through
complementary slackness (reduced cost > 0: no flow; < 0: at cap), which
keeps the model sparse at county scale.

* *Short*: money relayed through ``k`` links costs ``k`` times as much as a
  direct payment, so a direct link is always preferred to a relay of equal
  per-link cost.
* *Few*: the number of links used is not linear (counting them is a
  fixed-charge, mixed-integer problem). The per-unit cost is the LP
  relaxation of such a fixed charge, and the LP's optimum is taken at a
  vertex: the links carrying money strictly below their caps form a forest
  (no cycle), so without caps a connected group of ``m`` jurisdictions with a
  nonzero balance is settled with at most ``m - 1`` bilateral payments (and
  nobody both pays and is paid around a loop). The plan's ``forest`` field
  says whether the returned plan has this property.
* *Unique*: whether other plans cost exactly as much is tested on the
  optimal face (a random direction, minimised and maximised; ``seed``) and
  reported in ``unique``; a tie is not broken silently.

Totals are exact: the solver's flows are rounded to the links' tree
structure (each tree's flows are recomputed from the balances by peeling its
leaves), so ``received - paid`` reproduces ``t_i`` to floating-point rounding
(``max_imbalance``, the certificate), not just to the solver tolerance.

Infeasibility
-------------
When the links (or their caps) cannot carry the transfers, the plan that
moves as much as possible is returned with ``success=False``, and the
diagnosis says who is cut off and by how much. An elastic LP (each
jurisdiction may miss part of its balance; the total missed is minimised:
that is a maximum flow) gives the ``deficit``. The residual network of that
flow gives the minimum cut; its receiving side, split into groups that share
no link, is the canonical part: every group's shortfall (need minus what its
own payers and the links into it can bring) is the same in every maximum
flow. The division inside a group is open, so a second elastic LP rations it
the way a finance bureau cuts claims on a short budget: in each group the
largest share of a need missed is minimised (``u_k <= z_C t_k``, ``sum_C z_C``
minimised after the total missed), which gives every member the same share
cut when the group's links allow it. ``shortfall`` per jurisdiction comes
from that plan; a payer's unpaid amount is one division of several.

References
----------
Ahuja, R. K., Magnanti, T. L. and Orlin, J. B. (1993). *Network Flows: Theory,
Algorithms, and Applications*, ch. 9 (minimum cost flows; the spanning-tree
structure of basic solutions, sec. 11.3) and ch. 6 (max-flow min-cut).
Gale, D. (1957). A theorem on flows in networks. *Pacific J. Math.* 7,
1073-1082 (feasibility of supplies and demands: the cut condition).
Ministry of Finance et al. (2016). Guiding opinions on horizontal ecological
compensation in river basins (关于加快建立流域上下游横向生态保护补偿机制的指导意见),
the bilateral agreements the plans mirror.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .._result import ResultMixin
from ..errors import InputError
from ..lp import STATUS_INFEASIBLE, STATUS_OPTIMAL, STATUS_TEXT, LinearProgram, Objective, solve_lp

__all__ = ["HIGHER_LEVEL", "RULES", "PaymentPlan", "payment_plan", "fixed_plan",
           "scenario_links"]

#: Default name of the node through which the higher level's subsidy enters.
HIGHER_LEVEL = "higher level"
#: Ways to derive the allowed links from a scenario's hazards.
RULES = ("beneficiary", "origin", "both", "complete")
_UNIQUE_AUTO_MAX_LINKS = 5000


# ====================================================================== result
@dataclass(frozen=True, repr=False)
class PaymentPlan(ResultMixin):
    """Result of :func:`payment_plan` (scipy.optimize vocabulary plus labelled fields).

    Attributes
    ----------
    success : bool
        True when every balance is met.
    status : int
        0 optimal, 1 iteration/time limit, 2 infeasible (the links cannot carry
        the transfers; the returned plan moves as much as possible), 3/4 solver
        trouble; ``-1`` for a plan given as data (:func:`fixed_plan`).
    message : str
        The outcome in plain words; when infeasible, who is cut off and by how much.
    edges : DataFrame
        One row per link that carries money: ``payer``, ``payee``, ``amount``,
        ``unit`` (the higher level appears as a payer under its node name).
    totals : DataFrame
        Per node (jurisdictions, then the higher level): ``transfer`` (the net
        transfer asked for; ``-g`` for the higher level), ``received``,
        ``paid``, ``net = received - paid``, ``shortfall`` (what the plan
        misses: money not received by a receiver, not paid by a payer).
    links : DataFrame
        Every allowed link: ``payer``, ``payee``, ``cost``, ``cap``, ``flow``,
        ``at_cap``.
    transfers : Series
        The net transfers ``t_i`` the plan implements.
    subsidy : float
        ``g``, paid by the higher level.
    cost : float
        ``sum c_ij f_ij`` of the plan.
    money_routed : float
        ``sum f_ij``: money on all links (relays counted on each link).
    n_links : int
        Links that carry money.
    binding : tuple of str
        Links at their cap, as ``"payer->payee"``.
    unique : bool or None
        Whether the cheapest plan is unique (None: not checked).
    forest : bool
        Links carrying money below their caps form a forest (no cycle).
    max_imbalance : float
        ``max_i |net_i - t_i|`` over the nodes with no shortfall (the certificate).
    deficit : float
        Money the links cannot carry (0 when ``success``).
    cut_off : Series
        Receivers (and the higher level, if its subsidy cannot reach anyone)
        that the plan leaves short, with the amount short; empty when ``success``.
    unpaid : Series
        Payers that cannot pay all they owe, with the amount left unpaid.
    groups : DataFrame
        The canonical part of the diagnosis: per group of short receivers that
        share no link (the receiving side of the minimum cut), its members,
        ``need``, ``can_receive`` (what its own payers and the links into it can
        bring) and ``short = need - can_receive``.
    rule : str
        How the links were chosen (``"table"``, a scenario rule, or ``"given"``).
    higher_level : str
        The higher level's node name.
    notes : tuple of str
    solver, unit, build_time, solve_time
    """

    success: bool
    status: int
    message: str
    edges: pd.DataFrame
    totals: pd.DataFrame
    links: pd.DataFrame
    transfers: pd.Series
    subsidy: float
    cost: float
    money_routed: float
    n_links: int
    binding: tuple
    unique: bool | None
    forest: bool
    max_imbalance: float
    deficit: float
    cut_off: pd.Series
    unpaid: pd.Series
    groups: pd.DataFrame
    rule: str
    higher_level: str = HIGHER_LEVEL
    notes: tuple = ()
    solver: str = ""
    unit: str = ""
    build_time: float = 0.0
    solve_time: float = 0.0
    extra: dict = field(default_factory=dict, repr=False)

    @property
    def fun(self) -> float:
        """The plan's cost (scipy's name for the objective value)."""
        return self.cost

    def _summary(self):
        u = self.unit
        rows = [("success", self.success),
                ("status", f"{self.status} ({_STATUS.get(self.status, '?')})"),
                ("message", self.message), ("links used", f"{self.n_links} of {len(self.links)}"),
                ("subsidy", _fmt(self.subsidy, u)), ("money routed", _fmt(self.money_routed, u)),
                ("cost", f"{self.cost:.6g}"), ("unique", self.unique)]
        if self.binding:
            rows.append(("at cap", ", ".join(self.binding[:8])
                         + (" ..." if len(self.binding) > 8 else "")))
        if not self.success and len(self.cut_off):
            rows.append(("cut off", ", ".join(f"{k} ({_fmt(v, u)})"
                                              for k, v in self.cut_off.head(8).items())))
        rows.append(("solver", self.solver))
        return rows

    def to_frame(self) -> pd.DataFrame:
        """The edge table (payer, payee, amount, unit), one row per payment."""
        return self.edges.copy()

    def compare(self, other: PaymentPlan, names=("self", "other")) -> pd.DataFrame:
        """Side by side with another plan: one row per (payer, payee) used by either,
        each plan's amount (0 when unused) and the difference ``self - other``."""
        if not isinstance(other, PaymentPlan):
            raise InputError("must be a PaymentPlan", field="other", value=type(other).__name__)
        a, b = names
        left = self.edges.set_index(["payer", "payee"])["amount"].rename(a)
        right = other.edges.set_index(["payer", "payee"])["amount"].rename(b)
        df = pd.concat([left, right], axis=1).fillna(0.0)
        df["difference"] = df[a] - df[b]
        return df.reset_index()

    def to_dict(self) -> dict:
        """Plain data for JSON output."""
        return {"success": self.success, "status": self.status, "message": self.message,
                "unit": self.unit, "subsidy": self.subsidy, "cost": self.cost,
                "money_routed": self.money_routed, "n_links": self.n_links,
                "binding": list(self.binding), "unique": self.unique, "forest": self.forest,
                "max_imbalance": self.max_imbalance, "deficit": self.deficit,
                "cut_off": self.cut_off, "unpaid": self.unpaid, "groups": self.groups,
                "edges": self.edges, "totals": self.totals.reset_index(),
                "rule": self.rule, "higher_level": self.higher_level,
                "notes": list(self.notes), "solver": self.solver}

    def plot(self, ax=None, **kwargs):
        """Flow diagram of the plan; returns ``(fig, ax)``
        (:func:`cooperation.report.payment_plan.plot_payment_plan`)."""
        from ..report.payment_plan import plot_payment_plan

        return plot_payment_plan(self, ax=ax, **kwargs)


_STATUS = {**STATUS_TEXT, -1: "given as data"}


def _fmt(x: float, unit: str = "") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x + 0.0:.6g} {unit}".strip()          # + 0.0: no "-0" for a zero sum


# ====================================================================== links
def scenario_links(scenario, rule: str = "beneficiary") -> pd.DataFrame:
    """Allowed links read off a scenario's hazards.

    Rules (``s[h, i] > 0``: jurisdiction ``i`` bears part of hazard ``h``):

    * ``"beneficiary"`` (default): the beneficiary pays the source: a link from
      every jurisdiction exposed to a hazard to each of that hazard's origins
      (exposed -> origin; the downstream province pays the upstream one for
      protecting the river, 受益者付费);
    * ``"origin"``: the origin pays those it exposes (origin -> exposed;
      the polluter-pays direction of a penalty rule, 发生地为主);
    * ``"both"``: the union of the two;
    * ``"complete"``: every jurisdiction may pay every other.

    No link joins a jurisdiction to itself; duplicates are kept once (first
    occurrence). Every link costs 1 per unit (one hop) and has no cap.

    Returns
    -------
    DataFrame with columns ``payer``, ``payee``, ``cost``, ``cap``.

    Examples
    --------
    >>> import cooperation as co
    >>> s = co.Scenario(
    ...     jurisdictions=[co.Jurisdiction("Up", costs={"self": 0, "cooperate": 1.0}),
    ...                    co.Jurisdiction("Down", costs={"self": 0, "cooperate": 0.2})],
    ...     hazards=[co.Hazard("spill", probability=0.5, damage=10.0, origins=["Up"],
    ...                        prevention=0.8, spillover={"Down": 1.0})],
    ...     unit="CNY 100M")
    >>> scenario_links(s)[["payer", "payee"]].values.tolist()
    [['Down', 'Up']]
    """
    from ..scenario.model import Scenario

    if not isinstance(scenario, Scenario):
        raise InputError("must be a Scenario", field="scenario", value=type(scenario).__name__)
    if rule not in RULES:
        raise InputError(f"unknown link rule; choose one of {list(RULES)}", field="rule",
                         value=rule)
    P = scenario.players
    if rule == "complete":
        n = len(P)
        i, j = np.nonzero(~np.eye(n, dtype=bool))
        pairs = list(zip(i.tolist(), j.tolist(), strict=True))
    else:
        S = scenario.spillover_matrix.tocsr()
        pairs = []
        for h, hz in enumerate(scenario.hazards):
            exposed = S.indices[S.indptr[h]:S.indptr[h + 1]][S.data[S.indptr[h]:S.indptr[h + 1]] > 0]
            origins = [scenario.index_of(o) for o in hz.origins]
            for o in origins:
                for e in exposed.tolist():
                    if e == o:
                        continue
                    if rule in ("beneficiary", "both"):
                        pairs.append((e, o))
                    if rule in ("origin", "both"):
                        pairs.append((o, e))
        pairs = list(dict.fromkeys(pairs))
    return pd.DataFrame({"payer": [P[a] for a, _ in pairs], "payee": [P[b] for _, b in pairs],
                         "cost": np.ones(len(pairs)), "cap": np.full(len(pairs), np.inf)})


def _read_table(links, what: str = "links") -> tuple[pd.DataFrame, str | None]:
    """A link (or edge) table from a DataFrame or a CSV path."""
    source = None
    if isinstance(links, str | os.PathLike):
        source = str(links)
        path = Path(links)
        if not path.is_file():
            raise InputError("no such file", field=what, value=source)
        try:
            df = pd.read_csv(path, skipinitialspace=True, comment="#")
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise InputError(f"not a readable CSV table ({type(exc).__name__})", field=what,
                             value=source) from None
    elif isinstance(links, pd.DataFrame):
        df = links.copy()
    else:
        raise InputError("must be a DataFrame, a CSV path or a Scenario", field=what,
                         value=type(links).__name__)
    df.columns = [str(c).strip().lower() for c in df.columns]
    for col in ("payer", "payee"):
        if col not in df.columns:
            raise InputError(f"needs columns payer and payee (has {list(df.columns)})",
                             field=f"{what}.{col}", value=None, source=source,
                             show_value=False)
        bad = df[col].isna()
        if bad.any():
            raise InputError("every row needs a name", field=f"{what}[{int(np.argmax(bad))}].{col}",
                             value=None, source=source)
        df[col] = df[col].astype(str).str.strip()
    return df, source


def _numbers(df: pd.DataFrame, col: str, what: str, source, *, default: float,
             allow_inf: bool) -> np.ndarray:
    if col not in df.columns:
        return np.full(len(df), default)
    raw = df[col]
    vals = pd.to_numeric(raw, errors="coerce")
    bad = vals.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if bad.any():
        k = int(np.argmax(bad.to_numpy()))
        raise InputError("must be a number", field=f"{what}[{k}].{col}", value=raw.iloc[k],
                         source=source)
    arr = vals.fillna(default).to_numpy(dtype=float)
    for k, x in enumerate(arr):
        if x < 0 or (math.isinf(x) and not allow_inf):
            raise InputError("must be a finite number >= 0" + (" (or empty/inf: no cap)"
                                                               if allow_inf else ""),
                             field=f"{what}[{k}].{col}", value=float(x), source=source)
    return arr


# ====================================================================== inputs
def _transfers(obj, scenario) -> tuple[pd.Series, float | None, str, list[str]]:
    """Net transfers as a Series by jurisdiction, the subsidy when the input states one,
    and the unit."""
    from ..scenario.model import Scenario
    from .results.transfers import CompensationResult

    notes: list[str] = []
    subsidy = None
    unit = ""
    if isinstance(obj, CompensationResult):
        if not obj.success:
            raise InputError("the compensation design failed; there are no transfers to plan",
                             field="result", value=obj.message, show_value=False,
                             fix="plan the transfers of a successful design")
        ser, subsidy, unit = obj.transfers, float(obj.subsidy), obj.unit
    elif isinstance(obj, pd.Series | Mapping):
        ser = pd.Series(dict(obj.items()) if isinstance(obj, Mapping) else obj)
    elif isinstance(obj, Scenario):
        raise InputError("needs net transfers (a CompensationResult or a Series), not a "
                         "scenario", field="result_or_transfers", value="Scenario",
                         fix="co.payment_plan(co.design_compensation(scenario), scenario=scenario)")
    else:
        raise InputError("must be a CompensationResult, a pandas Series or a mapping "
                         "jurisdiction -> net transfer", field="result_or_transfers",
                         value=type(obj).__name__)
    ser.index = [str(k) for k in ser.index]
    if ser.index.duplicated().any():
        raise InputError("each jurisdiction once", field="transfers",
                         value=ser.index[ser.index.duplicated()][0])
    try:
        vals = ser.astype(float)
    except (TypeError, ValueError):
        raise InputError("must be numbers", field="transfers", value=ser.to_dict()) from None
    bad = ~np.isfinite(vals.to_numpy())
    if bad.any():
        k = int(np.argmax(bad))
        raise InputError("must be a finite number", field=f"transfers[{vals.index[k]}]",
                         value=float(vals.iloc[k]))
    if scenario is not None:
        unknown = [k for k in vals.index if k not in scenario.players]
        if unknown:
            raise InputError("unknown jurisdiction (not in the scenario)", field="transfers",
                             value=unknown[0])
        vals = vals.reindex(list(scenario.players)).fillna(0.0)
        unit = unit or scenario.unit
    return vals, subsidy, unit, notes


# ====================================================================== main
def payment_plan(result_or_transfers, links=None, rule: str = "beneficiary",
                 max_per_link: float | None = None, *, scenario=None, subsidy: float | None = None,
                 higher_level: str = HIGHER_LEVEL, subsidy_cost: float = 1.0,
                 unit: str | None = None, unique="auto", seed=0, backend: str = "pulp",
                 tol: float = 1e-9, time_limit: float | None = None) -> PaymentPlan:
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
        Relative tolerance for "carries money", "at cap" and the checks.
    time_limit : float, optional
        Seconds per solve.

    Returns
    -------
    PaymentPlan
        ``edges`` (payer, payee, amount, unit), ``totals`` per jurisdiction,
        ``binding`` caps, ``unique``; when infeasible the most that can be moved,
        ``deficit``, ``cut_off``, ``unpaid`` and ``groups``. ``.to_frame()``
        is the edge table; ``.plot()`` a flow diagram.

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
    from ..scenario.model import Scenario

    if rule not in RULES:
        raise InputError(f"unknown link rule; choose one of {list(RULES)}", field="rule",
                         value=rule)
    if isinstance(links, Scenario):
        if scenario is not None and scenario is not links:
            raise InputError("two different scenarios given", field="links", value="Scenario",
                             fix="pass the scenario once")
        scenario, links = links, None
    if scenario is not None and not isinstance(scenario, Scenario):
        raise InputError("must be a Scenario", field="scenario", value=type(scenario).__name__)
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

    t, sub_given, unit0, notes = _transfers(result_or_transfers, scenario)
    unit = unit if unit is not None else unit0
    players = list(t.index)
    if higher_level in players:
        raise InputError("the higher level's node needs a name no jurisdiction has",
                         field="higher_level", value=higher_level,
                         fix="pass higher_level='central government' or similar")
    tv = t.to_numpy(dtype=float)
    scale = max(1.0, float(np.abs(tv).max(initial=0.0)))
    g = math.fsum(tv)
    if subsidy is not None:
        if isinstance(subsidy, bool) or not isinstance(subsidy, int | float | np.number) \
                or not math.isfinite(subsidy):
            raise InputError("must be a finite number", field="subsidy", value=subsidy)
        sub_given = float(subsidy)
    if sub_given is not None and abs(g - sub_given) > max(tol, 1e-9) * scale * max(1, len(tv)):
        raise InputError(f"the net transfers add up to {g:.10g}, not to the subsidy "
                         f"{sub_given:.10g}; received minus paid must equal what the higher "
                         "level pays", field="transfers", value=f"sum {g:.10g}",
                         show_value=False)
    if g < -max(tol, 1e-9) * scale * max(1, len(tv)):
        raise InputError("the net transfers add up to a negative amount: jurisdictions would "
                         "pay more than they receive, and the higher level takes no money",
                         field="transfers", value=f"sum {g:.10g}",
                         fix="balance the transfers (sum t_i = subsidy >= 0)")
    g = max(g, 0.0)
    if g <= 1e-12 * scale:
        g = 0.0

    # ---------------------------------------------------------------- links
    if links is None:
        if scenario is None:
            raise InputError("default links are read from the scenario's hazards; none given",
                             field="links", value=None,
                             fix="pass scenario=..., or links= a table with payer, payee")
        table = scenario_links(scenario, rule)
        source, how = None, rule
    else:
        table, source = _read_table(links)
        how = "table"
        if rule != "beneficiary":
            notes.append(f"rule={rule!r} is ignored: the link table decides")
    known = set(players) | {higher_level}
    for col in ("payer", "payee"):
        bad = [k for k, v in enumerate(table[col]) if v not in known]
        if bad:
            k = bad[0]
            raise InputError(f"unknown jurisdiction; known: {_preview(players)} and "
                             f"{higher_level!r}", field=f"links[{k}].{col}",
                             value=table[col].iloc[k], source=source,
                             fix="add it to the transfers with 0 to let it relay"
                             if scenario is None else None)
    if (table["payee"] == higher_level).any():
        k = int(np.argmax((table["payee"] == higher_level).to_numpy()))
        raise InputError("the higher level pays the subsidy and receives nothing",
                         field=f"links[{k}].payee", value=higher_level, source=source)
    self_loop = (table["payer"] == table["payee"]).to_numpy()
    if self_loop.any():
        k = int(np.argmax(self_loop))
        raise InputError("a link must join two different jurisdictions",
                         field=f"links[{k}]", value=table["payer"].iloc[k], source=source)
    table = table.assign(
        cost=_numbers(table, "cost", "links", source, default=1.0, allow_inf=False),
        cap=_numbers(table, "cap", "links", source, default=math.inf, allow_inf=True))
    dup = table.duplicated(["payer", "payee"]).to_numpy()
    if dup.any():
        notes.append(f"{int(dup.sum())} repeated link row(s) ignored (the first is kept)")
        table = table[~dup]
    horiz = (table["payer"] != higher_level).to_numpy()
    central = table[~horiz]
    table = table[horiz].reset_index(drop=True)
    if max_per_link is not None:
        table["cap"] = np.minimum(table["cap"].to_numpy(), float(max_per_link))
    if g > 0 and not len(central):
        central = pd.DataFrame({"payer": higher_level, "payee": players,
                                "cost": float(subsidy_cost), "cap": math.inf})
    elif g == 0 and len(central):
        notes.append("the transfers need no subsidy: the higher level's links are unused")
        central = central.iloc[:0]
    cols = ["payer", "payee", "cost", "cap"]
    full = pd.concat([table[cols], central[cols]], ignore_index=True)
    nodes = players + [higher_level]
    index = {p: k for k, p in enumerate(nodes)}
    src = full["payer"].map(index).to_numpy(dtype=np.int64)
    dst = full["payee"].map(index).to_numpy(dtype=np.int64)
    c = full["cost"].to_numpy(dtype=float)
    cp = full["cap"].to_numpy(dtype=float)
    b = np.append(tv, -g if g else 0.0)
    return _solve_plan(nodes, players, higher_level, b, src, dst, c, cp, full, unit, how,
                       notes, unique, seed, backend, tol, time_limit, scale)


def _preview(names, limit: int = 6) -> str:
    names = list(names)
    head = ", ".join(names[:limit])
    return head + (f", ... ({len(names)} in all)" if len(names) > limit else "")


# ====================================================================== the LP
def _flow_lp(n_nodes: int, src, dst, cap, b, *, elastic: np.ndarray | None = None,
             groups=(), lower=0.0):
    """Balance rows ``in - out (+ u - v) = b`` over link columns (and elastic columns).

    Elastic: ``u_k`` (balance missed by a receiver, ``b_k > 0``) or ``v_k`` (by a payer,
    ``b_k < 0``) in ``[0, |b_k|]``; for each group of receivers (arrays of node ids) a
    ``z_C`` with ``u_k <= z_C b_k`` (the largest share of a need missed in the group)."""
    lp = LinearProgram()
    m = len(src)
    f = lp.add_vars([f"f{k}" for k in range(m)], lower, cap)
    rows = np.concatenate([dst, src])
    cols = np.concatenate([f, f])
    vals = np.concatenate([np.ones(m), -np.ones(m)])
    slack = None
    if elastic is not None:
        ids = np.flatnonzero(elastic)
        sv = lp.add_vars([f"s{k}" for k in ids], 0.0, np.abs(b[ids]))
        z = lp.add_vars([f"z{g}" for g in range(len(groups))], 0.0, 1.0)
        rows = np.concatenate([rows, ids])
        cols = np.concatenate([cols, sv])
        vals = np.concatenate([vals, np.sign(b[ids])])
        slack = (ids, sv, z)
    lp.add_rows(rows, cols, vals, b, b, [f"balance[{k}]" for k in range(n_nodes)], "balance")
    if slack is not None and len(groups):
        col_of = dict(zip(ids.tolist(), sv.tolist(), strict=True))
        members = np.concatenate([np.asarray(g, dtype=np.int64) for g in groups])
        zcol = np.concatenate([np.full(len(g), z[k]) for k, g in enumerate(groups)])
        r = np.arange(len(members))
        lp.add_rows(np.concatenate([r, r]),
                    np.concatenate([[col_of[k] for k in members.tolist()], zcol]),
                    np.concatenate([np.ones(len(members)), -b[members]]), -np.inf, 0.0,
                    [f"share[{k}]" for k in members], "share")
    return lp, f, slack


def _objectives(ncol: int, f, c: np.ndarray, slack=None) -> list:
    """Stages: (elastic only) least money missed, then (with groups) the largest share of
    a need missed in each group, summed (proportional rationing); the cost; money routed
    (when costs are unequal)."""
    objs = []
    if slack is not None:
        w = np.zeros(ncol)
        w[slack[1]] = 1.0
        objs.append(Objective(w, 1, "missed"))
        if len(slack[2]):
            zc = np.zeros(ncol)
            zc[slack[2]] = 1.0
            objs.append(Objective(zc, 1, "largest_share_missed"))
    cc = np.zeros(ncol)
    cc[f] = c
    objs.append(Objective(cc, 1, "cost"))
    if len(c) and not np.all(c == c[0]):
        ones = np.zeros(ncol)
        ones[f] = 1.0
        objs.append(Objective(ones, 1, "money_routed"))
    return objs


def _on_optimal_face(n_nodes, src, dst, cap, b, c, sol, f, tie: bool, w, backend, tol,
                     time_limit):
    """The second stage (fewest hops: least money routed) and the uniqueness probes,
    solved on the optimal face of the cost stage, described by bounds, not by a dense
    ``c f <= z`` row.

    With node potentials ``y`` (the duals of the balance rows), the reduced cost of link
    ``e = (i, j)`` is ``d_e = c_e - (y_j - y_i)``. By complementary slackness a feasible
    flow is optimal iff ``f_e = 0`` wherever ``d_e > 0`` and ``f_e = cap_e`` wherever
    ``d_e < 0``, so the optimal face is the flow polytope with those links fixed (Ahuja,
    Magnanti and Orlin 1993, thm 9.8). Reduced costs within ``1e-9 max(1, max c)`` of 0
    are treated as 0. Returns the flows of the second stage (None: keep the first
    stage's), the probe values ``[min w f, min -w f]`` over the face (or None), and the
    build and solve seconds.
    """
    y = sol.duals
    x1 = sol.x[f]
    if y is None:
        return None, None, 0.0, 0.0
    d = c - (y[dst] - y[src])
    eps = 1e-9 * max(1.0, float(np.abs(c).max(initial=0.0)))
    lo = np.zeros(len(c))
    hi = np.array(cap, dtype=float)
    hi[d > eps] = 0.0
    at_cap = (d < -eps) & np.isfinite(cap)
    lo[at_cap] = cap[at_cap]
    lp, f2, _ = _flow_lp(n_nodes, src, dst, hi, b, lower=lo)
    ones = np.zeros(lp.n_cols)
    ones[f2] = 1.0 if tie else 0.0
    probes = []
    if w is not None:
        pv = np.zeros(lp.n_cols)
        pv[f2] = w
        probes = [pv, -pv]
    s2 = solve_lp(lp, [Objective(ones, 1, "money_routed")], backend=backend,
                  time_limit=time_limit, probes=probes)
    if s2.status != STATUS_OPTIMAL:
        return None, None, s2.build_time, s2.solve_time
    x2 = s2.x[f2]
    z1 = float(c @ x1)
    if float(c @ x2) > z1 + 1e-9 * max(1.0, abs(z1)):   # the face was not kept: stage 1
        return None, None, s2.build_time, s2.solve_time
    return (x2 if tie else None), (s2.probe_values if w is not None else None), \
        s2.build_time, s2.solve_time


def _elastic(n_nodes, src, dst, cap, b, c, backend, tol, time_limit, groups=()):
    lp, f, slack = _flow_lp(n_nodes, src, dst, cap, b, elastic=np.abs(b) > 0, groups=groups)
    sol = solve_lp(lp, _objectives(lp.n_cols, f, c, slack), backend=backend,
                   time_limit=time_limit)
    return sol, f, slack


def _solve_plan(nodes, players, higher_level, b, src, dst, c, cap, full, unit, how, notes,
                unique, seed, backend, tol, time_limit, scale) -> PaymentPlan:
    n_nodes = len(nodes)
    m = len(src)
    deg = np.bincount(np.concatenate([src, dst]), minlength=n_nodes)
    isolated = (deg == 0) & (np.abs(b) > 0)
    want_unique = (m <= _UNIQUE_AUTO_MAX_LINKS) if unique == "auto" else bool(unique)
    rng = np.random.default_rng(seed)
    w = rng.uniform(1.0, 2.0, m)
    sol = None
    build = solve = 0.0
    feasible_try = not isolated.any()
    probe_values = None
    if feasible_try:
        lp, f, _ = _flow_lp(n_nodes, src, dst, cap, b)
        cc = np.zeros(lp.n_cols)
        cc[f] = c
        sol = solve_lp(lp, [Objective(cc, 1, "cost")], backend=backend,
                       time_limit=time_limit)
        build += sol.build_time
        solve += sol.solve_time
        tie = len(c) > 0 and not np.all(c == c[0])
        if sol.status == STATUS_OPTIMAL and m and (tie or want_unique):
            x2, pv2, b2, s2 = _on_optimal_face(n_nodes, src, dst, cap, b, c, sol, f, tie,
                                               w if want_unique else None, backend, tol,
                                               time_limit)
            build += b2
            solve += s2
            if x2 is not None:
                sol.x[f] = x2
            probe_values = pv2
    infeasible = (not feasible_try) or sol.status == STATUS_INFEASIBLE
    if infeasible:
        sol_e, f, slack = _elastic(n_nodes, src, dst, cap, b, c, backend, tol, time_limit)
        build += sol_e.build_time
        solve += sol_e.solve_time
        if sol_e.status == STATUS_OPTIMAL:
            # ration each group of short receivers proportionally (the groups are fixed
            # by the maximum flow; the division inside them is open)
            missed = np.zeros(n_nodes)
            missed[slack[0]] = sol_e.x[slack[1]]
            missed[missed <= tol * scale] = 0.0
            grp = _cut_groups(nodes, b, src, dst, sol_e.x[f], cap, missed, tol * scale,
                              ids=True)
            grp = [g for g in grp if len(g) > 1]
            if grp:
                sol_2, f2, slack2 = _elastic(n_nodes, src, dst, cap, b, c, backend, tol,
                                             time_limit, groups=grp)
                build += sol_2.build_time
                solve += sol_2.solve_time
                if sol_2.status == STATUS_OPTIMAL:
                    sol_e, f, slack = sol_2, f2, slack2
        solver = sol_e.solver
        if sol_e.status != STATUS_OPTIMAL:
            return _failed(nodes, players, higher_level, b, full, unit, how, notes, sol_e,
                           build, solve)
        x = sol_e.x
        missed = np.zeros(n_nodes)
        missed[slack[0]] = x[slack[1]]
        missed[missed <= tol * scale] = 0.0
        target = b - np.sign(b) * missed     # the balances the partial plan meets
        flows = x[f]
        status = STATUS_INFEASIBLE
    else:
        solver = sol.solver
        if sol.status != STATUS_OPTIMAL:
            return _failed(nodes, players, higher_level, b, full, unit, how, notes, sol,
                           build, solve)
        flows = sol.x[f]
        missed = np.zeros(n_nodes)
        target = b
        status = STATUS_OPTIMAL
    flows, forest = _exact_flows(src, dst, flows, cap, target, tol * scale)
    inflow = np.bincount(dst, weights=flows, minlength=n_nodes)
    outflow = np.bincount(src, weights=flows, minlength=n_nodes)
    net = inflow - outflow
    ok = missed == 0
    max_imb = float(np.max(np.abs(net - b)[ok], initial=0.0))
    at_cap = np.isfinite(cap) & (flows > 0) & (flows >= cap - tol * scale)
    used = flows > 0
    edges = pd.DataFrame({"payer": full["payer"].to_numpy()[used],
                          "payee": full["payee"].to_numpy()[used],
                          "amount": flows[used], "unit": unit})
    link_frame = full.assign(flow=flows, at_cap=at_cap).reset_index(drop=True)
    idx = pd.Index(nodes, name="jurisdiction")
    totals = pd.DataFrame({"transfer": b, "received": inflow, "paid": outflow, "net": net,
                           "shortfall": missed}, index=idx)
    binding = tuple(f"{p}->{q}" for p, q in zip(full["payer"].to_numpy()[at_cap],
                                                full["payee"].to_numpy()[at_cap], strict=True))
    cost = float(c @ flows)
    routed = float(flows.sum())
    uniq = None
    if status == STATUS_OPTIMAL and not m:
        uniq = True
    elif status == STATUS_OPTIMAL and want_unique:
        # a face of positive dimension gives min != max of w . f almost surely
        vals = np.asarray(probe_values if probe_values is not None else [], dtype=float)
        if vals.size == 2 and not np.isnan(vals).any():
            uniq = bool(-vals[1] - vals[0] <= 1e-6 * scale * w.sum())
    g = -b[-1]
    if status == STATUS_OPTIMAL:
        cut_off = pd.Series(dtype=float, name="short")
        unpaid = pd.Series(dtype=float, name="unpaid")
        groups = _empty_groups()
        deficit = 0.0
        msg = (f"optimal: {len(edges)} payment(s) over {m} allowed link(s); money routed "
               f"{routed:.6g} {unit}".rstrip() + f", cost {cost:.6g}"
               + ("" if uniq is None else "; the cheapest plan is unique" if uniq else
                  "; other plans cost the same (not unique)"))
        if binding:
            msg += f"; {len(binding)} link(s) at cap"
    else:
        recv = (b > 0) & (missed > 0)
        pay = (b < 0) & (missed > 0)
        cut_off = pd.Series(missed[recv], index=pd.Index(np.array(nodes, dtype=object)[recv],
                                                         name="jurisdiction"), name="short")
        unpaid = pd.Series(missed[pay], index=pd.Index(np.array(nodes, dtype=object)[pay],
                                                       name="jurisdiction"), name="unpaid")
        deficit = float(missed[b > 0].sum())
        groups = _cut_groups(nodes, b, src, dst, flows, cap, missed, tol * scale)
        msg = _infeasible_message(deficit, float(b[b > 0].sum()), unit, cut_off, unpaid,
                                  groups)
    if max_imb > 1e-9 * scale:
        msg += f"; WARNING: balances missed by up to {max_imb:.3g}"
    return PaymentPlan(
        success=status == STATUS_OPTIMAL, status=status, message=msg, edges=edges,
        totals=totals, links=link_frame, transfers=pd.Series(b[:-1], index=pd.Index(
            players, name="jurisdiction"), name="transfer"), subsidy=float(g), cost=cost,
        money_routed=routed, n_links=int(used.sum()), binding=binding, unique=uniq,
        forest=forest, max_imbalance=max_imb, deficit=deficit, cut_off=cut_off, unpaid=unpaid,
        groups=groups, rule=how, higher_level=higher_level, notes=tuple(notes),
        solver=solver, unit=unit, build_time=build, solve_time=solve,
        extra={"src": src, "dst": dst, "nodes": tuple(nodes)})


def _failed(nodes, players, higher_level, b, full, unit, how, notes, sol, build, solve):
    m = len(full)
    idx = pd.Index(nodes, name="jurisdiction")
    nan = np.full(len(nodes), np.nan)
    return PaymentPlan(
        success=False, status=sol.status, message=f"{STATUS_TEXT.get(sol.status, 'failed')}: "
        f"{sol.message}", edges=pd.DataFrame(columns=["payer", "payee", "amount", "unit"]),
        totals=pd.DataFrame({"transfer": b, "received": nan, "paid": nan, "net": nan,
                             "shortfall": nan}, index=idx),
        links=full.assign(flow=np.full(m, np.nan), at_cap=False).reset_index(drop=True),
        transfers=pd.Series(b[:-1], index=pd.Index(players, name="jurisdiction"),
                            name="transfer"),
        subsidy=float(-b[-1]), cost=math.nan, money_routed=math.nan, n_links=0, binding=(),
        unique=None, forest=False, max_imbalance=math.nan, deficit=math.nan,
        cut_off=pd.Series(dtype=float, name="short"),
        unpaid=pd.Series(dtype=float, name="unpaid"), groups=_empty_groups(), rule=how,
        higher_level=higher_level, notes=tuple(notes), solver=sol.solver, unit=unit,
        build_time=build, solve_time=solve)


def _empty_groups() -> pd.DataFrame:
    return pd.DataFrame({"members": pd.Series(dtype=object), "need": pd.Series(dtype=float),
                         "can_receive": pd.Series(dtype=float),
                         "short": pd.Series(dtype=float)})


# ====================================================================== exact totals
def _exact_flows(src, dst, flows, cap, b, tol: float) -> tuple[np.ndarray, bool]:
    """Recompute the flows from the balances ``b`` on the links' tree structure.

    Links at their cap keep the cap, links off a spanning forest of the other
    money-carrying links keep the solver's value; the forest's flows are then
    fixed by the balances, peeling leaves towards one root per tree (the node
    with the largest balance, which absorbs the rounding of the sums). Returns
    the flows and whether the free support already was a forest. Falls back to
    the solver's flows (clipped at 0) if peeling would make a flow negative
    beyond ``tol``.
    """
    f = np.where(flows > tol, flows, 0.0)
    capped = np.isfinite(cap) & (f >= cap - tol) & (f > 0)
    f[capped] = cap[capped]
    n = len(b)
    free = np.flatnonzero((f > 0) & ~capped)
    parent = list(range(n))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    tree = []
    forest = True
    for e in free[np.argsort(-f[free], kind="stable")]:
        ra, rb = find(int(src[e])), find(int(dst[e]))
        if ra == rb:
            forest = False
            continue
        parent[ra] = rb
        tree.append(int(e))
    if not tree:
        return f, forest
    fixed = np.ones(len(f), dtype=bool)
    fixed[tree] = False
    r = b - (np.bincount(dst, weights=np.where(fixed, f, 0.0), minlength=n)
             - np.bincount(src, weights=np.where(fixed, f, 0.0), minlength=n))
    adj: dict[int, list[int]] = {}
    for e in tree:
        adj.setdefault(int(src[e]), []).append(e)
        adj.setdefault(int(dst[e]), []).append(e)
    comp: dict[int, list[int]] = {}
    for v in adj:
        comp.setdefault(find(v), []).append(v)
    roots = {max(vs, key=lambda v: (abs(b[v]), -v)) for vs in comp.values()}
    degree = {v: len(es) for v, es in adj.items()}
    alive = dict.fromkeys(tree, True)
    stack = [v for v, d in degree.items() if d == 1 and v not in roots]
    new = f.copy()
    while stack:
        v = stack.pop()
        if degree[v] != 1:
            continue
        e = next(e for e in adj[v] if alive[e])
        alive[e] = False
        degree[v] = 0
        if dst[e] == v:                  # u -> v carries what v still needs
            u, amount = int(src[e]), r[v]
            r[u] += amount
        else:                            # v -> u carries what v must still send
            u, amount = int(dst[e]), -r[v]
            r[u] -= amount
        r[v] = 0.0
        new[e] = amount
        degree[u] -= 1
        if degree[u] == 1 and u not in roots:
            stack.append(u)
    if np.any(new[tree] < -tol) or np.any(new[tree] > np.where(np.isfinite(cap), cap, np.inf)[tree]
                                          + tol):
        return np.maximum(np.where(flows > tol, flows, 0.0), 0.0), forest
    new[tree] = np.maximum(new[tree], 0.0)
    return new, forest


# ====================================================================== diagnosis
def _cut_groups(nodes, b, src, dst, flows, cap, missed, tol, ids: bool = False):
    """Groups of short receivers on the sink side of the minimum cut of the maximum flow.

    Residual arcs (of the flow returned by the elastic LP, a maximum flow): a source
    arc into each payer with money left unpaid, each link with spare capacity, each
    link with flow backwards. Nodes reachable from the source form S (the smallest
    minimum cut, the same for every maximum flow); receivers outside S, split into
    groups joined by links among themselves, are the ones that cannot be served; the
    flow into each group is its payers' money plus the saturated links from S.
    ``ids=True``: a list of arrays of the receivers of each group instead of the table.
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import breadth_first_order, connected_components

    n = len(nodes)
    spare = np.where(np.isfinite(cap), cap - flows, np.inf) > tol
    back = flows > tol
    r_src = np.concatenate([src[spare], dst[back]])
    r_dst = np.concatenate([dst[spare], src[back]])
    s = n                                            # super source
    start = np.flatnonzero((b < 0) & (missed > 0))
    r_src = np.concatenate([r_src, np.full(len(start), s)])
    r_dst = np.concatenate([r_dst, start])
    G = sp.csr_matrix((np.ones(len(r_src)), (r_src, r_dst)), shape=(n + 1, n + 1))
    reach = np.zeros(n + 1, dtype=bool)
    reach[breadth_first_order(G, s, directed=True, return_predecessors=False)] = True
    T = ~reach[:n]
    inT = np.flatnonzero(T)
    if not inT.size:
        return [] if ids else _empty_groups()
    keep = T[src] & T[dst]
    H = sp.csr_matrix((np.ones(int(keep.sum())), (src[keep], dst[keep])), shape=(n, n))
    _, label = connected_components(H, directed=True, connection="weak")
    rows = []
    for lab in np.unique(label[inT]):
        members = inT[label[inT] == lab]
        short = float(missed[members][b[members] > 0].sum())
        if short <= 0:
            continue
        if ids:
            rows.append(members[b[members] > 0])
            continue
        need = float(b[members][b[members] > 0].sum())
        rows.append({"members": tuple(nodes[k] for k in members if b[k] > 0),
                     "need": need, "can_receive": need - short, "short": short})
    if ids:
        return rows
    if not rows:
        return _empty_groups()
    return pd.DataFrame(rows).sort_values("short", ascending=False, kind="stable") \
        .reset_index(drop=True)


def _infeasible_message(deficit, total, unit, cut_off, unpaid, groups) -> str:
    u = f" {unit}" if unit else ""
    parts = [f"infeasible: the allowed links cannot carry {deficit:.6g} of the "
             f"{total:.6g}{u} to be paid"]
    if len(groups):
        gs = []
        for row in groups.head(6).itertuples():
            names = ", ".join(row.members[:6]) + (" ..." if len(row.members) > 6 else "")
            gs.append(f"{names} (need {row.need:.6g}, can receive at most "
                      f"{row.can_receive:.6g}: short {row.short:.6g})")
        parts.append("cut off: " + "; ".join(gs))
    elif len(cut_off):
        parts.append("cut off: " + ", ".join(f"{k} (short {v:.6g})"
                                             for k, v in cut_off.head(6).items()))
    if len(unpaid):
        who = ", ".join(f"{k} ({v:.6g})" for k, v in unpaid.head(6).items())
        parts.append(f"unable to pay in full: {who}")
    return "; ".join(parts)


# ====================================================================== given plans
def fixed_plan(edges, *, unit: str | None = None, higher_level: str = HIGHER_LEVEL,
               jurisdictions=None) -> PaymentPlan:
    """A plan given as data (a real agreement's payments), as a :class:`PaymentPlan`.

    Parameters
    ----------
    edges : DataFrame or CSV path
        Columns ``payer``, ``payee``, ``amount`` (>= 0), optionally ``unit``
        (one value for all rows). Repeated (payer, payee) rows are added up.
        Payments by the higher level appear with its node name as payer.
    unit : str, optional
        Overrides the table's unit column.
    higher_level : str
    jurisdictions : sequence of str, optional
        The jurisdictions (and their order) of the totals; default: as they
        appear in the table.

    Returns
    -------
    PaymentPlan
        ``status = -1`` (given as data), ``success = True``; ``transfers`` are the
        net positions the plan implies (``received - paid``), so that
        ``payment_plan(plan.transfers, links=...)`` finds the cheapest plan with
        the same net positions, and :meth:`PaymentPlan.compare` puts them side by side.

    Examples
    --------
    >>> import pandas as pd
    >>> p = fixed_plan(pd.DataFrame({"payer": ["A", "B"], "payee": ["B", "C"],
    ...                              "amount": [1.0, 1.0]}), unit="CNY 100M")
    >>> p.transfers.to_dict()
    {'A': -1.0, 'B': 0.0, 'C': 1.0}
    """
    df, source = _read_table(edges, "edges")
    if "amount" not in df.columns:
        raise InputError("needs an amount column", field="edges.amount", value=None,
                         source=source, show_value=False)
    amt = _numbers(df, "amount", "edges", source, default=math.nan, allow_inf=False)
    if np.isnan(amt).any():
        k = int(np.argmax(np.isnan(amt)))
        raise InputError("every payment needs an amount", field=f"edges[{k}].amount",
                         value=None, source=source)
    if unit is None:
        units = df["unit"].dropna().astype(str).str.strip().unique() if "unit" in df.columns \
            else []
        if len(units) > 1:
            raise InputError("one unit for the whole plan", field="edges.unit",
                             value=list(units), source=source)
        unit = units[0] if len(units) else ""
    if (df["payee"] == higher_level).any():
        raise InputError("the higher level pays the subsidy and receives nothing",
                         field="edges.payee", value=higher_level, source=source)
    df = df.assign(amount=amt).groupby(["payer", "payee"], sort=False, as_index=False)["amount"] \
        .sum()
    names = list(dict.fromkeys([p for p in pd.concat([df["payer"], df["payee"]])
                                if p != higher_level]))
    if jurisdictions is not None:
        order = [str(j) for j in jurisdictions]
        unknown = [p for p in names if p not in order]
        if unknown:
            raise InputError("unknown jurisdiction", field="edges", value=unknown[0],
                             source=source)
        names = order
    nodes = names + [higher_level]
    index = {p: k for k, p in enumerate(nodes)}
    src = df["payer"].map(index).to_numpy(dtype=np.int64)
    dst = df["payee"].map(index).to_numpy(dtype=np.int64)
    f = df["amount"].to_numpy(dtype=float)
    n = len(nodes)
    inflow = np.bincount(dst, weights=f, minlength=n)
    outflow = np.bincount(src, weights=f, minlength=n)
    net = inflow - outflow
    totals = pd.DataFrame({"transfer": net, "received": inflow, "paid": outflow, "net": net,
                           "shortfall": 0.0}, index=pd.Index(nodes, name="jurisdiction"))
    used = f > 0
    edges_out = pd.DataFrame({"payer": df["payer"].to_numpy()[used],
                              "payee": df["payee"].to_numpy()[used], "amount": f[used],
                              "unit": unit})
    links = df.assign(cost=1.0, cap=math.inf, flow=f, at_cap=False)[
        ["payer", "payee", "cost", "cap", "flow", "at_cap"]]
    _, forest = _exact_flows(src, dst, f, np.full(len(f), np.inf), net, 0.0)
    return PaymentPlan(
        success=True, status=-1, message=f"given as data: {int(used.sum())} payment(s), "
        f"money routed {f.sum():.6g} {unit}".rstrip(), edges=edges_out, totals=totals,
        links=links, transfers=pd.Series(net[:-1], index=pd.Index(names, name="jurisdiction"),
                                         name="transfer"),
        subsidy=float(outflow[-1]), cost=float(f.sum()), money_routed=float(f.sum()),
        n_links=int(used.sum()), binding=(), unique=None, forest=forest, max_imbalance=0.0,
        deficit=0.0, cut_off=pd.Series(dtype=float, name="short"),
        unpaid=pd.Series(dtype=float, name="unpaid"), groups=_empty_groups(), rule="given",
        higher_level=higher_level, notes=(f"from {source}",) if source else (),
        solver="", unit=unit, extra={"src": src, "dst": dst, "nodes": tuple(nodes)})
