"""What sign-up (V1) asks the lawyer registry, without knowing who keeps
it (docs/decisions/0005-lawyer-registry.md): the registry app provides
:func:`look_up` from its ``ready()``. With no registry installed every
licence is left pending for a bureau clerk."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RegistryEntry:
    name: str
    status: str  # the registry's own status code
    status_label: str
    practising: bool


LookUp = Callable[[list[str]], dict[str, RegistryEntry]]
_provider: list[LookUp] = []


def provide(look_up_fn: LookUp) -> None:
    _provider[:] = [look_up_fn]


def look_up(licence_nos: Iterable[str]) -> dict[str, RegistryEntry]:
    """What the registry says of each licence number it knows (one query)."""
    numbers = sorted({n for n in licence_nos if n})
    if not numbers or not _provider:
        return {}
    return _provider[0](numbers)


def verdict_verified(licence_no: str, name: str) -> bool:
    """Known to the registry, practising, and the name matches."""
    entry = look_up([licence_no]).get(licence_no)
    return entry is not None and entry.practising and entry.name.strip() == name
