"""Identity masking (what the crisis scorer does not get to see)."""

from __future__ import annotations

import pytest

from pipeline.safety.identity import MASK, identity_spans, mask_identity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("As a Muslim, I feel alone.", f"As a {MASK}, I feel alone."),
        ("I'm a 19-year-old and non-binary", f"I'm a {MASK} and {MASK}"),
        ("someone living on benefits", f"someone {MASK}"),
        ("she is on a low income", f"she is {MASK}"),
        ("a Black man at the mosque", f"a {MASK} at the {MASK}"),
        ("An Indigenous person and a trans woman", f"a {MASK} and a {MASK}"),
        ("my mum's a Hindu", f"my mum's a {MASK}"),
        ("we're refugees from Syria", f"we're {MASK} from Syria"),
    ],
)
def test_masks_identity_terms(text: str, expected: str) -> None:
    assert mask_identity(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I was blind drunk for three nights straight, poor me",
        "the benefits of therapy",
        "I blacked out and woke up in hospital",
        "held it to my temple",
        "I'm so old and tired of all of this",
        "the black dog is back",
    ],
)
def test_leaves_everyday_words_alone(text: str) -> None:
    assert mask_identity(text) == text
    assert identity_spans(text) == []


def test_spans_point_at_the_terms() -> None:
    text = "I'm gay and Catholic and my pastor knows"
    assert [text[a:b] for a, b in identity_spans(text)] == ["gay", "Catholic", "pastor"]


def test_masking_is_idempotent() -> None:
    text = "As a disabled Hindu pensioner in a council estate"
    once = mask_identity(text)
    assert mask_identity(once) == once


def test_long_texts_are_masked_piecewise_exactly_as_a_whole() -> None:
    """Long texts are masked between punctuation (the fast path): same output as one regex
    pass over the whole text, including terms next to punctuation, hyphens and newlines."""
    import random

    from pipeline.safety import identity

    def whole(text: str) -> str:
        return identity._IDENTITY.sub(identity._replace, text)

    rng = random.Random(5)
    vocab = [
        "a",
        "an",
        "the",
        "black",
        "man",
        "old",
        "23-year-old",
        "on",
        "living",
        "benefits",
        "welfare",
        "lgbtq+",
        "trans",
        "woman",
        "Muslim",
        "people",
        "in",
        "my",
        "twenties",
        "church",
        ",",
        ".",
        "'",
        "(",
        ")",
        "!",
        "?",
        "\n",
        "-",
        "+",
        ":",
        "I",
        "feel",
        "awful",
        "today",
    ]
    for _ in range(400):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(120, 300)))
        assert len(text) >= identity._PIECEWISE_FROM
        assert identity.mask_identity(text) == whole(text), text
