"""The result of :func:`cooperation.design_reserves`: the plan, its proof, its game."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._result import ResultMixin
from ..lp import STATUS_OPTIMAL, STATUS_TEXT
from .model import HIGHS_STATUS, ReserveModel, plan_values

__all__ = ["ReservePlan", "make_plan", "RTOL"]

#: relative tolerance (of the quantity scale) below which a flow, stock or slack is zero
RTOL = 1e-7


@dataclass(frozen=True, repr=False)
class ReservePlan(ResultMixin):
    """Result of :func:`cooperation.design_reserves`.

    Attributes
    ----------
    success, status, message
        scipy vocabulary (0 optimal, 1 limit, 2 infeasible, 3 unbounded, 4 numerical),
        from the LP layer.
    solver_status : str
        The HiGHS model status behind ``status`` ("Optimal", "Infeasible", ...).
    solver : str
        The solver and interface used.
    cost : float
        Optimal objective: stock cost + expected dispatch cost + risk term
        (``nan`` when not solved).
    stock_cost, dispatch_cost, risk_cost, expected_unmet_cost : float
        The parts of ``cost``; ``risk_cost`` is the expected penalised unmet demand
        (``risk="expected"``) or its CVaR (``risk="cvar"``).
    stock : DataFrame
        One row per depot and item: ``depot, jurisdiction, item, capacity, stock,
        unit_cost, capacity_dual`` (change of ``cost`` per unit more capacity, <= 0).
    dispatch : DataFrame
        Positive shipments: ``scenario, depot, from_jurisdiction, jurisdiction, item,
        quantity, hours, unit_cost``.
    unmet : DataFrame
        One row per demand: ``scenario, jurisdiction, item, demand, delivered, unmet,
        demand_dual`` (change of ``cost`` per unit more demand; includes ``p_s``).
    duals : DataFrame
        Every constraint: ``family, constraint, owner, rhs, dual`` (money per unit
        of the right-hand side, as the LP layer defines duals).
    binding : tuple of str
        Capacity constraints met with equality (stock at capacity).
    diagnosis : ReserveDiagnosis or None
        When infeasible: which demands cannot be met in time and from where.
    scenario_loss : Series
        Penalised unmet demand ``L_s`` per scenario.
    scales : dict
        The money scale ``M`` and quantity scale ``Q`` the LP was solved in.
    """

    success: bool
    status: int
    message: str
    solver_status: str
    solver: str
    cost: float
    stock_cost: float
    dispatch_cost: float
    risk_cost: float
    expected_unmet_cost: float
    risk: str
    confidence: float
    deadline_hours: float
    players: tuple
    stock: pd.DataFrame
    dispatch: pd.DataFrame
    unmet: pd.DataFrame
    duals: pd.DataFrame
    binding: tuple
    diagnosis: object
    scenario_loss: pd.Series
    scales: dict
    n_variables: int
    n_constraints: int
    build_time: float
    solve_time: float
    backend: str
    _model: ReserveModel = field(repr=False, compare=False, default=None)
    _row_dual: np.ndarray = field(repr=False, compare=False, default=None)
    _cache: dict = field(repr=False, compare=False, default_factory=dict)

    # ------------------------------------------------------------------ display
    def _summary(self):
        out = [("status", f"{self.status} ({self.message}; HiGHS: {self.solver_status})"),
               ("solver", self.solver)]
        if self.success:
            out += [("cost", f"{self.cost:.6g} (stock {self.stock_cost:.6g}, dispatch "
                             f"{self.dispatch_cost:.6g}, risk {self.risk_cost:.6g})"),
                    ("risk", self.risk if self.risk == "expected"
                     else f"CVaR at {self.confidence:g}"),
                    ("stocked", f"{self.stock['stock'].sum():.6g} units at "
                                f"{int((self.stock['stock'] > 0).sum())} depot-items"),
                    ("unmet (expected units)", f"{self._expected_unmet():.6g}"),
                    ("binding", len(self.binding))]
        if self.diagnosis is not None:
            out.append(("diagnosis", self.diagnosis.message))
        out.append(("LP", f"{self.n_variables} variables, {self.n_constraints} rows, "
                          f"deadline {self.deadline_hours:g} h"))
        return out

    def _expected_unmet(self) -> float:
        if self.unmet.empty:
            return 0.0
        d = self._model.data
        p = pd.Series(d.prob, index=list(d.scenarios))
        return float((self.unmet["unmet"] * self.unmet["scenario"].map(p)).sum())

    def to_frame(self) -> pd.DataFrame:
        """The stock table (one row per depot and item)."""
        return self.stock.copy()

    def to_dict(self) -> dict:
        return {"status": self.status, "message": self.message,
                "solver_status": self.solver_status, "solver": self.solver,
                "cost": self.cost, "stock_cost": self.stock_cost,
                "dispatch_cost": self.dispatch_cost, "risk_cost": self.risk_cost,
                "risk": self.risk, "confidence": self.confidence,
                "deadline_hours": self.deadline_hours, "stock": self.stock,
                "dispatch": self.dispatch, "unmet": self.unmet,
                "binding": list(self.binding),
                "diagnosis": None if self.diagnosis is None else self.diagnosis.to_dict()}

    # ------------------------------------------------------------------ the pooling game
    def pooling_game(self, *, max_players: int = 16):
        """The cost game ``c(S)``: the least cost of coalition ``S`` pooling alone.

        See :func:`cooperation.reserves.pooling.pooling_game`.
        """
        key = ("game", max_players)
        if key not in self._cache:
            from .pooling import pooling_game

            self._cache[key] = pooling_game(self._model, max_players=max_players)
        return self._cache[key]

    def allocation(self, rule: str = "owen") -> pd.Series:
        """Cost shares of the pooled cost, by jurisdiction.

        ``rule="owen"``: Owen's (1975) dual-price allocation from this LP (any
        number of jurisdictions); ``"shapley"`` or ``"nucleolus"``: of
        :meth:`pooling_game` (exact, up to about 15 jurisdictions).
        See :func:`cooperation.reserves.pooling.allocation`.
        """
        from .pooling import allocation

        return allocation(self, rule)

    def core_check(self, rule: str = "owen", *, method: str = "auto",
                   max_enumerate: int = 15, time_limit: float | None = 60.0):
        """Owen's conditions for this model, and a core certificate for ``rule``'s shares.

        See :func:`cooperation.reserves.core.core_check`.
        """
        from .core import core_check

        return core_check(self, rule, method=method, max_enumerate=max_enumerate,
                          time_limit=time_limit)


def _empty(cols) -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in cols})


STOCK_COLS = ["depot", "jurisdiction", "item", "capacity", "stock", "unit_cost",
              "capacity_dual"]
DISPATCH_COLS = ["scenario", "depot", "from_jurisdiction", "jurisdiction", "item",
                 "quantity", "hours", "unit_cost"]
UNMET_COLS = ["scenario", "jurisdiction", "item", "demand", "delivered", "unmet",
              "demand_dual"]


def make_plan(model: ReserveModel, sol, diagnosis, backend: str, build: float) -> ReservePlan:
    d = model.data
    lp = model.lp
    ok = sol.status == STATUS_OPTIMAL
    owners = np.array([d.players[o] if o >= 0 else "" for o in d.depot_owner], dtype=object)
    stock_base = pd.DataFrame({
        "depot": [d.depots[i] for i in d.stock_depot],
        "jurisdiction": owners[d.stock_depot] if d.stock_depot.size else [],
        "item": [d.items[k] for k in d.stock_item],
        "capacity": d.capacity})
    dem_base = pd.DataFrame({
        "scenario": [d.scenarios[s] for s in d.dem_scen],
        "jurisdiction": [d.players[j] for j in d.dem_jur],
        "item": [d.items[k] for k in d.dem_item], "demand": d.quantity})
    nan = math.nan
    if not ok:
        return ReservePlan(
            False, sol.status, sol.message or STATUS_TEXT.get(sol.status, ""),
            HIGHS_STATUS.get(sol.status, str(sol.status)), sol.solver, nan, nan, nan, nan,
            nan, model.risk, model.confidence, d.deadline_hours, d.players,
            stock_base.assign(stock=nan, unit_cost=d.unit_cost, capacity_dual=nan),
            _empty(DISPATCH_COLS), dem_base.assign(delivered=nan, unmet=nan, demand_dual=nan),
            _empty(["family", "constraint", "owner", "rhs", "dual"]), (), diagnosis,
            pd.Series(dtype=float), {"M": model.M, "Q": model.Q}, lp.n_cols, lp.n_rows,
            build + sol.build_time, sol.solve_time, backend, model, None)
    x = sol.x
    vals = plan_values(model, x)
    tolq = RTOL * model.Q
    cost = float(model.c @ x) * model.money
    rd = np.asarray(sol.duals, float)
    # duals: d(scaled objective)/d(scaled bound); money per quantity unit is M times that,
    # the CVaR rows are in money units already (scaled by M Q on both sides)
    fam = np.array(lp.row_family, dtype=object)
    qty_rows = fam != "cvar"
    dual_true = np.where(qty_rows, rd * model.M, rd) + 0.0   # + 0.0: no -0.0 on display
    rhs_true = np.where(qty_rows, model.rhs * model.Q, model.rhs * model.money)
    cap_dual = np.full(d.stock_item.size, 0.0)
    if "capacity" in model.rows:
        fin = np.flatnonzero(np.isfinite(d.capacity))
        cap_dual[fin] = dual_true[model.rows["capacity"]]
    stock = stock_base.assign(stock=np.where(np.abs(vals["stock"]) < tolq, 0.0, vals["stock"]),
                              unit_cost=d.unit_cost, capacity_dual=cap_dual)
    ys = vals["dispatch"]
    pos = np.flatnonzero(ys > tolq)
    a_r, a_m = d.arc_row[pos], d.arc_stock[pos]
    dispatch = pd.DataFrame({
        "scenario": [d.scenarios[s] for s in d.dem_scen[a_r]],
        "depot": [d.depots[i] for i in d.stock_depot[a_m]],
        "from_jurisdiction": owners[d.stock_depot[a_m]] if pos.size else [],
        "jurisdiction": [d.players[j] for j in d.dem_jur[a_r]],
        "item": [d.items[k] for k in d.dem_item[a_r]],
        "quantity": ys[pos], "hours": d.arc_hours[pos], "unit_cost": d.arc_cost[pos]},
        columns=DISPATCH_COLS)
    un = np.where(vals["unmet"] < tolq, 0.0, vals["unmet"])
    got = np.bincount(d.arc_row, weights=ys, minlength=d.quantity.size) if ys.size else \
        np.zeros(d.quantity.size)
    got = np.where(got < tolq, 0.0, np.minimum(got, d.quantity))
    unmet = dem_base.assign(delivered=got, unmet=un,
                            demand_dual=dual_true[model.rows["demand"]])
    owner_names = np.array([d.players[o] if o >= 0 else ("(higher level)" if o == -1 else "")
                            for o in model.row_owner], dtype=object)
    duals = pd.DataFrame({"family": fam, "constraint": lp.row_names, "owner": owner_names,
                          "rhs": rhs_true, "dual": dual_true})
    binding = ()
    if "capacity" in model.rows:
        fin = np.flatnonzero(np.isfinite(d.capacity))
        slack = d.capacity[fin] - vals["stock"][fin]
        hit = fin[slack <= tolq]
        binding = tuple(lp.row_names[r] for r in model.rows["capacity"][np.isin(fin, hit)])
    if model.risk == "cvar":
        risk_cost = cost - vals["stock_cost"] - vals["dispatch_cost"]
    else:
        risk_cost = vals["expected_unmet_cost"]
    loss = pd.Series(vals["scenario_loss"], index=pd.Index(d.scenarios, name="scenario"),
                     name="penalised unmet demand")
    return ReservePlan(
        True, sol.status, sol.message, HIGHS_STATUS[sol.status], sol.solver, cost,
        vals["stock_cost"], vals["dispatch_cost"], risk_cost, vals["expected_unmet_cost"],
        model.risk, model.confidence, d.deadline_hours, d.players, stock, dispatch, unmet,
        duals, binding, diagnosis, loss, {"M": model.M, "Q": model.Q}, lp.n_cols, lp.n_rows,
        build + sol.build_time, sol.solve_time, backend, model, rd)
