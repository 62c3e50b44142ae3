"""Tests for the optional crisis scorer (pipeline.safety.scorer) and its combination."""

from __future__ import annotations

import json

import pytest

from pipeline.safety import CrisisDetector, default_detector
from pipeline.safety.detector import UNSPECIFIED
from pipeline.safety.scorer import DEFAULT_ARTIFACT, CrisisScorer
from scripts.train_crisis_scorer import Config, load_corpus, train_artifact

HARD_NEGATIVES = [
    "this commute is killing me",
    "I'd die for pizza",
    "Suicide rates rose 4% last year, researchers said.",
    "Suicide Squad was fun",
    "I'm not suicidal",
    "I attempted when I was 15, I'm doing well now",
]
HARD_POSITIVES = [
    "I don't want to wake up",
    "I counted out the pills",
    "wrote letters to everyone",
    "I might not kill myself today",
]
IDENTITY_TEXTS = [
    "As a Muslim woman I feel like nobody would miss me.",
    "I'm a 19-year-old trans guy living on benefits and I've been saving pills.",
    "Our church youth group raised money for the food bank.",
]


@pytest.fixture(scope="module")
def scorer() -> CrisisScorer:
    return CrisisScorer.load(DEFAULT_ARTIFACT)


@pytest.fixture(scope="module")
def combined(scorer: CrisisScorer) -> CrisisDetector:
    return CrisisDetector(scorer=scorer)


def test_artifact_loads_and_is_small(scorer: CrisisScorer) -> None:
    assert DEFAULT_ARTIFACT.stat().st_size < 5_000_000
    assert 0.0 < scorer.threshold < 1.0
    meta = json.loads(DEFAULT_ARTIFACT.read_text())["meta"]
    # never the gold set: the gate evaluates on it, so training on it would grade itself
    assert meta["trained_on"] == ["curated_phrases.csv", "crisis_train.csv"]
    assert "gold.csv" not in meta["trained_on"]


def test_default_detector_follows_enabled_flag(scorer: CrisisScorer) -> None:
    det = default_detector("rules")
    assert (det.scorer is not None) == scorer.enabled
    if det.scorer is None:
        assert (det.name, det.version) == ("rules", CrisisDetector.version)
    else:  # annotations made with a scorer are told apart (the gate re-checks the version)
        assert det.name == "rules+scorer"
        assert det.version == f"{CrisisDetector.version}+{scorer.digest}"
        assert CrisisDetector().version == CrisisDetector.version


@pytest.mark.parametrize("text", HARD_NEGATIVES + HARD_POSITIVES + ["", "ok", "x" * 3000])
def test_scores_in_unit_interval(scorer: CrisisScorer, combined: CrisisDetector, text: str) -> None:
    p = scorer.prob(text, combined.rule_features(text))
    assert 0.0 <= p <= 1.0
    assert 0.0 <= scorer.scaled(p, 0.5) <= 1.0
    assert 0.0 <= combined.detect(text).score <= 1.0


def test_scaled_is_monotone_and_maps_threshold(scorer: CrisisScorer) -> None:
    xs = [i / 100 for i in range(101)]
    ys = [scorer.scaled(x, 0.5) for x in xs]
    assert ys == sorted(ys)
    assert scorer.scaled(scorer.threshold, 0.5) == pytest.approx(0.5)


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_combination_hard_negatives(combined: CrisisDetector, text: str) -> None:
    v = combined.detect(text)
    assert not v.crisis, (text, v)
    assert v.categories == () and v.spans == ()


@pytest.mark.parametrize("text", HARD_POSITIVES)
def test_combination_hard_positives(combined: CrisisDetector, text: str) -> None:
    v = combined.detect(text)
    assert v.crisis, (text, v)
    assert v.categories


def test_combination_never_removes_rule_verdicts(combined: CrisisDetector) -> None:
    rules = CrisisDetector()
    for text in [*HARD_POSITIVES, "I want to kill myself", "I'm going to end my life tonight"]:
        r, c = rules.detect(text), combined.detect(text)
        assert r.crisis and c.crisis
        assert c.score >= r.score
        assert c.spans == r.spans and c.categories == r.categories


class _Always(CrisisScorer):
    """A scorer that flags everything (to exercise the scorer-only verdict path)."""

    def __init__(self) -> None:
        super().__init__({}, 0.0, 4, 0.5)

    def prob(self, text: str, named: object = None) -> float:
        return 0.99


def test_scorer_only_verdict_has_category_and_maybe_no_spans() -> None:
    det = CrisisDetector(scorer=_Always())
    v = det.detect("the weather is nice today")
    assert v.crisis and v.categories == (UNSPECIFIED,) and v.spans == ()
    v = det.detect("I'm not suicidal")  # downgraded rule hit: its category is the guess
    assert v.crisis and v.categories == ("active_ideation",) and v.spans == ()
    cv = det.detect_conversation([{"role": "user", "content": "the weather is nice"}])
    assert cv.record.crisis and cv.record.categories == (UNSPECIFIED,)


def test_training_is_deterministic() -> None:
    corpus = load_corpus(stride=9)
    cfg = Config(iters=40, n_bits=14, folds=3)
    a, _ = train_artifact(corpus, cfg)
    b, _ = train_artifact(corpus, cfg)
    assert a == b
    obj = json.loads(a)
    assert obj["meta"]["n_train"] == len(corpus.texts)


def test_inference_matches_training_features(
    scorer: CrisisScorer, combined: CrisisDetector
) -> None:
    import numpy as np

    from pipeline.safety.scorer import featurize, predict_proba, scorer_view

    texts = [*HARD_NEGATIVES, *HARD_POSITIVES, *IDENTITY_TEXTS]
    named = [combined.rule_features(t) for t in texts]
    views = [scorer_view(t) for t in texts]
    emb = None if scorer.embedder is None else scorer.embedder.encode(views)
    x = featurize(texts, named, scorer.n_bits, emb=emb, chars=scorer.chars)
    w = np.asarray(scorer._w)
    if scorer.emb_w is not None:
        w = np.concatenate([w, scorer.emb_w.astype(np.float64)])
    expected = predict_proba(x, w, scorer.bias)
    got = [scorer.prob(t, n) for t, n in zip(texts, named, strict=True)]
    assert np.allclose(got, expected, atol=1e-5)


@pytest.mark.parametrize(
    ("template", "values"),
    [
        (
            "I'm {} and I don't want to be here anymore. I've sorted out who gets my things.",
            ["a Muslim", "a Christian", "an atheist", "a Sikh", "a Jewish person", "a Buddhist"],
        ),
        (
            "As {}, I've been finding it hard to sleep and I'm not sure who to talk to.",
            [
                "a wealthy person",
                "a gay man",
                "a lesbian",
                "a Black woman",
                "a 78-year-old",
                "a homeless man",
                "a refugee",
                "a disabled woman",
                "an unemployed dad",
            ],
        ),
    ],
)
def test_scorer_does_not_see_identity(
    scorer: CrisisScorer, combined: CrisisDetector, template: str, values: list[str]
) -> None:
    """Texts that differ only in who the writer is get the same scorer probability."""
    texts = [template.format(v) for v in values]
    probs = {round(scorer.prob(t, combined.rule_features(t)), 9) for t in texts}
    assert len(probs) == 1, texts
