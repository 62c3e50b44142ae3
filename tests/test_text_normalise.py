"""Normalisation: what it repairs and removes, what it must keep, and idempotency."""

from __future__ import annotations

import unicodedata
from collections import Counter

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.records import new_record
from pipeline.stages.base import Drop
from pipeline.text.normalise import Normaliser, normalise_text


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("Itâ€™s not easy, but itâ€™s worth it.", "It's not easy, but it's worth it."),
        ("cafÃ© au lait", "café au lait"),
        ("Cafe\u0301 au lait", "Café au lait"),  # NFC
        ("fish &amp; chips", "fish & chips"),
        ("“quoted” and ‘single’", "\"quoted\" and 'single'"),
        ("a\u200bb\ufeffc\u00add", "abcd"),  # zero-width, BOM, soft hyphen
        ("a\x00b\x07c\x1bd", "abcd"),
        ("  lots   of\t\tspace\u00a0here  ", "lots of space here"),
        ("line one  \r\n  line two\r\rline three", "line one\nline two\n\nline three"),
        ("a\n\n\n\n\nb", "a\n\nb"),
    ],
)
def test_repairs(raw: str, want: str) -> None:
    assert normalise_text(raw) == want


def test_transcript_artefacts_removed_but_expressive_cues_kept() -> None:
    raw = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.500\n[Music] so yeah [Applause]\n\n"
        "2\n00:00:04,000 --> 00:00:06,000\n>> I just (inaudible) couldn't cope [00:12]\n"
        "♪ la la ♪ (sighs) I was (crying) a lot"
    )
    out = normalise_text(raw)
    assert out == "so yeah\n\nI just couldn't cope\nla la (sighs) I was (crying) a lot"


def test_boilerplate_lines_removed_from_documents_only_where_safe() -> None:
    doc = (
        "We use cookies to improve your experience. By continuing to browse you agree.\n"
        "Home\nPage 3 of 10\nShare this article\n"
        "The article text is here and it is about sleep.\n"
        "Subscribe to what exactly? I never signed up.\n"
        "© 2024 Wellbeing Weekly Ltd. All rights reserved.\n"
        "Don't forget to like and subscribe!"
    )
    removed: list[str] = []
    counts: Counter[str] = Counter()
    out = normalise_text(doc, removed=removed, counts=counts)
    assert out == (
        "The article text is here and it is about sleep.\n"
        "Subscribe to what exactly? I never signed up."
    )
    assert len(removed) == 6
    assert counts["normalise:boilerplate_lines_removed"] == 6
    # a chat turn "Home." or "Register" can be a real answer: web-only rules do not apply
    assert normalise_text("Home.", web=False) == "Home."
    assert normalise_text("Home.", web=True) == ""
    assert normalise_text("© 2024 Foo Ltd. All rights reserved.", web=False) == ""


def test_switches_turn_steps_off() -> None:
    raw = "[Music] Itâ€™s fine\nShare this article"
    assert normalise_text(raw, fix_encoding=False, artefacts=False, boilerplate=False) == raw
    assert normalise_text(raw) == "It's fine"


def test_long_lines_are_never_boilerplate() -> None:
    line = "We use cookies and I accept that, " + "and then I talk about my week " * 12
    assert normalise_text(line) == line.strip()


# Fragments that exercise every rule and their interactions (mojibake split by removals,
# artefacts nested in artefacts, boilerplate revealed by artefact removal, ...).
FRAGMENTS = [
    "[Music]", "[", "]", "(inaudible)", "Music", ">>", "♪", "WEBVTT", "00:00:01.000 --> "
    "00:00:02.000", "Page 2", "Home", "Subscribe", "All rights reserved", "©", "cookies",
    "accept", "Ã", "©", "â€", "™", "\x80", "\x99", "\xa0", "\u200b", "\u0301", "e", "\r",
    "\n", "\n\n\n", " ", "\t", "&amp;", "&", "#", "’", "“", "ﬁ", "Ａ", "\x00", "\ufeff",
    "\u2028", "word", "I want to die", "Itâ€™s", "\x1b[31m", "İ", "ß", "😢",
]  # fmt: skip

texts = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=5)), max_size=20).map("".join),
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.booleans())
@example(text="\t>>", web=False)  # found by Hypothesis: a tab before a speaker mark
@example(text="\tWEBVTT", web=False)  # ... and before a caption header
def test_normalising_twice_changes_nothing(text: str, web: bool) -> None:
    once = normalise_text(text, web=web)
    assert normalise_text(once, web=web) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\x00" not in once and "\u200b" not in once and "\r" not in once
    assert "  " not in once and "\n\n\n" not in once and once == once.strip()


def test_record_step_normalises_text_and_turns_and_drops_empty() -> None:
    counts: Counter[str] = Counter()
    step = Normaliser(counts=counts)
    rec = new_record(
        id="c1",
        source="t",
        messages=[
            {"role": "user", "content": "  I feel   low  "},
            {"role": "assistant", "content": "[Music]"},
            {"role": "user", "content": "Home."},
        ],
    )
    out = step(rec)
    assert not isinstance(out, Drop)
    assert out["messages"] == [
        {"role": "user", "content": "I feel low"},
        {"role": "user", "content": "Home."},
    ]
    assert counts["turns_removed:empty"] == 1
    empty = new_record(id="e", source="t", text=" \u200b [Applause] ")
    res = step(empty)
    assert isinstance(res, Drop) and res.reason == "empty_text"


def test_boilerplate_anchor_guard_skips_only_lines_that_cannot_match() -> None:
    """Lines are tested against the boilerplate patterns only when the document holds an
    anchor word (or, for web text, the line is short): the guard must never hide a match."""
    import random

    from pipeline.text import normalise as nm

    frags = [
        "Cookie", "we use cookies; by continuing to browse you agree", "accept all cookies",
        "© 2024 Foo", "(C) Bar", "Copyright", "All Rights Reserved", "please like and subscribe",
        "hit the bell", "smash that like button", "sign up for our newsletter",
        "join our mailing list", "share this article", "Share on Facebook | Twitter",
        "skip to content", "Back to top", "follow us on insta", "click here to download",
        "Page 3 of 10", "- 12 -", "Home", "Menu", "Privacy Policy | Terms of Use | Contact Us",
        "Log in / Sign up", "REGISTER", "read more", "advertisement.", "word", "the", "5",
    ]  # fmt: skip
    rng = random.Random(3)
    lines = frags + [f.upper() for f in frags]
    lines += [" ".join(rng.choice(frags) for _ in range(rng.randint(1, 5))) for _ in range(6000)]
    for web, rx in ((True, nm._BOILER_ALL), (False, nm._BOILER_STRICT)):
        for ln in lines:
            if rx.fullmatch(ln) is None:
                continue
            assert (web and len(ln) <= nm._SHORT_WEB_LINE) or nm._has_anchor(ln), (web, ln)
            assert nm._strip_boilerplate(f"Real text here.\n{ln}\nMore.", web, None, None) == (
                "Real text here.\nMore."
            ), (web, ln)
