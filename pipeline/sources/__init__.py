"""Source kinds by ``type``; see :mod:`pipeline.sources.base` for the interface."""

from __future__ import annotations

from pipeline.sources.arxiv import ArxivSource
from pipeline.sources.base import SourceKind
from pipeline.sources.books import BooksSource
from pipeline.sources.europepmc import EuropePmcSource
from pipeline.sources.local import LocalSource
from pipeline.sources.openalex import OpenAlexSource
from pipeline.sources.pubmed import PubMedSource
from pipeline.sources.synthetic import SyntheticSource
from pipeline.sources.youtube import YouTubeSource

KINDS: dict[str, SourceKind] = {
    k.type: k
    for k in (
        LocalSource(),
        YouTubeSource(),
        PubMedSource(),
        EuropePmcSource(),
        ArxivSource(),
        OpenAlexSource(),
        BooksSource(),
        SyntheticSource(),
    )
}


def get_kind(type_: str) -> SourceKind:
    try:
        return KINDS[type_]
    except KeyError:
        raise ValueError(
            f"unknown source type {type_!r}; supported: {', '.join(sorted(KINDS))}"
        ) from None


__all__ = ["KINDS", "SourceKind", "get_kind"]
