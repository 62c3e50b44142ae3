"""Therapeutic dialogues (``generator = "dialogues"``): multi-turn client/counsellor
conversations composed from the blocks in :mod:`pipeline.synthetic.blocks_dialogue`.

A dialogue is planned first (concern, situation, persona, number of exchanges), then written
turn by turn. The client's words live in one slot bag, the counsellor's in another that sees
what the client actually said, turned into the second person, so a reflection or summary
only refers back to things that were said. A counsellor template that quotes a thought,
impact or wish the client has not voiced yet is not eligible for that turn.

Non-crisis by construction: ``label = 0``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.synthetic import blocks_dialogue as B
from pipeline.synthetic.core import Bag, Lit, Sample, slot_names, tidy, to_second_person, turn

NAME = "dialogues"
CONCERN_NAMES: tuple[str, ...] = tuple(B.CONCERNS)
TECHNIQUE_NAMES: tuple[str, ...] = tuple(B.TECHNIQUES)
FIRST_TECHNIQUES = ("reflection", "validation", "open_question")
# slots that must have been voiced by the client before the counsellor may refer to them
SAID_SLOTS = frozenset({"thought", "impact", "want"})
AFFINITY: dict[str, tuple[str, ...]] = {
    "anxiety": ("grounding", "cbt_reframe", "psychoeducation"),
    "depression": ("behavioural_activation", "cbt_reframe"),
    "grief": ("validation", "reflection"),
    "relationships": ("reflection", "problem_solving"),
    "work_stress": ("problem_solving", "motivational_interviewing"),
    "trauma": ("grounding", "psychoeducation", "validation"),
    "substance_use": ("motivational_interviewing",),
    "loneliness": ("behavioural_activation", "validation"),
    "sleep": ("psychoeducation", "problem_solving"),
    "self_esteem": ("cbt_reframe",),
    "family_conflict": ("problem_solving", "validation"),
    "academic_pressure": ("problem_solving", "cbt_reframe"),
    "health_anxiety": ("cbt_reframe", "psychoeducation"),
    "life_transition": ("reflection", "motivational_interviewing"),
    "anger": ("psychoeducation", "grounding"),
    "parenting": ("validation", "problem_solving"),
}
CLIENT_FRESH = frozenset(
    {"impact_s", "thought_s", "want_s", "detail", "ambivalence", "activity", "scale", "history"}
)  # fmt: skip
ROTATE = ("impact", "thought", "want", "change", "counter", "feeling2")

DEFAULTS: dict[str, Any] = {
    "concerns": list(CONCERN_NAMES),
    "techniques": list(TECHNIQUE_NAMES),
    "min_exchanges": 2,
    "max_exchanges": 5,
    "system_prompt": False,
}


@dataclass
class Persona:
    age: int
    age_band: str
    role: str
    background: str
    background_text: str
    style: str
    length: str
    decks: dict[str, list[str]] = field(default_factory=dict)

    def draw(self, rng: random.Random, name: str, pool: tuple[str, ...]) -> str:
        """Next item of a per-dialogue shuffled deck: no repeats until the pool runs out."""
        deck = self.decks.get(name)
        if not deck:
            deck = self.decks[name] = rng.sample(pool, len(pool))
        return deck.pop()

    def to_meta(self) -> dict[str, Any]:
        return {
            "age": self.age,
            "age_band": self.age_band,
            "role": self.role,
            "background": self.background,
            "style": self.style,
            "length": self.length,
        }


# age bands that fit a concern's situations (students, working life, young children)
AGE_FIT: dict[str, tuple[str, ...]] = {
    "academic_pressure": ("18-24", "25-34"),
    "work_stress": ("18-24", "25-34", "35-49", "50-64"),
    "parenting": ("25-34", "35-49", "50-64"),
    "family_conflict": ("18-24", "25-34", "35-49", "50-64"),
}


def make_persona(rng: random.Random, concern: str = "") -> Persona:
    band = rng.choice(AGE_FIT.get(concern, tuple(B.AGE_BANDS)))
    (lo, hi), roles = B.AGE_BANDS[band]
    bg_id, bg_text = rng.choice(B.BACKGROUNDS)
    style = rng.choice(B.STYLES)
    length = rng.choices(("short", "medium", "long"), (3, 5, 2))[0]
    if style == "terse":
        length = "short"
    elif style == "verbose":
        length = "long"
    return Persona(rng.randint(lo, hi), band, rng.choice(roles), bg_id, bg_text, style, length)


# ------------------------------------------------------------------------------------------
# client styles
# ------------------------------------------------------------------------------------------

_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_NON_NATIVE_SUBS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(a), b)
    for a, b in (
        (r"\bI'm\b", "I am"), (r"\bdon't\b", "do not"), (r"\bcan't\b", "cannot"),
        (r"\bI've been\b", "I am"), (r"\bI've\b", "I have"), (r"\bit's\b", "it is"),
        (r"\bIt's\b", "It is"), (r"\bdoesn't\b", "does not"), (r"\bwon't\b", "will not"),
        (r"\bthat's\b", "that is"), (r"\bThat's\b", "That is"), (r"\bI'd\b", "I would"),
        (r"\bHonestly\b", "To be honest"), (r"\ba lot\b", "very much"),
        (r"\bkeep ([a-z]+ing)\b", r"always am \1"), (r"\blately\b", "in last time"),
    )
)  # fmt: skip
_ARTICLE = re.compile(r"\bthe (?=[a-z])")
_MARKERS = frozenset(
    [
        "And",
        "But",
        "So",
        "Or",
        "Although",
        "Because",
        "Yes",
        "Yeah",
        "Maybe",
        "Okay",
        "Hmm",
        "Hmm.",
        "Well,",
        "Pretty",
        "Exactly",
        "Thanks.",
        "Thanks,",
        "Not",
        "That",
    ]
)


def st_detail(rng: random.Random) -> str:
    """A plain extra sentence for verbose speakers (no slots)."""
    return rng.choice([d for d in B.CLIENT_DETAILS if "{" not in d])


def _style(text: str, persona: Persona, rng: random.Random, first: bool) -> str:
    style = persona.style
    if style == "terse":
        parts = [p for p in _SENTENCES.split(text) if p]
        keep = parts[-1] if len(parts) > 1 and first and rng.random() < 0.5 else parts[0]
        keep = keep.rstrip(".")
        if rng.random() < 0.6:
            keep = keep[0].lower() + keep[1:] if keep[:2] != "I " and keep[:2] != "I'" else keep
        end = persona.draw(rng, "terse", B.TERSE_ENDINGS)
        return f"{keep} {end}".strip() if end else keep
    if style == "verbose":
        parts = [p for p in _SENTENCES.split(text) if p]
        spots = [i for i in range(1, len(parts)) if parts[i].split(" ", 1)[0] not in _MARKERS]
        if spots and rng.random() < 0.7:
            i = rng.choice(spots)
            aside = persona.draw(rng, "aside", B.VERBOSE_ASIDES)
            first_word = parts[i].split(" ", 1)[0]
            keep_case = first_word in ("I", "I'm", "I've", "I'd") or first_word[:1].isdigit()
            parts[i] = f"{aside} {parts[i] if keep_case else parts[i][0].lower() + parts[i][1:]}"
        elif rng.random() < 0.5:
            parts.append(st_detail(rng))
        return " ".join(parts)
    if style == "guarded":
        parts = [p for p in _SENTENCES.split(text) if p][:2]
        hedge = persona.draw(rng, "hedge", B.GUARDED_HEDGES)
        return f"{hedge} {' '.join(parts)}" if rng.random() < 0.6 else " ".join(parts)
    if style == "humorous":
        return f"{text} {persona.draw(rng, 'joke', B.HUMOUR)}" if rng.random() < 0.5 else text
    if style == "non_native":
        out = text
        for rx, rep in _NON_NATIVE_SUBS:
            if rng.random() < 0.8:
                out = rx.sub(rep, out)
        out = _ARTICLE.sub(lambda m: "" if rng.random() < 0.35 else m.group(0), out)
        if first and rng.random() < 0.25:
            out = "Sorry, my English is not perfect. " + out
        return out
    return text


# ------------------------------------------------------------------------------------------
# the dialogue writer
# ------------------------------------------------------------------------------------------


@dataclass
class _State:
    rng: random.Random
    concern: B.Concern
    persona: Persona
    client: Bag
    counsellor: Bag
    said: set[str] = field(default_factory=set)
    used: dict[str, set[str]] = field(default_factory=dict)
    background_used: bool = False
    reply_key: str = "open_question"
    templates: set[str] = field(default_factory=set)  # counsellor templates used so far


def _client_bag(rng: random.Random, c: B.Concern, p: Persona) -> Bag:
    values: dict[str, Any] = {k: list(v) for k, v in B.GLOBAL_SLOTS.items()}
    values.update({k: list(v) for k, v in c.slots.items()})
    values.update(
        feeling=list(c.feelings), feeling2=list(c.feelings), impact=list(c.impacts),
        thought=list(c.thoughts), want=list(c.wants), change=list(c.changes),
        counter=list(c.counter), history=list(c.history), detail=list(B.CLIENT_DETAILS),
        ambivalence=list(B.AMBIVALENCE), activity=list(B.ACTIVITIES),
        scale=["three", "four", "five", "six", "seven", "eight"],
        impact_s=list(B.CLIENT_IMPACT), thought_s=list(B.CLIENT_THOUGHT),
        want_s=list(B.CLIENT_WANT), age=Lit(str(p.age)), role_np=Lit(p.role),
        country=list(B.COUNTRIES),
    )  # fmt: skip
    return Bag(rng, values, fresh=CLIENT_FRESH)


def _counsellor_bag(rng: random.Random, c: B.Concern) -> Bag:
    burden = rng.choice(c.burden)
    values: dict[str, Any] = {
        "burden": burden,
        "burden_cap": burden[0].upper() + burden[1:],
        "psychoed": list(c.psychoed),
        "coping": list(c.coping),
        "topic": list(c.topic),
        "change": list(c.changes),
    }
    return Bag(rng, values)


def _sync(st: _State) -> None:
    """Give the counsellor what the client has said so far (second person)."""
    for name, value in st.client.picked.items():
        if name in CLIENT_FRESH:
            continue
        st.counsellor.values[name] = Lit(
            value if name in ("thought", "feeling", "feeling2") else to_second_person(value)
        )
        st.counsellor.picked.pop(name, None)
        if name in SAID_SLOTS:
            st.said.add(name)
    feeling = st.client.picked.get("feeling")
    if feeling is not None:
        st.counsellor.values["feeling_noun"] = Lit(B.FEELING_NOUNS.get(feeling, "distress"))
    want = st.counsellor.values.get("want")
    if isinstance(want, Lit):
        st.counsellor.values["want_short"] = Lit(f"your wish to {want}")
    else:
        st.counsellor.values.setdefault("want_short", "the things you'd like to change")


def _rotate(st: _State) -> None:
    """Before a client turn: used picks make room for new ones (the client says new things)."""
    for name in ROTATE:
        if name in st.client.picked:
            used = st.used.setdefault(name, set())
            used.add(st.client.picked[name])
            pool = list(getattr(st.concern, _POOL[name]))
            fresh = [v for v in pool if v not in used] or pool
            st.client.set(name, fresh)


_POOL = {
    "impact": "impacts", "thought": "thoughts", "want": "wants", "change": "changes",
    "counter": "counter", "feeling2": "feelings",
}  # fmt: skip


def _shingles(text: str, k: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z']+", text.lower())
    return {tuple(words[i : i + k]) for i in range(max(0, len(words) - k + 1))}


def _disclosure(st: _State, situation: str) -> str:
    """The client's first turn: situation and feeling always; opener, self-introduction,
    background and extra sentences depending on persona style and length."""
    rng, b = st.rng, st.client
    style, length = st.persona.style, st.persona.length
    sit = b.expand(situation)
    feeling = b.pick(B.CLIENT_FEELING)
    if style == "terse":
        short = sit if rng.random() < 0.7 else f"{sit} {feeling}"
        return _style(tidy(short), st.persona, rng, first=False)
    if style == "guarded":
        said = sit if rng.random() < 0.5 else f"{sit} {feeling}"
        return tidy(f"{st.persona.draw(rng, 'hedge', B.GUARDED_HEDGES)} {said}")
    parts: list[str] = []
    opener = b.pick(B.CLIENT_OPENERS)
    if opener:
        parts.append(opener)
    if rng.random() < 0.25:
        intro = b.pick(B.CLIENT_SELF_INTRO)
        if intro:
            parts.append(intro)
    if st.persona.background_text and rng.random() < 0.4:
        bg = b.expand(st.persona.background_text)
        if not _shingles(bg) & _shingles(sit):
            parts.append(bg)
            st.background_used = True
    core = [sit, feeling]
    if rng.random() < 0.35:
        core.reverse()
    parts.extend(core)
    extra = {"short": 0, "medium": 1, "long": 2}[length] + (rng.random() < 0.4)
    pool = [B.CLIENT_IMPACT, B.CLIENT_THOUGHT, B.CLIENT_WANT, st.concern.history]
    for blocks in rng.sample(pool, k=min(extra, len(pool))):
        parts.append(b.pick(blocks))
    return _style(tidy(" ".join(p for p in parts if p)), st.persona, rng, first=True)


def _eligible(
    templates: tuple[str, ...], said: set[str], used: set[str] | None = None
) -> list[str]:
    """Templates whose quoted slots the client has voiced; unused ones first (a template
    is repeated in a dialogue only when every eligible one has been used)."""
    ok = [t for t in templates if (slot_names(t) & SAID_SLOTS) <= said]
    fresh = [t for t in ok if not used or t not in used]
    return fresh or ok


def _pick_technique(
    st: _State, k: int, n: int, allowed: list[str], prev: str | None
) -> tuple[str, list[str]]:
    rng = st.rng
    if k == 0:
        pool = [t for t in FIRST_TECHNIQUES if t in allowed] or list(allowed)
    elif k == n - 1 and "summarising" in allowed and n >= 3 and rng.random() < 0.5:
        pool = ["summarising"]
    else:
        pool = [t for t in allowed if t != prev] or list(allowed)
    options = [(t, _eligible(B.TECHNIQUES[t], st.said, st.templates)) for t in pool]
    options = [(t, tpls) for t, tpls in options if tpls]
    if not options:  # e.g. only reframing allowed and no thought voiced yet: any allowed
        options = [(t, _eligible(B.TECHNIQUES[t], st.said)) for t in allowed]
        options = [(t, tpls) for t, tpls in options if tpls]
    if not options:  # nothing allowed is usable yet: an open question always is
        return "open_question", _eligible(B.TECHNIQUES["open_question"], st.said)
    affinity = AFFINITY.get(st.concern.name, ())
    weights = [3.0 if t in affinity else 1.0 for t, _ in options]
    return rng.choices(options, weights)[0]


def _counsellor_turn(
    st: _State, technique: str, templates: list[str], allowed: list[str]
) -> tuple[str, list[str]]:
    rng, b = st.rng, st.counsellor
    used = [technique]
    parts = []
    ack = rng.choice(B.ACKS)
    if ack:
        parts.append(ack)
    if technique not in ("reflection", "validation", "summarising") and rng.random() < 0.3:
        pre = rng.choice([t for t in ("reflection", "validation") if t in allowed] or [technique])
        pre_t = _eligible(B.TECHNIQUES[pre], st.said, st.templates) if pre != technique else []
        if pre_t:
            pre_template = rng.choice(pre_t)
            st.templates.add(pre_template)
            parts.append(b.expand(pre_template))
            used.insert(0, pre)
    template = rng.choice(templates)
    st.templates.add(template)
    parts.append(b.expand(template))
    for name in ("psychoed", "coping"):  # never the same fact or tip twice in a dialogue
        if name in b.picked:
            pool = (
                [v for v in b.values[name] if v != b.picked[name]]
                if isinstance(b.values[name], list)
                else []
            )
            if pool:
                b.set(name, pool)
    st.reply_key = technique
    if technique == "motivational_interviewing":
        st.reply_key = "motivational_interviewing" if "ten" in template else "mi_open"
    if technique in ("cbt_reframe", "problem_solving", "motivational_interviewing"):
        follow = rng.choice(B.FOLLOW_UPS)
        if follow:
            parts.append(follow)
    return tidy(" ".join(parts)), used


def _client_turn(st: _State, technique: str, closing: bool = False) -> str:
    rng, b = st.rng, st.client
    _rotate(st)
    text = b.pick(B.CLIENT_REPLIES[technique])
    if closing:
        text = f"{text} {b.pick(B.CLIENT_CLOSINGS)}"
    elif (
        not st.background_used
        and st.persona.background_text
        and technique in ("open_question", "reflection", "validation")
        and rng.random() < 0.3
    ):
        text = f"{text} {b.expand(st.persona.background_text)}"
        st.background_used = True
    return _style(tidy(text), st.persona, rng, first=False)


def generate(
    index: int, rng: random.Random, opts: dict[str, Any], concern: str | None = None
) -> tuple[Sample, _State]:
    """One dialogue; ``concern`` forces the presenting concern (used by ``grounded``)."""
    concerns = opts.get("concerns") or DEFAULTS["concerns"]
    allowed = list(opts.get("techniques") or DEFAULTS["techniques"])
    lo = int(opts.get("min_exchanges", DEFAULTS["min_exchanges"]))
    hi = int(opts.get("max_exchanges", DEFAULTS["max_exchanges"]))
    c = B.CONCERNS[concern or rng.choice(concerns)]
    persona = make_persona(rng, c.name)
    sit_i = rng.randrange(len(c.situations))
    situation, short = c.situations[sit_i]
    client = _client_bag(rng, c, persona)
    st = _State(rng, c, persona, client, _counsellor_bag(rng, c))
    messages: list[dict[str, str]] = []
    if opts.get("system_prompt"):
        messages.append(turn("system", rng.choice(B.SYSTEM_PROMPTS)))
    counsellor_first = rng.random() < 0.3
    if counsellor_first:
        messages.append(turn("assistant", rng.choice(B.COUNSELLOR_OPENERS)))
    messages.append(turn("user", _disclosure(st, situation)))
    st.counsellor.values["short"] = Lit(to_second_person(client.expand(short)))
    _sync(st)
    n = rng.randint(lo, hi)
    techniques: list[list[str]] = []
    prev: str | None = None
    for k in range(n):
        tech, templates = _pick_technique(st, k, n, allowed, prev)
        text, used = _counsellor_turn(st, tech, templates, allowed)
        messages.append(turn("assistant", text))
        techniques.append(used)
        prev = tech
        if k < n - 1:
            messages.append(turn("user", _client_turn(st, st.reply_key)))
            _sync(st)
    if rng.random() < 0.6:
        messages.append(turn("user", _client_turn(st, st.reply_key, closing=True)))
        st.counsellor.values.setdefault("coping", list(c.coping))
        messages.append(turn("assistant", tidy(st.counsellor.pick(B.COUNSELLOR_CLOSINGS))))
        techniques.append(["closing"])
    group = f"dialogues-{c.name}-s{sit_i:02d}"
    meta = {
        "concern": c.name,
        "situation": sit_i,
        "persona": persona.to_meta(),
        "techniques": techniques,
        "exchanges": n,
        "counsellor_first": counsellor_first,
        "family": group,
    }
    return Sample(messages=messages, group=group, meta=meta, label=0), st
