"""Shared machinery of the synthetic generators: per-sample RNG, samples, and the small
template language the building blocks are written in.

Template syntax (parsed once per template string, then cached):

* ``{name}`` - a slot. Its value comes from a :class:`Bag`; the first use in a sample picks
  a value (a list means "one of these") and every later use of the same name in that sample
  repeats it, so a counsellor turn can refer back to what the client said.
* ``[a|b|c]`` - pick one alternative at random (nestable); ``[text|]`` makes text optional.

Slot values that are plain ``str`` are templates themselves (expanded recursively);
:class:`Lit` values (e.g. text from a grounding file) are inserted verbatim.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any


def sample_rng(seed: str, generator: str, index: int, salt: str = "") -> random.Random:
    """The RNG of one sample: a function of (seed, generator, index) only, so a sample is the
    same whatever shard or worker makes it."""
    digest = hashlib.sha256(f"{seed}\0{generator}\0{index}\0{salt}".encode()).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


@dataclass
class Sample:
    """One generated record before it becomes a pipeline record.

    ``suffix`` distinguishes several records made from one sample index (bias-probe sets).
    """

    messages: list[dict[str, str]]
    group: str
    meta: dict[str, Any]
    label: int | None = None
    suffix: str = ""


class Lit(str):
    """Text inserted verbatim by :func:`expand` (never parsed as a template)."""

    __slots__ = ()


# ------------------------------------------------------------------------------------------
# template parsing
# ------------------------------------------------------------------------------------------

_Node = Any  # str | tuple["slot", name] | tuple["alt", tuple[tuple[_Node, ...], ...]]


@cache
def _parse(template: str) -> tuple[_Node, ...]:
    seq, pos = _parse_seq(template, 0, top=True)
    if pos != len(template):  # pragma: no cover - _parse_seq consumes everything at top
        raise ValueError(f"template parse stopped at {pos}: {template!r}")
    return seq


def _parse_seq(t: str, pos: int, top: bool) -> tuple[tuple[_Node, ...], int]:
    out: list[_Node] = []
    buf: list[str] = []
    n = len(t)
    while pos < n:
        c = t[pos]
        if c == "{":
            end = t.find("}", pos)
            if end < 0:
                raise ValueError(f"unclosed slot in template {t!r}")
            if buf:
                out.append("".join(buf))
                buf = []
            out.append(("slot", t[pos + 1 : end]))
            pos = end + 1
        elif c == "[":
            if buf:
                out.append("".join(buf))
                buf = []
            alts: list[tuple[_Node, ...]] = []
            pos += 1
            while True:
                alt, pos = _parse_seq(t, pos, top=False)
                alts.append(alt)
                if pos >= n:
                    raise ValueError(f"unclosed [ in template {t!r}")
                if t[pos] == "|":
                    pos += 1
                    continue
                pos += 1  # the closing ]
                break
            out.append(("alt", tuple(alts)))
        elif not top and c in "|]":
            break
        elif top and c in "|]":
            raise ValueError(f"stray {c!r} in template {t!r}")
        else:
            buf.append(c)
            pos += 1
    if buf:
        out.append("".join(buf))
    return tuple(out), pos


class Bag:
    """Slot values of one sample; a slot's first pick sticks for the rest of the sample."""

    def __init__(
        self,
        rng: random.Random,
        values: Mapping[str, Any] | None = None,
        fresh: frozenset[str] = frozenset(),
    ) -> None:
        self.rng = rng
        self.values: dict[str, Any] = dict(values or {})
        self.picked: dict[str, str] = {}
        self.fresh_names = fresh  # slots re-drawn on every use (fillers, composite sentences)
        self._decks: dict[str, list[Any]] = {}

    def set(self, name: str, value: Any) -> None:
        self.values[name] = value
        self.picked.pop(name, None)
        self._decks.pop(name, None)

    def fresh(self, name: str) -> str:
        """A new pick of ``name`` (not remembered): for repeated choices such as fillers.
        List values are dealt from a shuffled deck, so they do not repeat until it runs out."""
        value = self.values[name]
        if isinstance(value, list | tuple) and len(value) > 1:
            deck = self._decks.get(name)
            if not deck:
                deck = self._decks[name] = self.rng.sample(list(value), len(value))
            value = deck.pop()
        return self._expand_value(value)

    def get(self, name: str) -> str:
        if name in self.fresh_names:
            return self.fresh(name)
        if name.endswith("_lower") and name not in self.values:
            return lower_first(self.get(name[: -len("_lower")]))
        if name not in self.picked:
            if name not in self.values:
                raise KeyError(f"template slot {{{name}}} has no value")
            self.picked[name] = self._expand_value(self.values[name])
        return self.picked[name]

    def _expand_value(self, v: Any) -> str:
        if isinstance(v, list | tuple):
            v = self.rng.choice(v)
        if isinstance(v, Lit):
            return v
        if isinstance(v, str):
            return self.expand(v)
        raise TypeError(f"slot value must be str or list, got {type(v).__name__}")

    def expand(self, template: str) -> str:
        if isinstance(template, Lit):
            return str(template)
        return "".join(self._walk(_parse(template)))

    def _walk(self, seq: Sequence[_Node]) -> list[str]:
        parts: list[str] = []
        for node in seq:
            if isinstance(node, str):
                parts.append(node)
            elif node[0] == "slot":
                parts.append(self.get(node[1]))
            else:
                parts.extend(self._walk(self.rng.choice(node[1])))
        return parts

    def pick(self, options: Sequence[str]) -> str:
        """Expand one of ``options`` (each a template)."""
        return self.expand(self.rng.choice(options))


@cache
def slot_names(template: str) -> frozenset[str]:
    """The slot names a template uses directly (in any alternative)."""
    out: set[str] = set()

    def walk(seq: Sequence[_Node]) -> None:
        for node in seq:
            if isinstance(node, str):
                continue
            if node[0] == "slot":
                out.add(node[1])
            else:
                for alt in node[1]:
                    walk(alt)

    walk(_parse(template))
    return frozenset(out)


_SWAP = {
    "i'm": "you're", "i am": "you are", "i've": "you've", "i'd": "you'd", "i'll": "you'll",
    "i was": "you were", "myself": "yourself", "my": "your", "me": "you", "mine": "yours",
    "i": "you",
}  # fmt: skip
_SWAP_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(k) for k in _SWAP), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def to_second_person(text: str) -> str:
    """First person -> second person ("my exams" -> "your exams") for the counsellor's
    references back to what the client said."""

    def sub(m: re.Match[str]) -> str:
        word = m.group(1)
        out = _SWAP[word.lower()]
        if word[0].isupper() and not word.upper().startswith("I"):
            return out[0].upper() + out[1:]
        return out

    return _SWAP_RE.sub(sub, text)


# ------------------------------------------------------------------------------------------
# tidying composed text
# ------------------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_PUNCT = re.compile(r" +([,.;:!?])")
_DOUBLE_PUNCT = re.compile(r"([.!?])\s*\.")
_COMMA_END = re.compile(r",\s*([.!?])")
_A_AN = re.compile(r"\b([Aa])n? ([A-Za-z0-9][\w'-]*)")
_COMMA_GLUED = re.compile(r",(?=[A-Za-z])")
_SENT_START = re.compile(r"(^|[.!?]\s+)([a-z])")
_AN_EXCEPT = ("uni", "use", "usu", "eu", "one", "once", "ewe", "ubiq", "ur", "utopi")
_AN_SILENT_H = ("hour", "honest", "honour", "honor", "heir")


def _article(m: re.Match[str]) -> str:
    a, word = m.group(1), m.group(2)
    low = word.lower()
    vowel = low[0] in "aeiou"
    if vowel and low.startswith(_AN_EXCEPT):
        vowel = False
    if low.startswith(_AN_SILENT_H):
        vowel = True
    if word.isupper() and len(word) > 1:  # acronyms: an MRI, an NHS, a GP
        vowel = low[0] in "aefhilmnorsx"
    if low[0].isdigit():
        vowel = low.startswith(("8", "11", "18"))
    return f"{a}{'n' if vowel else ''} {word}"


def tidy(text: str, capitalise: bool = True) -> str:
    """Fix the seams of composed text: spaces, doubled punctuation, a/an, sentence starts."""
    t = _SPACES.sub(" ", text.strip())
    t = _SPACE_PUNCT.sub(r"\1", t)
    t = _COMMA_END.sub(r"\1", t)
    t = _DOUBLE_PUNCT.sub(r"\1", t)
    t = t.replace("?.", "?").replace("!.", "!")
    t = _COMMA_GLUED.sub(", ", t)
    t = _A_AN.sub(_article, t)
    if capitalise:
        t = _SENT_START.sub(lambda m: m.group(1) + m.group(2).upper(), t)
    return t


def lower_first(text: str) -> str:
    """Lowercase the first letter unless it starts with "I" as a word, or an acronym."""
    if not text or text[:2] in ("I ", "I'") or text == "I" or text[:2].isupper():
        return text
    return text[0].lower() + text[1:]


def turn(role: str, content: str) -> dict[str, str]:
    return {"role": role, "content": content}


@dataclass
class Options:
    """Validated options of one ``[[sources]]`` table of kind ``synthetic``."""

    name: str
    generator: str
    seed: str
    count: int
    per_shard: int
    backend: str
    extra: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.extra.get(key, default)
