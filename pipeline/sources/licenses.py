"""Licence ids: free-form licence strings to SPDX-like ids, and a licence filter step.

Sources write whatever their provider states (``"cc by"``, a Creative Commons URL, a JATS
``license-p`` sentence, an EPUB ``dc:rights`` line, a config value). :func:`normalize`
turns that into one id so a run can filter on it:

- Creative Commons: ``CC0-1.0``, ``CC-BY-4.0``, ``CC-BY-SA-3.0``, ``CC-BY-NC-ND-4.0``, ...
  A CC licence stated without a version (Europe PMC's ``"cc by"``) stays unversioned:
  ``CC-BY``, ``CC-BY-NC`` (SPDX has no such ids; we do not invent a version).
- Software-style licences: ``MIT``, ``Apache-2.0``, ``BSD-2-Clause``, ``BSD-3-Clause``,
  ``ISC``, ``GPL-2.0``, ``GPL-3.0``, ``LGPL-3.0``, ``GFDL-1.3``.
- Pipeline ids for what SPDX does not cover: ``public-domain``, ``project-gutenberg``,
  ``publisher-copyright``, ``youtube-standard`` (YouTube's standard licence: the uploader
  keeps all rights), ``arxiv-nonexclusive`` (arXiv's non-exclusive distribution licence),
  ``other-oa`` (open access without a stated licence, OpenAlex), ``unknown``.

Anything not recognised becomes ``unknown`` (never guessed upwards).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pipeline.records import Record

if TYPE_CHECKING:  # runtime import would be circular (stages -> ingest -> sources)
    from pipeline.stages.base import Drop, Step

KNOWN_IDS = (
    "CC0-1.0",
    "MIT",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "GPL-2.0",
    "GPL-3.0",
    "LGPL-2.1",
    "LGPL-3.0",
    "GFDL-1.3",
    "public-domain",
    "project-gutenberg",
    "publisher-copyright",
    "youtube-standard",
    "arxiv-nonexclusive",
    "other-oa",
    "unknown",
)
_CANON = {k.lower(): k for k in KNOWN_IDS}
_CC_VERSIONS = ("1.0", "2.0", "2.5", "3.0", "4.0")
_CC_ELEMENTS = ("nc", "nd", "sa")

# a Creative Commons URL: creativecommons.org/licenses/by-nc-sa/4.0/ or /publicdomain/zero/1.0/
_CC_URL = re.compile(
    r"creativecommons\.org/(?:licenses/(?P<kind>[a-z-]+)(?:/(?P<ver>\d(?:\.\d)?))?"
    r"|publicdomain/(?P<pd>zero|mark)(?:/(?P<pdver>\d\.\d))?)",
    re.IGNORECASE,
)
# "CC BY-NC 4.0", "cc-by-sa", "CC-BY-NC-ND-3.0", "cc by nc"
_CC_TEXT = re.compile(
    r"\bcc[\s_-]*(?P<kind>by(?:[\s_-]*(?:nc|nd|sa))*)(?:[\s_-]*v?(?P<ver>\d(?:\.\d)?))?\b",
    re.IGNORECASE,
)
_CC_WORDS_VER = re.compile(r"creative\s+commons\s+(?P<words>[a-z\s,-]+?)\s*(?P<ver>\d\.\d)", re.I)
_CC_WORDS = re.compile(r"creative\s+commons\s+(?P<words>[a-z\s,-]+)", re.I)
_CC0_TEXT = re.compile(r"\bcc[\s_-]*0\b|\bcc[\s_-]*zero\b|public\s+domain\s+dedication", re.I)


def _cc(kind: str, version: str | None) -> str | None:
    """``kind`` like ``by-nc-sa`` (any separators) -> ``CC-BY-NC-SA-4.0`` or ``CC-BY-NC-SA``."""
    parts = [p for p in re.split(r"[\s_-]+", kind.lower()) if p]
    if not parts or parts[0] != "by" or any(p not in _CC_ELEMENTS for p in parts[1:]):
        return None
    rest = sorted(set(parts[1:]), key=_CC_ELEMENTS.index)  # canonical order: NC, ND, SA
    if "nd" in rest and "sa" in rest:
        return None  # not a licence that exists
    base = "-".join(["CC", "BY", *(p.upper() for p in rest)])
    if version is not None:
        version = version if "." in version else f"{version}.0"
        if version not in _CC_VERSIONS:
            return None
        return f"{base}-{version}"
    return base


def _cc_from_words(words: str, version: str | None) -> str | None:
    w = words.lower()
    if "attribution" not in w:
        return None
    kind = ["by"]
    if "noncommercial" in w or "non-commercial" in w or "non commercial" in w:
        kind.append("nc")
    if "noderiv" in w or "no derivatives" in w or "no-derivatives" in w:
        kind.append("nd")
    if "sharealike" in w or "share-alike" in w or "share alike" in w:
        kind.append("sa")
    return _cc("-".join(kind), version)


def normalize(value: str | None) -> str:
    """The licence id of a free-form licence string (``unknown`` when not recognised)."""
    if value is None:
        return "unknown"
    s = " ".join(str(value).split())
    if not s:
        return "unknown"
    low = s.lower()
    if low in _CANON:
        return _CANON[low]
    m = _CC_URL.search(s)
    if m:
        if m.group("pd") == "zero":
            return "CC0-1.0"
        if m.group("pd") == "mark":
            return "public-domain"
        found = _cc(m.group("kind"), m.group("ver"))
        if found:
            return found
    if _CC0_TEXT.search(s):
        return "CC0-1.0"
    m = _CC_TEXT.search(s)
    if m:
        found = _cc(m.group("kind"), m.group("ver"))
        if found:
            return found
    m = _CC_WORDS_VER.search(s)
    if m:
        found = _cc_from_words(m.group("words"), m.group("ver"))
        if found:
            return found
    m = _CC_WORDS.search(s)
    if m:
        found = _cc_from_words(m.group("words"), None)
        if found:
            return found
    return _other(low)


def _other(low: str) -> str:
    if "arxiv.org/licenses/nonexclusive" in low or "arxiv-nonexclusive" in low:
        return "arxiv-nonexclusive"
    if "youtube" in low and "standard" in low:
        return "youtube-standard"
    if "gutenberg" in low:
        return "project-gutenberg"
    if re.search(r"public[\s_-]*domain|\bpdm\b|\bus[\s_-]*gov", low):
        return "public-domain"
    if re.search(r"\bapache(?:[\s_-]*(?:license|licence))?[\s,_-]*(?:version\s*)?2", low):
        return "Apache-2.0"
    if re.fullmatch(r"(?:the\s+)?mit(?:\s+licen[cs]e)?", low):
        return "MIT"
    if re.fullmatch(r"isc(?:\s+licen[cs]e)?", low):
        return "ISC"
    m = re.fullmatch(r"bsd[\s_-]*([23])[\s_-]*clause(?:\s+licen[cs]e)?", low)
    if m:
        return f"BSD-{m.group(1)}-Clause"
    m = re.fullmatch(
        r"(l?gpl)[\s_-]*v?(2|2\.0|2\.1|3|3\.0)(?:[\s_-]*(?:only|or[\s_-]*later))?", low
    )
    if m:
        ver = m.group(2) if "." in m.group(2) else f"{m.group(2)}.0"
        return f"{m.group(1).upper()}-{ver}"
    if low in ("other-oa", "other oa", "open access", "oa"):
        return "other-oa"
    if re.search(r"all rights reserved|©|\(c\)|copyright|publisher", low):
        return "publisher-copyright"
    return "unknown"


def matches(license_id: str, patterns: Iterable[str]) -> bool:
    """True if ``license_id`` matches one of the glob ``patterns`` (case-insensitive).

    Note ``CC-BY-*`` matches every CC BY variant, NC/ND/SA included; list
    ``CC-BY-[0-9]*`` and ``CC-BY-SA-*`` to mean "attribution (share-alike) only".
    """
    lid = license_id.lower()
    return any(fnmatch.fnmatchcase(lid, p.lower()) for p in patterns)


def license_filter(allowed: list[str]) -> Step:
    """A step keeping records whose normalised licence matches ``allowed`` (glob patterns);
    others are dropped with reason ``license``. ``["*"]`` keeps everything."""
    from pipeline.stages.base import Drop

    patterns = tuple(allowed)
    allow_all = "*" in patterns
    cache: dict[str | None, bool] = {}

    def step(rec: Record) -> Record | Drop:
        if allow_all:
            return rec
        raw = rec.get("license")
        ok = cache.get(raw)
        if ok is None:
            if len(cache) > 10_000:  # free-form licence strings: keep the memo bounded
                cache.clear()
            ok = cache[raw] = matches(normalize(raw), patterns)
        return rec if ok else Drop("license")

    return step
