"""The crisis-fund LP (公共危机治理基金 / 专项基金): who pays in, who is paid out, how safe.

Members ``i`` pay yearly contributions ``f_i >= 0`` into a joint fund; a
higher level may co-fund ``c >= 0`` a year and the fund may hold a reserve
``R``. When a hazard strikes, the fund pays member ``i`` a share ``alpha_i`` of
the damage ``L_i`` it bears. The contributions and the payout shares are
decided by one linear program over ``Y`` simulated crisis years (seeded): in
year ``y`` hazard ``h`` strikes with its probability ``p_h(a)`` at the
members' action profile ``a`` and does damage ``D_h(a)``, split by the
spillover shares, so ``L[y, i] = sum_h X[y, h] D_h(a) s[h, i]``.

What the money covers (``docs/fund.md``):

* **standby mode** (``horizon=None``, the default): ``F + c + R`` is one
  year's standby money, judged against a single year's payouts; nothing
  carries over. A path is one year (identical years merged, weighted).
* **reserve mode** (``horizon=H``): the balance carries over; ``F + c`` comes
  in every year, payouts are drawn from the balance, which starts at ``R``.
  Consecutive simulated years are cut into paths of ``H`` years, and the fund
  must not run dry on a path: a finite-horizon ruin probability.

The LP, with ``need_k = max_t (sum_{s<=t} payout_(k,s) - t (F + c))`` the reserve
path ``k`` needs (standby: ``payout_k - (F + c)``)::

    payout_(k,s) = sum_i alpha_i L[(k,s), i]          F = sum_i f_i
    solvency (CVaR, Rockafellar-Uryasev):
        eta + 1/((1 - beta) W) sum_k w_k z_k <= 0,   z_k >= need_k - R - eta,  z_k >= 0
    sustainability:      F + c >= sum_i alpha_i mean_y L[y, i]   (no running down on average)
    capacity:            f_i <= k_i
    net benefit:         alpha_i * mean_y L[y, i] - f_i >= 0     (nobody loses in expectation)
    coverage:            coverage <= alpha_i <= max_coverage
    key:                 |f_i - kappa_i F| <= d_i                 (kappa: the chosen key)

solved lexicographically: (1) the least co-funding ``c`` (skipped when
``cofunding`` fixes it); (2) contributions closest to the key, ``min sum_i d_i``;
(3) the least total contribution ``F``; (4) the largest expected payout
``sum_i alpha_i mean L_i`` that the resources still cover.

The solvency constraint says: in the worst ``1 - beta`` share of paths, the
fund's shortfall is on average zero or less (CVaR_beta(need - R) <= 0, which
implies that the shortfall, or in reserve mode the ruin, probability is at most
``1 - beta``).

How it is solved. Money is divided by a power of two near the largest yearly
loss, so the LP sees numbers of order one whatever the unit, and answers are
multiplied back (``docs/numerics.md``); a money scale outside what double
precision can sum is refused. The default backend ("highs") writes
``alpha_i = coverage + delta_i`` and generates what the optimum needs: the
tail rows of the paths near the tail and the ``delta_i`` columns of members
whose reduced cost asks for a larger share (:mod:`.model`,
:func:`cooperation.lp.lazy.solve_lazy`); time and memory are linear in
members x years (3,000 members x 10,000 years in about 15 s). "pulp" and
"scipy" solve the extensive LP with every row, as the cross-check.

Two remarks the LP makes plain. Covering the tail of the payouts costs more
than their mean, while every member breaking even in expectation caps the
members' total at the mean payout: without a reserve the higher level's
co-funding carries the tail (the risk loading). And with the fund sustained
(inflow >= mean payout) and nobody losing in expectation, members without
co-funding pay exactly their expected payouts (actuarially fair), so the key
can only move the payout shares, and with the least co-funding those are
pinned too: the result then says so (``key_followed``, ``key_decided_by``:
the constraints with non-zero shadow prices in the key stage). A fixed
co-funding above the least lowers what members must pay in and leaves room
for the key; once it covers the fund on its own, stages (2) and (3) set every
contribution to zero, whatever the key, and the notes say why the
contribution shares are undefined.

The fund's adequacy is then checked out of sample: a second simulation with a
different seed (by default a child of ``seed``) estimates the shortfall
probability (reserve mode: the ruin probability over ``H`` years), the
expected shortfall and the CVaR of the shortfall.

References
----------
Rockafellar, R. T. and Uryasev, S. (2000). Optimization of conditional
value-at-risk. *Journal of Risk* 2(3), 21-41.
Rockafellar, R. T. and Uryasev, S. (2002). Conditional value-at-risk for
general loss distributions. *Journal of Banking & Finance* 26, 1443-1471.
Kunzi-Bay, A. and Mayer, J. (2006). Computational aspects of minimizing
conditional value-at-risk. *Computational Management Science* 3, 3-27.
Ghesquiere, F. and Mahul, O. (2010). *Financial protection of the state
against natural disasters*. World Bank Policy Research WP 5429 (risk pools,
CCRIF).
Asmussen, S. and Albrecher, H. (2010). *Ruin Probabilities*, 2nd ed. World
Scientific.

Modules: :mod:`.losses` (simulated years, CVaR, adequacy), :mod:`.model`
(the LP and its generator), :mod:`.solve` (backends), :mod:`.outcome` (the
result), :mod:`.calculator` (the public function); the result type is
:class:`cooperation.compensation.results.fund.FundResult`.
"""

from ..results.fund import FundResult
from .calculator import KEYS, design_fund
from .losses import empirical_cvar, simulate_losses

__all__ = ["design_fund", "FundResult", "KEYS", "empirical_cvar", "simulate_losses"]
