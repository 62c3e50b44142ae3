"""PII redaction: each type, hard negatives, the labelled sets, and that redaction keeps
the crisis signal readable for the real detector."""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

import pytest

from pipeline.records import new_record
from pipeline.safety import default_detector
from pipeline.text.pii import PiiDetector, PiiRedactor

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from eval_pii import evaluate, load  # noqa: E402

DET = PiiDetector()


def redact(text: str) -> str:
    return DET.redact(text)[0]


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("mail me: jo.b+x@mail.example.co.uk!", "mail me: [EMAIL_ADDRESS]!"),
        ("text me on 07700 900461 tonight", "text me on [PHONE_NUMBER] tonight"),
        ("Call +1 (415) 555-0199.", "Call [PHONE_NUMBER]."),
        ("my number is 555-0147", "my number is [PHONE_NUMBER]"),
        ("see https://www.facebook.com/jane.doe.9 now", "see [URL] now"),
        ("https://x.example/a?email=a%40b.com&x=1", "[URL]"),
        ("from 203.0.113.45 and 2001:db8::8a2e:370:7334", "from [IP] and [IP]"),
        ("card 4111 1111 1111 1111 ok", "card [CREDIT_CARD] ok"),
        ("SSN 219-09-9999", "SSN [SSN]"),
        ("NI number: AB 12 34 56 C", "NI number: [NATIONAL_ID]"),
        ("I was born on 3 March 1990.", "I was born on [DOB]."),
        ("DOB: 14/03/1998", "DOB: [DOB]"),
        ("I live at 42 Cedar Street, Springfield, IL 62704.", "I live at [ADDRESS]."),
        ("postcode SW1A 2AA", "postcode [ADDRESS]"),
        ("My therapist, Dr Amelia Hart, said so.", "My therapist, Dr [PERSON], said so."),
        ("my friend Kwame lives nearby", "my friend [PERSON] lives nearby"),
        ("Sarah Johnson told me", "[PERSON] told me"),
    ],
)
def test_each_type(raw: str, want: str) -> None:
    assert redact(raw) == want


@pytest.mark.parametrize(
    "text",
    [
        "Call Samaritans on 116 123 or the US line 988.",
        "The old lifeline 1-800-273-8255 still works; Childline is 0800 1111.",
        "National Domestic Abuse Helpline: 0808 2000 247.",
        "Read https://www.nhs.uk/mental-health/ and https://www.reddit.com/r/depression/.",
        "I took 30 tablets on 12.05.2023 at 10.30.",
        "I was born in 1990. Hope you are well. May was hard.",
        "My member number is 4539 1488 0343 6468.",  # fails Luhn
        "I'm on version 2.3.4.1 of the app.",
        "I walked 5 miles down the road.",
        "The Trevor Project helps LGBTQ young people.",
    ],
)
def test_hard_negatives_are_kept(text: str) -> None:
    assert redact(text) == text


def test_helplines_can_be_redacted_when_configured() -> None:
    det = PiiDetector(keep_helplines=False)
    assert det.redact("call 1-800-273-8255")[0] == "call [PHONE_NUMBER]"


def test_types_can_be_restricted() -> None:
    det = PiiDetector(["EMAIL"])
    assert (
        det.redact("Sarah: sarah@x.org, 07700 900461")[0] == "Sarah: [EMAIL_ADDRESS], 07700 900461"
    )
    with pytest.raises(ValueError, match="unknown PII types"):
        PiiDetector(["NAME"])


@pytest.mark.parametrize(
    ("name", "min_precision", "min_recall", "min_spans"),
    [("pii_eval.txt", 0.97, 0.97, 200), ("pii_heldout.txt", 0.93, 0.88, 70)],
)
def test_labelled_sets(name: str, min_precision: float, min_recall: float, min_spans: int) -> None:
    report = evaluate(load(ROOT / "bench" / "data" / name), DET)
    assert report["gold_spans"] >= min_spans  # type: ignore[operator]
    overall = report["types"]["ALL"]  # type: ignore[index]
    assert overall["precision"] >= min_precision, report["misses"]
    assert overall["recall"] >= min_recall, report["misses"]


def test_redactor_covers_text_and_every_turn_and_counts() -> None:
    counts: Counter[str] = Counter()
    step = PiiRedactor(counts=counts)
    rec = new_record(
        id="r",
        source="t",
        messages=[
            {"role": "user", "content": "I'm Hannah, email hannah.m@gmail.com"},
            {"role": "assistant", "content": "Thanks Hannah. You can call 116 123."},
            {"role": "user", "content": "my mum's mobile is 07911 123456"},
        ],
    )
    out = step(rec)
    assert [m["content"] for m in out["messages"]] == [
        "I'm [PERSON], email [EMAIL_ADDRESS]",
        "Thanks [PERSON]. You can call 116 123.",
        "my mum's mobile is [PHONE_NUMBER]",
    ]
    assert counts == Counter({"pii:PERSON": 2, "pii:EMAIL": 1, "pii:PHONE": 1})
    doc = step(new_record(id="d", source="t", text="Contact Priya at priya@x.org"))
    assert doc["text"] == "Contact [PERSON] at [EMAIL_ADDRESS]"


def _crisis_texts() -> list[str]:
    out = []
    for path in (
        ROOT / "pipeline" / "safety" / "data" / "gold.csv",
        ROOT / "bench" / "data" / "heldout_crisis_v2.csv",
    ):
        with path.open(encoding="utf-8") as f:
            out += [r["text"] for r in csv.DictReader(f) if r["label"] == "1"]
    return out


def test_redaction_keeps_the_crisis_signal_readable() -> None:
    det = default_detector()
    assert det.detect(redact("Charlotte told me to kill myself")).crisis
    assert redact("Charlotte told me to kill myself") == "[PERSON] told me to kill myself"
    contact = "My name is Sarah Whitfield, I live at 42 Cedar Street and my number is 07700 900461."
    texts = _crisis_texts()
    assert len(texts) > 250
    lost = []
    checked = 0
    for text in texts:
        for variant in (text, f"{text} {contact}", f"{contact} {text}"):
            if not det.detect(variant).crisis:
                continue
            checked += 1
            red = redact(variant)
            if not det.detect(red).crisis:
                lost.append((variant, red))
    assert checked > 500
    assert lost == []
    red = redact("my number is 07700 900461. I don't want to wake up tomorrow.")
    assert red == "my number is [PHONE_NUMBER]. I don't want to wake up tomorrow."
    assert det.detect(red).crisis
