"""Quality filters: Gopher/C4-style document rules and repetition rules, conversation-aware.

Document rules (:func:`quality_reason`, first failing rule wins; thresholds in
``[preprocess.quality]``). Words are ``\\w+`` runs (apostrophes inside kept), tokens are
whitespace-separated:

- ``min_words`` / ``max_words``: word count bounds.
- Only for texts of at least ``stats_min_words`` words (ratios on a short text are noise,
  and short texts here are often the most important ones: "I can't do this anymore"):
  ``mean_word_len`` (outside [min_mean_word_len, max_mean_word_len]), ``symbol_ratio``
  (``#`` per word, or ``...``/``…`` per word, above max_symbol_word_ratio), ``bullet_lines`` /
  ``ellipsis_lines`` (fraction of lines starting with a bullet / ending with an ellipsis),
  ``alpha_words`` (fraction of tokens with a letter below min_alpha_words_frac),
  ``stop_words`` (fewer than min_stop_words distinct words of ``stop_words``), then the
  repetition rules: ``dup_para_frac``, ``dup_para_chars``, ``dup_line_frac``,
  ``dup_line_chars`` (duplicate paragraphs/lines, by count and by characters),
  ``top_{n}gram`` for n = 2, 3, 4 (characters of the most frequent n-gram, times its count,
  over the text's characters) and ``dup_{n}gram`` for n = 5..10 (characters of words
  covered by an n-gram seen earlier in the text).

Conversations (``messages``): the rules judge turns, not the whole conversation, because
one bad turn should not cost a user the rest of a good conversation. A turn is removed when:
it repeats the previous turn word for word with the same role (``repeated``), it is a
placeholder such as ``[deleted]``/``[removed]``/``null`` (``placeholder``), it has no letter,
digit or emoji (``no_content``), more than 10% of it is U+FFFD (``replacement_chars``), or it
has at least ``stats_min_words`` words and fails a document rule (``<rule>``). Consecutive
turns of the same role left by a removal are merged (joined by a blank line). The
conversation is then dropped only if no turn is left (``quality:no_turns``) or turns were
removed and the remainder lost every user or every assistant turn that the original had
(``quality:not_a_conversation``); a conversation whose turns repeat earlier turns for more
than ``max_dup_turn_frac`` (with 4+ turns) is dropped as ``quality:dup_turns``.

With ``keep_crisis`` (default), a text or turn that a rule would remove is kept when the
crisis detector flags it (counted as ``quality:kept_crisis:<rule>``): a repetitive or terse
message from someone in crisis is exactly what the dataset must not lose.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from itertools import islice
from operator import mul

from pipeline.config import DEFAULT_DETECTOR, QualityOptions
from pipeline.records import Record
from pipeline.stages.base import Drop
from pipeline.text.audit import AuditSample

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_NO_LETTER_TOKEN = re.compile(r"(?<!\S)(?:[^\w\s]|[\d_])+(?!\S)")
_BULLET_CHARS = frozenset("•-*‣◦▪–·●►✓")
_PARAS = re.compile(r"\n[ \t]*\n\s*")
_CONTENT = re.compile(r"[^\W_]|[\u2190-\u2bff\u2600-\u27bf\U0001f000-\U0001faff]")
_PLACEHOLDERS = frozenset(
    [
        "[deleted]",
        "[removed]",
        "deleted",
        "removed",
        "null",
        "none",
        "nan",
        "undefined",
        "n/a",
        "[deleted by user]",
        "[removed by reddit]",
        "[message deleted]",
        "<deleted>",
        "<removed>",
    ]
)
_STOP_CACHE: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}

# ASCII fast paths (most documents): C-level translate + split instead of a regex scan.
# Every ASCII character that is neither a word character nor an apostrophe becomes a space,
# so the split pieces are the regex's words, except pieces holding an apostrophe, which are
# re-split by the regex (for an ASCII text ``\w`` is ``[A-Za-z0-9_]``).
_ASCII_WORD_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_'")
_TO_WORDS = bytes(c if c in _ASCII_WORD_CHARS else 0x20 for c in range(256))
# str.split() also splits at \x1c-\x1f; bytes.split() does not: map them to spaces first
_TO_TOKENS = bytes(0x20 if 0x1C <= c <= 0x1F else c for c in range(256))
_NOT_LETTER = bytes(
    c for c in range(128) if not chr(c).isalpha() and not chr(c).isspace() and not 0x1C <= c <= 0x1F
)


def _words(text: str) -> list[str]:
    """``_WORD.findall(text)``, faster for ASCII text."""
    if not text.isascii():
        return _WORD.findall(text)
    words = text.encode().translate(_TO_WORDS).decode().split()
    if "'" not in text:
        return words
    out: list[str] = []
    for w in words:
        if "'" in w:
            out.extend(_WORD.findall(w))
        else:
            out.append(w)
    return out


def _tokens_without_letter(text: str) -> tuple[int, int]:
    """(whitespace-separated tokens, those with no letter), faster for ASCII text."""
    if not text.isascii():
        return len(text.split()), len(_NO_LETTER_TOKEN.findall(text))
    raw = text.encode()
    n = len(raw.translate(_TO_TOKENS).split())
    return n, n - len(raw.translate(_TO_TOKENS, _NOT_LETTER).split())


def _marked_lines(lines: list[str]) -> tuple[int, int]:
    """(lines starting with a bullet, lines ending with an ellipsis), spaces and tabs aside."""
    bullets = sum(1 for ln in lines if ln.lstrip(" \t")[:1] in _BULLET_CHARS)
    ellipses = sum(1 for ln in lines if ln.rstrip(" \t").endswith(("...", "…")))
    return bullets, ellipses


def _stop_forms(words: list[str]) -> tuple[tuple[str, ...], ...]:
    """Each stop word with its capitalised and upper-case forms (distinct words)."""
    key = tuple(words)
    forms = _STOP_CACHE.get(key)
    if forms is None:
        low = sorted({w.lower() for w in words})
        forms = tuple((w, w.capitalize(), w.upper()) for w in low)
        _STOP_CACHE[key] = forms
    return forms


def _dups(parts: list[str]) -> tuple[int, int]:
    """(number of parts equal to an earlier part, their characters)."""
    seen: set[str] = set()
    n = chars = 0
    for p in parts:
        if p in seen:
            n += 1
            chars += len(p)
        else:
            seen.add(p)
    return n, chars


def _ngrams(words: list[str], n: int) -> zip[tuple[str, ...]]:
    return zip(*(islice(words, i, None) for i in range(n)), strict=False)


def _top_ngram_chars(words: list[str], n: int) -> int:
    gram, count = Counter(_ngrams(words, n)).most_common(1)[0]
    return (sum(map(len, gram)) + n - 1) * count


def _dup_ngram_chars(words: list[str], n: int) -> int:
    """Characters of the words covered by an n-gram that occurred earlier in the text."""
    seen: set[tuple[str, ...]] = set()
    covered = bytearray(len(words))
    one = b"\x01" * n
    for i, g in enumerate(_ngrams(words, n)):
        if g in seen:
            covered[i : i + n] = one
        else:
            seen.add(g)
    return sum(len(w) for w, c in zip(words, covered, strict=True) if c)


def quality_reason(text: str, q: QualityOptions) -> str | None:
    """The first document rule ``text`` fails (see module docstring), or None."""
    words = _words(text)
    n = len(words)
    if n < q.min_words:
        return "min_words"
    if n > q.max_words:
        return "max_words"
    if n < q.stats_min_words or n == 0:
        return None
    mean = sum(map(len, words)) / n
    if not (q.min_mean_word_len <= mean <= q.max_mean_word_len):
        return "mean_word_len"
    if text.count("#") / n > q.max_symbol_word_ratio:
        return "symbol_ratio"
    if (text.count("...") + text.count("…")) / n > q.max_symbol_word_ratio:
        return "symbol_ratio"
    lines = [ln for ln in text.split("\n") if ln.strip()]
    n_lines = len(lines) or 1
    bullets, ellipses = _marked_lines(lines)
    if bullets / n_lines > q.max_bullet_lines_frac:
        return "bullet_lines"
    if ellipses / n_lines > q.max_ellipsis_lines_frac:
        return "ellipsis_lines"
    n_tokens, no_letter = _tokens_without_letter(text)
    if 1 - no_letter / n_tokens < q.min_alpha_words_frac:
        return "alpha_words"
    counts = Counter(words)
    if q.min_stop_words > 0:
        found = sum(1 for w in _stop_forms(q.stop_words) if any(form in counts for form in w))
        if found < q.min_stop_words:
            return "stop_words"
    return repetition_reason(text, words, lines, q, counts)


def repetition_reason(
    text: str,
    words: list[str],
    lines: list[str],
    q: QualityOptions,
    counts: Counter[str] | None = None,
) -> str | None:
    total = len(text)
    paras = [p for p in _PARAS.split(text.strip()) if p]
    if len(paras) > 1:
        dup, chars = _dups(paras)
        if dup / len(paras) > q.max_dup_para_frac:
            return "dup_para_frac"
        if chars / total > q.max_dup_para_chars_frac:
            return "dup_para_chars"
    if len(lines) > 1:
        dup, chars = _dups(lines)
        if dup / len(lines) > q.max_dup_line_frac:
            return "dup_line_frac"
        if chars / total > q.max_dup_line_chars_frac:
            return "dup_line_chars"
    if counts is None:
        counts = Counter(words)
    # Bound without counting n-grams: an n-gram occurs at most min(count of its words) times,
    # so its characters are at most n * G + (n - 1) * C, where G = max(count(w) * len(w)) and
    # C = max(count(w)). Most texts are far below every limit and skip the n-gram counts.
    top_g = max(map(mul, counts.values(), map(len, counts)))
    top_c = max(counts.values())
    for n, limit in enumerate(q.max_top_ngram_chars_frac, start=2):
        if len(words) < n or (n * top_g + (n - 1) * top_c) / total <= limit:
            continue
        if _top_ngram_chars(words, n) / total > limit:
            return f"top_{n}gram"
    dup_limits = q.max_dup_ngram_chars_frac
    if dup_limits and len(words) >= 5:
        # a repeated n-gram (n > 5) contains a repeated 5-gram: most texts stop here
        grams5 = len(words) - 4
        if len(set(_ngrams(words, 5))) == grams5:
            return None
        for n, limit in enumerate(dup_limits, start=5):
            chars = _dup_ngram_chars(words, n)
            if chars == 0:
                break
            if chars / total > limit:
                return f"dup_{n}gram"
    return None


def turn_reason(content: str, previous: dict[str, str] | None, q: QualityOptions) -> str | None:
    """Why a chat turn should be removed (see module docstring), or None."""
    if previous is not None and previous["content"] == content:
        return "repeated"
    low = content.strip().lower()
    if low in _PLACEHOLDERS:
        return "placeholder"
    if _CONTENT.search(content) is None:
        return "no_content"
    if content.count("\ufffd") > 0.1 * len(content):
        return "replacement_chars"
    if len(content) >= 4 * q.stats_min_words:  # cheap bound: fewer chars => fewer words
        sub = quality_reason(content, q)
        if sub is not None and sub not in ("min_words", "max_words"):
            return sub
    return None


class QualityFilter:
    """Record step: the rules above on ``text``, or per turn on ``messages``."""

    def __init__(
        self,
        q: QualityOptions,
        *,
        counts: Counter[str] | None = None,
        audit: AuditSample | None = None,
        is_crisis: Callable[[str], bool] | None = None,
        detector: str = DEFAULT_DETECTOR,
    ) -> None:
        self.q = q
        self._detector = detector  # the run's annotate.detector
        self.counts: Counter[str] = counts if counts is not None else Counter()
        self.audit = audit
        self._is_crisis = is_crisis

    def crisis(self, text: str) -> bool:
        """Does the crisis detector flag ``text``? Repeated lines are checked once (the
        detector's cost grows with length, and a repeated line adds no new signal)."""
        if not self.q.keep_crisis:
            return False
        if self._is_crisis is None:
            from pipeline.safety import default_detector

            det = default_detector(self._detector)
            self._is_crisis = lambda t: det.detect(t).crisis
        if "\n" in text:
            lines = text.split("\n")
            unique = list(dict.fromkeys(lines))
            if len(unique) < len(lines):
                text = "\n".join(unique)
        return self._is_crisis(text)

    def __call__(self, rec: Record) -> Record | Drop:
        if rec.get("messages"):
            return self._conversation(rec)
        text = rec.get("text") or ""
        reason = quality_reason(text, self.q)
        if reason is None:
            return rec
        if self.crisis(text):
            self.counts[f"quality:kept_crisis:{reason}"] += 1
            return rec
        return Drop(f"quality:{reason}")

    def _conversation(self, rec: Record) -> Record | Drop:
        turns: list[dict[str, str]] = rec["messages"]
        kept: list[dict[str, str]] = []
        prev: dict[str, str] | None = None
        removed = 0
        gap = False  # a turn was removed since the last kept one
        for m in turns:
            same = prev if prev is not None and prev["role"] == m["role"] else None
            reason = turn_reason(m["content"], same, self.q)
            prev = m
            if reason is not None:
                if reason != "repeated" and self.crisis(m["content"]):
                    self.counts[f"quality:kept_crisis:turn_{reason}"] += 1
                else:
                    removed += 1
                    gap = True
                    self.counts[f"turns_removed:{reason}"] += 1
                    if self.audit is not None:
                        self.audit.removed(rec, f"turn_{reason}", m["content"], m["role"])
                    continue
            if gap and kept and kept[-1]["role"] == m["role"]:
                merged = kept[-1]["content"] + "\n\n" + m["content"]
                kept[-1] = {"role": m["role"], "content": merged}
                self.counts["turns_merged"] += 1
            else:
                kept.append(m)
            gap = False
        if not kept:
            return Drop("quality:no_turns")
        if removed:
            had = {m["role"] for m in turns}
            left = {m["role"] for m in kept}
            if any(r in had and r not in left for r in ("user", "assistant")):
                return Drop("quality:not_a_conversation")
        if len(kept) >= 4:
            dup, _ = _dups([m["role"] + "\x00" + m["content"] for m in kept])
            if dup / len(kept) > self.q.max_dup_turn_frac:
                return Drop("quality:dup_turns")
        rec["messages"] = kept
        return rec
