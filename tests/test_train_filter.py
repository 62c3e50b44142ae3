"""The check candidate scorer-training rows pass before they join ``crisis_train.csv``."""

from __future__ import annotations

from scripts.filter_train_candidates import filter_rows, shingle_set, shingles


def _row(text: str, label: str = "1") -> dict[str, str]:
    return {"text": text, "label": label, "category": "passive_ideation", "kind": "implicit",
            "extra": "dropped"}  # fmt: skip


def test_rows_sharing_six_words_with_an_evaluation_text_are_dropped_with_a_reason() -> None:
    evals = shingle_set(["Lately I keep thinking nobody would notice if I was gone, honestly."])
    synthetic = shingle_set(["i feel like i am carrying everything on my own these days"])
    trained = {"i am so tired of all of it"}
    rows = [
        _row("Honestly nobody would notice if I was gone"),  # 6 shared words, other casing
        _row("nobody would notice if I left the party"),  # only 5 shared words in a row
        _row("Some days I am carrying everything on my own and it is heavy"),  # synthetic turn
        _row("I'm so tired of all of it", "0"),  # apostrophes kept: not the trained text
        _row("I am so TIRED of all of it!"),  # the same words as a trained text
        _row("nobody would notice if I left the party."),  # repeats a kept candidate
    ]
    kept, reasons = filter_rows(rows, evals, synthetic, trained)
    assert [r["text"] for r in kept] == [rows[1]["text"], rows[3]["text"]]
    assert dict(reasons) == {"eval": 1, "synthetic": 1, "dup_train": 1, "dup_self": 1}
    assert set(kept[0]) == {"text", "label", "category", "kind"}


def test_short_texts_compare_by_their_whole_word_sequence() -> None:
    assert shingles("I can't go on.") == {("i", "can't", "go", "on")}
    assert shingles("...") == set()
    kept, reasons = filter_rows([_row("i can't go on")], shingle_set(["I can't go on."]), set(),
                                set())  # fmt: skip
    assert kept == [] and reasons["eval"] == 1
