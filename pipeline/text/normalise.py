"""Normalise text: mojibake repair, NFC, control characters, whitespace, transcript
artefacts and boilerplate lines.

:func:`normalise_text` is idempotent: ``normalise_text(normalise_text(t)) == normalise_text(t)``
(property-tested with generated strings). The record step is :class:`Normaliser`.

Order, and why:

1. ``ftfy`` first (mojibake, HTML entities, curly quotes, ligatures, full-width forms, C1
   controls), but only when the text shows something ftfy would fix (a cheap regex: the byte
   patterns of UTF-8 read as Latin-1/cp1252/cp1251, entities, escapes, ligatures, full-width
   forms); otherwise curly quotes are straightened with ``str.translate`` as ftfy would. ftfy
   goes first because it needs the evidence the later steps would destroy (a C1 control
   inside ``â\\x80\\x99`` is how UTF-8-read-as-Latin-1 is recognised).
2. line breaks, control/invisible characters (zero-width, BOM, bidi overrides, soft hyphen),
   then NFC (after the removals, so a removed character never leaves an uncomposed pair).
3. transcript artefacts (``[Music]``, ``(inaudible)``, SRT/VTT timestamps and cue numbers,
   ``>>`` speaker marks, ``♪``), replaced by a space, repeated until none is left.
4. spaces collapsed, lines stripped, boilerplate lines removed (whole lines of at most 300
   characters matching a pattern), at most one blank line kept.

If steps 2-4 changed the text and it still shows something for ftfy, ftfy and steps 2-4 run
again until nothing changes (bounded), so the result is a fixed point of the whole function.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import ahocorasick
import ftfy

from pipeline.records import Record
from pipeline.stages.base import Drop
from pipeline.text.audit import AuditSample

_FTFY = ftfy.TextFixerConfig(explain=False)
# What ftfy would change, as a cheap test; text without any of it skips ftfy (~170 us per
# 2 KB document): UTF-8 read as Latin-1/cp1252 (a lead byte then a continuation byte),
# UTF-8 read as cp1251, C1 controls, HTML entities, terminal escapes, ligatures, full-width
# forms, lone surrogates.
_FTFY_HINT = re.compile(
    r"[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    r"\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
    r"|[\u0420\u0421][\u0400-\u045f\u0490\u0491\u2018-\u203a\u2116]"
    r"|[\x80-\x9f\x1b\ufb00-\ufb06\uff01-\uff5e\ud800-\udfff]"
    r"|&(?:[A-Za-z]{2,10}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});"
)
# ftfy's uncurl_quotes, done here for text that needs nothing else from ftfy
_UNCURL = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u201c": '"', "\u201d": '"',
     "\u201e": '"', "\u201f": '"'}
)  # fmt: skip

_ASCII_CONTROL = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def _has_ascii_control(text: str) -> bool:
    """Does ASCII ``text`` hold a character that _CONTROL removes? (a C-level test)"""
    raw = text.encode()
    return len(raw.translate(None, _ASCII_CONTROL)) != len(raw)


_LINEBREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\u00ad\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
# runs of 2+ spaces, or any other horizontal space (single ASCII spaces are left alone)
_SPACES = re.compile(
    r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]{2,}"
    r"|[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
)
_LINE_EDGES = re.compile(r" ?\n ?")
_BLANKS = re.compile(r"\n{3,}")

# Non-speech events that caption tools insert. Expressive ones a speaker may mean
# ("(sighs)", "(crying)", "(laughs)") are deliberately not here: they carry emotion.
_EVENTS = (
    r"music|(?:soft |upbeat |gentle |dramatic |background |intro |outro )music|music playing"
    r"|applause|clapping|cheering|laughter|audience laughter|inaudible|unintelligible"
    r"|indistinct(?: chatter)?|crosstalk|silence|blank_audio|no audio|background noise|noise"
    r"|static|foreign|foreign language|speaking foreign language|beep|bleep"
)
_ART_BRACKET = re.compile(
    rf"[\[(](?:{_EVENTS})(?: \d{{1,2}}:\d{{2}}(?::\d{{2}})?)?[\])]"
    r"|[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]",  # [00:12] (01:02:03)
    re.IGNORECASE,
)
_ART_CUES = re.compile(  # WEBVTT header, SRT/VTT cue number + timing lines
    r"^[^\S\n]*WEBVTT\b[^\n]*$"
    r"|^[^\S\n]*(?:\d+[^\S\n]*\n[^\S\n]*)?\d{1,2}:\d{2}(?::\d{2})?[.,]\d{3}[^\S\n]*-->[^\S\n]*\d{1,2}:\d{2}(?::\d{2})?[.,]\d{3}"
    r"[^\n]*$",
    re.MULTILINE,
)
_ART_MARKS = re.compile(r"^[^\S\n]*>>+|[♪♫]+", re.MULTILINE)

# Boilerplate that is a whole line. STRICT patterns are multi-word and unambiguous, applied to
# documents and chat turns alike; WEB patterns (navigation words, page numbers) are applied to
# documents only, because a chat turn "Home." or "Register" can be a real answer.
_STRICT = (
    r"(?=.{0,300}$).*\bcookies?\b.*\b(?:accept|consent|agree|policy|preferences|settings"
    r"|continu(?:e|ing) (?:to )?(?:use|browse|browsing|using))\b.*"
    r"|(?:accept|reject|allow|manage|customi[sz]e) (?:all |necessary |optional )?cookies.{0,40}"
    r"|(?:©|\(c\)|copyright\b).{0,120}"
    r"|.{0,120}\ball rights reserved\b.{0,60}"
    r"|(?:please |and |so )?(?:don'?t forget to |make sure (?:you )?(?:to )?|be sure to )?"
    r"(?:like,? (?:comment,? )?(?:share,? )?(?:and |& )?)?subscribe"
    r"(?:(?: and| &) (?:hit|click|ring|turn on) the (?:notification )?bell.{0,40})?"
    r"(?: (?:now|today|for (?:more|updates|free)|to (?:our|my|the|this) (?:youtube )?(?:channel"
    r"|newsletter|podcast|mailing list|blog|updates|feed)).{0,60})?[.!]*"
    r"|(?:hit|click|ring|smash) (?:the|that) (?:notification |like )?(?:bell|button).{0,60}"
    r"|(?:sign up|subscribe|register) (?:for|to) (?:our|the) (?:free )?(?:weekly |daily |monthly )?"
    r"(?:newsletter|mailing list|email updates).{0,80}"
    r"|join (?:our|the) (?:mailing list|newsletter).{0,80}"
    r"|share (?:this|on) (?:article|post|page|story|facebook|twitter|x|linkedin|whatsapp|email)"
    r"(?:[ ,|/]+(?:facebook|twitter|x|linkedin|whatsapp|email|pinterest|reddit))*"
    r"|skip to (?:main )?content|back to top|follow us on .{1,60}"
    r"|click here to (?:subscribe|download|read|learn|find|see|view|register|sign up).{0,60}"
)
_WEB = (
    r"(?:page|pg\.?) ?\d{1,4}(?: ?(?:of|/) ?\d{1,4})?|[-–—] ?\d{1,4} ?[-–—]|\d{1,4} ?\| ?page"
    r"|home|menu|search|share|tweet|print|email|advertisement|sponsored(?: content)?"
    r"|read more|continue reading|related (?:articles|posts|stories)|you may also like"
    r"|(?:log ?in|sign ?in|sign ?up|register)(?: ?[|/] ?(?:log ?in|sign ?in|sign ?up|register))*"
    r"|privacy policy|terms (?:of (?:use|service)|and conditions)"
    r"|(?:privacy policy|terms (?:of (?:use|service)|and conditions)|cookie policy|contact us"
    r"|about us|sitemap|accessibility)(?: ?[|·•] ?(?:privacy policy|terms (?:of (?:use|service)"
    r"|and conditions)|cookie policy|contact us|about us|sitemap|accessibility))+"
)
_BOILER_STRICT = re.compile(rf"(?:{_STRICT})", re.IGNORECASE)
_BOILER_ALL = re.compile(rf"(?:{_STRICT}|(?:{_WEB})[.:]?)", re.IGNORECASE)
_MAX_BOILER_LINE = 300  # longer lines are never boilerplate (and are not even tested)
# Every STRICT alternative, and every WEB alternative that can be longer than
# _SHORT_WEB_LINE characters, contains one of these words (casefolded, as IGNORECASE matches
# "Cookie" and "COOKIE"). A document without any of them skips those tests: most documents,
# and the patterns' backtracking over ``.*`` is the costly part. One Aho-Corasick pass.
_ANCHOR_WORDS = (
    "cookie", "©", "(c)", "copyright", "rights reserved", "subscribe", "bell", "button",
    "newsletter", "mailing list", "email updates", "share", "skip to", "back to top",
    "follow us on", "click here to", "privacy", "terms", "contact us", "about us", "sitemap",
    "accessibility", "login", "log in", "signin", "sign in", "signup", "sign up", "register",
)  # fmt: skip
_ANCHORS = ahocorasick.Automaton()
for _w in _ANCHOR_WORDS:
    _ANCHORS.add_word(_w, _w)
_ANCHORS.make_automaton()


def _has_anchor(text: str) -> bool:
    for _ in _ANCHORS.iter(text.casefold()):
        return True
    return False


_SHORT_WEB_LINE = 40  # the longest WEB alternative without an anchor word is ~20 characters


def _artefacts_once(text: str) -> tuple[str, int]:
    n = 0
    if "[" in text or "(" in text:
        text, k = _ART_BRACKET.subn(" ", text)
        n += k
    if "-->" in text or "WEBVTT" in text:
        text, k = _ART_CUES.subn(" ", text)
        n += k
    if ">>" in text or "♪" in text or "♫" in text:
        text, k = _ART_MARKS.subn(" ", text)
        n += k
    return text, n


def _strip_artefacts(text: str, counts: Counter[str] | None) -> str:
    while True:  # removing one artefact may complete another ("[[Music]Music]")
        text, n = _artefacts_once(text)
        if not n:
            return text
        if counts is not None:
            counts["normalise:artefacts_removed"] += n


def _strip_boilerplate(
    text: str, web: bool, counts: Counter[str] | None, removed: list[str] | None
) -> str:
    rx = _BOILER_ALL if web else _BOILER_STRICT
    kept: list[str] = []
    gone: list[str] = []
    anchored = _has_anchor(text)
    if not anchored and not web:
        return text
    for ln in text.split("\n"):
        if (
            not ln
            or len(ln) > _MAX_BOILER_LINE
            or ((not web or len(ln) > _SHORT_WEB_LINE) and not (anchored and _has_anchor(ln)))
            or rx.fullmatch(ln) is None
        ):
            kept.append(ln)
        else:
            gone.append(ln)
    if not gone:
        return text
    if counts is not None:
        counts["normalise:boilerplate_lines_removed"] += len(gone)
    if removed is not None:
        removed.extend(gone)
    return "\n".join(kept)


def _needs_ftfy(text: str) -> bool:
    if text.isascii() and "&" not in text and "\x1b" not in text:
        return False
    return _FTFY_HINT.search(text) is not None


def _clean(
    text: str,
    *,
    artefacts: bool,
    boilerplate: bool,
    web: bool,
    counts: Counter[str] | None,
    removed: list[str] | None,
) -> str:
    if "\r" in text or not text.isascii():
        text = _LINEBREAKS.sub("\n", text)
    if not text.isascii() or _has_ascii_control(text):
        text = _CONTROL.sub("", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if artefacts:
        text = _strip_artefacts(text, counts)
    ascii_ = text.isascii()
    if not ascii_ or "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _LINE_EDGES.sub("\n", text)
    text = text.strip(" ")
    if boilerplate:
        text = _strip_boilerplate(text, web, counts, removed)
    if "\n\n\n" in text:
        text = _BLANKS.sub("\n\n", text)
    return text.strip()


def normalise_text(
    text: str,
    *,
    fix_encoding: bool = True,
    artefacts: bool = True,
    boilerplate: bool = True,
    web: bool = True,
    counts: Counter[str] | None = None,
    removed: list[str] | None = None,
) -> str:
    """The normal form of ``text`` (see the module docstring for the steps).

    ``web=False`` keeps single-word navigation lines and page numbers (use it for chat
    turns). ``counts`` gets ``normalise:*`` counters; ``removed`` gets the removed
    boilerplate lines (for the audit sample).
    """
    if fix_encoding:
        if _needs_ftfy(text):
            text = ftfy.fix_text(text, _FTFY)
        elif not text.isascii():
            text = text.translate(_UNCURL)
    out = _clean(
        text, artefacts=artefacts, boilerplate=boilerplate, web=web, counts=counts, removed=removed
    )
    if fix_encoding and out != text:
        # the clean-up may have brought pieces of a mojibake sequence together
        for _ in range(8):  # converges in one or two rounds; bounded all the same
            if not _needs_ftfy(out):
                break
            fixed = ftfy.fix_text(out, _FTFY)
            if fixed == out:
                break
            out = _clean(
                fixed,
                artefacts=artefacts,
                boilerplate=boilerplate,
                web=web,
                counts=counts,
                removed=removed,
            )
    return out


class Normaliser:
    """Record step: normalise ``text`` (as a document) and every turn of ``messages`` (as
    chat: no navigation/page-number removal). Turns left empty are removed (counted as
    ``turns_removed:empty``); a record left with no text and no turns is
    ``Drop("empty_text")``. Removed boilerplate lines go to the audit sample."""

    def __init__(
        self,
        *,
        fix_encoding: bool = True,
        artefacts: bool = True,
        boilerplate: bool = True,
        counts: Counter[str] | None = None,
        audit: AuditSample | None = None,
    ) -> None:
        self.fix_encoding = fix_encoding
        self.artefacts = artefacts
        self.boilerplate = boilerplate
        self.counts: Counter[str] = counts if counts is not None else Counter()
        self.audit = audit

    def _norm(self, text: str, web: bool, removed: list[str] | None) -> str:
        return normalise_text(
            text,
            fix_encoding=self.fix_encoding,
            artefacts=self.artefacts,
            boilerplate=self.boilerplate,
            web=web,
            counts=self.counts,
            removed=removed,
        )

    def __call__(self, rec: Record) -> Record | Drop:
        removed: list[str] | None = [] if self.audit is not None else None
        if rec.get("text") is not None:
            rec["text"] = self._norm(rec["text"], True, removed)
        if rec.get("messages"):
            turns = []
            for m in rec["messages"]:
                content = self._norm(m["content"], False, removed)
                if content:
                    turns.append({"role": m["role"], "content": content})
                else:
                    self.counts["turns_removed:empty"] += 1
            rec["messages"] = turns or None
        if removed and self.audit is not None:
            for line in removed:
                self.audit.removed(rec, "boilerplate_line", line)
        if not rec.get("text") and not rec.get("messages"):
            return Drop("empty_text")
        return rec
