"""Size limits of repeated play, enforced before any work starts.

A simulation keeps per-run totals (``runs x jurisdictions`` cells), per-round
aggregates (``rounds x jurisdictions`` cells, or ``rounds x 2**n`` profile
counts for a few players) and draws ``runs x rounds x jurisdictions``
actions. :func:`check_size` refuses a request beyond any of the three limits
with one line that gives the limit and the way around it, instead of a
``MemoryError`` minutes later (or a run of days).
"""

from __future__ import annotations

from ..errors import InputError
from ._engine_config import PROFILE_COUNT_MAX

__all__ = ["check_size", "MAX_RUN_CELLS", "MAX_ROUND_CELLS", "MAX_SLOTS"]

#: runs x jurisdictions: the per-run totals (scores, counts, money; about 40 bytes a cell)
MAX_RUN_CELLS = 50_000_000
#: rounds x (jurisdictions, or 2**n C/D profiles up to PROFILE_COUNT_MAX players): the
#: per-round aggregates (about 32 bytes a cell)
MAX_ROUND_CELLS = 50_000_000
#: runs x rounds x jurisdictions: the actions drawn (the engine does about 1e7 a second)
MAX_SLOTS = 100_000_000_000


def check_size(runs: int, rounds: int, n: int, *, fields=("runs", "rounds")) -> None:
    """Refuse, before any work, a simulation beyond the memory and time limits.

    ``runs * n <= MAX_RUN_CELLS``, ``rounds * w <= MAX_ROUND_CELLS`` with ``w = 2**n``
    when per-round profile histograms are kept (``n <= PROFILE_COUNT_MAX``) and ``n``
    otherwise, and ``runs * rounds * n <= MAX_SLOTS``. ``fields`` names ``runs`` and
    ``rounds`` in the message (the command line passes its flags). Each message states
    the limit and the way around it.

    Examples
    --------
    >>> check_size(10**10, 100, 2)
    Traceback (most recent call last):
    ...
    cooperation.errors.InputError: runs = 10000000000: runs x jurisdictions = 2e+10 exceeds the limit 5e+07 of the per-run totals (about 2 GB) (use at most 25,000,000 runs; the standard error of a rate falls as 1/sqrt(runs): 1e6 runs give +-0.0005)
    """
    f_runs, f_rounds = fields
    if runs * n > MAX_RUN_CELLS:
        most = MAX_RUN_CELLS // n
        raise InputError(
            f"runs x jurisdictions = {runs * n:.3g} exceeds the limit {MAX_RUN_CELLS:.0e} of "
            f"the per-run totals (about {MAX_RUN_CELLS * 40 / 1e9:.0f} GB)",
            field=f_runs,
            value=runs,
            fix=f"use at most {most:,} runs; the standard error of a rate falls "
            "as 1/sqrt(runs): 1e6 runs give +-0.0005",
        )
    width = 2**n if n <= PROFILE_COUNT_MAX else n
    if rounds * width > MAX_ROUND_CELLS:
        most = MAX_ROUND_CELLS // width
        what = f"{width} C/D profiles" if n <= PROFILE_COUNT_MAX else "jurisdictions"
        raise InputError(
            f"rounds x {what} = {rounds * width:.3g} exceeds the limit {MAX_ROUND_CELLS:.0e} "
            f"of the per-round aggregates (about {MAX_ROUND_CELLS * 32 / 1e9:.1f} GB)",
            field=f_rounds,
            value=rounds,
            fix=f"use at most {most:,} rounds (a continuation probability below 1 with this "
            "cap gives runs of random length)",
        )
    if runs * rounds * n > MAX_SLOTS:
        raise InputError(
            f"runs x rounds x jurisdictions = {runs * rounds * n:.3g} exceeds the limit "
            f"{MAX_SLOTS:.0e} actions (hours of work at about 1e7 a second)",
            field=f_runs,
            value=runs,
            fix=f"lower {f_runs} or {f_rounds}",
        )
