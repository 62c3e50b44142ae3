"""Grounded conversations (``generator = "grounded"``): dialogues in which one counsellor turn
shares a finding from a harvested passage, with a citation to the source record.

The ``grounding`` option names the passages: a local JSONL, CSV or Parquet file with ``id``
(or ``source_id``), ``text`` and optionally ``url``, ``title``, ``year``, ``population``; or
``release:DATASET[@VERSION]``, every split of a published release in the run's store. The
plan fixes the file's sha256 (or the release version) into each shard, so a changed input
cannot silently change a run.

From each passage we take its finding sentences (sentences with result or recommendation
cues, of a readable length), and match the passage to a presenting concern by keywords. A
sample picks one (passage, finding) pair, writes a dialogue about that concern, and replaces
one counsellor turn with a paraphrase: "A 2021 study of ... found that ..." only when the
passage says its year (and population); otherwise "Some research suggests ..." for research
text, or "One resource I can point you to explains that ..." for explanatory text. The turn
ends with ``[source: <url or id>]``; ``meta.citation`` holds id, url and the sentence.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.synthetic import blocks_dialogue as B
from pipeline.synthetic import dialogues
from pipeline.synthetic.core import Lit, Sample, lower_first, tidy, turn

NAME = "grounded"
RELEASE_PREFIX = "release:"
DEFAULTS: dict[str, Any] = {"min_exchanges": 3, "max_exchanges": 5, "system_prompt": False}


class GroundingError(RuntimeError):
    """The grounding input is missing, unreadable, changed since planning, or has no
    usable finding."""


@dataclass(frozen=True)
class Passage:
    id: str
    text: str
    url: str | None
    title: str | None = None
    year: int | None = None
    population: str | None = None


@dataclass(frozen=True)
class Finding:
    passage: Passage
    sentence: str
    concern: str
    research: bool


# ------------------------------------------------------------------------------------------
# reading passages
# ------------------------------------------------------------------------------------------


def _passage(row: dict[str, Any]) -> Passage | None:
    pid = row.get("id") or row.get("source_id")
    text = row.get("text")
    if not pid or not isinstance(text, str) or not text.strip():
        return None
    year = row.get("year")
    try:
        year_i = int(year) if year not in (None, "") else None
    except (TypeError, ValueError):
        year_i = None
    return Passage(
        id=str(pid),
        text=text,
        url=str(row["url"]) if row.get("url") else None,
        title=str(row["title"]) if row.get("title") else None,
        year=year_i,
        population=str(row["population"]) if row.get("population") else None,
    )


def file_digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_file(path: str) -> list[Passage]:
    p = Path(path)
    name = p.name.lower()
    rows: list[dict[str, Any]] = []
    if name.endswith((".jsonl", ".ndjson", ".json")):
        with open(p, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    obj = json.loads(line)
                    if isinstance(obj, dict):
                        rows.append(obj)
    elif name.endswith(".csv"):
        with open(p, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    elif name.endswith(".parquet"):
        rows = pq.read_table(str(p)).to_pylist()
    else:
        raise GroundingError(f"grounding file {path}: use .jsonl, .csv or .parquet")
    return [x for x in (_passage(r) for r in rows) if x is not None]


def read_release(store: Any, dataset: str, version: str) -> list[Passage]:
    from pipeline.releases import load_release, manifest

    out: list[Passage] = []
    for split in manifest(dataset, version, store)["splits"]:
        table = load_release(dataset, version, split, store)
        for rec in table.select(["id", "text", "messages", "url", "source_id"]).to_pylist():
            text = rec["text"] or " ".join(
                m["content"] for m in rec["messages"] or [] if m["role"] != "user"
            )
            p = _passage({"id": rec["source_id"] or rec["id"], "text": text, "url": rec["url"]})
            if p is not None:
                out.append(p)
    return out


# ------------------------------------------------------------------------------------------
# findings
# ------------------------------------------------------------------------------------------

_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_SECTION = re.compile(
    r"^(?:background|methods?|results?|conclusions?|objectives?|findings|aims?|discussion|"
    r"interpretation)\s*[:.\-–]\s*",
    re.IGNORECASE,
)
_LEAD = re.compile(
    r"^(?:(?:overall|in (?:this|our|the present) (?:study|trial|review|analysis)|importantly|"
    r"notably|in summary|in conclusion|taken together),?\s+)+",
    re.IGNORECASE,
)
_WE_FOUND = re.compile(
    r"^(?:we|the authors|researchers|the (?:study|trial|review|results?|analysis|data)) "
    r"(?:found|showed|show|suggest|suggests|demonstrated|indicate|indicates|report|reports|"
    r"observed) (?:that )?",
    re.IGNORECASE,
)
_CUES = re.compile(
    r"\b(?:found|showed|shown|associated|linked|reduc\w*|improv\w*|increas\w*|decreas\w*|"
    r"lower\w*|higher|compared|effective|recommended|evidence|predict\w*|helps?|works?|"
    r"benefit\w*|significant\w*|likely|risk|percent|participants|trials?|study|review|often|"
    r"tends? to|common|usually|many people|most people)\b|%",
    re.IGNORECASE,
)
_RESEARCH = re.compile(
    r"\b(?:study|studies|trials?|participants|randomi[sz]ed|cohorts?|meta-analys[ie]s|systematic "
    r"reviews?|we found|sample of|survey of)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:in|a|an|the) ((?:19[89]|20[0-4])\d)\b")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT_SPLIT.split(text.replace("\n", " ")) if s.strip()]


def score_sentence(s: str) -> int:
    if not (40 <= len(s) <= 360) or s.endswith("?") or s.count('"') % 2:
        return 0
    body = _SECTION.sub("", s)
    first = body.split(" ", 1)[0].lower().strip(",:")
    if first in _IMPERATIVE or first in _ANAPHORIC or _MID_SECTION.search(body):
        return 0
    if _POINTING.search(body):  # "these factors", "such programmes": needs the context
        return 0
    return len(_CUES.findall(s))


# passages on crisis topics are not used to ground these non-crisis dialogues
_CRISIS_TOPIC = re.compile(r"suicid|self[- ]harm|overdos|abus|violen|kill", re.IGNORECASE)
# imperative openings ("Focus on ...", "Avoid ...") do not read as "explains that ..."
_IMPERATIVE = frozenset(
    [
        "focus",
        "avoid",
        "try",
        "ask",
        "write",
        "keep",
        "use",
        "make",
        "take",
        "give",
        "let",
        "be",
        "do",
        "don't",
        "remember",
        "consider",
        "start",
        "stop",
        "get",
        "set",
        "notice",
        "tell",
        "talk",
        "call",
        "go",
        "check",
        "plan",
        "limit",
        "aim",
        "put",
        "pick",
        "choose",
        "find",
    ]
)


# a sentence opening with a pronoun leans on the previous one ("It is linked with ...")
_ANAPHORIC = frozenset(
    ["it", "this", "these", "they", "that", "those", "such", "its", "their", "he", "she"]
)
_POINTING = re.compile(
    r"\b(?:these|such|the above|the former|the latter)\b|"
    r"\bthose\b(?! (?:who|whose|with|without|in|on|at|that|taking|receiving))",
    re.IGNORECASE,
)
_ACRONYM_DEF = re.compile(r"\b([A-Za-z][A-Za-z' -]{3,60}?) \(([A-Z][A-Za-z-]*[A-Z])\)")
_MID_SECTION = re.compile(r"\b(?:Background|Methods?|Results?|Conclusions?|Objectives?):")
_KEYWORDS = {
    name: re.compile("|".join(r"\b" + re.escape(k) for k in c.keywords), re.IGNORECASE)
    for name, c in B.CONCERNS.items()
}


def match_concern(text: str) -> str | None:
    """The concern whose keywords (word prefixes) occur most, at least twice, in ``text``."""
    best, best_n = None, 1
    for name, rx in _KEYWORDS.items():
        n = len(rx.findall(text))
        if n > best_n:
            best, best_n = name, n
    return best


def findings(passages: list[Passage], per_passage: int = 2) -> list[Finding]:
    """The best finding sentences of every passage that matches a concern."""
    out: list[Finding] = []
    for p in passages:
        if _CRISIS_TOPIC.search(f"{p.title or ''} {p.text}"):
            continue
        concern = match_concern(f"{p.title or ''} {p.text}")
        if concern is None:
            continue
        scored = [(score_sentence(s), i, s) for i, s in enumerate(sentences(p.text))]
        scored = sorted((x for x in scored if x[0] > 0), key=lambda x: (-x[0], x[1]))
        research = bool(_RESEARCH.search(p.text))
        out.extend(Finding(p, s, concern, research) for _, _, s in scored[:per_passage])
    return out


def acronyms(text: str) -> dict[str, str]:
    """Acronyms a passage defines, e.g. "behavioural activation (BA)" -> {"BA": ...}."""
    out: dict[str, str] = {}
    for m in _ACRONYM_DEF.finditer(text):
        long, short = m.group(1).strip(), m.group(2)
        words = long.split()
        initials = "".join(w[0] for w in words).upper()
        # keep only the words that spell the acronym, from the right
        for k in range(len(words), 0, -1):
            if "".join(w[0] for w in words[-k:]).upper() == short.upper().replace("-", ""):
                out.setdefault(short, lower_first(" ".join(words[-k:])))
                break
        else:
            if initials.endswith(short.upper()):
                out.setdefault(short, lower_first(long))
    return out


def expand_acronyms(clause_text: str, defs: dict[str, str]) -> str:
    """Spell out the first use of each acronym the passage defines (unless already there)."""
    for short, long in defs.items():
        if f"{long} ({short})".lower() in clause_text.lower():
            continue
        clause_text = re.sub(rf"\b{re.escape(short)}\b", f"{long} ({short})", clause_text, count=1)
    return clause_text


def clause(sentence: str, defs: dict[str, str] | None = None) -> str:
    """The finding as a clause to follow "that": section label, discourse lead and "we found
    that" removed, acronyms the passage defines spelled out; first letter lowercased unless
    it starts an acronym or a name."""
    s = _SECTION.sub("", sentence.strip())
    s = _LEAD.sub("", s)
    s = _WE_FOUND.sub("", s)
    s = s.rstrip(" .")
    if defs:
        s = expand_acronyms(s, defs)
    first = s.split(" ", 1)[0]
    if first[:1].isupper() and not any(ch.isupper() for ch in first[1:]) and first not in ("I",):
        s = lower_first(s)
    return s


_INTRO_RESEARCH = (
    "Some research suggests that",
    "There's research showing that",
    "Studies in this area have found that",
    "One piece of research I can share found that",
)
_INTRO_RESOURCE = (
    "One resource I can point you to explains that", "There's a helpful summary that notes that",
    "Something I've read on this explains that", "A guide on this topic points out that",
)  # fmt: skip
_LEADS = (
    "", "Can I share something that might be relevant?", "Something that might help here:",
    "This might be useful to know.", "There's some material on this that might help.",
)  # fmt: skip
_BRIDGES = (
    "I wonder how that fits with what you've been going through?",
    "Does any of that resonate with you?",
    "What do you make of that?",
    "How does that sit with you?",
    "Could something like that be worth exploring for you?",
)
_REPLIES = (
    "That's interesting. I didn't know there was evidence for that.",
    "Huh, that actually makes sense.",
    "I've heard of that, but I didn't think it applied to me. Maybe it does.",
    "That's reassuring, in a way. So it's not just me.",
    "Maybe. I'd be willing to look into it.",
    "I'm a bit sceptical, but I could give it a try.",
)


def intro(rng: random.Random, f: Finding) -> str:
    p = f.passage
    year = p.year
    if year is None:
        m = _YEAR.search(p.text)
        year = int(m.group(1)) if m and f.research else None
    if year is not None and f.research:
        pop = f" of {p.population}" if p.population else ""
        return rng.choice(
            (
                f"A {year} study{pop} found that",
                f"A {year} study{pop} reported that",
                f"In a {year} study{pop}, researchers found that",
            )
        )
    return rng.choice(_INTRO_RESEARCH if f.research else _INTRO_RESOURCE)


def citation_ref(p: Passage) -> str:
    return p.url or p.id


def grounded_turn(rng: random.Random, f: Finding) -> str:
    lead = rng.choice(_LEADS)
    head = tidy(f"{lead} {intro(rng, f)}") if lead else intro(rng, f)
    body = Lit(clause(f.sentence, acronyms(f.passage.text)))
    bridge = rng.choice(_BRIDGES)
    return f"{head} {body} [source: {citation_ref(f.passage)}]. {bridge}"


# ------------------------------------------------------------------------------------------
# passages of a shard, cached per process
# ------------------------------------------------------------------------------------------

_CACHE: dict[tuple[str, str], list[Finding]] = {}
_LOCK = threading.Lock()


def load_findings(spec: dict[str, Any], store: Any) -> list[Finding]:
    """Findings of the grounding input fixed in a shard spec (``grounding`` +
    ``grounding_sha256`` for a file, ``grounding_release`` for a release)."""
    src = spec["grounding"]
    fingerprint = spec.get("grounding_sha256") or spec.get("grounding_release") or ""
    key = (src, fingerprint)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    if src.startswith(RELEASE_PREFIX):
        dataset, _, version = spec["grounding_release"].partition("@")
        passages = read_release(store, dataset, version)
    else:
        try:
            digest = file_digest(src)
        except OSError as exc:
            raise GroundingError(f"grounding file {src} is not readable here: {exc}") from exc
        if digest != fingerprint:
            raise GroundingError(
                f"grounding file {src} changed since the run was planned "
                f"(sha256 {digest[:12]} != {fingerprint[:12]}); start a new run"
            )
        passages = read_file(src)
    found = findings(passages)
    with _LOCK:
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = found
    return found


def choose(rng: random.Random, found: list[Finding]) -> Finding:
    if not found:
        raise GroundingError("the grounding input has no passage with a usable finding sentence")
    return found[rng.randrange(len(found))]


def generate(index: int, rng: random.Random, opts: dict[str, Any], found: list[Finding]) -> Sample:
    f = choose(rng, found)
    dopts = {
        "min_exchanges": max(2, int(opts.get("min_exchanges", DEFAULTS["min_exchanges"]))),
        "max_exchanges": max(2, int(opts.get("max_exchanges", DEFAULTS["max_exchanges"]))),
        "system_prompt": opts.get("system_prompt", False),
        # the grounded turn stands in for psychoeducation; keep the others
        "techniques": [t for t in dialogues.TECHNIQUE_NAMES if t != "psychoeducation"],
    }
    base, _ = dialogues.generate(index, rng, dopts, concern=f.concern)
    msgs = base.messages
    techniques = list(base.meta["techniques"])
    # assistant turns that answer the client, in order; techniques[k] belongs to the k-th
    tech_turns = [
        i
        for i, m in enumerate(msgs)
        if m["role"] == "assistant" and i > 0 and msgs[i - 1]["role"] == "user"
    ]
    # a turn followed by an ordinary client reply (not the closing exchange), later ones first
    closing = techniques[-1] == ["closing"]
    last_reply = len(msgs) - 2 if closing else len(msgs)
    usable = [k for k, i in enumerate(tech_turns) if i + 1 < last_reply]
    k = rng.choice(usable[1:] or usable) if usable else len(tech_turns) - 1
    at = tech_turns[k]
    msgs[at] = turn("assistant", grounded_turn(rng, f))
    if at + 1 < last_reply:
        msgs[at + 1] = turn("user", rng.choice(_REPLIES))
    techniques[k] = ["grounded_finding"]
    group = f"grounded-{f.passage.id}"
    meta = {
        **{k2: v for k2, v in base.meta.items() if k2 not in ("techniques", "family")},
        "techniques": techniques,
        "family": group,
        "grounded_turn": at,
        "citation": {"id": f.passage.id, "url": f.passage.url, "sentence": f.sentence},
    }
    return Sample(messages=msgs, group=group, meta=meta, label=0)
