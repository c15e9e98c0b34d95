"""The transfer-design LP: side payments and a subsidy that make a target profile stick.

Given a target profile ``a*`` (by default the social optimum), find transfers
``t_i`` (received when positive, paid when negative) and a subsidy ``g >= 0``
from a higher level of government (上级政府 / 第三方激励) with::

    sum_i t_i = g                                            (budget balance)

and, each family switchable and reported by name:

* participation (IR)      ``u_i(a*) + t_i >= o_i``
  ``o_i``: the outside option, by default the payoff at the worst-welfare pure
  Nash equilibrium (no agreement, everyone goes it alone, 属地管理);
* self-enforcement (IC)   ``q t_i >= max_{a_i' != a*_i} u_i(a_i', a*_{-i}) - u_i(a*) - q F``
  transfers are paid only on verified compliance: a deviation is detected
  with probability ``q`` (``detection``, default 1), and a detected deviator
  neither receives nor pays its transfer and pays the fine ``F >= 0``. With
  ``q = 1``: ``u_i(a*) + t_i >= max_{a_i'} u_i(a_i', a*_{-i}) - F``. For a
  payer this also says what it can be asked to pay: no more than its own loss
  from leaving ``a*`` plus the fine, or it would rather leave and stop paying.
  With ``forfeit="receipts"`` a deviator loses only what it would receive and
  still owes its payments: ``q max(t_i, 0) >= dev_i - u_i(a*) - q F``;
* capacity                ``-t_i <= k_i``   (nobody pays beyond its cap; by
  default ``k_i = capacity_share * capacity_i`` from the scenario);
* core                    ``sum_{i in S} (u_i(a*) + t_i) >= v(S)`` for every
  coalition ``S`` (no group is better off on its own); all ``2**n - 1`` rows
  for ``n <= CORE_FULL_MAX`` (8), otherwise constraint generation with the
  most-violated-coalition oracle of :mod:`cooperation.coalitions`, in batches
  that double each round (exact: it stops only when no coalition is
  violated, and closes within about ``n`` rounds since every round adds
  rows). The cut-over is measured by ``benchmarks/bench_core_generation.py``:
  generation is as fast as the full LP at 6 players and 5 to 50 times faster
  from 10 to 16;
* ``g <= max_subsidy`` when a cap is given.

Objectives, each solved lexicographically (an exact sequence of LPs, each
stage keeping the optimum of the earlier ones):

* ``min_subsidy``: minimise ``g``; then the money moved ``sum_i |t_i|`` at that
  ``g`` (many transfer vectors share the least subsidy);
* ``min_transfers``: minimise ``sum_i |t_i|`` with ``g`` free; then ``g``.
  On its own this puts the whole bill on the higher level: every jurisdiction
  that needs money gets it from ``g`` and nobody pays anybody;
* ``closest``: minimise ``sum_i |u_i(a*) + t_i - r_i|`` (L1 distance to a
  reference allocation ``r``: Shapley value, nucleolus, a responsibility rule);
  then ``g``; then ``sum |t_i|``;
* ``max_min_gain``: maximise ``min_i (u_i(a*) + t_i - o_i)`` (egalitarian split
  of the cooperation surplus); with no ``max_subsidy`` the subsidy is first
  held at its minimum (otherwise the problem is unbounded), with a cap the
  whole cap may be used; then ``g``; then ``sum |t_i|``.

``|t_i|`` is linearised as ``t_i = p_i - q_i``, ``p, q >= 0``; at the last
stage ``p_i q_i = 0``, so ``sum (p_i + q_i) = sum |t_i|``.

Infeasibility (only possible with a subsidy cap: with ``g`` free every
family can be met by paying enough) is diagnosed, not just reported: the
smallest subsidy cap that restores feasibility, the smallest capacity
increases, the smallest uniform fine, and the shortfall of each blocking
constraint, each from one LP.

References
----------
Chander, P. and Tulkens, H. (1997). The core of an economy with multilateral
environmental externalities. *IJGT* 26, 379-401 (transfers that make the
efficient profile core-stable).
Myerson, R. B. (1991). *Game Theory: Analysis of Conflict*, ch. 6 (individual
rationality and incentive constraints).
Chinneck, J. W. (2008). *Feasibility and Infeasibility in Optimization*,
ch. 7 (elastic programming for infeasibility analysis). Springer.
Isermann, H. (1982). Linear lexicographic optimization. *OR Spektrum* 4, 223-228.

Modules: :mod:`.problem` (the inputs as one problem, scaled to order one),
:mod:`.model` (the LP rows of each family and the objectives), :mod:`.solve`
(solving with core constraint generation, uniqueness, the certificate),
:mod:`.diagnosis` (why an infeasible design fails), :mod:`.calculator` (the
public function); the result types are in
:mod:`cooperation.compensation.results.transfers`.
"""

from ..results.transfers import CompensationResult, Diagnosis
from .calculator import design_compensation
from .problem import FAMILIES, OBJECTIVES

__all__ = ["design_compensation", "CompensationResult", "Diagnosis", "FAMILIES", "OBJECTIVES"]
