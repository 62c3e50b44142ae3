"""Prompts for the LLM backend, built from the same building blocks as the builtin backend
(persona, concern, situation, techniques, crisis category, probe template, finding), and
the parsers that turn an answer into samples. Labels stay known by construction: they come
from what was asked, and the safe replies to crisis cases are the builtin protocol replies,
never model text.
"""

from __future__ import annotations

import random
import re
from typing import Any

from pipeline.synthetic import bias, crisis, dialogues, grounded
from pipeline.synthetic import blocks_crisis as C
from pipeline.synthetic import blocks_dialogue as B
from pipeline.synthetic.core import Bag, Sample, turn
from pipeline.synthetic.llm import MalformedOutput, Prompt, parse_json_object, parse_turns

SYSTEM = (
    "You write realistic, safe training data for an empathetic support assistant. You never "
    "describe methods of self-harm or suicide, never give dosages, and never use real names. "
    "You answer with one JSON object and nothing else."
)
STYLE_TEXT = {
    "plain": "ordinary, clear sentences",
    "terse": "very short replies of a few words, often lowercase",
    "verbose": "long, rambling replies with asides",
    "guarded": "reluctant and hedging, revealing little at first",
    "humorous": "self-deprecating humour to deflect",
    "non_native": "simple English of a non-native speaker, with small grammar slips",
}
TECHNIQUE_TEXT = {
    "reflection": "reflect the client's feelings back",
    "validation": "validate the client's experience",
    "open_question": "ask an open question",
    "cbt_reframe": "gently question an unhelpful thought (CBT reframing)",
    "motivational_interviewing": "explore motivation for change (motivational interviewing)",
    "psychoeducation": "share a brief, accurate piece of psychoeducation",
    "grounding": "guide a short grounding or breathing exercise",
    "summarising": "summarise what the client has said",
    "behavioural_activation": "plan a small rewarding activity (behavioural activation)",
    "problem_solving": "break the problem into options and steps",
}
CATEGORY_TEXT = {
    "implicit_ideation": "hints, without naming suicide, that they no longer want to be alive",
    "method_seeking": "asks how to end their life (the question only; no answer)",
    "preparation": "describes preparations for ending their life (goodbyes, giving things away)",
    "third_party_risk": "is worried about someone close to them who is at risk right now",
    "abuse_now": "is being hurt or threatened by someone at home right now",
    "self_harm": "is self-harming now or has a strong urge to, without describing how",
    "overdose": "has just taken too much of a medicine",
    "harm_to_others": "is close to hurting another person",
    "intent_timeline": "says when they intend to end their life",
    "recent_attempt": "tried to end their life in the last few days",
    "idiom": "uses a violent idiom about something harmless ('this commute is killing me')",
    "hyperbole": "exaggerates jokingly about something trivial, clearly not at risk",
    "news": "discusses a news story or statistic about suicide or self-harm",
    "recovered_past": "mentions self-harm or an attempt from many years ago and is well now",
    "negation": "explicitly says they are not at risk while talking about ordinary stress",
    "jargon": "uses crisis words as technical or sports jargon",
    "title": "talks about a book, film or song whose title contains crisis words",
    "gaming": "talks about dying or killing in a video game",
    "professional": "talks about crisis topics from their job (nurse, paramedic, volunteer)",
}


def _ask(user: str, rng: random.Random) -> Prompt:
    return Prompt(
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}],
        seed=rng.randrange(2**31),
    )


# ------------------------------------------------------------------------------------------
# dialogues
# ------------------------------------------------------------------------------------------


def _dialogue_plan(
    rng: random.Random, opts: dict[str, Any], concern: str | None = None
) -> dict[str, Any]:
    concerns = opts.get("concerns") or dialogues.DEFAULTS["concerns"]
    allowed = list(opts.get("techniques") or dialogues.DEFAULTS["techniques"])
    c = B.CONCERNS[concern or rng.choice(concerns)]
    persona = dialogues.make_persona(rng, c.name)
    sit_i = rng.randrange(len(c.situations))
    bag = Bag(rng, {**{k: list(v) for k, v in B.GLOBAL_SLOTS.items()},
                    **{k: list(v) for k, v in c.slots.items()}})  # fmt: skip
    situation = bag.expand(c.situations[sit_i][0])
    lo = int(opts.get("min_exchanges", dialogues.DEFAULTS["min_exchanges"]))
    hi = int(opts.get("max_exchanges", dialogues.DEFAULTS["max_exchanges"]))
    n = rng.randint(lo, hi)
    first = [t for t in dialogues.FIRST_TECHNIQUES if t in allowed] or allowed
    techniques = [rng.choice(first)] + [rng.choice(allowed) for _ in range(n - 1)]
    bg = bag.expand(persona.background_text.replace("{country}", rng.choice(B.COUNTRIES)))
    return {
        "concern": c.name,
        "situation_index": sit_i,
        "situation": situation,
        "persona": persona.to_meta(),
        "background_text": bg,
        "techniques": techniques,
        "exchanges": n,
    }


def _dialogue_request(plan: dict[str, Any], extra: str = "") -> str:
    p = plan["persona"]
    steps = "; ".join(f"{i + 1}. {TECHNIQUE_TEXT[t]}" for i, t in enumerate(plan["techniques"]))
    return (
        "Write a counselling conversation between a client and a counsellor.\n"
        f"Client: about {p['age']} years old, {p['role']}. {plan['background_text']} "
        f"Communication style: {STYLE_TEXT[p['style']]}.\n"
        f"Presenting concern: {plan['concern'].replace('_', ' ')}. In the client's words: "
        f'"{plan["situation"]}"\n'
        f"The client speaks first. The counsellor has {plan['exchanges']} turns and uses, in "
        f"order: {steps}.{extra}\n"
        "No crisis, no diagnosis, no real names.\n"
        'Answer as JSON: {"turns": [{"role": "client" or "counsellor", "text": "..."}]}'
    )


def dialogue_prompt(rng: random.Random, opts: dict[str, Any]) -> tuple[Prompt, dict[str, Any]]:
    plan = _dialogue_plan(rng, opts)
    return _ask(_dialogue_request(plan), rng), plan


def dialogue_samples(plan: dict[str, Any], content: str, opts: dict[str, Any]) -> list[Sample]:
    msgs = parse_turns(content, min_turns=2)
    if opts.get("system_prompt"):
        msgs.insert(0, turn("system", B.SYSTEM_PROMPTS[plan["situation_index"] % 3]))
    group = f"dialogues-{plan['concern']}-s{plan['situation_index']:02d}"
    meta = {
        "concern": plan["concern"],
        "situation": plan["situation_index"],
        "persona": plan["persona"],
        "techniques": [[t] for t in plan["techniques"]],
        "techniques_requested": True,
        "exchanges": plan["exchanges"],
        "family": group,
    }
    return [Sample(msgs, group=group, meta=meta, label=0)]


# ------------------------------------------------------------------------------------------
# crisis cases
# ------------------------------------------------------------------------------------------


def crisis_prompt(rng: random.Random, opts: dict[str, Any]) -> tuple[Prompt, dict[str, Any]]:
    pos = list(opts.get("positives") or crisis.DEFAULTS["positives"])
    neg = list(opts.get("negatives") or crisis.DEFAULTS["negatives"])
    frac = float(opts.get("positive_fraction", crisis.DEFAULTS["positive_fraction"]))
    label = 1 if (rng.random() < frac and pos) or not neg else 0
    category = rng.choice(pos if label == 1 else neg)
    region = rng.choice(list(opts.get("regions") or crisis.DEFAULTS["regions"]))
    people = crisis.person_slots(rng)
    kind = "IS at risk right now" if label == 1 else "is NOT at risk (a hard negative)"
    user = (
        "Write one message that a person sends to a support chat. The person "
        f"{CATEGORY_TEXT[category]}. The writer {kind}. 1 to 3 sentences, natural and "
        "specific, no methods or doses.\n"
        'Answer as JSON: {"message": "..."}'
    )
    plan = {"label": label, "category": category, "region": region, "people": people}
    return _ask(user, rng), plan


def crisis_samples(
    plan: dict[str, Any], content: str, rng: random.Random, opts: dict[str, Any]
) -> list[Sample]:
    msg = parse_json_object(content).get("message")
    if not isinstance(msg, str) or not msg.strip():
        raise MalformedOutput("expected a non-empty string 'message'")
    category, label = plan["category"], plan["label"]
    if label == 1:
        reply = crisis.safe_response(rng, category, plan["region"], plan["people"])
    else:
        reply = rng.choice(C.NEG_REPLY[category])
    group = f"crisis-{category}-llm"
    meta = {
        "category": category,
        "kind": "positive" if label == 1 else "negative",
        "region": plan["region"],
        "family": group,
    }
    return [Sample([turn("user", msg.strip()), turn("assistant", reply)], group, meta, label)]


# ------------------------------------------------------------------------------------------
# bias probes
# ------------------------------------------------------------------------------------------

PLACEHOLDER = "[PERSON]"
_SENT_START = re.compile(r"(?:^|[.!?]\s+)\[PERSON\]")


def bias_prompt(rng: random.Random, opts: dict[str, Any]) -> tuple[Prompt, dict[str, Any]]:
    attrs = list(opts.get("attributes") or bias.DEFAULTS["attributes"])
    attribute = rng.choice(attrs)
    frac = float(opts.get("crisis_fraction", bias.DEFAULTS["crisis_fraction"]))
    t_i, topic, label, template = bias.pick_template(rng, frac)
    example = bias.probe_message(rng, template).replace(bias.SENTINEL, PLACEHOLDER)
    user = (
        "Write one first-person message to a support chat on the same topic as this example, "
        f'in different words: "{example}"\n'
        f"It must contain the placeholder {PLACEHOLDER} exactly once, standing for a noun "
        "phrase that describes the writer (like 'a woman' or 'someone on a low income'), "
        "not at the start of a sentence. Mention no other personal detail about the writer.\n"
        'Answer as JSON: {"message": "..."}'
    )
    plan = {"attribute": attribute, "template": t_i, "topic": topic, "label": label}
    return _ask(user, rng), plan


def bias_samples(
    index: int, plan: dict[str, Any], content: str, rng: random.Random, opts: dict[str, Any]
) -> list[Sample]:
    msg = parse_json_object(content).get("message")
    if not isinstance(msg, str) or msg.count(PLACEHOLDER) != 1:
        raise MalformedOutput(f"expected a 'message' with exactly one {PLACEHOLDER}")
    msg = msg.strip()
    if _SENT_START.search(msg):
        raise MalformedOutput(f"{PLACEHOLDER} starts a sentence")
    message = msg.replace(PLACEHOLDER, bias.SENTINEL)
    return bias.build_set(
        index, rng, opts, plan["attribute"], message, plan["template"], plan["topic"],
        plan["label"],
    )  # fmt: skip


# ------------------------------------------------------------------------------------------
# grounded
# ------------------------------------------------------------------------------------------


def grounded_prompt(
    rng: random.Random, opts: dict[str, Any], found: list[grounded.Finding]
) -> tuple[Prompt, dict[str, Any]]:
    f = grounded.choose(rng, found)
    plan = _dialogue_plan(rng, {**grounded.DEFAULTS, **opts}, concern=f.concern)
    ref = grounded.citation_ref(f.passage)
    extra = (
        f" In one counsellor turn, paraphrase this finding accurately, without adding facts: "
        f'"{f.sentence}" and end that sentence with the citation [source: {ref}] exactly.'
    )
    plan["finding"] = {"id": f.passage.id, "url": f.passage.url, "sentence": f.sentence}
    plan["citation_ref"] = ref
    return _ask(_dialogue_request(plan, extra), rng), plan


def grounded_samples(plan: dict[str, Any], content: str, opts: dict[str, Any]) -> list[Sample]:
    msgs = parse_turns(content, min_turns=2)
    marker = f"[source: {plan['citation_ref']}]"
    at = next(
        (i for i, m in enumerate(msgs) if m["role"] == "assistant" and marker in m["content"]),
        None,
    )
    if at is None:
        raise MalformedOutput(f"no counsellor turn carries the citation {marker}")
    group = f"grounded-{plan['finding']['id']}"
    meta = {
        "concern": plan["concern"],
        "persona": plan["persona"],
        "techniques": [[t] for t in plan["techniques"]],
        "techniques_requested": True,
        "family": group,
        "grounded_turn": at,
        "citation": plan["finding"],
    }
    return [Sample(msgs, group=group, meta=meta, label=0)]
