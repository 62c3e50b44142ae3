"""Crisis edge cases (``generator = "crisis_cases"``): hard positives (``label = 1``) and
hard negatives (``label = 0``), each with its category, answered by the assistant.

Positives are answered by :func:`safe_response`, which always contains the five parts of
the safe-response protocol: acknowledgement, care, a direct question about safety,
encouragement to reach help, and crisis resources for the case's region. Negatives get a
relevant, warm reply without the crisis protocol.

The phrasings come from :mod:`pipeline.synthetic.blocks_crisis`, written from the label
definitions only, never from the detector's rules; the detector's figures on these cases are
therefore an independent measurement.
"""

from __future__ import annotations

import random
import re
from typing import Any

from pipeline.synthetic import blocks_crisis as C
from pipeline.synthetic.core import Bag, Sample, lower_first, tidy, turn

NAME = "crisis_cases"
POSITIVE_CATEGORIES: tuple[str, ...] = tuple(C.POSITIVE)
NEGATIVE_CATEGORIES: tuple[str, ...] = tuple(C.NEGATIVE)
REGIONS: tuple[str, ...] = tuple(C.REGIONS)
TEXT_STYLES = ("plain", "lowercase", "texting")

DEFAULTS: dict[str, Any] = {
    "positive_fraction": 0.5,
    "positives": list(POSITIVE_CATEGORIES),
    "negatives": list(NEGATIVE_CATEGORIES),
    "regions": list(REGIONS),
    "context_fraction": 0.3,
}


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def person_slots(rng: random.Random) -> dict[str, Any]:
    """Slot values for the people a case mentions, with agreeing pronouns."""
    rel, they, them, their, they_are = rng.choice(C.PEOPLE)
    a_rel, a_they, a_them, a_their, _ = rng.choice(C.ABUSERS)
    values: dict[str, Any] = {k: list(v) for k, v in C.SLOTS.items()}
    values.update(
        rel=rel, they=they, them=them, their=their, they_are=they_are, They=_cap(they),
        They_are=_cap(they_are), s="" if they == "they" else "s",
        is_are="are" if they == "they" else "is", abuser=a_rel, a_they=a_they,
        A_they=_cap(a_they), a_them=a_them, a_their=a_their,
    )  # fmt: skip
    return values


def _capitalised_slots(bag: Bag) -> None:
    for name in ("soon", "recent"):
        bag.values[f"{name}_cap"] = _cap(bag.get(name))


_APOSTROPHE = re.compile(r"(?<=[a-zA-Z])'(?=[a-zA-Z])")


def _text_style(text: str, style: str) -> str:
    if style == "lowercase":
        return text.lower()
    if style == "texting":
        return _APOSTROPHE.sub("", text.lower()).rstrip(".")
    return text


def safe_response(
    rng: random.Random, category: str, region: str, slots: dict[str, Any] | None = None
) -> str:
    """A reply following the safe-response protocol (acknowledge, care, ask about safety,
    encourage help, give resources) for a positive of ``category`` in ``region``."""
    emergency, crisis_lines, abuse_lines = C.REGIONS[region]
    bag = Bag(rng, {**(slots or {}), "emergency": emergency})
    kind = C.SAFETY_KIND[category]
    parts = [rng.choice(C.ACKNOWLEDGE)]
    care = rng.choice(C.CARE)
    if category == "method_seeking":
        parts.append(rng.choice(C.DECLINE_METHOD))
    if rng.random() < 0.5:
        parts.append(care)
        care = ""
    parts.append(bag.pick(C.SAFETY_Q[kind]))
    help_text = bag.pick(C.HELP_OTHERS if kind == "third_party" else C.HELP)
    resource = rng.choice(abuse_lines if kind == "abuse" else crisis_lines)
    others = [line for line in crisis_lines if line != resource]
    if kind == "abuse" and rng.random() < 0.5:
        others = list(crisis_lines)
    if others and kind in ("abuse", "third_party", "others") and rng.random() < 0.5:
        resource = f"{resource} {rng.choice(others)}"
    tail = [help_text, resource]
    if rng.random() < 0.4:
        tail.reverse()
    if care:
        tail.insert(rng.randrange(len(tail) + 1), care)
    parts.extend(tail)
    closing = rng.choice(C.CLOSING)
    if closing:
        parts.append(closing)
    return tidy(" ".join(parts))


def case_text(
    rng: random.Random, category: str, label: int, template: int, people: dict[str, Any]
) -> tuple[str, str]:
    """The user's message for one case (and its text style); ``people`` from
    :func:`person_slots`, shared with the reply so both talk about the same person."""
    table = C.POSITIVE if label == 1 else C.NEGATIVE
    bag = Bag(rng, people)
    _capitalised_slots(bag)
    core = bag.expand(table[category][template])
    if label == 1:
        pre = rng.choice(C.POS_PREFIX)
    else:
        light = C.LIGHT_PREFIX if category in C.LIGHT_CATEGORIES else ()
        pre = rng.choice(C.NEG_PREFIX + light)
    suf = rng.choice(C.POS_SUFFIX if label == 1 else C.NEG_SUFFIX)
    if pre and not pre.endswith((".", "!", "?")) and category != "title":
        core = lower_first(core)
    text = tidy(" ".join(p for p in (pre, core, suf) if p), capitalise=False)
    text = text[:1].upper() + text[1:]
    style = rng.choices(TEXT_STYLES, (7, 2, 2))[0]
    return _text_style(text, style), style


def generate(index: int, rng: random.Random, opts: dict[str, Any]) -> Sample:
    pos = list(opts.get("positives") or DEFAULTS["positives"])
    neg = list(opts.get("negatives") or DEFAULTS["negatives"])
    frac = float(opts.get("positive_fraction", DEFAULTS["positive_fraction"]))
    regions = list(opts.get("regions") or DEFAULTS["regions"])
    ctx_frac = float(opts.get("context_fraction", DEFAULTS["context_fraction"]))
    label = 1 if (rng.random() < frac and pos) or not neg else 0
    category = rng.choice(pos if label == 1 else neg)
    table = C.POSITIVE if label == 1 else C.NEGATIVE
    template = rng.randrange(len(table[category]))
    region = rng.choice(regions)
    people = person_slots(rng)
    text, style = case_text(rng, category, label, template, people)
    messages: list[dict[str, str]] = []
    context = rng.random() < ctx_frac
    if context:
        u, a = rng.choice(C.CONTEXT_OPENERS)
        messages += [turn("user", u), turn("assistant", a)]
    messages.append(turn("user", text))
    if label == 1:
        reply = safe_response(rng, category, region, people)
    else:
        reply = rng.choice(C.NEG_REPLY[category])
    messages.append(turn("assistant", reply))
    group = f"crisis-{category}-t{template:02d}"
    meta = {
        "category": category,
        "kind": "positive" if label == 1 else "negative",
        "template": template,
        "region": region,
        "text_style": style,
        "context_turn": context,
        "family": group,
    }
    return Sample(messages=messages, group=group, meta=meta, label=label)
