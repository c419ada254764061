"""Fault injection for the RunningHub emulator: what to break, where, how often.

Command-line grammar (`faults_from_cli`, one spec per ``--fault``)::

    KIND:PATH[:COUNT]        KIND = 502 | nonjson | drop | dropafter | fail805
    slow:PATH:COUNT:DELAY    sleep DELAY seconds before answering
    code:PATH:CODE[:COUNT]   answer with business CODE in the endpoint's dialect
    prob:KIND:PATH:P[:ARG]   affect each matching request with probability P, unlimited;
                             ARG = DELAY for slow, CODE for code

PATH is a path prefix (``/task/openapi/outputs``, ``/openapi/v2/run``) or ``*`` for every
path; COUNT is an integer (default 1) or ``*`` for unlimited. ``dropafter`` runs the handler
first (a create really creates the task) and then closes the connection without answering.
Examples: ``502:/task/openapi/outputs:3``, ``slow:*:2:1.5``, ``code:/task/openapi/create:421:1``,
``nonjson:*:1``, ``prob:502:*:0.2``.
"""

from __future__ import annotations

import dataclasses
import enum
import random
from dataclasses import dataclass


class FaultKind(enum.StrEnum):
    """What a fault does to a matching request."""

    HTTP_502 = "http_502"
    SLOW = "slow"
    NON_JSON = "non_json"
    CODE = "code"
    FAIL_805 = "fail_805"
    DROP = "drop"


RESPONSE_KINDS = frozenset({FaultKind.HTTP_502, FaultKind.NON_JSON, FaultKind.CODE, FaultKind.DROP})


@dataclass
class Fault:
    """One injected fault; `count` None means unlimited, `probability` is per matching request."""

    kind: FaultKind | str
    path: str = "*"
    count: int | None = 1
    delay: float = 0.0
    code: int | None = None
    probability: float = 1.0
    after_create: bool = False
    message: str | None = None

    def __post_init__(self) -> None:
        self.kind = FaultKind(self.kind)
        if self.kind is FaultKind.CODE and self.code is None:
            raise ValueError("a 'code' fault needs code=<business code>")
        if self.count is not None and self.count < 1:
            raise ValueError("count must be at least 1 (or None for unlimited)")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be within [0, 1]")

    def matches(self, path: str) -> bool:
        """Whether this fault applies to a request for `path`."""
        return self.path == "*" or path.startswith(self.path)


class FaultBook:
    """The active faults of one emulator; a seeded random decides probabilistic ones."""

    def __init__(self, seed: int = 0) -> None:
        self._faults: list[Fault] = []
        self._random = random.Random(seed)

    def add(self, fault: Fault) -> None:
        """Activate a copy of `fault` (the caller's object is never mutated)."""
        self._faults.append(dataclasses.replace(fault))

    def clear(self) -> None:
        """Remove every fault."""
        self._faults.clear()

    def __len__(self) -> int:
        return len(self._faults)

    def take(self, path: str, kinds: frozenset[FaultKind]) -> Fault | None:
        """The first fault of `kinds` firing for `path` (its count is spent), else None."""
        for fault in self._faults:
            if fault.kind not in kinds or not fault.matches(path):
                continue
            if fault.probability < 1.0 and self._random.random() >= fault.probability:
                continue
            if fault.count is not None:
                fault.count -= 1
                if fault.count <= 0:
                    self._faults.remove(fault)
            return fault
        return None


_SIMPLE = {
    "502": FaultKind.HTTP_502,
    "nonjson": FaultKind.NON_JSON,
    "drop": FaultKind.DROP,
    "dropafter": FaultKind.DROP,
    "fail805": FaultKind.FAIL_805,
    "slow": FaultKind.SLOW,
    "code": FaultKind.CODE,
}


def _count(text: str) -> int | None:
    return None if text in ("*", "inf") else int(text)


def _one(spec: str) -> Fault:
    parts = spec.split(":")
    name = parts[0].lower()
    if name == "prob":
        if len(parts) not in (4, 5) or parts[1].lower() not in _SIMPLE:
            raise ValueError("expected prob:KIND:PATH:P[:ARG]")
        kind_name, path, prob = parts[1].lower(), parts[2], float(parts[3])
        arg = parts[4] if len(parts) == 5 else None
        return _build(kind_name, path, None, arg, prob)
    if name not in _SIMPLE or len(parts) < 2:
        raise ValueError(f"unknown kind {name!r}")
    if name == "slow":
        if len(parts) != 4:
            raise ValueError("expected slow:PATH:COUNT:DELAY")
        return _build(name, parts[1], _count(parts[2]), parts[3], 1.0)
    if name == "code":
        if len(parts) not in (3, 4):
            raise ValueError("expected code:PATH:CODE[:COUNT]")
        count = _count(parts[3]) if len(parts) == 4 else 1
        return _build(name, parts[1], count, parts[2], 1.0)
    if len(parts) > 3:
        raise ValueError("expected KIND:PATH[:COUNT]")
    return _build(name, parts[1], _count(parts[2]) if len(parts) == 3 else 1, None, 1.0)


def _build(name: str, path: str, count: int | None, arg: str | None, prob: float) -> Fault:
    kind = _SIMPLE[name]
    if kind in (FaultKind.SLOW, FaultKind.CODE) and arg is None:
        raise ValueError(f"fault {name!r} needs an argument (delay or code)")
    return Fault(
        kind=kind,
        path=path or "*",
        count=count,
        delay=float(arg) if kind is FaultKind.SLOW and arg is not None else 0.0,
        code=int(arg) if kind is FaultKind.CODE and arg is not None else None,
        probability=prob,
        after_create=name == "dropafter",
    )


def faults_from_cli(spec: list[str]) -> list[Fault]:
    """Parse ``--fault`` strings (grammar in the module docstring); ValueError when malformed."""
    faults = []
    for item in spec:
        try:
            faults.append(_one(item.strip()))
        except ValueError as exc:
            raise ValueError(f"bad fault spec {item!r}: {exc}") from exc
    return faults
