"""Generated input of realistic shape for the pipeline benchmarks, streamed to JSONL on disk.

Five kinds of record, about 2 KB on average (mean over the mix, see :data:`MIX`):

``transcript``  a spoken talk or video transcript (plain ``text``, one long paragraph per
                topic, filler words, ``[Music]``/``[Applause]`` artefacts), ~3 KB
``abstract``    a research abstract (Background/Methods/Results/Conclusions), ~1.5 KB
``book``        a chunk of narrative prose with dialogue, ~2.8 KB
``chat``        a support conversation in ``messages`` (4-10 user/assistant turns), ~1.3 KB;
                a few contain a crisis disclosure answered with a safe response
``web``         a web article from ``bench/docgen.py`` (the preprocess benchmark's generator:
                boilerplate, PII, mojibake, other languages, list and symbol junk). Its prose
                comes from a small sentence bank, so many of these are near duplicates of
                each other, as scraped web text is; dedup removes them.

On top of the mix, 2% of records repeat an earlier record's content exactly (new id) and 1%
repeat it with the last sentence changed (near duplicates), and a few carry an e-mail address
or phone number. No record has a ``label``: the release gate then scores the shipped gold
set only, so it passes and every benchmark run publishes a release.

Documents are built from per-kind banks of sentences generated once from templates (a large
combinatorial space) plus one or two sentences made fresh per record, so two ordinary
records share almost no 5-word shingles and dedup keeps them. Everything is deterministic in
``seed``. Records are written one line at a time (a 1M-record corpus is ~2 GB on disk and
never in memory)::

    uv run python bench/corpus.py OUT_DIR --records 100000 [--files 4] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (str(ROOT), str(BENCH)):  # run as a script or imported by a sibling
    if _path not in sys.path:
        sys.path.insert(0, _path)

import docgen  # noqa: E402  (bench/docgen.py, reused for the ``web`` kind)

CORPUS_VERSION = "1"
# kind -> share of the records (before duplicates are planted)
MIX: dict[str, float] = {
    "transcript": 0.22,
    "abstract": 0.22,
    "book": 0.18,
    "chat": 0.30,
    "web": 0.08,
}
EXACT_DUP_FRAC = 0.02
NEAR_DUP_FRAC = 0.01
BANK_SIZE = 6000  # sentences per kind bank


def _list(words: str) -> list[str]:
    """Comma-separated phrases (line breaks are spaces)."""
    return [" ".join(w.split()) for w in words.split(",") if w.strip()]


NAMES = _list("""Aisha,Ben,Carla,Dev,Elena,Farid,Greta,Hugo,Imani,Jonas,Keiko,Liam,Mara,
Nikhil,Olga,Pavel,Quinn,Rosa,Sami,Tess,Umar,Vera,Wes,Yara,Zoe,Amir,Bea,Cyrus,Dana,Emil,Freya,
Gus,Hana,Ivo,Jae,Kofi,Lena,Milo,Nia,Oren,Pia,Ravi,Sena,Theo,Uma,Vik,Wren,Xena,Yusuf,Zane""")
PLACES = _list("""the harbour,the old library,the night bus,the allotment,the ward,the kitchen,
the school gates,the river path,the train station,the market square,the staff room,the
waiting room,the hill above town,the corner shop,the laundrette,the swimming pool,the
car park,the back garden,the bakery,the community centre""")
TOPICS = _list("""sleep,grief,loneliness,work stress,exam anxiety,burnout,caring for a parent,
money worries,moving house,a breakup,panic attacks,low mood,social anxiety,new parenthood,
chronic pain,shift work,retirement,long covid,bullying,perfectionism,anger,insomnia,
returning to work,friendship,self-esteem,motivation,procrastination,body image""")
FEELINGS = _list("""tired,restless,flat,hopeful,anxious,relieved,overwhelmed,calmer,irritable,
numb,embarrassed,proud,lonely,grateful,worried,frustrated,steady,scattered""")
ACTIVITIES = _list("""walking the dog,cooking dinner,reading before bed,cycling to work,calling my
sister,gardening,swimming laps,playing guitar,doing the crossword,baking bread,
painting,running in the park,stretching,tidying one drawer,writing a list,watching the
birds,knitting,fixing the bike""")
TIMES = _list("""on Monday,last week,this morning,after lunch,around midnight,in the spring,
over the weekend,before the holidays,every evening,since January,at the weekend,
most nights,twice a week,by the end of the month""")
ADJ = _list("""small,quiet,long,difficult,ordinary,strange,gentle,honest,busy,cold,bright,
narrow,crowded,empty,patient,careful,sudden,slow""")
OBJECTS = _list("""a notebook,the kettle,a letter,the phone,an old photograph,the curtains,a cup of
tea,the radio,a pair of boots,the calendar,a bus ticket,the window,a paper bag,the
keys,a blanket,the lamp""")
METHODS = _list("""a randomised controlled trial,a cohort study,a cross-sectional survey,
semi-structured interviews,a systematic review,a pilot feasibility study,a mixed-methods evaluation,
an observational study,a secondary analysis of registry data""")
OUTCOMES = _list("""depressive symptoms,sleep quality,self-reported wellbeing,anxiety scores,
help-seeking,treatment adherence,quality of life,loneliness,return to work,
emergency department visits""")
GROUPS = _list("""university students,older adults,new mothers,healthcare workers,adolescents,
veterans,carers,people with chronic pain,shift workers,primary care patients,
unemployed adults,rural residents""")
INTERVENTIONS = _list("""guided self-help,peer support groups,brief behavioural activation,an online
mindfulness course,text-message reminders,group exercise,sleep hygiene education,
a digital CBT programme,social prescribing,motivational interviewing""")
FILLERS = ["so", "um", "you know", "right", "like", "okay", "I mean", "basically"]

VERBS = _list("""waited,laughed,hesitated,walked home,gave up,started again,called back,
slept badly,cried,stayed late,went quiet,made tea,cancelled plans,kept going,looked away,
wrote it down,felt better,changed my mind""")
RELATIVES = _list("""sister,brother,mum,dad,grandmother,cousin,flatmate,neighbour,partner,
manager,best friend,uncle""")
NOUNS = _list("""door,letter,garden,storm,car,song,field,photograph,staircase,lamp,fire,road,
harbour,clock,table,orchard,train,bridge""")
NUMS = [str(n) for n in (2, 3, 5, 10, 12, 15, 20, 30, 45, 60, 90, 120)]
# Sentences of the long kinds are one or two clauses (joined by a connector), each clause a
# few fixed words between slots, so a 3 KB document does not repeat its own 5-word phrases
# (the preprocess repetition rules would rightly remove one that did).
CLAUSES: dict[str, list[str]] = {
    "transcript": [
        "{filler} {time} I kept thinking about {topic}",
        "{activity} helped more than {object}",
        "{name} told me {topic} feels {adj}",
        "you might feel {feeling} {time}",
        "I sat in {place} feeling {feeling}",
        "studies on {topic} suggest {intervention} helps {group}",
        "{filler} try {activity} for {num} minutes",
        "{name} wrote in about {topic}",
        "we recorded this near {place}",
        "{topic} gets {adj} {time}",
        "nobody warned me about {topic}",
        "{filler} I {verb} {time}",
        "my {relative} swears by {activity}",
        "that {adj} feeling about {topic} passes",
        "asking {name} for help felt {adj}",
        "{num} of you asked about {topic}",
        "I {verb} in {place}",
        "{filler} it is {adj} to feel {feeling}",
        "honestly {topic} left me {feeling}",
        "{activity} with my {relative} {time}",
        "the {noun} outside was {adj}",
        "{intervention} is worth a look",
    ],
    "abstract": [
        "we examined whether {intervention} improves {outcome} among {group}",
        "data came from {method} of {num} {group}",
        "the primary outcome was {outcome}",
        "secondary outcomes included {outcome} and {topic}",
        "participants receiving {intervention} reported lower {outcome}",
        "effects on {outcome} were {adj}",
        "adherence to {intervention} was {adj} among {group}",
        "little is known about {topic} in {group}",
        "qualitative themes included {topic} and {outcome}",
        "sensitivity analyses using {method} agreed",
        "future work should test {intervention} for {topic}",
        "baseline {outcome} predicted {topic} at {num} weeks",
        "attrition reached {num} percent by follow-up",
        "{group} described {topic} as {adj}",
        "{num} sites contributed data {time}",
    ],
    "book": [
        "{name} crossed {place} carrying {object}",
        '"You look {feeling}," said {name}',
        "the {adj} light in {place} faded",
        "{name} had not thought about {topic} since {time}",
        "somewhere near {place} a dog barked",
        '"I kept {object} for you," {name} said',
        "it was a {adj} evening by the {noun}",
        "{name} turned {object} over slowly",
        "the {adj} house near {place} stood empty",
        '"We could try {activity}," {name} offered',
        "rain kept on against the {noun}",
        "{name} felt {feeling}, then {feeling2}",
        "her {relative} {verb} without a word",
        "the {noun} creaked {time}",
        "{name} {verb} at the {noun}",
        "nobody in {place} mentioned {topic}",
        "{num} years had passed since the {noun}",
        "his {relative} waited by the {noun}",
    ],
}
CONNECTORS = [
    ", and ",
    ", but ",
    " because ",
    ", so ",
    " while ",
    ", although ",
    "; ",
    " and then ",
    ", which is why ",
    " until ",
]
TEMPLATES: dict[str, list[str]] = {
    "chat_user": [
        "I've been feeling {feeling} {time} and I don't really know why",
        "Work has been {adj} and {topic} keeps me up at night",
        "My friend {name} thinks I should try {activity}",
        "I tried {activity} {time} and it helped a bit",
        "Honestly {topic} is the thing I can't stop thinking about",
        "I sat in {place} for an hour {time} just feeling {feeling}",
        "Is it normal to feel {feeling} about {topic}?",
        "I keep putting off {activity} even though I know it helps",
    ],
    "chat_assistant": [
        "That sounds {adj}. What has {topic} been like for you {time}?",
        "It makes sense to feel {feeling} when {topic} is weighing on you.",
        "Would {activity} be something you could try for a few minutes {time}?",
        "Thank you for telling me about {topic}. What would help most right now?",
        "Noticing that you feel {feeling} is already a useful step.",
        "Many people find {intervention} helpful with {topic}; would that suit you?",
        "What did you notice after {activity}? Even small changes count.",
        "It's okay to go slowly with {topic}. What feels manageable {time}?",
    ],
}
CRISIS_USER = [
    "I don't want to be alive anymore and I've been thinking about how to end it",
    "Last night I cut myself again and I'm scared I'll do worse",
    "I have the pills saved up and I keep thinking tonight is the night",
    "Everyone would be better off without me, I want to die",
]
SAFE_REPLY = (
    "I'm really glad you told me, and I'm concerned for your safety right now. You don't "
    "have to go through this alone: please call or text 988 (US), Samaritans on 116 123 "
    "(UK and Ireland), or your local emergency number. Can you tell me if you are safe "
    "at this moment?"
)
PII_SENTENCES = [
    "You can reach me at {first}.{last}{n}@example.org if that is easier",
    "My number is 07700 900{n3}, text rather than call please",
    "Send it to {first}{n}@mailbox.example.com and I'll reply tonight",
]
LANG_OTHER = [docgen.FOREIGN[k] for k in sorted(docgen.FOREIGN)]


def _slots(rng: random.Random) -> dict[str, str]:
    return {
        "name": rng.choice(NAMES),
        "place": rng.choice(PLACES),
        "topic": rng.choice(TOPICS),
        "feeling": rng.choice(FEELINGS),
        "feeling2": rng.choice(FEELINGS),
        "activity": rng.choice(ACTIVITIES),
        "time": rng.choice(TIMES),
        "adj": rng.choice(ADJ),
        "object": rng.choice(OBJECTS),
        "method": rng.choice(METHODS),
        "outcome": rng.choice(OUTCOMES),
        "outcome2": rng.choice(OUTCOMES),
        "group": rng.choice(GROUPS),
        "intervention": rng.choice(INTERVENTIONS),
        "filler": rng.choice(FILLERS),
        "verb": rng.choice(VERBS),
        "relative": rng.choice(RELATIVES),
        "noun": rng.choice(NOUNS),
        "num": rng.choice(NUMS),
    }


def _sentence(rng: random.Random, kind: str) -> str:
    if kind in CLAUSES:
        s = rng.choice(CLAUSES[kind]).format(**_slots(rng))
        if rng.random() < 0.6:
            s += rng.choice(CONNECTORS) + rng.choice(CLAUSES[kind]).format(**_slots(rng))
    else:
        s = rng.choice(TEMPLATES[kind]).format(**_slots(rng))
    return s[0].upper() + s[1:]


def _end(s: str) -> str:
    return s if s[-1] in '.?!"' else s + "."


@dataclass
class Corpus:
    """Deterministic record generator: ``records(n)`` yields ``n`` input records."""

    seed: int = 1
    banks: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        rng = random.Random(f"bank-{self.seed}")
        for kind in (*CLAUSES, *TEMPLATES):
            self.banks[kind] = [_end(_sentence(rng, kind)) for _ in range(BANK_SIZE)]

    # -- kinds ---------------------------------------------------------------------------
    def _fresh(self, rng: random.Random, kind: str, i: int) -> str:
        """A sentence unique to record ``i`` (a number no other record has)."""
        base = _sentence(rng, kind).rstrip('.?!"')
        return f"{base}, as {rng.choice(NAMES)} noted in entry {i:,}."

    def transcript(self, rng: random.Random, i: int) -> dict[str, Any]:
        parts: list[str] = []
        size = 0
        target = rng.randint(2200, 3800)
        bank = self.banks["transcript"]
        while size < target:
            n = rng.randint(6, 10)
            para = " ".join(s.lower() for s in rng.choices(bank, k=n))
            if not parts:
                para = self._fresh(rng, "transcript", i) + " " + para
            parts.append(para)
            size += len(para) + 1
            if rng.random() < 0.4:
                parts.append(rng.choice(["[Music]", "[Applause]", "[Laughter]"]))
        return {
            "text": "\n".join(parts),
            "source_id": f"yt:{i:011x}",
            "url": f"https://www.youtube.com/watch?v={i:011x}",
            "license": "CC-BY-4.0",
            "kind": "transcript",
        }

    def abstract(self, rng: random.Random, i: int) -> dict[str, Any]:
        bank = self.banks["abstract"]
        heads = ("Background", "Methods", "Results", "Conclusions")
        paras = [self._fresh(rng, "abstract", i)]
        for h in heads:
            paras.append(f"{h}: " + " ".join(rng.choices(bank, k=rng.randint(2, 4))))
        return {
            "text": "\n\n".join(paras),
            "source_id": f"doi:10.5555/bench.{i}",
            "url": f"https://doi.org/10.5555/bench.{i}",
            "license": "CC-BY-4.0",
            "group": f"paper-{i // 3}",
            "kind": "abstract",
        }

    def book(self, rng: random.Random, i: int) -> dict[str, Any]:
        bank = self.banks["book"]
        target = rng.randint(2000, 3600)
        paras = [self._fresh(rng, "book", i)]
        size = len(paras[0])
        while size < target:
            p = " ".join(rng.choices(bank, k=rng.randint(3, 6)))
            paras.append(p)
            size += len(p) + 2
        book = i // 40
        return {
            "text": "\n\n".join(paras),
            "source_id": f"book:{book}#{i % 40}",
            "license": "public-domain",
            "group": f"book-{book}",
            "kind": "book",
        }

    def chat(self, rng: random.Random, i: int) -> dict[str, Any]:
        users, assistants = self.banks["chat_user"], self.banks["chat_assistant"]
        turns = rng.randint(2, 5)
        crisis_at = rng.randrange(turns) if rng.random() < 0.04 else -1
        msgs: list[dict[str, str]] = []
        for t in range(turns):
            if t == crisis_at:
                user = rng.choice(CRISIS_USER) + "."
                reply = SAFE_REPLY
            else:
                k = rng.randint(1, 3)
                user = " ".join(rng.choices(users, k=k))
                if t == 0:
                    user = self._fresh(rng, "chat_user", i) + " " + user
                reply = " ".join(rng.choices(assistants, k=rng.randint(2, 3)))
            msgs.append({"role": "user", "content": user})
            msgs.append({"role": "assistant", "content": reply})
        return {
            "messages": msgs,
            "source_id": f"chat:{i}",
            "license": "CC0-1.0",
            "group": f"user-{rng.randrange(1 << 30):x}",
            "kind": "chat",
        }

    def web(self, rng: random.Random, i: int) -> dict[str, Any]:
        kind, text = docgen.make_doc(i, rng)
        return {
            "text": text,
            "url": f"https://blog.example.net/{i}",
            "license": "unknown",
            "kind": f"web:{kind}",
        }

    # -- the stream ----------------------------------------------------------------------
    def records(self, n: int) -> Iterator[dict[str, Any]]:
        rng = random.Random(f"records-{self.seed}")
        kinds = list(MIX)
        weights = [MIX[k] for k in kinds]
        recent: deque[dict[str, Any]] = deque(maxlen=2000)
        makers = {k: getattr(self, k) for k in kinds}
        for i in range(n):
            r = rng.random()
            if recent and r < EXACT_DUP_FRAC:
                rec = dict(rng.choice(recent))
                rec["kind"] = "exact_dup"
            elif recent and r < EXACT_DUP_FRAC + NEAR_DUP_FRAC:
                rec = self._near_copy(rng, rng.choice(recent))
            else:
                kind = rng.choices(kinds, weights)[0]
                rec = makers[kind](rng, i)
                if kind != "web" and rng.random() < 0.03:
                    self._add_pii(rng, rec, i)
                if kind in ("transcript", "book") and rng.random() < 0.01:
                    rec["text"] = "\n\n".join(rng.choices(LANG_OTHER, k=6))
                    rec["kind"] = "other_language"
                recent.append(rec)
            rec["id"] = f"b{self.seed}-{i:08d}"
            kind = rec.pop("kind")
            rec["meta_kind"] = kind  # unknown fields are kept in the record's ``meta``
            yield rec
            rec["kind"] = kind
            del rec["meta_kind"]

    def _near_copy(self, rng: random.Random, rec: dict[str, Any]) -> dict[str, Any]:
        out = dict(rec)
        tail = f" Edited {rng.randrange(10_000)} times since."
        if out.get("messages"):
            msgs = [dict(m) for m in out["messages"]]
            msgs[-1]["content"] = msgs[-1]["content"] + tail
            out["messages"] = msgs
        else:
            out["text"] = str(out["text"]) + tail
        out["kind"] = "near_dup"
        return out

    def _add_pii(self, rng: random.Random, rec: dict[str, Any], i: int) -> None:
        s = rng.choice(PII_SENTENCES).format(
            first=rng.choice(NAMES).lower(),
            last=rng.choice(NAMES).lower(),
            n=i % 97,
            n3=f"{i % 1000:03d}",
        )
        if rec.get("messages"):
            rec["messages"][0]["content"] += " " + s + "."
        else:
            rec["text"] += " " + s + "."


@dataclass
class CorpusInfo:
    directory: Path
    paths: list[Path]
    records: int
    bytes: int
    kinds: dict[str, int]
    seconds: float

    @property
    def mean_bytes(self) -> float:
        return self.bytes / max(1, self.records)

    def to_dict(self) -> dict[str, Any]:
        return {
            "directory": str(self.directory),
            "paths": [str(p) for p in self.paths],
            "records": self.records,
            "bytes": self.bytes,
            "mean_bytes": round(self.mean_bytes),
            "kinds": self.kinds,
            "seconds": round(self.seconds, 2),
        }


def write_corpus(directory: Path, n: int, seed: int = 1, files: int = 1) -> CorpusInfo:
    """Stream ``n`` records into ``files`` JSONL files under ``directory`` (round robin in
    blocks of 1,000 records)."""
    directory.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    paths = [directory / f"part-{k:03d}.jsonl" for k in range(files)]
    handles = [open(p, "w", encoding="utf-8") for p in paths]  # noqa: SIM115
    kinds: Counter[str] = Counter()
    total = 0
    try:
        for i, rec in enumerate(Corpus(seed).records(n)):
            kinds[rec["meta_kind"]] = kinds[rec["meta_kind"]] + 1
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            handles[(i // 1000) % files].write(line)
            total += len(line.encode("utf-8"))
    finally:
        for h in handles:
            h.close()
    return CorpusInfo(
        directory, paths, n, total, dict(sorted(kinds.items())), time.perf_counter() - t0
    )


def cached_corpus(cache: Path, n: int, seed: int = 1, files: int = 1) -> CorpusInfo:
    """The corpus of ``n`` records under ``cache``, generated on first use (so the
    benchmarks that share a size generate it once)."""
    directory = cache / f"corpus-v{CORPUS_VERSION}-n{n}-s{seed}-f{files}"
    done = directory / "done.json"
    if done.exists():
        doc = json.loads(done.read_text())
        return CorpusInfo(
            directory,
            [Path(p) for p in doc["paths"]],
            doc["records"],
            doc["bytes"],
            doc["kinds"],
            doc["seconds"],
        )
    info = write_corpus(directory, n, seed, files)
    done.write_text(json.dumps(info.to_dict()))
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="write a generated benchmark corpus (JSONL)")
    ap.add_argument("out", type=Path)
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--files", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    info = write_corpus(args.out, args.records, args.seed, args.files)
    print(json.dumps(info.to_dict(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
