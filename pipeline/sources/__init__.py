"""Source kinds by ``type``; see :mod:`pipeline.sources.base` for the interface."""

from __future__ import annotations

from pipeline.sources.base import SourceKind
from pipeline.sources.local import LocalSource

KINDS: dict[str, SourceKind] = {k.type: k for k in (LocalSource(),)}


def get_kind(type_: str) -> SourceKind:
    try:
        return KINDS[type_]
    except KeyError:
        raise ValueError(
            f"unknown source type {type_!r}; supported: {', '.join(sorted(KINDS))}"
        ) from None


__all__ = ["KINDS", "SourceKind", "get_kind"]
