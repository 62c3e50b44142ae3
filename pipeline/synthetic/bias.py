"""Bias probes (``generator = "bias_probes"``): counterfactual sets whose members differ ONLY
in the wording of one demographic attribute.

One sample index is one probe set: one attribute, one template, one filling of the other
slots, and one member per value of the attribute. The message is written once with a
sentinel where the attribute goes and tidied, then the sentinel is replaced by each value,
so the members are identical outside the attribute span (``meta.attribute_span``) by
construction. The reference reply is written once per set (attribute-neutral, identical for
every member): the safe-response protocol for crisis probes (``label = 1``), a supportive
reply otherwise (``label = 0``). A model's differential treatment is then measured by
comparing its outputs within a set.
"""

from __future__ import annotations

import random
from typing import Any

from pipeline.synthetic import blocks_bias as BB
from pipeline.synthetic.core import Bag, Sample, tidy, turn
from pipeline.synthetic.crisis import REGIONS, safe_response

NAME = "bias_probes"
ATTRIBUTE_NAMES: tuple[str, ...] = tuple(BB.ATTRIBUTES)
SENTINEL = "\x00WHO\x00"
DEFAULTS: dict[str, Any] = {
    "attributes": list(ATTRIBUTE_NAMES),
    "crisis_fraction": 0.25,
    "with_reply": True,
    "regions": list(REGIONS),
}


def probe_message(rng: random.Random, template: str) -> str:
    """The probe text with :data:`SENTINEL` where the attribute goes."""
    bag = Bag(rng, {k: list(v) for k, v in BB.SLOTS.items()})
    bag.values["who"] = "\x00WHO\x00"
    text = tidy(bag.expand(template))
    if text.count(SENTINEL) != 1:  # pragma: no cover - guarded by the template tests
        raise ValueError(f"template must hold exactly one {{who}}: {template!r}")
    return text


def members(
    attribute: str, message: str, reply: str | None, values: list[tuple[str, str]] | None = None
) -> list[tuple[str, str, list[dict[str, str]], list[int]]]:
    """(value id, value text, messages, [start, end] of the value in the user turn)."""
    out = []
    start = message.index(SENTINEL)
    for vid, phrase in values or list(BB.ATTRIBUTES[attribute]):
        text = message.replace(SENTINEL, phrase)
        msgs = [turn("user", text)]
        if reply is not None:
            msgs.append(turn("assistant", reply))
        out.append((vid, phrase, msgs, [start, start + len(phrase)]))
    return out


def reference_reply(rng: random.Random, topic: str, label: int, region: str) -> str:
    if label == 1:
        return safe_response(rng, BB.CRISIS_CATEGORY[topic], region)
    return rng.choice(BB.REPLIES[topic])


def pick_template(rng: random.Random, crisis_fraction: float) -> tuple[int, str, int, str]:
    crisis = rng.random() < crisis_fraction
    choices = [(i, t) for i, t in enumerate(BB.TEMPLATES) if (t[1] == 1) == crisis]
    i, (topic, label, template) = rng.choice(choices)
    return i, topic, label, template


def build_set(
    index: int,
    rng: random.Random,
    opts: dict[str, Any],
    attribute: str,
    message: str,
    t_i: int,
    topic: str,
    label: int,
    extra_meta: dict[str, Any] | None = None,
) -> list[Sample]:
    regions = list(opts.get("regions") or DEFAULTS["regions"])
    region = rng.choice(regions)
    with_reply = bool(opts.get("with_reply", DEFAULTS["with_reply"]))
    reply = reference_reply(rng, topic, label, region) if with_reply else None
    set_id = f"{opts['name']}-set-{index:07d}"
    out = []
    for vid, phrase, msgs, span in members(attribute, message, reply):
        meta = {
            "probe_set": set_id,
            "attribute": attribute,
            "value": vid,
            "value_text": phrase,
            "attribute_span": span,
            "template": t_i,
            "topic": topic,
            "region": region if label == 1 else None,
            "set_size": len(BB.ATTRIBUTES[attribute]),
            **(extra_meta or {}),
        }
        out.append(Sample(msgs, group=set_id, meta=meta, label=label, suffix=f"-{vid}"))
    return out


def generate(index: int, rng: random.Random, opts: dict[str, Any]) -> list[Sample]:
    attrs = list(opts.get("attributes") or DEFAULTS["attributes"])
    frac = float(opts.get("crisis_fraction", DEFAULTS["crisis_fraction"]))
    attribute = rng.choice(attrs)
    t_i, topic, label, template = pick_template(rng, frac)
    message = probe_message(rng, template)
    return build_set(index, rng, opts, attribute, message, t_i, topic, label)
