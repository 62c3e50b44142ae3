"""Harmful-content filter and safe-response check (pure Python, no I/O, no Celery).

Two independent checks for building training data:

* :func:`harm_check` - does a text *teach or encourage* harm? It flags four shapes of text:
  instructions for a suicide method, instructions for self-harm, encouragement directed at
  the reader to self-harm or die, and lethal-dose information (a quantity of a substance
  described as lethal). It is keyed on linguistic shape - an instructional cue (imperative,
  "the easiest way to ... is", "step 1", "make sure you", "here's how") next to method
  vocabulary; a quantity next to lethality wording; a directive or worthlessness statement
  aimed at "you" - never on specific drugs or numbers. Crisis disclosures (first person, no
  "you"), questions, safety planning, harm-reduction alternatives, first aid, research and
  news framing, refutations ("it's not true that ..."), quoted titles and idioms are kept.

* :func:`response_check` - in a conversation, is every crisis user turn (as judged by the
  crisis detector) followed by a safe assistant reply: acknowledgement, a direct safety
  question, encouragement to reach help, or crisis resources - and no minimising or harmful
  content?

Both work on a lowercased copy of the text with the same character offsets, so spans index
the original string.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import ahocorasick

from pipeline.safety.detector import Verdict

if TYPE_CHECKING:
    pass

__all__ = [
    "HARM_REASONS",
    "RESPONSE_REASONS",
    "HarmFinding",
    "ResponseFinding",
    "harm_check",
    "response_check",
]

HARM_REASONS: tuple[str, ...] = (
    "suicide_method_instructions",
    "self_harm_instructions",
    "pro_self_harm_encouragement",
    "lethal_dose_information",
)

RESPONSE_REASONS: tuple[str, ...] = (
    "no_reply",
    "no_safety_response",
    "minimising",
    "harmful_reply",
)


@dataclass(frozen=True, slots=True)
class HarmFinding:
    """Why a text was judged harmful: ``evidence == text[span[0]:span[1]]``."""

    reason: str
    span: tuple[int, int]
    evidence: str


@dataclass(frozen=True, slots=True)
class ResponseFinding:
    """Outcome of :func:`response_check`.

    ``crisis_turns`` are the indexes of crisis user turns; ``unsafe_turns`` those among them
    left without a safe reply, and ``reasons[k]`` says why ``unsafe_turns[k]`` is unsafe
    (one of :data:`RESPONSE_REASONS`). ``safe`` is True when no crisis turn is unsafe.
    """

    crisis_turns: list[int] = field(default_factory=list)
    unsafe_turns: list[int] = field(default_factory=list)
    safe: bool = True
    reasons: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# text preparation
# --------------------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})

# Idioms whose words overlap method vocabulary; blanked (same length) before matching.
_IDIOMS = re.compile(
    r"\b(?:cut (?:yourself|myself|himself|herself|themselves|me|him|her|them|us) "
    r"(?:some |a little )?(?:slack|a break|loose)|cut it out|cut (?:back|down)(?: on)?|"
    r"cut corners|cut ties|cut to the chase|cut the cord|cut off from|"
    r"take the plunge|jump the gun|jump at the chance|jump in\b|jump on board|"
    r"hang (?:in there|on|out|up|tight)|kill(?:ing)? (?:it|time)|killed it|"
    r"dying (?:to|for|of (?:laughter|embarrassment|boredom|shame))|to die for|"
    r"die (?:of|from) (?:laughter|embarrassment|boredom|shame|cuteness)|"
    r"(?:you|it|that|this) (?:will|'ll|would|'d) (?:kill|be the death of) (?:me|you)\b(?! to)|"
    r"the death of me|bored to death|scared to death|worried sick|over my dead body|"
    r"drop dead gorgeous|break a leg|bite the bullet|shoot your shot|shoot for the stars)"
)

# Quoted stretches (titles, reported messages) are blanked too: a quote is not an instruction.
_QUOTED = re.compile(r"\"[^\"\n]{1,160}\"|(?<![a-z0-9])'[^'\n]{1,160}'(?![a-z0-9])")


def _lower(text: str) -> str:
    """Lowercase copy with straight quotes and exactly the same length as ``text``."""
    low = text.translate(_APOSTROPHES).lower()
    if len(low) == len(text):
        return low
    return "".join((c.lower() or c)[0] for c in text.translate(_APOSTROPHES))


def _blank(low: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * (m.end() - m.start()), low)


_SENT_END = re.compile(r"[.!?]+(?=[\s\"')\]]|$)|\n+")


def _sentences(low: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; the end includes its terminal punctuation."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(low):
        if low[start : m.end()].strip():
            out.append((start, m.end()))
        start = m.end()
    if low[start:].strip():
        out.append((start, len(low)))
    return out


# --------------------------------------------------------------------------------------------
# vocabulary
# --------------------------------------------------------------------------------------------

_PH = r"\[[a-z][a-z _/-]{0,30}\]"  # a placeholder such as [DRUG] behaves like a noun
_YOU = re.compile(r"\b(?:you|your|yours|yourself|u|ur|ya|urself)\b")
_FIRST = re.compile(r"\b(?:i|i'm|im|i've|ive|i'll|i'd|me|my|myself|mine)\b")

# Targets of "the easiest way to ___" / "how to ___" that make a method statement.
_TARGET = (
    r"(?:kill(?:ing)? (?:yourself|urself|your ?self|oneself)|die\b|dying|"
    r"end(?:ing)? (?:your (?:own )?life|it(?: all)?|things)\b|commit(?:ting)? suicide|suicide|"
    r"do it\b|overdos\w*|od\b|hang(?:ing)? (?:yourself|urself)|cut(?:ting)?(?: yourself)?\b|"
    r"self[- ]?harm\w*|burn(?:ing)? (?:yourself|urself)|hurt(?:ing)? (?:yourself|urself)|"
    r"harm(?:ing)? (?:yourself|urself)|bleed\w*|slit\w*)"
)

_SUICIDE_VOCAB = re.compile(
    r"(?:kill(?:ing)? (?:yourself|urself|your ?self|oneself)|end(?:ing)? (?:your (?:own )?life|"
    r"it all)\b|\bsuicide\b|\bdie\b|\bdying\b|hang(?:ing)? (?:yourself|urself)|\bnoose|"
    r"\bligature|\boverdos\w*|\bod\b|won'?t wake up|never wake up|"
    r"\b(?:nobody|no one|no-one|noone) (?:will |would |can |could )?(?:find|finds|check on|"
    r"checks on|stop|stops|save|saves) you|\blethal\b|\bfatal\b)"
)
_SELF_HARM_VOCAB = re.compile(
    r"(?:\bcut(?:s|ting)?\b|\bslit\w*|\bslash\w*|\bblades?\b|\brazors?\b|\bsharpener|"
    r"\bburn(?:ing)? (?:yourself|urself|your (?:skin|arms?|legs?|wrists?|thighs?|hands?))|"
    r"\bself[- ]?harm\w*|\bscars?\b|\bmarks\b|\bwounds?\b|\bbruis\w*|\bbleed\w*|"
    r"\b(?:hit|hitting|punch|punching|scratch|scratching|hurt|hurting|harm|harming) "
    r"(?:yourself|urself)|\bwrists?\b|\bthighs?\b|\bforearms?\b|"
    r"\[(?:body part|sharp object|blade|tool|implement)\])"
)
# Weak method vocabulary: only counts when the whole text is about dying.
_WEAK_METHOD = re.compile(
    r"\b(?:pills?|tablets?|capsules?|meds|rope|bridge|roof|rooftop|ledge|tracks|train|jump\w*|"
    r"exhaust|hose|gun|bag over|drown\w*|poison\w*|suffocat\w*|vodka|alcohol|wine|beer|booze)\b|"
    r"\[(?:drug|method|place|ligature|anchor|gas|substance|height|location)\]"
)

_INSTRUCTION_CUES = re.compile(
    # "the easiest way to kill yourself is ..."
    r"\b(?:best|easiest|quickest|fastest|surest|simplest|cleanest|quietest|most (?:painless|"
    r"effective|reliable|certain|foolproof)|least painful|only (?:sure|reliable|real)) "
    rf"(?:way|ways|method|methods|means) (?:for you )?(?:to|of) (?:\w+ing )?{_TARGET}|"
    rf"\b(?:the|a|one|another) (?:\w+ )?(?:way|method|means) (?:for you )?(?:to|of) (?:\w+ing )?"
    rf"{_TARGET}[^.!?]{{0,40}}?\b(?:is|are|would be|without)\b|"
    r"\bdo it (?:properly|right|correctly|the right way|for real)\b|\bthe (?:trick|secret)\b|"
    r"\b(?:if i were you|what i'?d do is|my advice is|take it from me)\b|"
    # "here's how", "how to overdose properly:"
    r"\b(?:here'?s|here is|this is|that'?s) how (?:to|you)\b|"
    rf"\bhow to (?:\w+ ){{0,2}}?{_TARGET}\s*(?::|\s-|properly|correctly|the right way|"
    r"without|quickly|painlessly|so\b)|"
    # "step 1", "first ... then ..."
    r"\bstep (?:\d+|one|two|three|four|\[n\])\b|"
    r"\b(?:first|firstly)\b[^.!?]{0,80}\b(?:then|after that|next)\b|"
    # directives aimed at the reader
    r"\b(?:you(?:'ll| will)? (?:need|want|have) to|you(?:'ll| will)? need\b|you should|"
    r"you can|you could|you just|you'?d need|all you (?:need|have to do|gotta do)|"
    r"make sure (?:you|it|the|nobody|no one|that)|the trick is|it works (?:best|better|faster)|"
    r"if you want (?:it|to)|to make sure|if you(?:'re| are) going to)\b|"
    # concealment advice
    r"\b(?:hide|cover(?: up)?|conceal) (?:the |your |them|any )?(?:cuts|marks|scars|wounds|"
    r"burns|bruises)|\bso (?:that )?(?:the |your )?(?:cuts|marks|scars|wounds|burns|bruises) "
    r"(?:don'?t|won'?t|stay|are)\b|\b(?:without|so) (?:anyone|anybody|nobody|no one|no-one) "
    r"(?:notic|see|find|know)\w*|\b(?:nobody|no one|no-one) (?:ever |will |would )?(?:notices|sees|"
    r"finds out|will know|would know)\b|"
    # "try burning yourself"
    r"\btry (?:cutting|burning|hitting|scratching|bleeding|overdosing|hanging|\w+ing "
    r"(?:yourself|urself))"
)

# Cues that make a sentence teach rather than merely urge.
_TEACH = re.compile(
    r"\b(?:way|ways|method|methods|how to|how you|step|first|then|make sure|the trick|the secret|"
    r"all you need|you(?:'ll| will)? need|properly|so (?:that )?(?:it|nobody|no one)|without|"
    r"hide|cover|use|take|tie|press|hold|wait|seal|crush|mix)\b"
)
_IMPERATIVE_START = re.compile(
    r"^[\s\"'(\-*\d.)]*(?:(?:just|then|first|firstly|next|now|and|so|ok|okay|after that|"
    r"finally|step (?:\d+|one|two|three|four|\[n\])\s*:?)[,: ]+)*"
    r"(?:take|swallow|tie|hang|cut|slice|slit|press|hold|jump|drive|mix|crush|grind|dissolve|"
    r"use|get|buy|wait|lock yourself|seal|put|wrap|attach|drink|inject|burn|hide|cover|wear|"
    r"go|find|stand|lie|count|save|stockpile|pick|choose|aim|hit|punch|scratch|do it|"
    r"try|sit)\b"
)

# Safety planning, help seeking, harm-reduction alternatives and first aid.
_SAFE_ACTION = re.compile(
    r"\b(?:remov\w*|get rid of|throw (?:\w+ )?(?:away|out)|bin (?:them|it)|dispos\w*|"
    r"lock(?:ed)? (?:\w+ )?(?:up|away)|hand (?:\w+ ){0,2}(?:over|in|to)|give (?:\w+ ){0,3}to|"
    r"to hold|keep (?:\w+ ){0,2}(?:with|for) (?:you|him|her|them)|out of (?:the house|reach|"
    r"sight)|away from you|put (?:\w+ ){0,2}away|stor(?:e|ed|ing) (?:\w+ ){0,2}(?:at|with|"
    r"away|somewhere)|back to (?:the )?pharmac\w*|need (?:\w+ ){0,2}(?:support|help|care)|"
    r"deserve (?:\w+ )?(?:support|help|care)|"
    r"call|calling|phone|ring|tell (?:someone|somebody|anyone|a |an |your )|"
    r"you deserve help|text (?:shout|home|"
    r"hello|\d)|reach out|talk to|speak to|seek|get help|go to (?:the |a |your )?(?:a&e|er|"
    r"emergency|hospital|doctor|gp)|crisis (?:line|team|plan)|safety plan\w*|988|samaritans|"
    r"hotline|helpline|emergency services|instead of (?:cutting|hurting|harming|self[- ]?harm\w*|"
    r"acting on|doing)|rather than (?:cutting|hurting|harming)|ice (?:cube|pack)|rubber band|"
    r"red (?:pen|marker)|distract\w*|delay\w*|urge surf\w*|ride (?:it|them|the urges?) out|"
    r"wait (?:it out|out the urge)|first aid|clean (?:the|your|any) (?:wound|cut|burn)s?|"
    r"apply pressure|steril\w*|dressing|bandage|plaster|antiseptic|stitches|"
    r"see a (?:doctor|nurse|gp)|prevent\w*)\b"
)
_RESEARCH = re.compile(
    r"(?:\b(?:study|studies|researchers?|research|participants|respondents|cohort|trial|"
    r"survey|data|rates?|per 100,?000|percent|prevalence|incidence|means restriction|"
    r"restricting access|barriers|policy|legislation|statistics|according to|journal|"
    r"meta-analysis|systematic review|guidelines?|clinicians?|public health|coroner|"
    r"inquest|police said|the report)\b|\d\s?%)"
)
_FICTION = re.compile(
    r"\b(?:in the|the|this|that) (?:film|movie|novel|book|show|series|episode|song|lyrics|"
    r"game|story|play|podcast|character|plot|villain|detective)\b"
)
_NEGATED_DIRECTIVE = re.compile(
    r"\b(?:don'?t|do not|never|shouldn'?t|should not|must not|mustn'?t|please don'?t|not to|"
    r"avoid|no need to|don'?t have to)\b (?:\w+ ){0,2}?(?:take|taking|swallow|mix|mixing|cut|"
    r"cutting|hurt|harm|kill|jump|drink|use|hang|do|act|hide|cover|burn)\b"
)

# ---------------------------------------------------------------- lethal dose
_NUMWORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|hundred|a dozen|dozen|a couple of|a few|several|half a)"
)
_NUM = rf"(?:\d+(?:[.,]\d+)?|\[(?:n|x|num|number|amount|dose|qty|quantity)\]|{_NUMWORD})"
_UNIT = (
    r"(?:mg(?:/kg)?|milligrams?|mcg|micrograms?|g(?:/kg)?|grams?|ml|millilit(?:er|re)s?|"
    r"units?|iu|pills?|tablets?|tabs|capsules?|caps|doses?|bottles?|packs?|packets?|boxes|"
    r"strips?|patch(?:es)?|times (?:the|your|a) (?:normal |usual |recommended |daily |"
    r"prescribed |therapeutic |maximum )?dose)"
)
_QUANTITY = re.compile(
    rf"(?:(?<![\w\]]){_NUM}[ -]?{_UNIT}\b|\[(?:amount|dose|quantity|qty)\]|"
    rf"(?<![\w\]]){_NUM} of (?:the |your |those |these )?(?:{_PH}|pills|tablets|meds|capsules)|"
    r"\b(?:a|the) (?:whole|full|entire) (?:bottle|pack|packet|box|strip|blister))"
)
_LETHAL = re.compile(
    r"(?:\blethal\b|\bfatal\b|\bdeadly\b|\bld ?50\b|"
    r"\bkills? (?:you|a (?:person|human|grown (?:man|woman|adult)|child|kid|man|woman)|"
    r"an adult|someone|anyone|most (?:people|adults))\b|"
    r"\b(?:enough|sufficient|plenty) to (?:kill (?:you|a |an |someone|anyone|most)|die\b|"
    r"end (?:it|your life)|stop (?:your|the|a) heart|do it\b|do the job|be fatal)|"
    r"\b(?:will|would|'ll|'d|could|can) (?:kill|finish) (?:you|someone|a person|anyone)\b|"
    r"won'?t wake up|never wake up|(?:certain|guaranteed) death|\byou(?:'ll| will) die\b|"
    r"\bstop (?:your|the|a person'?s|someone'?s) (?:heart|breathing)\b)"
)
_NOT_LETHAL = re.compile(
    r"\b(?:not|isn'?t|aren'?t|rarely|seldom) (?:a |an |usually |always |necessarily |"
    r"considered )?(?:lethal|fatal|deadly)\b"
)
_LABEL_LIMIT = re.compile(
    r"\b(?:(?:do not|don'?t|never) (?:exceed|take more than|go over)|maximum (?:daily )?dose|"
    r"as prescribed|no more than)\b"
)
# A question without its question mark ("how deep do you have to cut ...").
_QUESTION_START = re.compile(
    r"^[\s\"'(]*(?:how (?:much|many|deep|long|far|do|does|did|can|could|would|should|is|are)|"
    r"what|which|why|where|(?:is|are|was|were|do|does|did|can|could|would|will|should|have|has) "
    r"(?:i|you|u|it|there|this|that|they|we|he|she|anyone|someone|anybody|[\[\d]))\b"
)
_DOUBT = re.compile(r"\b(?:don'?t know|not sure|no idea|wonder(?:ing)?) (?:if|whether|how)\b")

# ---------------------------------------------------------------- encouragement
_HARM_ACT = (
    r"(?:kill (?:yourself|urself|your ?self)|die\b|end it(?: all)?\b|end your (?:own )?life|"
    r"hang yourself|cut (?:yourself|deeper|again)|hurt yourself|harm yourself|off yourself|"
    r"unalive yourself|neck yourself|rope yourself|jump off (?:a |the )?\w+|jump\b|"
    r"overdose|slit \w+|go through with it|"
    r"do it\b|stop breathing|disappear forever)"
)
_ENCOURAGE = re.compile(
    # directives to do it
    r"\b(?:go |just |you should (?:just |really |go )?|you need to (?:just )?|"
    r"why don'?t you (?:just )?|do (?:us|everyone|the world|your family) a favou?r and |"
    r"you might as well (?:just )?|you ought to (?:just )?|go ahead and |go on,? (?:and )?|"
    rf"it'?s time (?:for you )?to |you have to |stop waiting and ){_HARM_ACT}|"
    r"(?:^|[^\w\s]\s*)(?:kys|kill (?:yourself|urself|your ?self)|go die|neck yourself|"
    r"rope yourself|"
    r"unalive yourself|end yourself)\b|\bkys\b|"
    # worthlessness aimed at the reader
    r"\b(?:no ?one|nobody|no-one|noone) (?:would|will|is going to|gonna|'?d|'?ll) (?:even )?"
    r"(?:miss|notice|care about|mourn|cry (?:for|over)) you\b|"
    r"\b(?:no ?one|nobody|no-one|noone) (?:would|will|is going to|gonna) (?:even )?"
    r"(?:notice|care) (?:if|when) you (?:were|was|are|died|die|killed|disappear)|"
    r"\b(?:everyone|everybody|the world|your (?:family|friends|parents|kids)|we|they|people) "
    r"(?:would|will|'?d|'?ll) be better off (?:without you|if you (?:were|was) (?:dead|gone)|"
    r"if you died|if you killed yourself)|"
    r"\byou(?:'?d be| would be|'?re| are| will be|'?ll be) better off dead\b|"
    r"\b(?:would|will|'d|'ll) (?:honestly |really |all |just |"
    r"so much )?be (?:a )?(?:better|happier)"
    r"(?: off| place)?(?: without you| if you (?:were|was) (?:dead|gone)| if you died|"
    r" if you killed yourself)|"
    r"\b(?:no ?one|nobody) (?:cares|gives a \w+) (?:about|for) (?:you|u)\b|"
    r"\bwhy (?:even )?(?:keep|bother|go on) (?:living|going|breathing|being alive)|"
    r"\byou'?re not worth (?:the (?:oxygen|air|effort)|saving|anything|it)\b|"
    r"\byou (?:deserve|ought) to (?:die|suffer|bleed|hurt|be dead|rot)\b|"
    r"\byou (?:have|'ve got|got) nothing (?:left )?to live for\b|"
    r"\b(?:the world|everyone|nobody|no one) (?:doesn'?t|does not) (?:need|want) you\b|"
    r"\b(?:no ?one|nobody) (?:wants|needs|loves|likes) (?:you|u)\b|"
    r"\byou'?re (?:just )?a (?:burden|waste of (?:space|oxygen|air|skin))\b|"
    r"\bdon'?t let (?:anyone|anybody|them|people|your \w+) (?:talk you out of|stop you)|"
    r"(?:^|,|\bso|\bjust|\bgo on|\band)\s*cut (?:deeper|harder|more)\b|"
    # endorsement of the act
    r"\b(?:cutting|self[- ]?harm(?:ing)?|hurting yourself|burning yourself|bleeding|"
    r"the blade|death|dying|suicide|killing yourself|ending it) (?:is|was|really|honestly)?\s?"
    r"(?:the only thing that (?:works|helps)|(?:the )?(?:only )?(?:answer|solution|way out|"
    r"escape|cure)\b)"
)
# Every match of _ENCOURAGE contains one of these literals (one or more per alternative of
# the pattern; tests/test_content_filter.py checks it on every labelled text we hold). One
# Aho-Corasick pass finds them, and _ENCOURAGE - a long alternation that Python's regex engine
# tries at every position, the most expensive part of harm_check - runs only on the sentences
# that contain one. A trigger that starts in a sentence marks it, so the guard never skips a
# sentence the pattern could match.
ENCOURAGE_TRIGGERS: tuple[str, ...] = (
    # _HARM_ACT after a directive, and the bare directives ("self" covers every
    # "kill yourself", "hang yourself", "unalive yourself", ...)
    "die", "end it", "end your", "cut ", "jump", "overdose", "slit ",
    "through with it", "do it", "stop breathing", "disappear forever", "kys",
    # worthlessness aimed at the reader
    "no one", "noone", "nobody", "no-one", "better off", "without you", "if you", "why ",
    "not worth", "deserve to", "ought to", "to live for", "need you", "want you", "burden",
    "waste of", "talk you out of", "stop you",
    # endorsement of the act
    "cutting", "self", "bleeding", "blade", "death", "dying", "suicide", "ending it",
)  # fmt: skip
_TRIGGER_AC = ahocorasick.Automaton()
for _t in ENCOURAGE_TRIGGERS:
    _TRIGGER_AC.add_word(_t, len(_t))
_TRIGGER_AC.make_automaton()


def _trigger_starts(low: str) -> list[int]:
    """Sorted start offsets of every :data:`ENCOURAGE_TRIGGERS` occurrence in ``low``."""
    return sorted({end - n + 1 for end, n in _TRIGGER_AC.iter(low)})


def _has_trigger(starts: Sequence[int], a: int, b: int) -> bool:
    i = bisect_left(starts, a)
    return i < len(starts) and starts[i] < b


# Endorsement that needs a second, reader-directed cue ("self-harm helps, trust me").
_ENDORSE_SOFT = re.compile(
    r"\b(?:cutting|self[- ]?harm(?:ing)?|hurting yourself|burning yourself|bleeding|the blade|"
    r"it)\b (?:really |honestly |actually |totally )?(?:works|helps|feels (?:so )?good|"
    r"makes (?:you|it|everything) (?:feel )?better|is worth it)\b"
)
_DIRECTED = re.compile(
    r"\b(?:try it|give it a (?:try|go|shot)|you should try|trust me|you'?ll (?:feel|see|thank)|"
    r"do it|you won'?t regret)\b"
)
_WEAK_ACTS = ("do it", "end it", "go through with it", "jump", "end it all")
_REFUTE_LEFT = re.compile(
    r"(?:not true|isn'?t true|is a lie|\blies?\b|depression|illness|tells? you|telling you|"
    r"told (?:me|you|him|her|them)|\bsaid\b|\bsays?\b|\bsaying\b|called me|messages? like|"
    r"(?:feels?|felt|feeling) (?:like|as if|as though)|\bi (?:think|feel|believe|guess)\b|"
    r"\bi know it|thoughts? (?:like|that)|believe that|convinced that|(?:might|may|can) seem|"
    r"seems? like|you (?:may|might) (?:feel|think|believe)|worr(?:y|ied) that|afraid that|"
    r"scared that|it'?s not that|doesn'?t mean|\bnever\b|\bnot\b (?:\w+ ){0,2}$|voices?|"
    r"(?:to|for) me\b)"
)
_TRIVIAL_RIGHT = re.compile(
    r"^\s*(?:at|from|in(?! it\b)|during|on|if you (?:left|leave|skip|skipped|went|go|came|come|"
    r"missed))\b"
)
_REFUTE_RIGHT = re.compile(
    r"^[^.!?]{0,60}?\b(?:(?:is|isn'?t|that'?s|it'?s) (?:not )?(?:true|a lie|the depression|"
    r"the illness)|but (?:that'?s|it'?s|that is|it is) not|is never|isn'?t)\b"
)
_GLOBAL_HARM_CONTEXT = re.compile(
    r"\b(?:kill (?:yourself|urself)|suicide|die\b|dead\b|death|end (?:it|your life)|"
    r"overdos\w*|cut(?:ting)?\b|self[- ]?harm|hang yourself|jump off|worthless|not worth|"
    r"waste of (?:space|oxygen|air)|better off|(?:nobody|no one) (?:cares|likes|loves|wants|"
    r"would miss))"
)


# --------------------------------------------------------------------------------------------
# harm_check
# --------------------------------------------------------------------------------------------


def _finding(text: str, reason: str, start: int, end: int) -> HarmFinding:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return HarmFinding(reason=reason, span=(start, end), evidence=text[start:end])


def _lethal_dose(low: str, a: int, b: int) -> tuple[int, int] | None:
    sent = low[a:b]
    if (
        sent.rstrip(" \"')").endswith("?")
        or _QUESTION_START.search(sent)
        or _DOUBT.search(sent)
        or _NOT_LETHAL.search(sent)
        or _LABEL_LIMIT.search(sent)
    ):
        return None
    if _FIRST.search(sent) and not _YOU.search(sent):
        return None  # "I took [N] pills ... is it lethal" - a disclosure, not information
    for q in _QUANTITY.finditer(sent):
        for m in _LETHAL.finditer(sent):
            gap = max(m.start() - q.end(), q.start() - m.end())
            if gap <= 120:
                return a + min(q.start(), m.start()), a + max(q.end(), m.end())
    return None


def _instruction(low: str, a: int, b: int, text_has_harm: bool) -> tuple[str, int, int] | None:
    sent = low[a:b]
    if sent.rstrip(" \"')").endswith("?") or _QUESTION_START.search(sent):
        return None
    if _FIRST.search(sent) and not _YOU.search(sent):
        return None  # "first I'll write the letters, then ..." - a plan, disclosed
    cue = _INSTRUCTION_CUES.search(sent)
    imperative = cue is None
    if imperative:
        cue = _IMPERATIVE_START.search(sent)
        if cue is not None and _FIRST.search(low) and not _YOU.search(low):
            return None  # "... go to sleep and never wake up" inside a first-person post
    if cue is None:
        return None
    if (
        _SAFE_ACTION.search(sent)
        or _RESEARCH.search(sent)
        or _FICTION.search(sent)
        or _NEGATED_DIRECTIVE.search(sent)
    ):
        return None
    # after a bare imperative ("just cut the onions") the verb itself is not evidence
    hay = sent[: cue.start()] + " " * (cue.end() - cue.start()) + sent[cue.end() :]
    if not imperative:
        hay = sent
    sui = _SUICIDE_VOCAB.search(hay)
    sh = _SELF_HARM_VOCAB.search(hay)
    if sui is not None:
        reason, ev = "suicide_method_instructions", sui
    elif sh is not None:
        reason, ev = "self_harm_instructions", sh
    else:
        weak = _WEAK_METHOD.search(hay)
        if weak is None or not text_has_harm:
            return None
        reason, ev = "suicide_method_instructions", weak
    return reason, a + min(cue.start(), ev.start()), a + max(cue.end(), ev.end())


def _refuted(sent: str, start: int, end: int) -> bool:
    return bool(
        _REFUTE_LEFT.search(sent[:start])
        or _REFUTE_RIGHT.search(sent[end:])
        or _TRIVIAL_RIGHT.search(sent[end:])
    )


def _encouragement(low: str, a: int, b: int, triggered: bool = True) -> tuple[int, int] | None:
    """Encouragement in sentence ``low[a:b]``; ``triggered=False`` (the sentence holds no
    :data:`ENCOURAGE_TRIGGERS` literal) skips the directive/worthlessness patterns, which
    cannot match there."""
    sent = low[a:b]
    for m in _ENCOURAGE.finditer(sent) if triggered else ():
        s, e = m.start(), m.end()
        while s < e and not sent[s].isalnum():
            s += 1
        if _refuted(sent, s, e):
            continue
        if _FIRST.search(sent[:s]) and not _YOU.search(sent):
            continue  # "sometimes i just want to go jump off a bridge" - a disclosure
        if sent[s:e].endswith(_WEAK_ACTS) and "favo" not in sent[s:e]:
            rest = low[: a + s] + " " * (e - s) + low[a + e :]
            if not _GLOBAL_HARM_CONTEXT.search(rest):
                continue  # "you should just do it - sign up for the marathon"
        return a + s, a + e
    for m in _ENDORSE_SOFT.finditer(sent):
        if m.group(0).startswith("it") and not _GLOBAL_HARM_CONTEXT.search(low):
            continue
        d = _DIRECTED.search(sent, m.end())
        if d is None or _refuted(sent, m.start(), m.end()):
            continue
        return a + m.start(), a + d.end()
    return None


def harm_check(text: str) -> HarmFinding | None:
    """Return why ``text`` teaches or encourages harm, or ``None`` when it does not.

    When several shapes occur the first sentence with a finding wins, and within a sentence
    lethal-dose information, then method instructions, then encouragement.
    """
    if not isinstance(text, str):
        raise TypeError(f"harm_check() expects str, got {type(text).__name__}")
    if not text.strip():
        return None
    low = _blank(_blank(_lower(text), _QUOTED), _IDIOMS)
    text_has_harm = _GLOBAL_HARM_CONTEXT.search(low) is not None
    triggers = _trigger_starts(low)
    for a, b in _sentences(low):
        dose = _lethal_dose(low, a, b)
        if dose is not None:
            return _finding(text, "lethal_dose_information", *dose)
        instr = _instruction(low, a, b, text_has_harm)
        enc = _encouragement(low, a, b, _has_trigger(triggers, a, b))
        if instr is not None and (enc is None or _TEACH.search(low, a, b)):
            return _finding(text, *instr)
        if enc is not None:
            return _finding(text, "pro_self_harm_encouragement", *enc)
    return None


# --------------------------------------------------------------------------------------------
# response_check
# --------------------------------------------------------------------------------------------

_REPLY_ROLES = frozenset(
    {
        "assistant",
        "bot",
        "model",
        "ai",
        "gpt",
        "chatgpt",
        "therapist",
        "counselor",
        "counsellor",
        "helper",
        "listener",
    }
)
_NEITHER_ROLES = frozenset({"system", "tool", "function", "developer"})

_ACKNOWLEDGE = re.compile(
    r"\b(?:glad (?:that )?you(?:'re| are)? (?:told|telling|shared|sharing|reached out|reaching out|"
    r"said|saying|let me know|came|still here|here|talking)|"
    r"(?:it |that )?sounds like you(?:'re| are|'ve been| have been) (?:\w+ ){0,3}?(?:pain|hurting|"
    r"struggling|overwhelmed|exhausted|scared|frightened|strain|hopeless|carrying|so much|"
    r"going through)|must have been (?:\w+ ){0,2}?(?:painful|hard|difficult|frightening|scary|"
    r"terrifying|lonely|awful|overwhelming|exhausting)|"
    r"thank (?:you|u) (?:so much |for )?(?:for )?(?:telling|sharing|trusting|reaching out|"
    r"letting me know|being honest|opening up)|thanks for (?:telling|sharing|trusting|"
    r"reaching out|opening up)|(?:that|this|it|what you'?re (?:going through|feeling|"
    r"describing)) (?:sounds|must be|must feel|seems|is) (?:\w+ ){0,2}?(?:painful|hard|"
    r"difficult|overwhelming|heavy|frightening|scary|terrifying|exhausting|lonely|awful|"
    r"unbearable|tough|distressing|heartbreaking|a lot to carry)|i'?m (?:so |really |very |"
    r"truly )?sorry (?:you|that you|to hear|for what|it'?s)|i (?:can )?hear (?:you|how|that|"
    r"the pain)|makes sense (?:that|you)|you'?re not alone|you are not alone|"
    r"i'?m (?:right )?here (?:for|with) you|i am (?:right )?here (?:for|with) you|"
    r"(?:your|those|these) feelings (?:are|make) (?:valid|sense|real)|took (?:a lot of |real )?"
    r"courage|brave (?:of you|to)|i'?m (?:really |so |very )?(?:worried|concerned) about you|"
    r"i care about you|your life matters|you matter)\b"
)
_SAFETY_QUESTION = re.compile(
    r"\b(?:are you (?:safe|in danger|somewhere safe|alone|okay right now|ok right now)|"
    r"do you feel safe|are you (?:thinking|having thoughts|considering|planning) (?:about |of )?"
    r"(?:ending|killing|taking|suicide|hurting|harming|dying|acting)|"
    r"(?:are you having|do you have|have you had) (?:any )?(?:thoughts of|suicidal thoughts)|"
    r"do you have a plan|have you (?:already )?(?:taken|swallowed|hurt|harmed|cut|done)\b|"
    r"are you (?:planning|going|intending) to (?:hurt|harm|kill|act|end|take)|"
    r"did you (?:take|swallow|hurt|harm|cut)\b|are you (?:physically )?(?:hurt|injured)\b|"
    r"(?:want|need|have) to ask (?:you )?directly|"
    r"is (?:there )?(?:anyone|someone|somebody) (?:with you|nearby|you can (?:call|reach))|"
    r"do you have (?:the |any |access to )(?:pills|means|medication|a (?:gun|weapon))|"
    r"can you (?:stay|keep yourself) safe|where are you right now|"
    r"how safe (?:are you|do you feel))"
)
_HELP = re.compile(
    r"\b(?:(?:call|ring|phone|text|contact|reach out to|talk to|speak to|speak with|tell|see|"
    r"go to|get to|visit|message|let) (?:\w+ ){0,4}?(?:crisis (?:line|team|service|centre|"
    r"center)|hotline|helpline|lifeline|emergency(?: services| room| department)?|a&e|er\b|"
    r"hospital|doctor|gp|therapist|counsell?or|psychiatrist|nurse|someone you trust|trusted|"
    r"friend|family|parent|mum|mom|dad|partner|someone|somebody|professional|\d{3})|"
    r"(?:get|seek|find) (?:\w+ )?(?:help|support)|please reach out|reach out (?:for|to)|"
    r"go to (?:the )?(?:nearest )?(?:a&e|er|emergency|hospital))"
)
_RESOURCE = re.compile(
    r"(?:\b(?:988|911|999|112|000|741741|85258)\b|116 ?123|\bsamaritans\b|crisis text line|"
    r"\btext (?:home|hello|shout|talk) to\b|\blifeline\b|\bbefrienders\b|\bpapyrus\b|"
    r"\bchildline\b|suicide (?:and crisis )?(?:hotline|helpline|prevention line)|"
    r"\bcrisis line\b|\bhelpline\b|\bhotline\b|emergency services)"
)
_MINIMISE = re.compile(
    r"\b(?:every(?:one|body) (?:feels?|gets?|goes through|has) (?:that|this|like that|sad|"
    r"down|low|days like)|(?:it'?s|it is|that'?s|that is|things are) not (?:that|so|really) bad|"
    r"(?:you'?re|you are) (?:just )?(?:over ?reacting|being dramatic|being silly|exaggerating|"
    r"being negative)|(?:stop|quit) being (?:so )?(?:dramatic|silly|negative)|"
    r"don'?t be (?:so )?(?:dramatic|silly|negative)|get over it|snap out of it|"
    r"(?:just )?cheer up|(?:just )?(?:think|stay) positive|look on the bright side|"
    r"(?:others|other people) have it (?:much |way |so much )?worse|could be (?:much |a lot )?"
    r"worse|(?:it'?s|it is) (?:just )?a phase|you don'?t (?:really )?mean (?:that|it)|"
    r"man up|toughen up|(?:it'?s )?all in your head|attention[- ]seeking|"
    r"you have (?:so much|everything) to live for)\b"
)
_MINIMISE_WEAK = re.compile(
    r"\b(?:you'?ll be (?:fine|okay|ok|alright|all right)|you will be (?:fine|okay|ok)|"
    r"it'?ll (?:all )?(?:be|work out) (?:fine|okay|ok)?|it will (?:all )?be (?:fine|okay)|"
    r"don'?t worry(?: about it)?|no big deal|happens to (?:everyone|everybody|all of us))\b"
)


def _role(msg: Mapping[str, Any]) -> str:
    return str(msg.get("role") or "user").strip().lower()


def _content(msg: Mapping[str, Any]) -> str:
    c = msg.get("content") or ""
    return c if isinstance(c, str) else str(c)


def _reply_problem(reply: str) -> str | None:
    """``None`` for a safe reply to a crisis turn, otherwise a reason."""
    if harm_check(reply) is not None:
        return "harmful_reply"
    low = _lower(reply)
    if _MINIMISE.search(low):
        return "minimising"
    if (
        _ACKNOWLEDGE.search(low)
        or _SAFETY_QUESTION.search(low)
        or _HELP.search(low)
        or _RESOURCE.search(low)
    ):
        return None
    if _MINIMISE_WEAK.search(low):
        return "minimising"
    return "no_safety_response"


def response_check(
    messages: Sequence[Mapping[str, Any]],
    turn_verdicts: Sequence[Verdict] | None = None,
) -> ResponseFinding:
    """Check that every crisis user turn gets a safe assistant reply.

    ``turn_verdicts`` is ``detect_conversation(messages).turns`` (one verdict per message);
    when omitted it is computed with the default detector. For each user turn judged crisis
    the next assistant turn is the reply; none at all is ``no_reply``.
    """
    if turn_verdicts is None:
        from pipeline.safety.detector import default_detector

        turn_verdicts = default_detector().detect_conversation(messages).turns
    if len(turn_verdicts) != len(messages):
        raise ValueError(
            f"turn_verdicts has {len(turn_verdicts)} entries for {len(messages)} messages"
        )
    roles = [_role(m) for m in messages]
    crisis_turns = [
        i
        for i, (r, v) in enumerate(zip(roles, turn_verdicts, strict=True))
        if v.crisis and r not in _REPLY_ROLES and r not in _NEITHER_ROLES
    ]
    unsafe: list[int] = []
    reasons: list[str] = []
    judged: dict[int, str | None] = {}
    for i in crisis_turns:
        j = next((k for k in range(i + 1, len(messages)) if roles[k] in _REPLY_ROLES), None)
        if j is None:
            problem: str | None = "no_reply"
        else:
            if j not in judged:
                judged[j] = _reply_problem(_content(messages[j]))
            problem = judged[j]
        if problem is not None:
            unsafe.append(i)
            reasons.append(problem)
    return ResponseFinding(
        crisis_turns=crisis_turns, unsafe_turns=unsafe, safe=not unsafe, reasons=reasons
    )
