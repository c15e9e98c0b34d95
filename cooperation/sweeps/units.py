"""Units of the settings and measures of a declarative sweep (for tables and axes).

Money is in the scenario's own unit (``unit`` in its file); probabilities and
shares have no unit beyond what they count.
"""

from __future__ import annotations

from ._toml import split_path

__all__ = ["path_unit", "measure_unit"]

_PATH_UNITS = {
    ("monitoring", "audit_prob"): "probability",
    ("monitoring", "accuracy"): "probability",
    ("monitoring", "false_alarm"): "probability",
    ("monitoring", "fund_share"): "share of fines",
    ("monitoring", "peer_error"): "probability",
    ("monitoring", "fine"): "{money}",
    ("monitoring", "peer_fine"): "{money}",
    ("monitoring", "reward"): "{money}",
    ("simulation", "rounds"): "rounds",
    ("simulation", "runs"): "runs",
    ("simulation", "window"): "rounds",
    ("simulation", "noise"): "probability",
    ("simulation", "continuation"): "probability",
    ("simulation", "collapse_level"): "share of actions",
}
_SCENARIO_UNITS = {"probability": "probability", "damage": "{money}", "capacity": "{money}",
                   "prevention": "share of the risk", "response": "share of the damage",
                   "effort": "share", "coordination": "share", "population": "people"}
_MEASURE_UNITS = {
    "cooperation_rate": "share of actions",
    "final_cooperation": "share of actions",
    "collapse_share": "share of runs", "recovered_share": "share of shocked runs",
    "welfare_share": "share of the cooperation gain", "welfare_ratio": "ratio to the optimum",
    "fines_per_run": "{money} per run", "fines_collected": "{money} per run",
    "fund_per_run": "{money} per run", "fund": "{money} per run",
    "rewards_per_run": "{money} per run", "transfers_per_run": "{money} per run",
    "welfare_per_round": "{money} per round", "welfare": "{money} per round",
    "optimum_welfare": "{money} per round", "defect_welfare": "{money} per round",
    "mean_length": "rounds", "recovery_median": "rounds", "rounds": "rounds",
    "window": "rounds", "runs": "runs", "shocked_runs": "runs",
    "n_players": "jurisdictions", "collapse_level": "share of actions",
}


def path_unit(path: str, money: str) -> str:
    """The unit of a dotted path's value; ``""`` when it has none we know.

    Examples
    --------
    >>> from cooperation.sweeps.units import path_unit
    >>> path_unit("monitoring.fine", "CNY 100M"), path_unit("scenario.hazards.0.probability", "")
    ('CNY 100M', 'probability')
    """
    parts = split_path(path)
    if parts[0] == "transfers":
        return f"{money} per round".strip()
    if parts[0] == "scenario":
        if "costs" in parts[:-1]:
            return money
        unit = _SCENARIO_UNITS.get(parts[-1], "")
    else:
        unit = _PATH_UNITS.get((parts[0], parts[-1]), "")
    return unit.format(money=money).strip()


def measure_unit(name: str, money: str) -> str:
    """The unit of a measure of the simulation result; ``""`` when unknown."""
    return _MEASURE_UNITS.get(name, "").format(money=money).strip()
