"""The outside option: what each jurisdiction gets if no agreement is signed.

One dispatcher for every caller that compares an agreement with going alone
(the transfer calculator, the two-way agreement). The choices:

``"nash"``
    the status quo of :mod:`.status_quo`: payoffs at the worst-welfare pure
    Nash equilibrium, or each player's mixed security level when there is none
    (large scenarios: a pure equilibrium reached by sparse best-response
    dynamics, flagged as not certified worst);
``"maximin"``
    each player's mixed security level ``max_x min_{a_-i} u_i(x, a_-i)``
    (von Neumann and Morgenstern 1944, sec. 17); needs the payoff tensor;
``"status_quo"``
    everyone plays its first action (属地管理: each jurisdiction self-only);
a vector
    one payoff per jurisdiction (Series by name, mapping or array).
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from .large import nash_outside
from .status_quo import security_levels

__all__ = ["OUTSIDE_OPTIONS", "outside_option"]

#: the named outside options (anything else must be one payoff per jurisdiction)
OUTSIDE_OPTIONS = ("nash", "maximin", "status_quo")


def outside_option(model, option) -> tuple[np.ndarray, str]:
    """``(o, note)``: each player's outside-option payoff and how it was obtained.

    ``model`` is a :class:`cooperation.games.model.PayoffModel`; ``option`` one
    of :data:`OUTSIDE_OPTIONS` or one payoff per jurisdiction.

    >>> import cooperation as co
    >>> from cooperation.games.model import PayoffModel
    >>> m = PayoffModel(co.NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]))
    >>> o, note = outside_option(m, "nash")
    >>> o.round(12).tolist(), note.startswith("no pure")
    ([0.0, 0.0], True)
    """
    if not isinstance(option, str):
        return model.check_vector(option, "outside_option"), "given"
    if option not in OUTSIDE_OPTIONS:
        raise InputError(f"must be one of {list(OUTSIDE_OPTIONS)} or one payoff per "
                         "jurisdiction", field="outside_option", value=option)
    if option == "nash":
        o, note, _ = nash_outside(model)
        return o, note
    if option == "maximin":
        if not model.small:
            raise InputError("maximin values need the payoff tensor; this scenario is too "
                             "large", field="outside_option", value=option,
                             fix="use 'nash', 'status_quo' or a vector")
        return security_levels(model.game), "mixed maximin value (security level)"
    o = model.payoffs(np.zeros(model.n, dtype=np.intp))[0]
    return o, "status quo: everyone plays its first action (self-only)"
