"""The contextual stage: the shipped fine-tuned MiniLM artifact and how the detector uses it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

import pytest

from pipeline.config import ConfigError, from_dict
from pipeline.safety import CrisisDetector, default_detector
from pipeline.safety.contextual import (
    DEFAULT_DIR,
    MAX_WINDOWS,
    WINDOW,
    ContextualClassifier,
    Reading,
    load_contextual,
)
from pipeline.safety.detector import CONTEXT_BAND
from pipeline.safety.scorer import DEFAULT_ARTIFACT, CrisisScorer
from pipeline.synthetic import builtin_samples, validate_options


@pytest.fixture(scope="module")
def ctx() -> ContextualClassifier:
    return load_contextual()


@pytest.fixture(scope="module")
def full() -> CrisisDetector:
    return default_detector("contextual")


class Fixed:
    """A classifier that answers a fixed probability and records what it was asked."""

    version = "fixed"

    def __init__(self, p: float, windows: int = 1) -> None:
        self.p = p
        self.n = windows
        self.asked: list[str] = []

    def read(self, texts: Sequence[str]) -> list[Reading]:
        self.asked.extend(texts)
        return [Reading(self.p, self.n)] * len(texts)


def test_artifact_matches_its_manifest() -> None:
    manifest = json.loads((DEFAULT_DIR / "manifest.json").read_text())
    assert manifest["format"] == "crisis-contextual"
    for name, sha in manifest["files"].items():
        assert hashlib.sha256((DEFAULT_DIR / name).read_bytes()).hexdigest() == sha, name
    # trained on what the repository may hold; never on the gold set the gate grades with
    assert set(manifest["train_files"]) == {"curated_phrases.csv", "crisis_train.csv"}
    assert (DEFAULT_DIR / "model.onnx").stat().st_size < 30_000_000


def test_default_detector_kinds(full: CrisisDetector) -> None:
    fast = default_detector("rules")
    assert full.contextual is not None and fast.contextual is None
    assert full.name.endswith("+contextual") and not fast.name.endswith("+contextual")
    assert full.version != fast.version  # annotations made by either are told apart
    assert full is default_detector()  # the default kind is contextual
    with pytest.raises(ValueError, match="detector kind"):
        default_detector("transformer")


def test_config_key_annotate_detector() -> None:
    src = {"source": {"paths": ["x.jsonl"]}}
    assert from_dict(src).annotate.detector == "contextual"
    assert from_dict({**src, "annotate": {"detector": "rules"}}).annotate.detector == "rules"
    with pytest.raises(ConfigError, match=r"annotate\.detector"):
        from_dict({**src, "annotate": {"detector": "bert"}})


# Written for this test: crisis said without any crisis keyword, and distress without risk.
IMPLICIT = [
    "I already wrote a letter for each of my kids and left them in the drawer for after.",
    "tonight is the last time anyone has to deal with me, I've made my peace with it",
]
BENIGN = [
    "Exams are crushing me this week but I'll survive, just need coffee and sleep.",
    "My grandmother passed away peacefully last spring and I still miss her cooking.",
]


def test_reads_implicit_crisis_and_benign_distress(ctx: ContextualClassifier) -> None:
    probs = ctx.probs(IMPLICIT + BENIGN)
    assert all(p >= 0.5 for p in probs[: len(IMPLICIT)]), probs
    assert all(p < 0.5 for p in probs[len(IMPLICIT) :]), probs


def test_long_text_is_read_in_windows(ctx: ContextualClassifier) -> None:
    filler = "We talked about the garden, the weather and the new bus timetable. " * 40
    crisis = (
        "I already wrote a letter for each of my kids and left them in the drawer for after. "
        "I gave my dog to my neighbour yesterday and cancelled next month's appointments. "
        "Tonight is the last time anyone has to deal with me. I have made my peace with it."
    )
    late = filler + crisis
    assert len(ctx.windows(late)) > 1
    assert all(len(w) <= WINDOW + 2 for w in ctx.windows(late))
    # the disclosure at the end of a long text is read, not truncated away
    assert ctx.read([late])[0].prob >= 0.5 > ctx.prob(filler)
    assert ctx.read([late])[0].windows == len(ctx.windows(late))
    assert len(ctx.windows("word " * 100_000)) == MAX_WINDOWS


def test_long_text_can_only_gain(scorer: CrisisScorer) -> None:
    text = "I just want everything to stop"
    cheap = CrisisDetector(scorer=scorer).detect(text)
    assert cheap.crisis and cheap.score < CONTEXT_BAND[1]
    short = CrisisDetector(scorer=scorer, contextual=Fixed(0.0))  # type: ignore[arg-type]
    long = CrisisDetector(scorer=scorer, contextual=Fixed(0.0, windows=3))  # type: ignore[arg-type]
    assert not short.detect(text).crisis  # one window: the classifier may overrule
    assert long.detect(text) == cheap  # several windows: a diluted reading never removes
    up = CrisisDetector(scorer=scorer, contextual=Fixed(1.0, windows=3))  # type: ignore[arg-type]
    assert up.detect(text).score > cheap.score


def test_probs_are_deterministic_and_batch_independent(ctx: ContextualClassifier) -> None:
    texts = IMPLICIT + BENIGN
    one_by_one = [ctx.prob(t) for t in texts]
    assert ctx.probs(texts) == pytest.approx(one_by_one, abs=1e-5)
    assert ctx.probs(texts) == ctx.probs(texts)
    # a text scores the same whatever it is scored with (each window runs alone)
    assert ctx.probs([BENIGN[0], *texts])[1:] == ctx.probs(texts)


@pytest.fixture(scope="module")
def scorer() -> CrisisScorer:
    return CrisisScorer.load(DEFAULT_ARTIFACT)


def test_band_decides_who_is_asked(scorer: CrisisScorer) -> None:
    low, high = CONTEXT_BAND
    fixed = Fixed(1.0)
    det = CrisisDetector(scorer=scorer, contextual=fixed)  # type: ignore[arg-type]
    plain = "We planted tomatoes and basil in the garden this weekend."
    strong = "I am going to kill myself tonight, I have the pills counted out."
    cheap = CrisisDetector(scorer=scorer)
    assert cheap.detect(plain).score < low and cheap.detect(strong).score >= high
    assert not det.detect(plain).crisis and det.detect(strong).crisis
    assert fixed.asked == []  # neither is in doubt: the slow stage is not run
    assert not det.in_doubt(plain) and not det.in_doubt(strong)
    doubt = "honestly what is the point of any of it anymore"
    assert low <= cheap.detect(doubt).score < high and det.in_doubt(doubt)
    det.detect(doubt)
    assert fixed.asked == [doubt]  # in doubt: read, once


def test_in_band_blend_can_raise_and_lower(scorer: CrisisScorer) -> None:
    cheap = CrisisDetector(scorer=scorer)
    low, high = CONTEXT_BAND
    text = next(
        t
        for t in (
            "honestly what is the point of any of it anymore",
            "I keep thinking everyone would be better off without me",
            "I just want everything to stop",
        )
        if low <= cheap.detect(t).score < high
    )
    s = cheap.detect(text).score
    up = CrisisDetector(scorer=scorer, contextual=Fixed(1.0))  # type: ignore[arg-type]
    down = CrisisDetector(scorer=scorer, contextual=Fixed(0.0))  # type: ignore[arg-type]
    v_up, v_down = up.detect(text), down.detect(text)
    assert v_up.score == pytest.approx(round(0.5 * s + 0.5, 4))
    assert v_down.score == pytest.approx(round(0.5 * s, 4))
    assert v_up.crisis and not v_down.crisis
    assert v_up.categories  # a crisis verdict always names a category (or "unspecified")
    assert v_down.categories == () and v_down.spans == ()


def test_detect_many_batches_and_matches_detect(full: CrisisDetector) -> None:
    texts = [*IMPLICIT, *BENIGN, "", "I want to die", "this commute is killing me"]
    assert full.detect_many(texts) == [full.detect(t) for t in texts]


def test_conversation_assistant_turns_skip_the_slow_stage(scorer: CrisisScorer) -> None:
    fixed = Fixed(1.0)
    det = CrisisDetector(scorer=scorer, contextual=fixed)  # type: ignore[arg-type]
    cheap = CrisisDetector(scorer=scorer)
    question = (
        "It sounds like you might be thinking about suicide. Are you planning to kill yourself?"
    )
    user = "I keep thinking everyone would be better off without me"
    assert CONTEXT_BAND[0] <= cheap.detect(question).score
    cv = det.detect_conversation(
        [{"role": "assistant", "content": question}, {"role": "user", "content": user}]
    )
    assert question not in fixed.asked
    assert cv.turns[0] == cheap.detect(question)
    assert cv.record.crisis


@pytest.mark.parametrize(("kind", "ceiling"), [("contextual", 0.28), ("rules", 0.30)])
def test_generated_therapy_dialogues_are_rarely_flagged(kind: str, ceiling: float) -> None:
    """The builtin generator's therapy dialogues hold no crisis by construction; a crisis
    annotation on one is a false alarm, and it usually takes the dialogue out of the train
    split (the counsellor's reply has no safety response). Measured on these 300: 22% with
    the contextual kind, 24% with rules (on the first 1,000: 21% and 23%, against 53% and 38%
    before the counselling-register training batches of 2026-12-06). A regression guard, not
    the target: those batches were written after reading such false alarms, so this is a
    development figure."""
    det = default_detector(kind)
    opts = validate_options(
        {"type": "synthetic", "name": "t", "generator": "dialogues", "seed": 1}, None
    )
    n = 300
    flagged = sum(
        det.detect_conversation(builtin_samples(opts, i)[0].messages).record.crisis
        for i in range(n)
    )
    assert flagged / n <= ceiling
