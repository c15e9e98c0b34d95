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

Money is scaled before it is solved: the LP sees balances and caps divided
by the money scale (the largest ``|t_i|``), and every tolerance on money is a
multiple of that scale, so a plan in yuan (1e10) and in 亿元 (1) has the same
flows (scaled), status, uniqueness verdict and diagnosis.

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

Modules
-------
:mod:`.links` (link tables, links by rule), :mod:`.network` (nodes, the
higher level's node, edges, the money scale), :mod:`.flow_lp` (the LP on
:mod:`cooperation.lp`), :mod:`.forest` (second stage, uniqueness, exact
totals), :mod:`.diagnosis` (cut-off by minimum cut, proportional rationing),
:mod:`.solve` (the pipeline), :mod:`.api` (:func:`payment_plan`),
:mod:`.fixed` (:func:`fixed_plan`); the result type
:class:`~cooperation.compensation.results.PaymentPlan`.
"""

from ..results.plan import HIGHER_LEVEL, PaymentPlan
from .api import payment_plan
from .fixed import fixed_plan
from .links import LINK_RULES, RULES, scenario_links

__all__ = ["HIGHER_LEVEL", "LINK_RULES", "RULES", "PaymentPlan", "fixed_plan", "payment_plan",
           "scenario_links"]
