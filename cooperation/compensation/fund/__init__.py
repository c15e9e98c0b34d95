"""The crisis-fund LP (公共危机治理基金 / 专项基金): who pays in, who is paid out, how safe.

Members ``i`` pay yearly contributions ``f_i >= 0`` into a joint fund; a
higher level may co-fund ``c >= 0`` a year and the fund may hold a reserve
``R``. When a hazard strikes, the fund pays member ``i`` a share ``alpha_i`` of
the damage ``L_i`` it bears. The contributions and the payout shares are
decided by one linear program over ``Y`` simulated crisis years (seeded): in
year ``y`` hazard ``h`` strikes with its probability ``p_h(a)`` at the
members' action profile ``a`` and does damage ``D_h(a)``, split by the
spillover shares, so ``L[y, i] = sum_h X[y, h] D_h(a) s[h, i]``.

The LP::

    payout_y = sum_i alpha_i L[y, i]            resources = F + c + R,  F = sum_i f_i
    solvency (CVaR, Rockafellar-Uryasev):
        eta + 1/((1 - beta) Y) sum_y z_y <= 0,  z_y >= payout_y - resources - eta,  z_y >= 0
    sustainability:      F + c >= sum_i alpha_i mean_y L[y, i]   (no running down on average)
    capacity:            f_i <= k_i
    net benefit:         alpha_i * mean_y L[y, i] - f_i >= 0     (nobody loses in expectation)
    coverage:            coverage <= alpha_i <= 1
    key:                 |f_i - kappa_i F| <= d_i                 (kappa: the chosen key)

solved lexicographically: (1) the least co-funding ``c`` (skipped when
``cofunding`` fixes it); (2) contributions closest to the key, ``min sum_i d_i``;
(3) the least total contribution ``F``; (4) the largest expected payout
``sum_i alpha_i mean L_i`` that the resources still cover.

The solvency constraint says: in the worst ``1 - beta`` share of years, the
fund's shortfall is on average zero or less (CVaR_beta(payout - resources) <= 0,
which implies the shortfall probability is at most ``1 - beta``).

Two remarks the LP makes plain. Covering the tail of the payouts costs more
than their mean, while every member breaking even in expectation caps the
members' total at the mean payout: without a reserve the higher level's
co-funding carries the tail (the risk loading). And with the fund sustained
(inflow >= mean payout) and nobody losing in expectation, members without
co-funding pay exactly their expected payouts (actuarially fair), so the
key is met by adjusting the payout shares. A fixed co-funding above the least
lowers what members must pay in; once it covers the fund on its own, stages
(2) and (3) set every contribution to zero, whatever the key (zero is
"closest to the key" too). Years with identical losses (e.g. all the quiet
years) are merged into one weighted scenario, which keeps the LP small.

The fund's adequacy is then checked out of sample: a second simulation with a
different seed (by default a child of ``seed``) estimates the shortfall
probability, the expected shortfall and the CVaR of the shortfall.

References
----------
Rockafellar, R. T. and Uryasev, S. (2000). Optimization of conditional
value-at-risk. *Journal of Risk* 2(3), 21-41.
Rockafellar, R. T. and Uryasev, S. (2002). Conditional value-at-risk for
general loss distributions. *Journal of Banking & Finance* 26, 1443-1471.
Ghesquiere, F. and Mahul, O. (2010). *Financial protection of the state
against natural disasters*. World Bank Policy Research WP 5429 (risk pools,
CCRIF).

Modules: :mod:`.losses` (simulated years, CVaR, adequacy), :mod:`.model`
(the LP), :mod:`.calculator` (the public function); the result type is
:class:`cooperation.compensation.results.fund.FundResult`.
"""

from ..results.fund import FundResult
from .calculator import KEYS, design_fund
from .losses import empirical_cvar, simulate_losses

__all__ = ["design_fund", "FundResult", "KEYS", "empirical_cvar", "simulate_losses"]
