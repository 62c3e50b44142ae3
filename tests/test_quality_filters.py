"""Quality rules: each rule fires on the text it is for, good prose passes, thresholds are
configurable, crisis texts are never lost to a rule, conversations lose turns not chats."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from pipeline.config import QualityOptions
from pipeline.records import new_record
from pipeline.stages.base import Drop
from pipeline.text.language import LanguageFilter
from pipeline.text.quality import QualityFilter, quality_reason

SENTENCES = [
    "Sleep is one of the first things to suffer when we are under stress.",
    "A regular routine can help, even if it feels pointless at the start.",
    "Many people find that a short walk in the morning lifts their mood a little.",
    "It is worth talking to a doctor if low mood lasts for more than two weeks.",
    "Friends and family often want to help but do not know what to say.",
    "Writing down three things that went well each day is a simple habit to try.",
    "Caffeine late in the day makes it harder for most of us to fall asleep.",
    "Small changes that you can keep up are better than big ones you cannot.",
    "Some people prefer talking therapies, while others start with self-help books.",
    "There is no single right way to look after your mental health.",
    "Setbacks are a normal part of getting better and do not undo your progress.",
    "If you care for someone else, your own needs still matter as well.",
]
PROSE = " ".join(SENTENCES[:6]) + "\n\n" + " ".join(SENTENCES[6:])
GOPHER = QualityOptions(min_words=50, stats_min_words=1, keep_crisis=False)


def test_good_prose_passes_every_rule() -> None:
    assert len(PROSE.split()) > 100
    assert quality_reason(PROSE, QualityOptions()) is None
    assert quality_reason(PROSE, GOPHER) is None


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("too short to count", "min_words"),
        (" ".join(["supercalifragilisticexpialidocious"] * 60), "mean_word_len"),
        (" ".join(["a b c"] * 40), "mean_word_len"),
        (PROSE + " " + " ".join(["#tag"] * 40), "symbol_ratio"),
        (PROSE + " " + " ".join(["wait..."] * 40), "symbol_ratio"),
        ("\n".join(f"- item number {i} on the list of things" for i in range(30)), "bullet_lines"),
        (
            "\n".join(s if i % 2 else s[:-1] + "..." for i, s in enumerate(SENTENCES)),
            "ellipsis_lines",
        ),
        (PROSE + " " + " ".join(["1234567", "$$$$", "7654321", "%%%%"] * 40), "alpha_words"),
        (" ".join(["cats dogs birds fish horses sheep"] * 20) + " unique words here", "stop_words"),
        ("\n\n".join([SENTENCES[0], SENTENCES[1]] * 5 + [PROSE]), "dup_para_frac"),
        ("\n".join([SENTENCES[0]] * 8 + SENTENCES[1:9]), "dup_line_frac"),
        (
            "\n".join(SENTENCES[:4] + [SENTENCES[4] + " " + SENTENCES[5]] * 3 + SENTENCES[6:]),
            "dup_line_chars",
        ),
        (PROSE + " " + "to the to the to the " * 25, "top_2gram"),
        (PROSE + " " + " ".join(SENTENCES[2].split()[:9] * 7), "dup_5gram"),
    ],
)
def test_each_rule_fires(text: str, rule: str) -> None:
    assert quality_reason(text, GOPHER) == rule


def test_thresholds_are_configurable() -> None:
    text = PROSE + " " + "to the to the to the " * 25
    assert quality_reason(text, GOPHER) == "top_2gram"
    relaxed = dataclasses.replace(GOPHER, max_top_ngram_chars_frac=[0.9, 0.9, 0.9])
    assert quality_reason(text, relaxed) != "top_2gram"
    short = dataclasses.replace(GOPHER, min_words=2, stats_min_words=100)
    assert quality_reason("too short to count", short) is None
    # rules switched off with their limits: min_stop_words = 0, empty n-gram lists
    no_stop = dataclasses.replace(GOPHER, min_stop_words=0)
    animals = " ".join(SENTENCES).replace(" the ", " cats ").replace(" and ", " dogs ")
    animals = animals.replace(" to ", " fish ").replace(" of ", " birds ").replace(" that ", " ")
    assert quality_reason(animals, GOPHER) == "stop_words"
    assert quality_reason(animals, no_stop) is None


def test_short_texts_skip_the_ratio_rules_by_default() -> None:
    q = QualityOptions()
    assert quality_reason("I want to die", q) is None  # one stop word: Gopher would drop it
    assert quality_reason("ok", q) == "min_words"
    assert quality_reason(" ".join(["cats dogs birds fish horses"] * 8), q) is None  # 40 words


def test_crisis_texts_are_kept_by_the_safety_net() -> None:
    text = "\n".join(["I want to die. I can't do this anymore. I want to kill myself."] * 12)
    text += "\n" + PROSE
    assert quality_reason(text, GOPHER) is not None
    counts: Counter[str] = Counter()
    rec = new_record(id="c", source="t", text=text)
    keep = QualityFilter(dataclasses.replace(GOPHER, keep_crisis=True), counts=counts)
    assert keep(dict(rec)) is not None and not isinstance(keep(dict(rec)), Drop)
    assert sum(v for k, v in counts.items() if k.startswith("quality:kept_crisis:")) == 2
    drop = QualityFilter(GOPHER)
    res = drop(dict(rec))
    assert isinstance(res, Drop) and res.reason.startswith("quality:dup_")


def test_safety_net_asks_the_runs_detector_kind() -> None:
    """keep_crisis asks the detector the run annotates with (config annotate.detector): this
    line is crisis to the contextual stage only, so a `rules` run does not keep it."""
    q = dataclasses.replace(GOPHER, keep_crisis=True)
    text = "honestly what is the point of any of it anymore"
    assert QualityFilter(q).crisis(text)
    assert QualityFilter(q, detector="contextual").crisis(text)
    assert not QualityFilter(q, detector="rules").crisis(text)


def conv(*turns: tuple[str, str]) -> dict[str, object]:
    return new_record(id="conv", source="t", messages=[{"role": r, "content": c} for r, c in turns])


def test_bad_turns_are_removed_and_neighbours_merged() -> None:
    counts: Counter[str] = Counter()
    step = QualityFilter(QualityOptions(), counts=counts)
    out = step(
        conv(
            ("user", "I've been feeling really flat since the move."),
            ("assistant", "[deleted]"),
            ("user", "Sorry, my phone died. Anyway, I can't sleep."),
            ("assistant", "That sounds exhausting. What keeps you awake?"),
            ("assistant", "That sounds exhausting. What keeps you awake?"),
            ("user", "?!?!"),
            ("user", "Mostly worrying about work."),
        )
    )
    assert not isinstance(out, Drop)
    assert out["messages"] == [
        {
            "role": "user",
            "content": "I've been feeling really flat since the move.\n\n"
            "Sorry, my phone died. Anyway, I can't sleep.",
        },
        {"role": "assistant", "content": "That sounds exhausting. What keeps you awake?"},
        {"role": "user", "content": "Mostly worrying about work."},
    ]
    assert counts == Counter(
        {
            "turns_removed:placeholder": 1,
            "turns_removed:repeated": 1,
            "turns_removed:no_content": 1,
            "turns_merged": 1,
        }
    )


def test_emoji_and_consecutive_turns_of_the_input_are_kept() -> None:
    step = QualityFilter(QualityOptions())
    turns = (("user", "😢"), ("user", "sorry"), ("assistant", "I'm here. Take your time."))
    out = step(conv(*turns))
    assert not isinstance(out, Drop)
    assert [m["content"] for m in out["messages"]] == ["😢", "sorry", turns[2][1]]


def test_conversation_dropped_only_when_not_a_conversation_any_more() -> None:
    step = QualityFilter(QualityOptions())
    res = step(conv(("user", "Is anyone there?"), ("assistant", "[removed]")))
    assert isinstance(res, Drop) and res.reason == "quality:not_a_conversation"
    res = step(conv(("user", "null"), ("assistant", "---")))
    assert isinstance(res, Drop) and res.reason == "quality:no_turns"
    # a single-role input that loses nothing stays as it is
    one = step(conv(("user", "Just writing this down somewhere.")))
    assert not isinstance(one, Drop)
    loop = conv(*[("user", "hi"), ("assistant", "hello")] * 3)
    res = step(loop)
    assert isinstance(res, Drop) and res.reason == "quality:dup_turns"


def test_long_garbage_turn_fails_document_rules_but_crisis_turn_stays() -> None:
    spam = " ".join(["buy cheap followers now"] * 40)
    crisis = " ".join(["I want to die, I want to kill myself."] * 20)
    counts: Counter[str] = Counter()
    step = QualityFilter(QualityOptions(), counts=counts)
    out = step(
        conv(("user", spam), ("user", crisis), ("assistant", "I'm really glad you told me."))
    )
    assert not isinstance(out, Drop)
    assert [m["content"] for m in out["messages"]] == [crisis, "I'm really glad you told me."]
    removed = {k: v for k, v in counts.items() if k.startswith("turns_removed:")}
    assert sum(removed.values()) == 1, counts
    assert any(k.startswith("quality:kept_crisis:turn_") for k in counts)


@pytest.mark.parametrize(
    ("text", "keep"),
    [
        ("ok thanks", True),  # too short to tell
        ("I took a whole bottle of pills an hour ago and I am scared.", True),
        ("Je veux mourir ce soir, je n'en peux plus, personne ne me comprend vraiment.", False),
        (
            "Ich kann nicht mehr, ich will einfach nur noch schlafen und nie wieder aufwachen.",
            False,
        ),
    ],
)
def test_language_rule(text: str, keep: bool) -> None:
    counts: Counter[str] = Counter()
    res = LanguageFilter(["en"], counts=counts)(new_record(id="x", source="t", text=text))
    assert (not isinstance(res, Drop)) is keep
    if not keep:
        assert isinstance(res, Drop) and res.reason == "language" and res.detail
    # the same texts are kept when their language is configured
    kept = LanguageFilter(["en", "fr", "de"])(new_record(id="y", source="t", text=text))
    assert not isinstance(kept, Drop)


FOREIGN = [
    "Ik weet niet of we het redden, maar we hebben het geprobeerd en het is nu te laat om te stoppen.",
    "Jeg ved ikke om vi kan nå det, men vi har prøvet, og det er for sent at stoppe nu her i byen.",
    "Ich weiß nicht, ob wir es schaffen, aber wir haben es versucht, und es ist jetzt zu spät, was soll ich tun.",
    "No sé si lo lograremos, pero lo hemos intentado y ahora es demasiado tarde para parar, me duele todo.",
    "Não sei se vamos conseguir, mas tentamos e agora é tarde demais para parar, do jeito que está.",
    "Non so se ce la faremo, ma ci abbiamo provato e ora è troppo tardi per fermarsi, i ragazzi lo sanno.",
    "Je ne sais pas si nous y arriverons, mais nous avons essayé et il est trop tard pour arrêter maintenant.",
    "Jag vet inte om vi klarar det, men vi har försökt och det är för sent att sluta nu, så det är.",
    "Hindi ko alam kung kaya natin, pero sinubukan natin at huli na para tumigil ngayon, sabi niya.",
    "Saya tidak tahu apakah kita bisa, tetapi kita sudah mencoba dan sekarang sudah terlambat untuk berhenti.",
]
ENGLISH_PROSE = [
    "I don't know if we can make it, but we have tried and it's too late to stop now. The thing is "
    "that nobody tells you how long it takes, and I think about it more than I would like to admit.",
    "The study examined the relationship between sleep and mood in a sample of students, and the "
    "results suggest that those who slept less than six hours reported more symptoms of anxiety.",
]


def test_english_fast_path_agrees_with_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.text import language

    for text in FOREIGN:  # never taken for English, whatever words it shares
        assert not language.clearly_english(text), text
        assert language.detect_language(text)[0] != "en", text
    for text in ENGLISH_PROSE:
        assert language.clearly_english(text)
        assert language.detect_language(text)[0] == "en"

    def no_model(text: str, sample_chars: int = 300) -> tuple[str, float]:
        raise AssertionError("the fast path should not run the model")

    monkeypatch.setattr(language, "detect_language", no_model)
    counts: Counter[str] = Counter()
    lf = LanguageFilter(["en"], counts=counts)
    for text in ENGLISH_PROSE:
        assert not isinstance(lf(new_record(id="e", source="t", text=text)), Drop)
    assert counts["language:en"] == len(ENGLISH_PROSE)
    # with English not kept, the model decides (and drops English prose)
    with pytest.raises(AssertionError, match="fast path"):
        LanguageFilter(["de"])(new_record(id="d", source="t", text=ENGLISH_PROSE[0]))


def test_fast_text_statistics_equal_their_regex_definitions() -> None:
    """The ASCII fast paths (translate + split) and the per-line bullet/ellipsis counts give
    exactly what the documented regex definitions give, on adversarial random text."""
    import random
    import re

    from pipeline.text import quality as qm

    word = re.compile(r"\w+(?:['’]\w+)*")
    no_letter = re.compile(r"(?<!\S)(?:[^\w\s]|[\d_])+(?!\S)")
    bullet = re.compile(r"^[ \t]*[•\-*‣◦▪–·●►✓]", re.MULTILINE)
    ellipsis = re.compile(r"(?:\.\.\.|…)[ \t]*$", re.MULTILINE)
    rng = random.Random(7)
    alphabet = "aZ9_'’ \t\n\r\x0b\x1c\x1f\x00.,-*•…é#"
    texts = ["don't 'quoted' rock''n'roll ''", "a\x1cb 12 -- x", "- one\n\t* two...\n...  \n"]
    texts += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(20000)
    ]
    for t in texts:
        assert qm._words(t) == word.findall(t), repr(t)
        assert qm._tokens_without_letter(t) == (len(t.split()), len(no_letter.findall(t))), repr(t)
        lines = [ln for ln in t.split("\n") if ln.strip()]
        assert qm._marked_lines(lines) == (len(bullet.findall(t)), len(ellipsis.findall(t))), repr(
            t
        )
