"""The flags of ``cooperation simulate`` turned into library keywords.

Only the flags the user typed become keywords, so the library's defaults apply
to the rest (one default per option). Numbers are checked here so that a bad
value names its flag; errors the library raises about a keyword are renamed to
the flag that carried it (:data:`FLAG_OF`).
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ._common import integer, number
from ._wrap import renamed

__all__ = [
    "VERTICAL",
    "HORIZONTAL",
    "NOT_IN_MODES",
    "FLAG_OF",
    "flag",
    "common_kwargs",
    "mode_kwargs",
    "monitoring",
    "strategies",
    "target",
    "check_size",
    "progress",
    "refuse_unused",
]

PROGRESS_WORK = 2_000_000  # runs x rounds x players above which a bar is shown on a terminal

# flag -> (keyword of Monitoring, lower bound, upper bound)
VERTICAL = {
    "audit_prob": (0, 1),
    "accuracy": (0, 1),
    "fine": (0, None),
    "reward": (0, None),
    "false_alarm": (0, 1),
    "fund_share": (0, 1),
}
HORIZONTAL = {"peer_error": (0, 1), "peer_fine": (0, None)}
# flags that --compare-modes does not use (its two modes fix strategies and monitoring)
NOT_IN_MODES = ("strategy", "monitoring", "reward", "false_alarm", "fund_share", "chunk")
# library field -> the flag that carries it (errors raised by the library name the flag)
FLAG_OF = {
    "runs": "--runs",
    "rounds": "--rounds",
    "continuation": "--continuation",
    "transfers": "--transfers",
    "Shock.round": "--shock",
    "Shock.players": "--shock-players",
    "Shock.length": "--shock-length",
    "target": "--target",
    "strategy": "--strategy",
    "chunk": "--chunk",
    "seed": "--seed",
    "audit_prob": "--audit-prob",
    "accuracy": "--accuracy",
    "Monitoring.fine": "--fine",
    "Monitoring.reward": "--reward",
    "Monitoring.peer_fine": "--peer-fine",
    "ThresholdReciprocity.k": "--strategy",
}


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _load_transfers(path: str) -> pd.Series:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (FileNotFoundError, IsADirectoryError):
        raise InputError("file not found", field="--transfers", value=path) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        why = f"{exc.msg}, line {exc.lineno}" if hasattr(exc, "lineno") else "not UTF-8"
        raise InputError(f"not valid JSON ({why})", field="--transfers", value=path) from None
    if isinstance(data, dict) and "per_jurisdiction" in data:
        try:
            data = {r["jurisdiction"]: r["transfer"] for r in data["per_jurisdiction"]}
        except (KeyError, TypeError):
            raise InputError(
                "per_jurisdiction records need 'jurisdiction' and 'transfer'",
                field="--transfers",
                value=path,
            ) from None
    elif isinstance(data, dict) and isinstance(data.get("transfers"), dict):
        data = data["transfers"]
    if not isinstance(data, dict):
        raise InputError(
            "must hold a JSON object {jurisdiction: transfer}", field="--transfers", value=path
        )
    out = {}
    for k, v in data.items():
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise InputError(f"transfer of {k!r} must be a number", field="--transfers", value=v)
        out[str(k)] = number(v, f"--transfers[{k}]")
    return pd.Series(out, dtype=float)


def _shock(args):
    """A Shock from --shock/--shock-players/--shock-length (only what was typed)."""
    from ..repeated import Shock

    if args.shock is None:
        for name in ("shock_players", "shock_length"):
            if getattr(args, name) is not None:
                raise InputError("needs --shock ROUND", field=flag(name), value=getattr(args, name))
        return None
    kw = {}
    if args.shock_players is not None:
        kw["players"] = tuple(x.strip() for x in args.shock_players.split(",") if x.strip())
    if args.shock_length is not None:
        kw["length"] = integer(args.shock_length, "--shock-length", lo=1)
    with renamed(FLAG_OF):
        return Shock(integer(args.shock, "--shock", lo=1), **kw)


def common_kwargs(args) -> dict:
    """Keywords shared by simulate and compare_modes, only for the flags typed."""
    kw = {}
    for name in ("rounds", "runs"):
        if getattr(args, name) is not None:
            kw[name] = integer(getattr(args, name), flag(name), lo=1)
    if args.seed is not None:
        kw["seed"] = integer(args.seed, "--seed", lo=0)
    if args.noise is not None:
        kw["noise"] = number(args.noise, "--noise", 0, 1)
    if args.continuation is not None:
        kw["continuation"] = number(args.continuation, "--continuation", 0, 1)
    if args.transfers is not None:
        kw["transfers"] = _load_transfers(args.transfers)
    shock = _shock(args)
    if shock is not None:
        kw["shock"] = shock
    return kw


def check_size(args, kw: dict, n: int) -> None:
    """The library's size limits, before the target search or any simulation."""
    from ..repeated import check_size, compare_modes, simulate

    sig = inspect.signature(compare_modes if args.compare_modes else simulate).parameters
    runs = kw.get("runs", sig["runs"].default)
    rounds = kw.get("rounds", sig["rounds"].default)
    check_size(runs, rounds, n, fields=("--runs", "--rounds"))


def progress(args, kw: dict, n: int, defaults) -> bool:
    if args.progress is not None:
        return args.progress
    work = kw.get("runs", defaults["runs"]) * kw.get("rounds", defaults["rounds"]) * n
    return work >= PROGRESS_WORK and sys.stderr.isatty()


def target(args, scenario):
    from ..repeated import sustained_target

    target = None
    if args.target is not None:
        parts = [t.strip() for t in args.target.split(",")]
        target = parts[0] if len(parts) == 1 else parts
    with renamed(FLAG_OF):
        return sustained_target(scenario, target)


def monitoring(args):
    """A Monitoring from the typed flags (None when none), per --monitoring."""
    from ..repeated import Monitoring

    vert = {
        k: number(getattr(args, k), flag(k), *b)
        for k, b in VERTICAL.items()
        if getattr(args, k) is not None
    }
    hor = {
        k: number(getattr(args, k), flag(k), *b)
        for k, b in HORIZONTAL.items()
        if getattr(args, k) is not None
    }
    mode = args.monitoring or "auto"
    wants_v = mode in ("vertical", "both") or (mode == "auto" and bool(vert))
    wants_h = mode in ("horizontal", "both") or (mode == "auto" and bool(hor))
    for group, on, what in ((vert, wants_v, "audits"), (hor, wants_h, "peer monitoring")):
        if group and not on:
            k = next(iter(group))
            raise InputError(
                f"applies to {what}, which --monitoring {mode} leaves out",
                field=flag(k),
                value=getattr(args, k),
            )
    if mode in ("vertical", "both") and vert.get("audit_prob", 0.0) <= 0:
        raise InputError(
            "vertical monitoring needs an audit probability > 0",
            field="--audit-prob",
            value=args.audit_prob,
        )
    if vert and "audit_prob" not in vert:
        k = next(iter(vert))
        raise InputError(
            "applies to audits: give --audit-prob too (default 0, no audits)",
            field=flag(k),
            value=getattr(args, k),
        )
    if mode in ("horizontal", "both") and "peer_error" not in hor:
        raise InputError(
            "horizontal monitoring needs --peer-error", field="--peer-error", value=None
        )
    if not (wants_v or wants_h):
        return None
    return Monitoring(**vert, **hor)


def strategies(args, n: int):
    from ..repeated import strategy_from_name
    from ..repeated.strategies.names import DEFAULT_STRATEGY_NAME

    text = DEFAULT_STRATEGY_NAME if args.strategy is None else args.strategy
    names = [x.strip() for x in text.split(",") if x.strip()]
    if len(names) not in (1, n):
        raise InputError(
            f"needs one strategy, or one per jurisdiction ({n})", field="--strategy", value=text
        )
    with renamed(FLAG_OF):
        chosen = [strategy_from_name(x) for x in names]
    return chosen[0] if len(chosen) == 1 else chosen


def refuse_unused(args) -> None:
    """Flags that --compare-modes would ignore are refused, not silently dropped."""
    if not args.compare_modes:
        return
    for name in NOT_IN_MODES:
        if getattr(args, name) is not None:
            raise InputError(
                "does not apply with --compare-modes (its modes fix strategies "
                "and monitoring; see --help)",
                field=flag(name),
                value=getattr(args, name),
            )


def mode_kwargs(args) -> dict:
    kw = {}
    for name in ("audit_prob", "accuracy", "fine", "peer_error", "peer_fine"):
        if getattr(args, name) is not None:
            kw[name] = number(getattr(args, name), flag(name), *{**VERTICAL, **HORIZONTAL}[name])
    return kw
