"""Rule-based crisis detector.

A text is "crisis" when it expresses a *current* risk to the writer or to a person in the
conversation. The detector works in two layers:

1. A high-recall **pattern layer** (compiled regular expressions over a lowercased copy of the
   text, organised by category). Every match becomes a *hit* with a base weight.
2. **Context modifiers** that multiply a hit's weight down instead of deleting it: negation
   (unless hedged, e.g. "not yet", "might not"), hypothetical or second/third person framing,
   reported speech, news/academic framing, distant past or recovery, idiom and hyperbole
   (laughter markers, "die of embarrassment"), titles and jargon ("Suicide Squad", "suicide
   sprints"), gaming context, and rule-specific benign purposes ("gave away my stuff because
   we're moving").

The text score is the strongest hit plus a small bonus for independent evidence in other
categories; the verdict is ``score >= threshold``. Pure Python, no model, no I/O.

Optional scorer (``scorer=`` / :func:`default_detector`): a hashed-feature logistic regression
(:mod:`pipeline.safety.scorer`) that also sees the rule layer's per-category scores and
modifier flags. The combination is ``score = max(rule score, scaled scorer probability)``,
where the scorer probability is mapped so that its cross-validated threshold lands on the
detector's ``threshold``. The scorer can only *add* crisis verdicts, never remove a rule
verdict. A verdict raised by the scorer alone has empty ``spans`` and one category: the
category of the strongest (possibly downgraded) rule hit, or ``"unspecified"`` when no rule
matched at all. :func:`default_detector` attaches the shipped scorer only when its artifact
is marked enabled.

Optional contextual stage (``contextual=``): a fine-tuned MiniLM classifier
(:mod:`pipeline.safety.contextual`) that reads word order. It is slow next to the rest (about
3 ms a short text), so it only sees texts in doubt: rules+scorer score ``s`` inside
:data:`CONTEXT_BAND` and no rule hit of :data:`RULE_STANDS` or more. Below the band a text
stays not crisis, above it crisis, and a strong rule hit keeps its verdict. In doubt, the
score becomes ``(1 - CONTEXT_WEIGHT) * s + CONTEXT_WEIGHT * p`` (``p`` the classifier's
probability), so the classifier can both raise a verdict the cheap layers missed and lower
one they raised, with two exceptions: for a text longer than the classifier's window it can
only raise, and it cannot raise a text whose crisis wording the rules downgraded (negation,
third person, news, idiom...): the context modifiers keep the last word on their frames.
Spans and categories still come from the rule hits (a verdict with none gets
``"unspecified"``). :func:`default_detector` attaches it for detector kind
``"contextual"`` (the default; ``"rules"`` leaves it out).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import ahocorasick

from pipeline.config import DEFAULT_DETECTOR, DETECTOR_KINDS
from pipeline.safety.identity import mask_identity

if TYPE_CHECKING:
    from pipeline.safety.contextual import ContextualClassifier, Reading
    from pipeline.safety.scorer import CrisisScorer

__all__ = [
    "CATEGORIES",
    "CONTEXT_BAND",
    "CONTEXT_WEIGHT",
    "RULE_STANDS",
    "UNSPECIFIED",
    "ConversationVerdict",
    "CrisisDetector",
    "Span",
    "Verdict",
    "default_detector",
]

CATEGORIES: tuple[str, ...] = (
    "passive_ideation",
    "active_ideation",
    "plan_method",
    "intent_timeline",
    "recent_attempt",
    "self_harm",
    "overdose",
    "harm_to_others",
    "abuse_danger",
)


@dataclass(frozen=True, slots=True)
class Span:
    """Evidence for a category: ``text == source[start:end]`` (character offsets)."""

    start: int
    end: int
    category: str
    text: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """The detector's decision for one text."""

    crisis: bool
    score: float
    categories: tuple[str, ...]
    spans: tuple[Span, ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly form."""
        return {
            "crisis": self.crisis,
            "score": self.score,
            "categories": list(self.categories),
            "spans": [
                {"start": s.start, "end": s.end, "category": s.category, "text": s.text}
                for s in self.spans
            ],
        }


@dataclass(frozen=True, slots=True)
class ConversationVerdict:
    """Record-level verdict plus one verdict per turn (same order as the messages).

    The record verdict's ``spans`` is empty: span offsets only make sense relative to one
    turn's content, so evidence lives in ``turns``.
    """

    record: Verdict
    turns: tuple[Verdict, ...]


# Category of a verdict raised only by the scorer when no rule matched at all.
UNSPECIFIED = "unspecified"

NO_CRISIS = Verdict(crisis=False, score=0.0, categories=(), spans=())

# The contextual stage reads texts whose rules+scorer score is in [low, high). Band, weight
# and RULE_STANDS were chosen on the cross-author development sets
# (bench/data/crossauthor_dev_*.csv), gold, dev_frames and counselling_eval, never on a blind
# set. Changing any of them changes annotations: bump CrisisDetector.version with it.
CONTEXT_BAND: tuple[float, float] = (0.2, 0.9)
CONTEXT_WEIGHT = 0.5
# A rule hit scoring at least this after its context modifiers stands on its own: the
# contextual stage is not asked (it misreads some short explicit statements the rules know).
RULE_STANDS = 0.7

# --------------------------------------------------------------------------------------------
# pattern layer
# --------------------------------------------------------------------------------------------

# Placeholders expanded inside rule patterns (plain text substitution before compiling).
_MACROS: dict[str, str] = {
    "<I>": r"(?:i|i'?m|i am|i'?ve|i have|i'?d|i would|i'?ll|i will|me|my|myself)",
    "<IM>": r"(?:i'?m|i am|im)",
    "<ADV>": r"(?:(?:just|really|so|honestly|actually|kinda|kind of|literally|seriously|"
    r"truly|simply|sometimes|often|still|now|genuinely|desperately) )*",
    "<WANT>": r"(?:want(?:s|ed)?(?: so bad(?:ly)?)? to|wanna|wish(?:ed)? (?:i could|to)|"
    r"need(?:ed)? to|going to|gonna|plan(?:ning)? to|planned to|ready to|about to|"
    r"decided to|tempted to|deserve to|long to|would rather|'?d rather|hope to|pray to)",
    "<PILLS>": r"(?:pills|tablets|meds|medication|medicine|sleeping pills|pain ?killers|"
    r"tylenol|paracetamol|acetaminophen|advil|ibuprofen|aspirin|xanax|benzos|valium|"
    r"ambien|oxy|oxycodone|opioids|insulin|antidepressants|lithium|seroquel|klonopin|"
    r"prozac|zoloft|sertraline|morphine|fentanyl|codeine|percocet|vicodin|melatonin|"
    r"benadryl|trazodone|caps|capsules|panadol|nurofen|co-codamol|tramadol|xans|bars|"
    r"perc|percs|gabapentin|quetiapine|diazepam|lorazepam|zopiclone|propranolol)",
    "<REL>": r"(?:mom|mum|mother|dad|father|stepdad|stepfather|stepmom|stepmother|"
    r"husband|wife|boyfriend|girlfriend|bf|gf|partner|ex|brother|sister|uncle|aunt|"
    r"grandpa|grandfather|grandma|cousin|parents?|family|roommate|fianc[eé]e?|son|"
    r"daughter|coach|teacher|boss|neighbou?r|landlord|pimp)",
    "<HARMV>": r"(?:kill|murder|shoot|stab|strangle|choke|hurt|poison|drown|smother|beat)",
}


def _expand(pattern: str) -> str:
    for key, value in _MACROS.items():
        pattern = pattern.replace(key, value)
    return pattern.replace("myself", "my ?self")


@dataclass(frozen=True, slots=True)
class _Rule:
    """One pattern of the high-recall layer.

    ``subject`` says how the pattern relates to the writer:
    ``"self"`` - the pattern itself names the writer ("kill myself", "I'm suicidal");
    ``"personal"`` - a verb phrase whose elided subject is taken to be the writer ("want to
    die"), downgraded when the nearest pronoun is second/third person;
    ``"topic"`` - a keyword that may merely name the topic ("suicide"), weak unless the
    nearest pronoun is first person.
    """

    name: str
    category: str
    weight: float
    regex: re.Pattern[str]
    keys: tuple[str, ...]
    subject: str = "self"
    benign: re.Pattern[str] | None = None


def _rule(
    name: str,
    category: str,
    weight: float,
    pattern: str,
    keys: Sequence[str],
    *,
    subject: str = "self",
    benign: str | None = None,
) -> _Rule:
    """Build a rule; ``keys`` are literal substrings of which at least one must occur."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r} in rule {name!r}")
    return _Rule(
        name=name,
        category=category,
        weight=weight,
        regex=re.compile(_expand(pattern)),
        keys=tuple(keys) + (("my self",) if any("myself" in k for k in keys) else ()),
        subject=subject,
        benign=re.compile(_expand(benign)) if benign else None,
    )


# Benign-purpose fragments reused by several rules (matched anywhere in the hit's sentence).
_B_MOVING = (
    r"\b(?:mov(?:e|ed|ing)|relocat\w*|declutter\w*|minimalis\w*|charity|goodwill|donat\w*|"
    r"thrift|kondo|outgr[eo]w\w*|downsiz\w*|spring clean\w*|new (?:place|flat|apartment|house)|"
    r"abroad|garage sale|yard sale|sold|selling|upgrade|vacation|holiday|trip|travel\w*|"
    r"retir\w*|new job|leaving (?:the|my) (?:job|company|team)|last day at)\b"
)
_B_LETTERS = (
    r"\b(?:christmas|xmas|thank[- ]?you|thanks|holiday|birthday|camp|pen ?pal|wedding|"
    r"valentine|graduat\w*|mother'?s day|father'?s day|secret santa|new year|time capsule|"
    r"retir\w*|cowork\w*|colleagues|students|class|team|project|school|assignment|"
    r"deploy\w*|vacation|trip|moving|abroad|semester|internship|exchange)\b"
)
_B_SLEEP = (
    r"(?:wake up (?:early|at (?!all\b)|so early|for|before|on time|in time|tomorrow for|"
    r"to (?:my|an|the) alarm)|alarm|on (?:monday|mondays|weekends?|saturdays?|sundays?)|"
    r"for (?:work|school|"
    r"class|uni|my shift)|\d ?(?:am|a\.m\.))"
)
_B_MEDICAL = (
    r"\b(?:headache|migraine|fever|cold|flu|cramps|period|back pain|toothache|sore|"
    r"as prescribed|prescribed|doctor said|pharmacist|pharmacy|organi[sz]er|dosage chart|"
    r"with (?:food|breakfast|dinner|water)|vitamins?|supplements?|allergy|allergies|"
    r"for the (?:week|month)|refill|my (?:dog|cat|grandma|grandpa|patient|patients|kid|son|"
    r"daughter))\b"
)
_B_ACCIDENT = (
    r"\b(?:shaving|cooking|chopping|slicing|stove|oven|pan|iron|curling|paper cut|"
    r"by accident|accidentally|on accident|at (?:the )?gym|workout|working out|lifting|"
    r"running|hiking|climbing|skiing|skating|fell|tripped|slipped|football|soccer|rugby|"
    r"basketball|practice|sprained|kitchen|garden\w*|cat scratched|glass broke)\b"
)
_B_GOODBYE = (
    r"\b(?:vacation|holiday|trip|flight|airport|moving|graduat\w*|deploy\w*|abroad|"
    r"semester|summer|camp|internship|job|company|office|team|weekend|offline|hiatus|"
    r"break from (?:social media|the internet|here)|see you|back (?:in|on|next)|"
    r"logging off|account|server|stream|channel|season|series|episode|chapter|year)\b"
)

_RULES: tuple[_Rule, ...] = (
    # ---------------------------------------------------------------- active ideation
    _rule(
        "kill_myself",
        "active_ideation",
        0.9,
        r"\b(?:kill(?:ing|ed|s)?|k\*ll|unaliv(?:e|ing|ed)|off(?:ing)?|end(?:ing|ed)?|"
        r"hang(?:ing|ed)?|shoot(?:ing)?|shot|drown(?:ing|ed)?|poison(?:ing|ed)?|"
        r"suffocat(?:e|ing|ed)|electrocut(?:e|ing)|neck(?:ing)?|self[- ]?delet(?:e|ing)|"
        r"delet(?:e|ing)|gas(?:sing)?|smother(?:ing)?|stab(?:bing)?|starv(?:e|ing)|"
        r"throw(?:ing)?|burn(?:ing)?|hurl(?:ing)?|off(?:ing)?) myself\b",
        ("myself",),
        benign=r"myself (?:laughing|to (?:finish|get|make|meet|pass)|(?:trying|working|"
        r"studying|training|running) |over (?:this|that|the) (?:project|deadline|essay|paper|"
        r"exam|thesis|workout)|at (?:the )?(?:gym|work|practice)|in the foot|into (?:my|the) "
        r"(?:work|job|studies|project|arms of)|(?:a|some) (?:cup|glass|coffee|tea|drink|"
        r"pizza|meal|plate)|a bath|(?:out|off) of bed|on the (?:couch|bed|sofa)|together|"
        r"with (?:work|laughter|a (?:new|nice))|at (?:him|her|them)|down|up|out\b|"
        r"to (?:bed|sleep))|"
        r"(?:burn(?:ed|t|ing)?|throw(?:ing)?|shot|shoot(?:ing)?|starv(?:e|ing)|stab(?:bed)?) "
        r"myself (?:on|with (?:the|a|hot)|while|into (?:the|a|my) (?:pool|work|lake|water|"
        r"project|bed)|at)",
    ),
    _rule("kms", "active_ideation", 0.8, r"\b(?:kms|kmsl|kys myself)\b", ("kms", "kys")),
    _rule(
        "take_my_life",
        "active_ideation",
        0.9,
        r"\b(?:end(?:ing|ed)?|take|taking|took|took away) my (?:own )?life\b(?! as (?:a|an)\b)",
        ("my life", "my own life"),
    ),
    _rule(
        "end_it_all",
        "active_ideation",
        0.85,
        r"\bend(?:ing)? (?:it all|everything|this life|my existence|my suffering for good|"
        r"it for good|it once and for all|myself|this once and for all)\b",
        ("end",),
        subject="personal",
    ),
    _rule(
        "end_it",
        "active_ideation",
        0.7,
        r"\b(?:<WANT>|<IM> (?:going|gonna|ready)|thinking about|thought about|time to|"
        r"should|just|could|will|'ll) (?:just )?end (?:it|things|this)\b(?! (?:with|between))",
        ("end it", "end things", "end this"),
        subject="personal",
        benign=r"\b(?:relationship|break ?up|dating|marriage|friendship|game|match|meeting|"
        r"call|stream|season|series|chapter|book|story|essay|argument|fight|debate|subscription|"
        r"contract|lease|account|streak|conversation|chat|thread|war|cycle|project|with (?:him|"
        r"her|them|my))\b",
    ),
    _rule(
        "suicidal_self",
        "active_ideation",
        0.9,
        r"\b(?:<IM>|i feel|i felt|i've been|i have been|ive been|been feeling|feeling|"
        r"i get|i got|getting|i become|i was|i've felt|i keep getting|i'm getting) "
        r"(?:<ADV>|so |really |very |pretty |kinda |kind of |extremely |super |a bit |a little |"
        r"quite |more |extra |increasingly |passively |actively |incredibly )*suicidal\b",
        ("suicidal",),
    ),
    _rule(
        "suicide_topic",
        "active_ideation",
        0.8,
        r"\b(?:suicid(?:e|al|ality)|s[u\*]ic[i1\*]de|su1c1de|sewer ?slide|self[- ]?delet\w+|"
        r"unaliv(?:e|ing))\b",
        ("suicid", "suic", "su1c", "sewer", "delet", "unaliv", "s*ic"),
        subject="topic",
    ),
    _rule(
        "think_about_dying",
        "active_ideation",
        0.8,
        r"\b(?:thinking|thought|think|thoughts|fantasi[sz]\w*|dream\w*|obsess\w*|ideation) "
        r"(?:a lot |constantly |every day |so much |more |again )?(?:about|of) "
        r"(?:dying|killing myself|ending (?:it|my life|things|everything)|suicide|not being "
        r"(?:here|alive|around)|jumping|overdosing|hanging myself|my (?:own )?death|"
        r"how to die|ways to die|death)\b",
        ("think", "thought", "fantas", "dream", "obsess", "ideation"),
        subject="personal",
        benign=r"\b(?:death of (?:the|a|my)|death metal|death penalty|death star|deathloop|"
        r"death note|death stranding|in (?:my|the) (?:essay|paper|class|novel|book|story|"
        r"philosophy)|philosoph\w*|stoic\w*|memento mori)\b",
    ),
    _rule(
        "commit_suicide_slang",
        "active_ideation",
        0.8,
        r"\b(?:ctb|catch the bus|commit die|end my own existence|rope myself|rope tonight|"
        r"not be here (?:much longer|tomorrow|anymore)|permanent solution|permanently sleep|"
        r"final exit|exit (?:bag|plan))\b",
        ("ctb", "bus", "commit die", "existence", "rope", "here", "permanent", "exit"),
        subject="personal",
        benign=r"\b(?:school bus|the bus (?:to|from|at|stop)|missed the bus|bus stop)\b",
    ),
    _rule(
        "urges_back",
        "active_ideation",
        0.6,
        r"\b(?:the|my|these|those) (?:suicidal )?(?:urges?|thoughts|voices) (?:are|is|have|has|"
        r"keep|won'?t) (?:back|come back|coming back|returned|getting (?:worse|stronger|louder)|"
        r"stop|go away)\b",
        ("urge", "thoughts", "voices"),
        benign=r"\b(?:intrusive thoughts about (?:the|my) (?:exam|work)|anxious thoughts|"
        r"racing thoughts|overthinking)\b",
    ),
    _rule(
        "voices_command",
        "active_ideation",
        0.9,
        r"\bvoices? (?:keep |keeps |are |is )?(?:tell|telling|told|tells|say|saying|said) me "
        r"to (?:kill|hurt|die|end|cut|jump|harm|do it)\b",
        ("voice",),
    ),
    _rule(
        "not_safe_self",
        "active_ideation",
        0.75,
        r"\b(?:<IM> not|i am no longer|<IM> no longer) safe(?: with myself| around myself| "
        r"alone| right now| tonight| to be alone)?\b(?! (?:to|at|in|from|driving|on))|"
        r"\b(?:i )?(?:don'?t|do not|can'?t|cannot) trust myself (?:right now|tonight|alone|"
        r"anymore|around|with (?:the |my |these |those )?(?:pills|knives|knife|blades?|gun|"
        r"rope|meds))",
        ("safe", "trust myself"),
    ),
    _rule(
        "get_through_night",
        "active_ideation",
        0.55,
        r"\b(?:don'?t know how|not sure how|no idea how|can'?t see how|don'?t think|not sure "
        r"if|don'?t know if) (?:i'?m (?:supposed to|going to|gonna)|i'?ll|i can|i will|to) "
        r"(?:<ADV>)(?:get through|survive|make it through|last) (?:tonight|the night|this night|"
        r"another night|till morning|until morning)\b(?!'s)",
        ("through", "survive", "last"),
        benign=r"\b(?:shift|exam|work|deadline|homework|revision|essay|flight|party|concert|"
        r"baby|newborn|teething|toothache|migraine|cough|cold|flu|heat|noise|neighbou?rs|"
        r"snoring|storm|power cut|without (?:coffee|wifi|internet|power|heating|aircon)|"
        r"camping|tent|lecture|meeting|sleepover|marathon|game)\b",
    ),
    _rule(
        "do_something_stupid",
        "active_ideation",
        0.55,
        r"\b(?:i'?ll|i will|i might|i'?m going to|i'?m gonna|scared i'?ll|afraid i'?ll|"
        r"might) (?:do something (?:stupid|drastic|permanent|i can'?t take back)|"
        r"not make it through (?:the night|tonight|this))\b",
        ("something", "make it"),
        benign=r"\b(?:text|say|buy|spend|order|eat|tweet|post|email|reply)\b",
    ),
    # ---------------------------------------------------------------- passive ideation
    _rule(
        "want_to_die",
        "passive_ideation",
        0.85,
        r"\b(?:<WANT>|(?:want|wanted|wanting|wish|wishing|hope|hoping|pray|praying|ready|"
        r"deserve|need|longing|long|begging|beg))(?<!rather) (?:<ADV>)(?:to )?(?:die|be dead|"
        r"not exist|stop existing|cease to exist|not be alive|disappear forever|"
        r"sleep forever|go to sleep forever|not wake up|never wake up|"
        r"fall asleep (?:and|&) (?:never|not) wake up|"
        r"be gone forever|not be born|never have been born|stop living|stop breathing|be done "
        r"with (?:life|living|it all|everything)|no longer exist|rot in (?:the|a) grave)\b",
        (
            "die",
            "dead",
            "exist",
            "alive",
            "forever",
            "wake",
            "born",
            "living",
            "breathing",
            "done with",
            "grave",
        ),
        subject="personal",
        benign=r"(?:\b(?:die|dead|forever) (?:of|from) (?:embarrassment|laughter|laughing|cringe|"
        r"boredom|shame|cuteness|the heat|heat|hunger|happiness|joy|envy|jealousy)|"
        r"\b(?:die|dying) (?:for (?:a|some|the|that|this|pizza|coffee|chocolate|tacos|sushi|"
        r"my (?:country|kids|children|family|faith))|on (?:this|that) hill|happy|old|"
        r"peacefully (?:in my sleep )?(?:at|when) (?:90|100|\d\d)|in my sleep at)|"
        r"rather (?:die|be dead) than|cease to exist (?:as a|in)|sleep forever (?:on|in) "
        r"(?:this|that|my) (?:bed|couch|mattress))",
    ),
    _rule(
        "rather_die",
        "passive_ideation",
        0.6,
        r"\b(?:'?d|would|i) rather (?:just )?(?:die|be dead|not exist|not be alive|not wake "
        r"up)\b(?! than (?:(?:go|going|eat|eating|wear|wearing|watch|watching|do|doing|sit|"
        r"sitting|listen|listening|work|working|be seen|vote|voting|drink|drinking|spend|"
        r"spending|talk|talking|admit|apologi[sz]e|ask|lose|call|dance|sing|run|read)\b))",
        ("rather",),
        subject="personal",
    ),
    _rule(
        "makes_me_want_to_die",
        "passive_ideation",
        0.65,
        r"\bmakes? me (?:<ADV>)?(?:want to|wanna) (?:die|kill myself|not exist|disappear)\b",
        ("makes me", "make me"),
    ),
    _rule(
        "wish_dead",
        "passive_ideation",
        0.85,
        r"\bwish (?:that )?i (?:was|were|'?d|had|could|would|never) (?:<ADV>)(?:be |been |"
        r"have |just )?(?:dead|never (?:been )?born|not (?:been )?born|not alive|never "
        r"existed|gone|die|disappear(?! for a)|not wake up|wouldn'?t wake up|not exist|"
        r"stop existing|been aborted|died|wake up)\b|\bwish(?:ing|"
        r"ed)? (?:that )?i (?:<ADV>)(?:wouldn'?t|would not|didn'?t|"
        r"did not|won'?t|could just not) (?:<ADV>)(?:wake up|exist|be born|be alive)\b",
        ("wish",),
        benign=_B_SLEEP + r"|\b(?:wish i was dead (?:tired|serious)|gone (?:to|on|for)|"
        r"born (?:in|earlier|later|rich|a|into|with))\b",
    ),
    _rule(
        "dont_want_to_live",
        "passive_ideation",
        0.85,
        r"\b(?:don'?t|do not|dont|didn'?t|did not|no longer|not sure (?:if |that )?i|"
        r"don'?t know if i|not sure i) (?:<ADV>)(?:want|wanna|wish|feel like i want) (?:to )?"
        r"(?:live|be alive|exist|be here|go on|wake up|keep going|keep living|be around|"
        r"survive|continue living|keep existing|stay alive|be on this earth|see tomorrow|"
        r"see another day|do life|be in this world)\b",
        (
            "live",
            "alive",
            "exist",
            "here",
            "go on",
            "wake",
            "going",
            "around",
            "survive",
            "earth",
            "tomorrow",
            "day",
            "life",
            "world",
        ),
        benign=_B_SLEEP + r"|\b(?:live (?:in|with|near|at|like|there|here|with|by|on)\b|"
        r"be here (?:at|in|for|when|with|on|during)|go on (?:the|a|that|this|another|"
        r"dates?|tour|vacation|holiday|trip|ride)|exist in (?:a|this) (?:world|country|"
        r"society|economy)|be around (?:him|her|them|people|those|my)|"
        r"survive (?:the|this|on|another (?:week|meeting|class))|keep going (?:to|with|"
        r"back)|do life with)",
    ),
    _rule(
        "hope_no_wake",
        "passive_ideation",
        0.9,
        r"\b(?:hope|hoping|pray|praying|wish|wishing|want|wanted|wanting) (?:that )?"
        r"(?:i |it |god |this )?(?:<ADV>)(?:don'?t|do not|won'?t|never|wouldn'?t|would not|"
        r"doesn'?t|let me not) (?:ever )?wake (?:me )?up\b|\b(?:go|going|fall|falling|"
        r"went) to sleep "
        r"(?:and|&) (?:never|not|don'?t|won'?t) (?:ever )?wak(?:e|ing) up\b|"
        r"\bnever wake up again\b",
        ("wake",),
        benign=_B_SLEEP,
    ),
    _rule(
        "never_wake",
        "passive_ideation",
        0.6,
        r"\b(?:i|just|could|to|and|then) (?:never|not) wake up\b(?! (?:on|in|early|before|"
        r"when|at|until|till))",
        ("wake",),
        subject="personal",
        benign=_B_SLEEP + r"|\b(?:on time|in time|alarm|snooze|early)\b",
    ),
    _rule(
        "no_reason_to_live",
        "passive_ideation",
        0.8,
        r"\b(?:no|zero|not any|not a single|don'?t have (?:a|any)|lost (?:my|the|all)|"
        r"can'?t (?:find|think of|see) (?:a|any)) (?:more )?(?:reason|point|will|desire|"
        r"purpose|motivation)s? (?:left )?(?:to|in|for) (?:live|living|go on|going on|keep "
        r"going|being alive|stay alive|staying alive|exist|existing|continue|wake up|"
        r"be alive|get up anymore)\b|\bnothing (?:left )?to live for\b|\bno (?:will|desire) "
        r"to live\b|\blife (?:isn'?t|isnt|is not|ain'?t|is no longer|no longer feels|doesn'?t feel|"
        r"does not feel|doesn'?t seem|is not really) worth (?:living|it(?: anymore)?|"
        r"continuing)\b|\b(?:start|begin|learn) (?:wanting|to want) to (?:live|be alive)\b|"
        r"\bwant to want to (?:live|be alive)\b",
        (
            "live",
            "living",
            "going",
            "alive",
            "exist",
            "continue",
            "wake",
            "worth",
            "pointless",
            "meaningless",
        ),
        subject="personal",
        benign=r"\blife (?:is|isn'?t) worth living (?:because|when|if|with)\b|"
        r"\b(?:this|the|that) (?:game|show|job|class|update|patch)\b",
    ),
    _rule(
        "point_of_living",
        "passive_ideation",
        0.65,
        r"\b(?:what'?s|whats|what is|is there|there'?s no|there is no|i don'?t see) (?:even )?"
        r"(?:the|a|any) point (?:of|in) (?:living|being alive|going on|existing|waking up|"
        r"staying alive|life anymore|trying to stay alive|me being here|my life|me living)\b",
        ("point",),
        subject="personal",
    ),
    _rule(
        "tired_of_living",
        "passive_ideation",
        0.7,
        r"\b(?:tired|sick|exhausted|done|finished|fed up) (?:of|with) (?:living|being alive|"
        r"existing|life itself|this life|my life|life|waking up every day|being here|"
        r"breathing|it all|everything|trying to stay alive|fighting to stay alive)\b"
        r"(?! (?:in|at|with|of|for|as a|as an|insurance|coach|hack|lesson))",
        ("living", "alive", "exist", "life", "waking", "here", "breathing", "it all", "everything"),
        subject="personal",
        benign=r"\b(?:this|that) (?:job|city|town|school|class|apartment|weather|team|game)|"
        r"(?:done|finished) with (?:everything|it all) (?:for|on|at|i|on my|before)|"
        r"(?:homework|chores|list|errands|exam|exams|packing|cleaning|shopping|work today|"
        r"project|assignment|essay)\b",
    ),
    _rule(
        "better_off_dead",
        "passive_ideation",
        0.85,
        r"\b(?:better off (?:dead|gone|without me|if i (?:was|were|wasn'?t|weren'?t|died|"
        r"didn'?t exist|never existed|disappeared))|(?:better|happier|easier) (?:off )?without "
        r"me\b(?! (?:on|in|at) (?:the|this|that|our) (?:team|project|band|group|trip|shift|"
        r"committee|party))|(?:easier|better|happier|simpler|lighter)(?: (?:it|things|life) "
        r"(?:would|will|'?d) be)? (?:for (?:everyone|everybody|them|my family|all of them|people|"
        r"my (?:mum|mom|dad|parents|kids|friends)) )?if i (?:<ADV>)(?:was|were|wasn'?t|weren'?t) "
        r"(?:<ADV>)(?:dead|gone|around|here|alive|never born)|(?:easier|better|happier|simpler|"
        r"lighter)(?: (?:it|things|life) (?:would|will|'?d) be)? (?:for (?:everyone|everybody|"
        r"them|my family) )?if i (?:<ADV>)(?:died|disappeared|didn'?t exist|never existed|"
        r"killed myself|wasn'?t here|was gone))\b",
        ("better", "easier", "happier", "simpler", "lighter"),
        subject="personal",
    ),
    _rule(
        "nobody_would_miss",
        "passive_ideation",
        0.75,
        r"\b(?:no ?one|nobody|no body|not a single person|none of them|who) (?:would|will|"
        r"'d|'ll|even) (?:<ADV>)(?:miss me|notice (?:if|when) i(?:'?m| was| were)? "
        r"(?:gone|dead|not here|disappeared|died)|care (?:if|when) i (?:die|died|was gone|"
        r"were gone|disappeared|killed myself|didn'?t wake up|was dead)|come to my funeral)\b|"
        r"\b(?:no ?one|nobody) (?:would|will|'d) (?:even )?(?:notice|care)\b",
        ("miss me", "notice", "care", "funeral"),
    ),
    _rule(
        "burden",
        "passive_ideation",
        0.45,
        r"\b(?:<IM>|i feel like|i feel|feeling like|i'?ve become) (?:<ADV>)(?:such |nothing but "
        r"|only |just )?(?:a |an )?(?:burden|waste of space|waste of oxygen|drain) (?:to|on|for) "
        r"(?:everyone|everybody|my (?:family|parents|friends|mum|mom|dad|partner|wife|husband|"
        r"kids)|them|the people (?:i love|around me))\b",
        ("burden", "waste of", "drain"),
    ),
    _rule(
        "why_alive",
        "passive_ideation",
        0.75,
        r"\bwhy (?:am|are) (?:i|we) (?:still )?(?:alive|here|even alive|breathing|living)\b|"
        r"\b(?:unfortunately|sadly|annoyingly|still) (?:<IM> |i am )?(?:still )?alive\b|"
        r"\bi (?:hate|regret) (?:that i'?m|being|that i am) (?:still )?alive\b|"
        r"\b(?:wish|wished) i (?:hadn'?t|had not|didn'?t) survive",
        ("alive", "here", "breathing", "living", "survive"),
        benign=r"\bstill alive (?:and|after (?:the|this|that) (?:week|exam|shift|workout|"
        r"hike|party|flight|trip|move)|lol|haha)|why are we (?:still )?here (?:at|in)\b",
    ),
    _rule(
        "dont_care_if_die",
        "passive_ideation",
        0.8,
        r"\b(?:don'?t|do not|wouldn'?t|would not|won'?t|will not|doesn'?t|no longer) "
        r"(?:<ADV>)(?:care|mind|matter)(?: at all)? (?:if|whether|when) (?:i|it) "
        r"(?:die|died|live or die|lived or died|don'?t wake up|didn'?t wake up|never woke up|"
        r"never wake up|got hit|get hit|was dead|were dead|stopped breathing|killed myself|"
        r"crash|crashed|survive|drown|overdose|od)\b",
        ("care", "mind", "matter"),
    ),
    _rule(
        "hope_hit",
        "passive_ideation",
        0.8,
        r"\b(?:hope|hoping|pray|praying|wish|wishing|want) (?:that )?(?:a|the|some|this|"
        r"my) (?:car|bus|truck|train|plane|meteor|asteroid|bullet|stray bullet|cancer|illness|"
        r"disease|heart attack|drunk driver|tumou?r|crash|plane crash|accident) (?:hits|"
        r"would hit|will hit|hit|crashes|kills|would kill|will kill|takes|would take|finally "
        r"(?:kills|takes)) me\b",
        ("hope", "hoping", "pray", "wish", "want"),
    ),
    _rule(
        "death_relief",
        "passive_ideation",
        0.75,
        r"\b(?:death|dying|being dead|not existing|not waking up|never waking up|eternal sleep|"
        r"the void|sleeping forever|not being here|not being alive|being gone)"
        r"(?: (?:anymore|any more|forever|at all|ever again))? "
        r"(?:would be|sounds|seems|feels like|is|will be|looks) (?:like )?(?:a |such a )?"
        r"(?:relief|peaceful|better than this|nice|easier|welcome|comforting|inviting|"
        r"appealing|so appealing|the only way out|my only way out|my only escape|the answer|"
        r"an escape|a release|freedom|tempting|(?:the|my) only (?:real |true |proper )?"
        r"(?:rest|peace|relief|escape|way out|option|answer|solution|way to (?:rest|find "
        r"peace|stop (?:the|this) pain|escape|be free|get (?:some )?rest)))\b|\b(?:i|i'?m|"
        r"i am) (?:envy|envious of|"
        r"jealous of) (?:the )?(?:dead|people who (?:died|are dead|don'?t wake up))\b|"
        r"\bwelcome death\b|\bcan'?t wait to die\b|\blet me die\b|\btake me (?:now|already|"
        r"home),? (?:god|lord|please)\b|\b(?:god|lord),? (?:please )?(?:just )?(?:take|"
        r"kill|let) me\b",
        (
            "death",
            "dying",
            "dead",
            "existing",
            "waking",
            "sleep",
            "void",
            "die",
            "take me",
            "kill me",
            "let me",
            "being here",
            "being alive",
            "being gone",
        ),
        subject="personal",
        benign=r"\b(?:death (?:is|would be) (?:a )?(?:part of|natural|inevitable)|"
        r"philosoph\w*|stoic|let me die (?:on|in) (?:this|that|peace in (?:the|this) "
        r"(?:game|match)))\b",
    ),
    _rule(
        "disappear_forever",
        "passive_ideation",
        0.7,
        r"\b(?:disappear|vanish|fade away|fade out|cease) (?:forever|for good|completely|"
        r"and never (?:come back|be found|return)|from (?:the|this) (?:world|earth|planet)|"
        r"from existence|off the face of the earth|into nothing)\b|\bjust (?:stop|cease) "
        r"(?:existing|to exist)\b",
        ("disappear", "vanish", "fade", "cease", "existing", "exist"),
        subject="personal",
        benign=r"\b(?:for a (?:week|while|bit|month|weekend)|to (?:a|an) (?:cabin|island|beach)|"
        r"from social media|offline|my (?:acne|scars|stretch marks|wrinkles|pain|anxiety)|"
        r"(?:the|this|that) (?:stain|rash|pimple|bug|problem|file|app|icon|button|feature))\b",
    ),
    _rule(
        "cant_go_on",
        "passive_ideation",
        0.6,
        r"\b(?:can'?t|cannot|can not|cant|don'?t think i can|not sure i can|unable to) "
        r"(?:<ADV>)(?:go on|keep going|keep living|live like this|continue living|do (?:this|"
        r"life) anymore|survive (?:another|much longer)|hold on (?:any ?more|much longer)|"
        r"keep fighting|stay alive|be alive)\b(?! (?:with|to|at|in|for|until|till))",
        (
            "go on",
            "going",
            "living",
            "live",
            "anymore",
            "any more",
            "survive",
            "hold on",
            "fighting",
            "alive",
        ),
        subject="personal",
        benign=r"\b(?:this (?:job|class|diet|relationship|project|course|semester|team)|"
        r"without (?:coffee|sleep|caffeine|food)|on (?:\d+|this little|no) (?:hours?|sleep|"
        r"money))\b",
    ),
    # ---------------------------------------------------------------- plan / method
    _rule(
        "plan_to_die",
        "plan_method",
        0.9,
        r"\b(?:plan|plans|planning|planned|planed|method|methods|way|ways|a date|the date|"
        r"a day|the day|a time|the time|a spot|the spot|a place|the place) (?:to|for|on|of) "
        r"(?:die|dying|kill(?:ing)? myself|end(?:ing)? (?:it|my life|things|everything)|"
        r"suicide|my suicide|my death|commit(?:ting)? suicide|take my (?:own )?life|"
        r"hang(?:ing)? myself|do it)\b",
        ("plan", "method", "way", "date", "day", "time", "spot", "place"),
        subject="personal",
        benign=r"\b(?:do it (?:for|with|on|in|at|better|right|again|properly|together)|"
        r"(?:surgery|paint|paper|essay|project|wedding|party|trip|move|workout|exam|test|"
        r"interview|recipe|homework|tattoo|dye|haircut|renovat\w*|laundry|dishes))\b",
    ),
    _rule(
        "method_seeking_best_way",
        "plan_method",
        0.85,
        r"\b(?:best|easiest|quickest|fastest|least painful|most painless|painless|surest|"
        r"most effective|most reliable|simplest|quietest|cleanest|peaceful|quick|easy|"
        r"reliable|sure|foolproof|humane|gentle|quiet|clean) (?:way|ways|method|methods|means|"
        r"option|options) (?:to|of|for) (?:die|dying|kill(?:ing)? (?:yourself|myself|oneself)|"
        r"end(?:ing)? (?:it|it all|my life|your life|one'?s life|things)|commit(?:ting)? "
        r"suicide|suicide|not wake up|stop (?:my|your) heart|exit)\b|"
        r"\bpainless (?:death|suicide|exit|way out)\b",
        ("way", "method", "means", "option", "painless"),
        subject="personal",
        benign=r"\b(?:to (?:go|get) (?:to|from|about|home|there|back|downtown)|"
        r"go(?: out)? (?:to|for|on|with|about|shopping|running))\b",
    ),
    _rule(
        "method_seeking_howto",
        "plan_method",
        0.85,
        r"\bhow (?:do|would|can|could|should|does|to|do people|does one|did they|"
        r"would one) (?:i |you |one |someone |a person |people )?(?:kill|hang|drown|poison|"
        r"shoot|suffocate|overdose|od|electrocute|gas|end|off|starve) (?:yourself|oneself|"
        r"myself|themselves|it all|your life|my life|their life)\b|\bhow to (?:commit "
        r"suicide|die (?:painlessly|quickly|peacefully|fast|in my sleep|without pain)|"
        r"tie a noose|make a noose|not wake up|disappear forever|kill myself|end it)\b",
        ("how",),
    ),
    _rule(
        "method_seeking_amount",
        "plan_method",
        0.85,
        r"\bhow (?:many|much) (?:of )?(?:my |these |the |her |his |those |your )?(?:\w+ )?"
        r"(?:<PILLS>|mg|milligrams|grams|pills? of \w+|insulin|units|vodka|alcohol|"
        r"bleach|antifreeze|of (?:it|them))[^?.!]{0,40}?(?:would|does|will|do|could|is|are|"
        r"until|before|to)(?: it)? (?:take|kill|be (?:enough|fatal|lethal|deadly|too much)|"
        r"stop|make me|do it|od|overdose|die|cause|put me|knock me out for good|be an "
        r"overdose|shut)\b|\b(?:would|will|could|is|are) (?:\d+|ten|twenty|thirty|forty|"
        r"fifty|a hundred|a bottle of|a box of|a handful of|a whole bottle of|a pack of|"
        r"all my|all of my|all these|these) (?:\w+ )?(?:<PILLS>)(?: \w+)? (?:be enough|"
        r"kill|do it|be fatal|be lethal|work)\b",
        ("how many", "how much", "would", "will", "could", "is ", "are "),
        subject="personal",
        benign=_B_MEDICAL + r"|\b(?:per day|a day|daily|in a day|safely|safe to|max(?:imum)?|"
        r"can i take|should i take|to take for|"
        r"take for(?! (?:someone|a person|me to|my (?:size|weight)))|work for|take before|to work|"
        r"kick in|start working)\b",
    ),
    _rule(
        "lethal_dose",
        "plan_method",
        0.75,
        r"\b(?:lethal|fatal|deadly|toxic|overdose) (?:dose|amount|quantity|level|limit|"
        r"threshold) (?:of|for)\b",
        ("lethal", "fatal", "deadly", "toxic", "overdose"),
        subject="topic",
        benign=r"\b(?:for (?:dogs?|cats?|pets?|a dog|a cat|rats|mice|my (?:dog|cat|puppy|"
        r"kitten))|plant|weed|bugs|insects|ants|bacteria|in rats|mice|ld50)\b",
    ),
    _rule(
        "lethal_question",
        "plan_method",
        0.8,
        r"\bhow (?:much|many) [^?.!]{0,40}(?:to die|to (?:not|never) "
        r"wake up|is lethal|is fatal|to kill (?:me|myself|a person|someone|you)|would be "
        r"fatal|would kill (?:me|you|someone|a person)|to stop (?:my|your|a) heart|to od|to "
        r"overdose)\b",
        ("how",),
        subject="personal",
        benign=r"\b(?:for (?:dogs?|cats?|pets?|a dog|a cat|rats|mice|my (?:dog|cat|puppy|"
        r"kitten))|plant|weed|bugs|insects|ants|bacteria|in rats|mice|ld50)\b",
    ),
    _rule(
        "method_seeking_pain",
        "plan_method",
        0.75,
        r"\b(?:is|does|would|will|how (?:long|fast|quick|painful) (?:is|does|would)|"
        r"how long does it take (?:to die )?(?:from|by|when)) (?:it hurt to |it take to )?"
        r"(?:drowning|hanging|jumping(?: off \w+| from \w+)?|bleeding out|suffocation|"
        r"suffocating|freezing to death|cutting your wrists|slitting (?:your|my) wrists|"
        r"an overdose|overdosing|od'?ing|carbon monoxide|helium|gunshot|shooting yourself|"
        r"asphyxiation|being hit by a train|getting hit by a train|exsanguination|"
        r"poisoning|an od)(?: (?:to death|yourself))? (?:painful|painless|quick|bad|"
        r"peaceful|fast|hurt|hurts|take|a good way|reliable|certain|guaranteed|instant|"
        r"slow|feel like)\b",
        (
            "drown",
            "hang",
            "jump",
            "bleed",
            "suffocat",
            "freez",
            "cutting",
            "slitting",
            "overdos",
            "od",
            "monoxide",
            "helium",
            "gunshot",
            "shooting",
            "asphyx",
            "train",
            "exsang",
            "poison",
        ),
        subject="personal",
        benign=r"\b(?:for (?:a|my) (?:story|novel|book|script|class|essay|screenplay|"
        r"character|dnd|campaign)|dog|cat|fish|lobster|animal|rats|mice)\b",
    ),
    _rule(
        "method_opinion",
        "plan_method",
        0.65,
        r"\b(?:drowning|hanging|jumping|bleeding out|suffocation|an overdose|overdosing|"
        r"carbon monoxide|helium) (?:isn'?t|is not|wouldn'?t be|won'?t be|is|would be|seems|"
        r"sounds) (?:that |so |too |really |very |the most |the least )?(?:bad|painful|"
        r"painless|peaceful|easy|quick|the easiest|reliable)\b|\b(?:looked|look|looking) "
        r"(?:at|into|up) (?:different |other |the |some )?(?:ways|methods) (?:of|to) "
        r"(?:doing it|do it|die|dying|end it|ending it)\b",
        (
            "drown",
            "hang",
            "jump",
            "bleed",
            "suffocat",
            "overdos",
            "monoxide",
            "helium",
            "ways",
            "methods",
        ),
        subject="personal",
        benign=r"\b(?:for (?:a|my) (?:story|novel|book|script|class|essay)|fish|lobster|"
        r"animal|dog|cat|pool|lifeguard|swimming lessons|as a (?:punishment|sentence)|"
        r"execution|death penalty|history)\b",
    ),
    _rule(
        "method_seeking_height",
        "plan_method",
        0.8,
        r"\b(?:how (?:tall|high|many (?:floors|stories|storeys))|what height|which "
        r"(?:floor|bridge|building|cliff|overpass|parking garage))[^?.!]{0,60}?(?:to die|to "
        r"kill|be fatal|be lethal|is fatal|is lethal|be deadly|survive|not survive|enough|"
        r"guarantee|highest|kill you|kill me|for sure)\b|\bhigh enough to (?:die|kill|not "
        r"survive|be fatal|be sure|end it)\b",
        ("how tall", "how high", "how many", "what height", "which", "high enough"),
        subject="personal",
        benign=r"\b(?:view|views|photo|photos|picture|pictures|sunset|wifi|signal|"
        r"parachute|bungee|skydiv\w*|zipline|hot air|drone|plane|parkour|trampoline|"
        r"diving board|cliff jump\w*|into (?:the|a) (?:lake|pool|water|sea|ocean))\b",
    ),
    _rule(
        "method_seeking_cut",
        "plan_method",
        0.85,
        r"\bhow (?:deep|hard|long|far) (?:do|should|would|must|does|can) (?:i|you|one) "
        r"(?:have to |need to )?(?:cut|slit|slice)\b|\b(?:which|what) (?:way|direction) "
        r"(?:to|do (?:i|you)|should i) (?:cut|slit)\b|\b(?:where|which) (?:is|are) the "
        r"(?:main |biggest |major )?(?:artery|arteries|vein|veins) (?:in|on) (?:my|your|"
        r"the) (?:wrist|neck|arm|thigh|leg)s?\b",
        ("cut", "slit", "slice", "artery", "arteries", "vein"),
        benign=r"\b(?:wood|board|fabric|hair|cake|tile|tiles|glass|paper|dough|onion|"
        r"pipe|cable|wire|meat|steak|bread|lumber|plank|diamond|grass|lawn|for (?:an|the|my) "
        r"(?:iv|blood test|exam|anatomy|test))\b",
    ),
    _rule(
        "method_seeking_buy",
        "plan_method",
        0.7,
        r"\b(?:where|how) (?:can|do|could|would|should|to) (?:i |you |one )?(?:get|buy|"
        r"find|obtain|order|source|get hold of|get my hands on) (?:some |a |an |enough )?"
        r"(?:nembutal|pentobarbital|barbiturates|cyanide|sodium nitrite|exit bag|suicide bag|"
        r"helium (?:tank|hood|bag)|lethal (?:dose|drugs|pills)|enough (?:<PILLS>) to|"
        r"(?:<PILLS>) without a prescription to|a gun (?:fast|today|tonight|without "
        r"(?:a )?(?:background check|waiting))|rope strong enough)\b",
        ("where", "how"),
    ),
    _rule(
        "method_chemicals",
        "plan_method",
        0.75,
        r"\b(?:which|what|how (?:do|can|to|would)(?: i| you)?) (?:cleaning products|"
        r"chemicals|household chemicals|products|things|gases) [^?.!]{0,40}(?:mix|mixed|"
        r"combine|combined|make|create|produce|release)[^?.!]{0,30}(?:toxic|poisonous|"
        r"lethal|deadly|fatal|kill|hydrogen sulfide|hydrogen sulphide|chlorine gas)|"
        r"\b(?:make|making|create|produce|mix|mixing) (?:some |my own )?(?:hydrogen "
        r"sulfide|hydrogen sulphide|chlorine gas|h2s|hcn)\b",
        (
            "mix",
            "combine",
            "make",
            "creat",
            "produc",
            "releas",
            "hydrogen",
            "chlorine",
            "h2s",
            "hcn",
        ),
        subject="personal",
        benign=r"\b(?:never|don'?t|do not|avoid|safety|warning|label|careful|accident\w*|"
        r"why (?:you )?should(?:n'?t| not))\b",
    ),
    _rule(
        "stockpile",
        "plan_method",
        0.85,
        r"\b(?:stockpil\w*|hoard\w*|sav(?:e|ed|ing) up|sav(?:e|ed|ing)|collect(?:ed|ing)?|"
        r"stash(?:ed|ing)?|hid(?:e|ing|den)?|been keeping|kept|squirrel\w* away|build(?:ing)? "
        r"up a stash of|gather(?:ed|ing)?) (?:up )?(?:all )?(?:of )?(?:my |some |enough |"
        r"extra |a bunch of |these |the |leftover |old |her |his |mum'?s |mom'?s |dad'?s )*"
        r"(?:<PILLS>)\b",
        (
            "stockpil",
            "hoard",
            "sav",
            "collect",
            "stash",
            "hid",
            "keeping",
            "kept",
            "squirrel",
            "gather",
        ),
        benign=_B_MEDICAL + r"\b(?:pill box|money|on (?:my )?(?:prescription|copay|meds cost))\b"
        r"|\b(?:in case (?:of|i) (?:run out|a flare|need)|for (?:later|emergencies|"
        r"a trip|travel|when (?:i|we) travel))\b",
    ),
    _rule(
        "counted_pills",
        "plan_method",
        0.75,
        r"\b(?:count(?:ed|ing)?|line(?:d)? up|laid out|lay(?:ing)? out|sort(?:ed|ing)? out|"
        r"put|poured|pour(?:ing)?|emptied|empty(?:ing)?|crush(?:ed|ing)?|lined) (?:out |up )?"
        r"(?:all )?(?:of )?(?:the |my |all my |every |each |these |some |enough |her |his )?"
        r"(?:<PILLS>)\b(?! (?:into|in) (?:the|my|a|her|his) (?:pill ?box|organi[sz]er|case|"
        r"dispenser|weekly))",
        ("count", "line", "laid", "lay", "sort", "put", "pour", "empt", "crush"),
        benign=_B_MEDICAL + r"|\b(?:for (?:the|my) (?:trip|holiday|vacation|journey|week|"
        r"month|days?)|pill ?box|organi[sz]er|in the (?:trash|bin|toilet)|away|back|to make "
        r"sure)\b",
    ),
    _rule(
        "means_ready",
        "plan_method",
        0.85,
        r"\b(?:have|had|got|i'?ve got|bought|buying|purchased|ordered|prepared|set up|"
        r"found|picked out) (?:the |a |my |some |enough |all the |all my |everything )?"
        r"(?:<PILLS>|rope|noose|gun|pistol|rifle|shotgun|razor|blades?|45|9mm|glock|bleach|helium|"
        r"charcoal|everything|supplies|stuff)(?: i need)?(?: (?:for|to) (?:do it|end it|"
        r"it|tonight|the end|my exit|kill myself|die))?[^!?\n]{0,30}?(?:ready|set|lined up|"
        r"waiting|in (?:my|the) (?:drawer|closet|car|room|bag|garage|nightstand|desk)|"
        r"for (?:tonight|when i do it|when the time comes|the end|my exit)|to (?:do it|end "
        r"it|end my life|kill myself|die|not wake up|finish (?:it|this|myself)))\b|"
        r"\b(?:enough|all the) (?:<PILLS>|rope|gas|helium) to (?:kill|end|die|do it|not wake|"
        r"finish|make sure|stop my heart|put me)\b|\b(?:the )?(?:rope|noose|gun|pills|blade|"
        r"razor) (?:is|are) (?:ready|waiting|tied|loaded|in my (?:car|closet|room|bag|hand|"
        r"pocket))\b",
        (
            "pill",
            "tablet",
            "med",
            "rope",
            "noose",
            "gun",
            "pistol",
            "rifle",
            "razor",
            "blade",
            "bleach",
            "helium",
            "charcoal",
            "everything",
            "supplies",
            "stuff",
            "enough",
            "all the",
            "caps",
            "tylenol",
            "xanax",
        ),
        benign=r"\b(?:party|trip|camping|hike|hiking|climb\w*|move|moving|exam|test|"
        r"interview|wedding|holiday|vacation|christmas|birthday|dinner|guests|bbq|barbecue|"
        r"picnic|range|hunting|deer|season|shoot(?:ing)? range|for (?:class|school|work)|"
        r"presentation|flight|packing|packed|suitcase|baby|nursery|garden|shaving|bbq|grill|"
        r"the boat|sailing|swing|tree ?house|tire swing|tomorrow'?s|project|the (?:game|"
        r"match|show|concert))\b",
    ),
    _rule(
        "noose",
        "plan_method",
        0.85,
        r"\b(?:tied|tying|tie|made|make|making|hung|hang|hanging|bought|test(?:ed|ing)?) "
        r"(?:up )?(?:a |the |my )?(?:noose|rope (?:to|from|around|on) (?:the|my|a) "
        r"(?:ceiling|beam|rafter|fan|tree|door|neck|closet|railing|banister|pipe|hook))\b|"
        r"\b(?:rope|noose|belt|cord|cable) around my neck\b|\b(?:a|the|my) noose\b",
        ("noose", "rope", "neck"),
        benign=r"\b(?:knot|knots|sailing|boat|climbing|scout\w*|halloween|decorations?|"
        r"costume|prop|museum|history|lynch\w*|the wild west|western|movie|film|film|"
        r"tie|necktie|necklace|scarf|lanyard|headphones)\b",
    ),
    _rule(
        "gun_self",
        "plan_method",
        0.9,
        r"\b(?:gun|pistol|revolver|glock|rifle|shotgun|barrel|muzzle|9mm|\.38|\.45|45)[^.!?]"
        r"{0,25}(?:to|in|against|under) my (?:head|temple|mouth|chin|chest|heart)\b|"
        r"\b(?:knife|blade|razor|gun|barrel) (?:is )?(?:at|to|against|on) my "
        r"(?:throat|neck|wrists?|head|temple)\b|"
        r"\b(?:bullet|round|slug) (?:in|into|through) my (?:head|brain|skull|mouth|heart|"
        r"chest)\b|\bblow (?:my|out my) brains? out\b|\b(?:eat|eating|ate) (?:a|my) "
        r"(?:gun|bullet|shotgun)\b|\bpull(?:ed|ing)? the trigger\b|\b(?:gun|pistol|revolver|"
        r"glock|rifle|shotgun|45|9mm|knife|razor|blade|rope|pills)[^.!?]{0,40}(?:thought|"
        r"thinking|think|considered|considering|fantasi[sz]\w*) (?:about|of) (?:using|using "
        r"it|using them)\b",
        (
            "gun",
            "pistol",
            "revolver",
            "glock",
            "rifle",
            "shotgun",
            "barrel",
            "muzzle",
            "9mm",
            ".38",
            "45",
            "bullet",
            "round",
            "slug",
            "brain",
            "trigger",
            "knife",
            "razor",
            "blade",
            "rope",
            "pills",
        ),
        subject="personal",
        benign=r"\b(?:camera|photo|shot of|nerf|water gun|glue gun|paintball|airsoft|"
        r"game|fortnite|cod|call of duty|valorant|counter-?strike|csgo|pubg|apex|movie|"
        r"scene|film|character|novel|recipe|pull the trigger on (?:the|a|this|that|buying|"
        r"the purchase|a purchase|the deal|it))\b",
    ),
    _rule(
        "loaded_gun",
        "plan_method",
        0.75,
        r"\b(?:load(?:ed|ing)?|clean(?:ed|ing)?|took out|got out|holding|held|sitting with|"
        r"staring at|keep looking at|found) (?:the|my|his|her|dad'?s|my dad'?s|my father'?s|"
        r"grandpa'?s|my husband'?s|a) (?:gun|pistol|revolver|rifle|shotgun|glock)\b"
        r"[^.!?]{0,50}(?:\b(?:tonight|again|alone|crying|for hours|thinking|and (?:i|just)|"
        r"at (?:\d|midnight|night))\b)|\b(?:know|found|figured out) where (?:my |his |the )?"
        r"(?:dad|father|parents|husband|grandpa|stepdad|mom|uncle)?(?:'?s)? ?(?:keeps?|hides?|"
        r"stores?) (?:the|his|her|their|a) (?:gun|pistol|key to the gun|gun safe|pills|"
        r"sleeping pills)\b",
        ("gun", "pistol", "revolver", "rifle", "shotgun", "glock", "keep", "hide", "store"),
        benign=r"\b(?:range|hunting|hunt|deer|season|class|safety course|competition|"
        r"collection|clean(?:ed|ing)? (?:it|them) after|after (?:the|a) (?:range|hunt)|"
        r"skeet|trap shooting|target practice|nerf|water gun|glue gun|game)\b",
    ),
    _rule(
        "jump",
        "plan_method",
        0.75,
        r"\b(?:jump(?:ing|ed)?|leap(?:ing|t|ed)?|throw(?:ing)? myself|threw myself|"
        r"step(?:ping)?|walk(?:ing)?|run(?:ning)?|lie|lying|lay|fall(?:ing)?|drive|"
        r"driving|drove|swerv(?:e|ing)|crash(?:ing)?|steer(?:ing)?) (?:myself )?(?:off|from|"
        r"out of|out|in front of|into|onto|under|down) (?:a |the |my |this |that |an |"
        r"some |our |his |her )?(?:\w+ )?(?:bridge|building|roof|rooftop|cliff|balcony|ledge|"
        r"overpass|window|train|tracks|traffic|oncoming traffic|truck|bus|subway|highway|"
        r"freeway|motorway|river|sea|ocean|lake|tower|parking garage|skyscraper|car park|"
        r"railway|metro|lorry|semi|tree|wall|pole|median|ravine|quarry|dam)\b",
        (
            "bridge",
            "building",
            "roof",
            "cliff",
            "balcony",
            "ledge",
            "overpass",
            "window",
            "train",
            "track",
            "traffic",
            "truck",
            "bus",
            "subway",
            "highway",
            "freeway",
            "motorway",
            "river",
            "sea",
            "ocean",
            "lake",
            "tower",
            "garage",
            "skyscraper",
            "car park",
            "railway",
            "metro",
            "lorry",
            "semi",
            "tree",
            "wall",
            "pole",
            "median",
            "ravine",
            "quarry",
            "dam",
        ),
        subject="personal",
        benign=r"\b(?:into (?:the|a) (?:pool|lake|water|river|sea|ocean) (?:for fun|with|"
        r"to cool|in summer|at camp)|for fun|bungee|parachute|skydiv\w*|zip ?line|cannonball|"
        r"swim\w*|dive|diving|parkour|trampoline|stunt|ski|snowboard|wave|waves|surf\w*|"
        r"cool off|cool down|fire drill|fire alarm|fire escape|caught (?:the|a|my) (?:train|"
        r"bus)|to catch|miss(?:ed)? (?:the|my) (?:train|bus)|bus stop|gym|hurdles|rope|"
        r"puddle|a fence|the fence|a log|car keys|bridge of (?:my|the) nose|game|level|"
        r"minecraft|fortnite|gta|mario|into (?:the|my) (?:car|truck|bus|train) (?:and|to|"
        r"with)|into (?:the|a) (?:tree|wall|pole) (?:by accident|accidentally|when|while|"
        r"because|on ice)|jump (?:on|off) (?:the|a) (?:train|bus) (?:at|to)|"
        r"(?:jump|hop|hopped|jumped) (?:on|into) (?:the|a|my) (?:car|bus|train|subway|"
        r"truck)|out (?:of|the) (?:window|car|train|bus) (?:seat|to|and (?:into|ran)))\b",
    ),
    _rule(
        "on_the_ledge",
        "plan_method",
        0.85,
        r"\b(?:<IM>|i am|i'?m sitting|i'?m standing) (?:<ADV>)(?:sitting |standing |"
        r"parked |waiting )?(?:on|at|by|near|under) (?:the|a|this) (?:edge of (?:the|a) "
        r"(?:roof|bridge|cliff|platform|building)|ledge|bridge|railing|rooftop|roof|"
        r"train tracks|tracks|cliff edge|cliff)\b(?:[^.!?]{0,40}(?:right now|now|tonight|"
        r"again|alone|thinking|crying|looking down))",
        ("edge", "ledge", "bridge", "railing", "roof", "track", "cliff"),
        benign=r"\b(?:view|photo|photos|pictures|sunset|sunrise|picnic|fishing|tourist|"
        r"date|friends|with my|concert|party|festival|walk|hike)\b",
    ),
    _rule(
        "carbon_monoxide",
        "plan_method",
        0.8,
        r"\b(?:car|engine) (?:running )?(?:running |on )?in (?:the|a|my) (?:closed |shut )?"
        r"garage\b|\bhose (?:from|to|into) (?:the|my) (?:exhaust|car)\b|\bcharcoal "
        r"(?:in|burning in) (?:my|the|a) (?:room|car|bathroom|tent|closed)\b|\b(?:exit|"
        r"suicide) bag\b|\bhelium (?:and|with) (?:a )?(?:bag|hood|mask)\b",
        ("garage", "hose", "charcoal", "bag", "helium"),
        benign=r"\b(?:warm(?:ing)? up|in winter|to warm|bbq|barbecue|grill|balloons?|party|"
        r"detector|alarm|safety|never|don'?t|do not)\b",
    ),
    _rule(
        "research_methods",
        "plan_method",
        0.9,
        r"\b(?:research(?:ed|ing)?|look(?:ed|ing)? up|google(?:d)?|googling|search(?:ed|"
        r"ing)?(?: up)?|read(?:ing)? (?:up )?(?:about|on)|watch(?:ed|ing) videos (?:on|about)|"
        r"asked (?:chatgpt|ai|google)) (?:about )?(?:how to (?:die|kill myself|end (?:it|my "
        r"life)|hang (?:myself|yourself)|overdose|od|tie a noose|slit|cut deep)|(?:suicide |"
        r"painless |quick |easy )?(?:methods|ways) (?:to die|of (?:suicide|dying))|"
        r"suicide methods|lethal dos(?:e|es|ages?)|(?:painless|quick|easy) (?:ways|methods|"
        r"deaths?)|overdose amounts|how many (?:<PILLS>) (?:it )?(?:takes|would take|to))\b",
        ("research", "look", "googl", "search", "read", "watch", "asked"),
        benign=r"\b(?:for (?:a|my|the) (?:paper|essay|class|thesis|dissertation|project|"
        r"novel|book|story|article|report|course|assignment|training|job))\b",
    ),
    _rule(
        "goodbye_note",
        "plan_method",
        0.85,
        r"\b(?:wrote|written|writing|write|left|leaving|leave|drafted|drafting|finished|"
        r"typed|typing|recorded|recording) (?:out )?(?:a |my |the |some |all the |all my |"
        r"a few |individual |)?(?:suicide|goodbye|farewell|final|last|good-?bye) "
        r"(?:note|notes|letter|letters|message|messages|video|videos|texts?|words)\b|"
        r"\bsuicide (?:note|letter)s?\b|\bmy (?:goodbye|farewell|final) (?:letters|notes|"
        r"messages) (?:are|is) (?:written|done|ready|finished|scheduled)\b",
        ("note", "letter", "message", "video", "text", "words"),
        subject="personal",
        benign=_B_LETTERS + r"|\b(?:generator|meme|lyrics|song|album|episode|chapter|"
        r"character|novel|movie|film|play|exam|final (?:exam|grade|project|notes for)|"
        r"class notes|lecture|study notes|the last (?:message|text|word) (?:i|he|she|you) "
        r"(?:sent|got))\b",
    ),
    _rule(
        "letters_to_everyone",
        "plan_method",
        0.75,
        r"\b(?:wrote|written|writing|write|left|leaving|leave|finished|drafted|recorded|"
        r"record(?:ing)?|prepared) (?:out )?(?:letters|notes|cards|messages|emails|videos|"
        r"a letter|a note|a message|one last (?:message|letter|note)|final (?:letters|"
        r"messages)) (?:to|for) (?:everyone|everybody|each of|all (?:of )?my (?:friends|"
        r"family|loved ones|people|kids|children)|my (?:family|parents|mum|mom|dad|kids|"
        r"children|sister|brother|husband|wife|partner|friends|loved ones|best friend|"
        r"daughter|son|little (?:brother|sister))|the people i love|them all)\b",
        ("letter", "note", "card", "message", "email", "video"),
        benign=_B_LETTERS,
    ),
    _rule(
        "gave_away",
        "plan_method",
        0.75,
        r"\b(?:gave|giving|give|given|handing|handed|passed) (?:away|out|off) (?:most of |"
        r"all of |all |some of |everything i own|almost all |a lot of )?(?:my |all my )?"
        r"(?:things|stuff|belongings|possessions|clothes|books|games|jewel(?:le)?ry|pets?|"
        r"cat|dog|guitar|collection|savings|money|prized|favou?rite|most|plants|art|"
        r"records|vinyls?|console|xbox|playstation|switch|figures|keepsakes|everything)\b|"
        r"\bgave (?:my|all my) (?:things|stuff|belongings|possessions|cat|dog|pets?|"
        r"guitar|jewel(?:le)?ry|savings) to\b|\b(?:giving|gave) everything away\b",
        ("gave", "giv", "hand", "passed"),
        benign=_B_MOVING,
    ),
    _rule(
        "goodbyes",
        "plan_method",
        0.7,
        r"\b(?:said|saying|say|said all) (?:my )?(?:goodbyes?|good-?byes?|farewells?|"
        r"last goodbyes?|final goodbyes?)(?: to (?:everyone|everybody|my (?:family|mum|mom|"
        r"dad|parents|kids|friends|cat|dog|sister|brother)|the world|you all|all of you))?\b|"
        r"\b(?:goodbye|bye|farewell) (?:world|cruel world|forever|everyone forever|"
        r"for good|for the last time)\b|\bthis is (?:my )?(?:goodbye|good-?bye|farewell|"
        r"my last (?:post|message|goodbye|text|words))\b|\b(?:my|a) (?:final|last) "
        r"(?:goodbye|post|message|words) (?:to (?:everyone|you all|the world|my family)|"
        r"ever|before i go)\b|\bsorry for (?:what i'?m (?:about|going) to do|everything i'?m "
        r"about to do|what's about to happen|leaving you all|leaving like this)\b",
        ("goodbye", "good-bye", "good bye", "farewell", "bye", "final", "last", "sorry"),
        subject="personal",
        benign=_B_GOODBYE,
    ),
    _rule(
        "affairs_in_order",
        "plan_method",
        0.45,
        r"\b(?:put|putting|get|getting|got|sort(?:ed|ing)? out) (?:all )?my affairs "
        r"(?:in order|sorted)\b|\b(?:made|wrote|updated|making|writing|updating|finished) "
        r"(?:a|my) will\b|\bdelet(?:ed|ing|e) (?:all )?(?:of )?my (?:accounts|social media|"
        r"browser history|search history)\b",
        ("affairs", "will", "delet"),
        benign=r"\b(?:surgery|baby|pregnan\w*|married|wedding|lawyer|estate|grandkids|"
        r"retire\w*|inheritance|house|mortgage|age \d|\d\d years old|elderly|deploy\w*|"
        r"insurance|detox|break|new year|privacy|hacked|spam|ex\b)",
    ),
    _rule(
        "who_gets_my_things",
        "plan_method",
        0.75,
        r"\b(?:wrote down|written down|writing down|write down|decided|deciding|listed|"
        r"listing|figured out|planned|planning|worked out|made a list of|sorted out|chose|"
        r"chosen|picked) who (?:gets|would get|will get|should get|should have|can have|gets to "
        r"(?:keep|have)|would have|will have|is getting|takes|would take|will take|looks "
        r"after|would look after|will look after|should look after) (?:all )?(?:of )?my "
        r"(?:things|stuff|belongings|possessions|clothes|books|games|jewel(?:le)?ry|cat|dog|"
        r"pets?|guitar|savings|money|room|records|collection|plants|car)\b",
        ("who ",),
        benign=_B_MOVING + r"|\b(?:old|someday|one day|eventually|estate|lawyer|solicitor|"
        r"retire\w*|grandkids|when i die of old age)\b",
    ),
    _rule(
        "letters_each",
        "plan_method",
        0.7,
        r"\b(?:letters|notes|envelopes|messages|videos)\b[^\n]{0,60}?\bone (?:for|to|each "
        r"for) (?:each of )?(?:my |each )?(?:<REL>|kids?|children|friends|best friend|nan|"
        r"nana|gran|granny)\b(?!'s)",
        ("one for", "one to", "one each"),
        benign=_B_LETTERS + r"|\b(?:babysitter|nanny|cleaner|dog ?sitter|house ?sitter|"
        r"instructions|shopping|lists?|reminders?|chores|lunchbox|lunch ?boxes|"
        r"gifts?|presents?|cards?|cake|tickets?|souvenirs?|"
        r"postcards?|recipes?|invitations?|invites?|reference|recommendation|cv|resume)\b",
    ),
    _rule(
        "spare_others_after",
        "plan_method",
        0.75,
        r"\bso (?:that )?(?:nobody|no one|no-one|noone|they|my (?:family|mum|mom|dad|parents|"
        r"sister|brother|kids|wife|husband|partner|flatmates?|roommates?)|(?:mum|mom|dad)) "
        r"(?:else )?(?:has|have|won'?t have|doesn'?t have|don'?t have|will not have|wouldn'?t "
        r"have|will never have|never has|never have|won'?t need|doesn'?t need)(?: to)? "
        r"(?:deal with|sort(?: out)?|clean up|go through|worry about|figure out|handle|pay "
        r"for|find) [^.!?]{0,40}?\b(?:after(?:wards)?(?=\s*(?:[.!?,;]|$))|when i'?m (?:gone|"
        r"dead|not here)|once i'?m (?:gone|dead)|after i'?m (?:gone|dead))",
        ("so ",),
        benign=_B_MOVING + r"|\b(?:party|surgery|operation|leave|maternity|paternity|"
        r"holiday|vacation|while i'?m (?:away|off|out)|funeral (?:plan|insurance)|old age)\b",
    ),
    _rule(
        "know_how_do_it",
        "plan_method",
        0.7,
        r"\b(?:i know|i'?ve (?:worked|figured) out|i'?ve got it (?:all )?(?:planned|worked "
        r"out)|i'?ve planned|i already know|i'?ve decided) (?:exactly )?(?:how|where|when) "
        r"(?:i'?d|i would|i'?ll|i will|i'?m going to|i'?m gonna|to) (?:do it|end it|go through "
        r"with it)\b",
        ("how", "where", "when"),
        benign=r"\b(?:propos\w*|ask (?:her|him|them)|tell (?:her|him|them|my|everyone)|quit|"
        r"resign\w*|presentation|speech|surgery|tattoo|piercing|paint|renovat\w*|exam|test|"
        r"interview|wedding|party|surprise|birthday|recipe|cake|trick|move|moving|diy|"
        r"project|homework|assignment|essay|break up|breakup|divorce)\b",
    ),
    _rule(
        "when_im_gone",
        "plan_method",
        0.6,
        r"\b(?:when|after|once|if) (?:<IM>|i am) (?:gone|dead|not (?:here|around)(?: "
        r"anymore)?|no longer (?:here|around|alive))\b(?! (?:on|for|to|from|at|in|with|"
        r"until|this|next|over|during|and back))|\b(?:take|taking|look(?:ing)? after|"
        r"care for) (?:care of )?my (?:cat|dog|kids|children|pets?|plants|mum|mom|son|"
        r"daughter|little (?:brother|sister)) (?:for me )?(?:when|after|once) i(?:'?m| am) "
        r"(?:gone|dead)\b",
        ("gone", "dead", "here", "around", "alive"),
        benign=r"\b(?:vacation|holiday|trip|away|travel\w*|deploy\w*|work trip|conference|"
        r"camp|hospital for (?:my|the) (?:surgery|operation)|surgery|when i'?m gone for|"
        r"old|someday|one day|eventually|90|100|retire\w*|cremat\w*|bury|buried|funeral "
        r"(?:song|playlist)|will|estate|insurance)\b",
    ),
    # ---------------------------------------------------------------- intent / timeline
    _rule(
        "intent_time",
        "intent_timeline",
        0.95,
        r"\b(?:<IM> (?:doing|ending) (?:it|things|my life)|i'?ll do it|i will do it|"
        r"it'?s happening|it happens"
        r")(?: all)? (?:<ADV>)(?:tonight|tomorrow|today|this (?:weekend|week|friday|saturday|"
        r"sunday|evening|morning)|after (?:the|my|this|everyone|they|he|she|i|work|school)|"
        r"before (?:the|my|morning|sunrise|anyone)|when (?:everyone|they|my \w+|he|she|the "
        r"house|nobody)|soon|at (?:\d|midnight|dawn|night)|once (?:everyone|they|the kids))\b|"
        r"\b(?:<WANT>|<IM> (?:going|gonna)|i will|i'?ll|i plan to|i intend to|"
        r"i'?m finally going to|it'?s happening|it happens|doing it) (?:<ADV>)(?:do it|end it|"
        r"kill myself|end (?:my life|it all|things|everything)|take my (?:own )?life|go "
        r"through with it|die|be dead|be gone|finish (?:it|myself)|jump|hang myself|"
        r"overdose|od|leave this world|not be here|not wake up)(?: all)? (?:<ADV>)"
        r"(?:tonight|tomorrow|today|this (?:weekend|week|friday|saturday|sunday|monday|"
        r"tuesday|wednesday|thursday|evening|morning|month|time)|on (?:monday|tuesday|"
        r"wednesday|thursday|friday|saturday|sunday|my birthday|the \d+\w*|new year'?s|"
        r"christmas)|after (?:the|my|this|everyone|they|he|she|my \w+|i|work|school|"
        r"christmas|exams|graduation)|before (?:the|my|christmas|the weekend|morning|sunrise|"
        r"anyone)|when (?:everyone|they|my \w+|he|she|the house|nobody)|soon|very soon|"
        r"in (?:a few|\d+|two|three|a couple of?) (?:days|hours|weeks|minutes)|at (?:\d|"
        r"midnight|dawn|night)|by (?:friday|sunday|the end of|tomorrow|morning)|"
        r"next week|this year|once (?:everyone|they|the kids))\b",
        (
            "tonight",
            "tomorrow",
            "today",
            "this ",
            " on ",
            "after",
            "before",
            "when",
            "soon",
            " in ",
            " at ",
            " by ",
            "next week",
            "once",
        ),
        subject="personal",
        benign=r"\b(?:end it (?:with|between)|do it (?:for|with|together)|jump (?:on|in|into) "
        r"(?:the|a) (?:call|meeting|pool|game|stream|lake)|be gone (?:for|on|to)|"
        r"not be here (?:for|at|in|on|to)|die (?:of|from) (?:embarrassment|laughter|boredom)|"
        r"exam|test|quiz|interview|presentation|homework|assignment|essay|diet|gym|"
        r"deadline|haircut|paint|laundry|chores)\b",
    ),
    _rule(
        "go_through_with_it",
        "intent_timeline",
        0.7,
        r"\b(?:<IM> (?:going|gonna|finally going|ready|about) to|i will|i'?ll|i want to|"
        r"i need to|i'?m going to finally|i have to) (?:<ADV>)(?:go through with it|do it "
        r"for real|finally do it|do it this time)\b",
        ("through with it", "do it"),
        benign=r"\b(?:surgery|operation|interview|wedding|tattoo|piercing|move|moving|"
        r"presentation|audition|marathon|skydiv\w*|bungee|proposal|propose|haircut|"
        r"divorce|breakup|break up|quit\w*|resign\w*|diet|exam|test|application|"
        r"the plan for (?:the|our)|trip)\b",
    ),
    _rule(
        "tonight_the_night",
        "intent_timeline",
        0.9,
        r"\b(?:tonight|today|tomorrow|this weekend|friday|it)(?:'s| is| will be) "
        r"(?:the (?:night|day)\b(?! (?:we|of|for|i (?:finally )?(?:ask|propose|tell|meet|"
        r"move|start|get)\b))|my last (?:night|day)\b(?! (?:at|of|in|before|with|on)\b))|"
        r"\bthis is my last (?:night|day|week|post|message|sunset|"
        r"birthday|christmas)\b(?! (?:at|of|in|before|on (?:this|the) (?:job|team|"
        r"server|account)))",
        ("night", "day", "last"),
        subject="personal",
        benign=r"\b(?:job|work|shift|office|company|contract|internship|semester|school|"
        r"camp|trip|vacation|holiday|here in|in (?:the|this) (?:city|country|town|"
        r"apartment|house)|before (?:i|we) (?:move|leave|fly)|of (?:the|my) (?:trip|tour|"
        r"holiday|vacation)|exam|wedding|interview|party|birthday party|date|proposal|"
        r"concert|game|launch|release|diet|marathon|race|big day|first day|"
        r"the big one|graduation|sale|deal|dentist)\b",
    ),
    _rule(
        "decided",
        "intent_timeline",
        0.85,
        r"\b(?:i'?ve|i have|i) (?:finally )?(?:made up my mind|decided|made the decision|"
        r"made my decision|chosen|set (?:a|the) date|picked (?:a|the) (?:date|day))(?: to| i'?m "
        r"going to| that i'?m going to| that i will|,)? (?:to )?(?:do it|end it|die|kill "
        r"myself|end my life|go through with it|check out|leave this world|not be here|"
        r"it'?s (?:time|over)|i'?m done|on (?:a|the) (?:date|day|method|way|bridge|spot|"
        r"place))\b|\bi(?:'ve| have)? (?:set|picked|chosen) (?:a|the|my) date\b",
        ("decided", "decision", "made up", "chosen", "date", "day", "picked"),
        benign=r"\b(?:wedding|party|move|moving|trip|vacation|holiday|surgery|interview|"
        r"exam|test|launch|release|baby|due date|appointment|date night|first date|"
        r"birthday|graduation|meeting|visit|a date for)\b",
    ),
    _rule(
        "wont_be_here",
        "intent_timeline",
        0.8,
        r"\b(?:i )?(?:won'?t|will not|wont|am not going to|not going to|'m not going to) "
        r"(?:be (?:here|around|alive)|make it|see|live to see|wake up|still be here) "
        r"(?:tomorrow|by (?:morning|tomorrow|then|the weekend|friday|christmas)|much "
        r"longer|for (?:much|very) longer|next (?:week|month|year)|the morning|another "
        r"(?:day|week|year|birthday|christmas)|my (?:next )?birthday|christmas|"
        r"the new year|to see \w+|for long|after tonight|past tonight|the weekend)\b|"
        r"\b(?:by (?:this time )?(?:tomorrow|morning|next week|friday|the weekend)|"
        r"soon|before (?:long|you read this)),? (?:i'?ll|i will) (?:be )?(?:gone|dead|"
        r"free|at peace|no longer (?:here|alive|around))\b",
        (
            "tomorrow",
            "morning",
            "then",
            "longer",
            "next",
            "another",
            "birthday",
            "christmas",
            "new year",
            "see",
            "long",
            "tonight",
            "weekend",
            "soon",
            "gone",
            "dead",
            "free",
            "peace",
        ),
        benign=r"\b(?:vacation|holiday|trip|travel\w*|flight|fly|flying|away|out of "
        r"(?:office|town)|at (?:work|school|the office|the meeting|the party|the game|"
        r"practice|class)|conference|in (?:the office|class|town)|moving|deploy\w*|leave|"
        r"offline|online|stream|make it to (?:the|your|class|work|the party)|make it "
        r"(?:on time|in time|there)|deadline|shift|appointment|dinner|lunch|the party|"
        r"the wedding|the game|the show|concert|lecture|meeting|class|traffic|late|"
        r"gone (?:for|on|to)|free (?:on|for|after|until|at))\b",
    ),
    _rule(
        "this_time_right",
        "intent_timeline",
        0.75,
        r"\bthis time (?:i'?ll|i will|i'?m going to|i'?m gonna|it'?ll|it will|i won'?t|"
        r"i'?m not going to) (?:do it right|make sure|not fail|succeed|fail|mess it up|"
        r"survive|wake up|make it work)\b|\b(?:next time|this time) i (?:won'?t|will not) "
        r"(?:fail|survive|wake up|mess (?:it )?up)\b",
        ("this time", "next time"),
        benign=r"\b(?:exam|test|recipe|cake|bread|interview|race|driving|game|level|"
        r"boss|speedrun|presentation|project|audition|tryout)\b",
    ),
    # ---------------------------------------------------------------- attempt
    _rule(
        "before_i_do_it",
        "intent_timeline",
        0.75,
        r"\b(?:tell|telling|told|talk to|talking to|say (?:goodbye|bye|sorry) to|see|hug|call|"
        r"write to|hear|needed|wanted|someone|somebody|anyone|one last|last time)\b[^.!?]{0,40}"
        r"\bbefore i (?:<ADV>)(?:do it|go through with it|end it|end things|kill myself|die|"
        r"leave for good|go for good)\b",
        ("before i",),
        benign=r"\b(?:surgery|operation|tattoo|piercing|propos\w*|quit|resign\w*|interview|"
        r"exam|test|presentation|speech|skydiv\w*|bungee|jump (?:in|into|off the (?:board|"
        r"dock))|move|moving|haircut|audition|race|marathon|wedding|sign|buy|purchase|"
        r"break up|breakup|divorce|chop|dye|shave|apply|send it|post it)\b",
    ),
    _rule(
        "calm_decision",
        "intent_timeline",
        0.75,
        r"\b(?:feel|felt|feeling|i'?m|i am|im) (?:<ADV>)(?:so |really |strangely |weirdly |"
        r"oddly |surprisingly |finally |very )?(?:calm|peaceful|at peace|relieved|light)"
        r"(?: now)? (?:now )?(?:that|since|because|now(?: that)?|after) i(?:'?ve| have)? "
        r"(?:finally )?(?:decided(?! to (?!die\b|end\b|kill\b|do it\b|go through\b|leave "
        r"this world\b|not be here\b))|made (?:up my mind|the decision|my decision|a plan|my "
        r"peace)(?! (?:to|about|with) (?!die\b|end\b|kill\b|do it\b))|got a plan|have a plan|"
        r"know (?:how|when) (?:i'?ll|to|i'?m going to) do it)\b",
        ("calm", "peace", "relieved", "light"),
        benign=r"\b(?:quit\w*|job|leav\w* (?:him|her|them|my (?:job|husband|wife|partner|"
        r"boyfriend|girlfriend))|break(?:ing)? up|divorce|mov\w*|university|college|uni|"
        r"major|course|therapy|treatment|surgery|baby|wedding|tattoo|vegan|diet|school|"
        r"offer|house|flat|apartment|dog|cat|puppy|trip|travel\w*)\b",
    ),
    _rule(
        "wont_worry_about_me",
        "intent_timeline",
        0.7,
        r"\b(?:you|they|nobody|no one|everyone|people|my (?:family|parents|mum|mom|dad)) "
        r"(?:won'?t|will not|wont|will never|'ll never|won'?t ever) (?:have to|need to) "
        r"(?:worry about|deal with|put up with|look after|take care of|see|hear from) me "
        r"(?:anymore|any more|much longer|for much longer|again|ever again|soon|after "
        r"(?:tonight|today|this))\b|\b(?:the )?last time (?:you'?ll|you will|anyone will|"
        r"anyone'?ll|they'?ll|they will) (?:ever )?(?:hear from|see|talk to) me\b|"
        r"\b(?:you|they|nobody|no one|no-one)(?:'ll| will)? (?:never|won'?t|will not) (?:ever )?"
        r"(?:hear from|see) me (?:again|anymore|any more)\b",
        ("worry", "deal", "put up", "look after", "take care", "see", "hear", "last time"),
        subject="personal",
        benign=_B_GOODBYE + r"|\b(?:new (?:number|phone|job|place|city)|block\w*|unfollow\w*|"
        r"leav\w* (?:the|this) (?:group|chat|server)|deleting (?:this|my) (?:app|account)|"
        r"moving|move out|graduat\w*|promise|i promise|grown up|adult)\b",
    ),
    _rule(
        "fear_own_actions",
        "intent_timeline",
        0.65,
        r"\b(?:scared|afraid|terrified|frightened|worried) (?:of|about) what i(?:'?m| am)? "
        r"(?:might|could|will|would|'ll|'d|am about to|'m about to|about to|am going to|'m going "
        r"to|'m gonna|going to|gonna) do(?: (?:to (?:myself|him|her|them)|next|tonight|now))?"
        r"(?=\s*(?:[.!?,;]|$|to (?:myself|him|her|them)|next|tonight|now|if i'?m alone|"
        r"when i'?m alone|if (?:he|she|they) ))",
        ("what i",),
        benign=r"\b(?:exam|test|job|career|money|graduat\w*|future|life after|retire\w*|"
        r"school|college|uni|degree|summer|weekend|party|wedding|lol|haha|hair|outfit|"
        r"my (?:free )?time)\b",
    ),
    _rule(
        "tried_to",
        "recent_attempt",
        0.85,
        r"\b(?:tried|attempted|try|trying|tryna) (?:again )?(?:to )?(?:kill(?:ing)? myself|"
        r"end(?:ing)? (?:my (?:own )?life|it(?: all)?|things|everything)|take my (?:own )?life|"
        r"hang(?:ing)? myself|overdose|od|commit suicide|suicide|drown(?:ing)? myself|"
        r"jump(?:ing)? (?:off|from|in front)|slit(?:ting)? my wrists|shoot(?:ing)? "
        r"myself|poison(?:ing)? myself|suffocate myself|unalive myself|die)\b",
        ("tried", "attempt", "try"),
        benign=r"\b(?:end it (?:with|between)|end things (?:with|between)|tried to end it "
        r"(?:with|between)|tried to die (?:my|her|his) hair|die (?:hard|trying)|jump (?:off|"
        r"from) (?:the|a) (?:diving|high dive|board|swing|bed|couch|trampoline|boat|dock|"
        r"pier) (?:into|for)|bungee|skydiv\w*)\b",
    ),
    _rule(
        "attempted",
        "recent_attempt",
        0.75,
        r"\bi(?:'ve| have)? attempted(?= (?:when|in|last|yesterday|twice|once|again|before|"
        r"a few|several|\d|at|this|that|on|after|but|and|three|two|four|many)\b|[.,!;]|$)|"
        r"\b(?:my|an|a|the) (?:\w+ )?(?:suicide )?attempt (?:last|yesterday|this|on (?:monday|"
        r"tuesday|wednesday|thursday|friday|saturday|sunday)|a (?:few|couple)|two|three|\d+|"
        r"earlier|recently)\b|\b(?:survived|since|after) (?:my|an|a|the) (?:\w+ )?(?:suicide )?"
        r"attempt\b|\b(?:my|i) (?:first|second|third|\d+(?:st|nd|rd|th)|last|latest|most "
        r"recent|failed) (?:suicide )?attempt\b|\bsuicide attempt\b",
        ("attempt",),
        subject="personal",
        benign=r"\b(?:attempt (?:at|to (?:fix|make|solve|bake|cook|learn|build|get|run|pass|"
        r"write|draw|paint|climb|beat|finish|lose|quit|speak|explain))|first attempt at|"
        r"driving test|exam|bar exam|mcat|record|world record|pb|personal best|lift|deadlift|"
        r"squat|bench|marathon|recipe|bread|cake|sourdough|level|boss|raid|speedrun|"
        r"coup|escape attempt|murder attempt|assassination|hack\w*|login|password)\b",
    ),
    _rule(
        "hospital_after",
        "recent_attempt",
        0.7,
        r"\b(?:woke up|waking up|ended up|got out|discharged|released|home) (?:in|from|of) "
        r"(?:the |a )?(?:hospital|icu|er|a&e|psych ward|psych unit|psychiatric (?:ward|"
        r"hospital|unit)|mental hospital|inpatient)\b(?:[^.!?]{0,60}\b(?:after (?:i|my)|"
        r"because i (?:took|tried|swallowed|cut|jumped|overdosed)|(?:attempt|pills|overdose|"
        r"od|stomach pumped|tried|cut|slit|jumped))\b)|\b(?:got|had) my stomach pumped\b|"
        r"\bpoison control\b|\b(?:put|placed|am|i'?m|was) on (?:a )?(?:suicide watch|72 ?hour "
        r"hold|5150|psych hold)\b|\bgot (?:sectioned|5150'?d|baker acted|baker-acted)\b",
        (
            "hospital",
            "icu",
            " er",
            "a&e",
            "psych",
            "inpatient",
            "stomach pumped",
            "poison control",
            "watch",
            "hold",
            "5150",
            "sectioned",
            "baker",
        ),
        benign=r"\b(?:surgery|operation|appendix|appendectomy|c-section|birth|gave birth|"
        r"baby|car accident|crash|broke my|broken|concussion|tonsils|anesthesia|anaesthesia|"
        r"covid|pneumonia|flu|allergic reaction|my (?:dog|cat|toddler) (?:ate|swallowed)|"
        r"asthma|seizure|fainted|fell|heart attack|stroke|food poisoning|bike|motorbike|"
        r"hit by)\b",
    ),
    _rule(
        "woke_in_hospital",
        "recent_attempt",
        0.45,
        r"\b(?:woke up|waking up|came round|came to|woke|came around) (?:in|at) (?:the |a )?"
        r"(?:hospital|icu|er|a&e|resus|intensive care|psych ward|emergency room|emergency "
        r"department|hospital bed)\b",
        ("hospital", "icu", " er", "a&e", "resus", "intensive", "psych", "emergency"),
        benign=r"\b(?:surgery|operation|appendix|appendectomy|c-section|birth|gave birth|"
        r"baby|car accident|crash|broke my|broken|concussion|tonsils|anesthesia|anaesthesia|"
        r"covid|pneumonia|flu|allergic reaction|fell|fainted|seizure|asthma|heart attack|"
        r"stroke|food poisoning|bike|motorbike|hit by)\b",
    ),
    _rule(
        "wish_not_saved",
        "recent_attempt",
        0.8,
        r"\b(?:wish(?:ed)?|wishing) (?:that )?(?:they|he|she|you|someone|somebody|the "
        r"(?:paramedics|doctors|nurses|ambulance)|my \w+|whoever)(?: had)? (?:hadn'?t|had not|"
        r"didn'?t|did not|never|wouldn'?t have) (?:<ADV>)(?:(?:found|find|saved|save|revived|"
        r"revive|resuscitated|woken|stopped) me|called (?:an|the) ambulance|called 911|called "
        r"999|pumped my stomach)\b|\bwhy (?:did|couldn'?t|didn'?t) (?:they|he|she|you|someone|"
        r"the doctors|the paramedics|my \w+) (?:just )?(?:have to )?(?:save|find|revive) me\b|"
        r"\b(?:should(?:'?ve| have)|could(?:'?ve| have)) (?:just )?let me (?:die|bleed out)\b|"
        r"\b(?:angry|furious|upset|disappointed|gutted|pissed|annoyed) (?:that )?(?:i (?:woke "
        r"up|survived|am still alive|'m still alive|didn'?t die)|they (?:found|saved) me)"
        r"(?= *(?:[.!?,;]|$|again|at all|this morning|in (?:the )?hospital|and))",
        (
            "wish",
            "why",
            "let me",
            "angry",
            "furious",
            "upset",
            "disappoint",
            "gutted",
            "piss",
            "annoyed",
        ),
        benign=r"\b(?:game|movie|film|episode|character|lol|haha|boss|level|raid|"
        r"the (?:recipe|update|plan|diet|app|trick|hack|spell)|nap|alarm|snooze|"
        r"diet|experiment|cake|bread)\b",
    ),
    _rule(
        "near_miss",
        "recent_attempt",
        0.75,
        r"\b(?:i )?(?:would have|would'?ve|'?d have|'?d'?ve) (?:been dead|died|gone through "
        r"with (?:it|taking|the|my)|done it|killed myself|taken (?:the|all|my) (?:<PILLS>)|"
        r"jumped|pulled the trigger)\b|\bi'?d be dead (?:if|by now|right now|already)\b|"
        r"\b(?:stop(?:ping)? me from|keeping me from|stopping me from|kept me from) "
        r"(?:just )?(?:going ahead and )?(?:ending it|doing it|following through|getting it "
        r"over with|going through with it|ending my life|killing myself)\b|"
        r"\b(?:for|after|through|survived|from) (?:many |several |multiple |a lot of |"
        r"my |\d+ |two |three |numerous )?(?:suicide )?attempts\b",
        ("would", "'d", "stop", "keeping", "kept", "attempts"),
        subject="personal",
        benign=r"\b(?:seatbelt|seat belt|helmet|airbag|car accident|crash|storm|"
        r"surgery|allergic|ambulance came|doctor said|exam|test|record|world record|"
        r"login|password|driving)\b",
    ),
    _rule(
        "survived_alive",
        "recent_attempt",
        0.75,
        r"\b(?:it|the (?:rope|belt|pills|overdose|od|knot|branch)) (?:didn'?t work|failed|"
        r"broke|snapped)\b[^.!?]{0,40}\b(?:still (?:alive|here)|woke up|survived)\b|"
        r"\b(?:i )?woke up (?:again|anyway|afterwards|the next (?:day|morning)) "
        r"(?:<ADV>)(?:after (?:taking|swallowing|all (?:the|those) (?:pills|tablets))|"
        r"(?:and|but) (?:i'?m|im) still (?:alive|here))\b",
        ("didn", "failed", "broke", "snapped", "woke up"),
    ),
    # ---------------------------------------------------------------- self-harm
    _rule(
        "cut_myself",
        "self_harm",
        0.85,
        r"\b(?:cut|cuts|cutting|carv(?:e|ed|ing)|slash(?:ed|ing)?|slic(?:e|ed|ing)|"
        r"slit(?:ting)?|scratch(?:ed|ing)?|burn(?:ed|t|ing)?|bruis(?:e|ed|ing)|"
        r"pinch(?:ed|ing)?|bit(?:e|ing)?|punch(?:ed|ing)?|hit(?:ting)?|starv(?:e|ed|ing)|"
        r"mutilat(?:e|ed|ing)|harm(?:ed|ing)?|hurt(?:ing|s)?|injur(?:e|ed|ing)|wound(?:ed|"
        r"ing)?|stab(?:bed|bing)?|punish(?:ed|ing)?) (?:<ADV>)(?:myself|my (?:own )?"
        r"(?:wrists?|arms?|forearms?|thighs?|legs?|skin|stomach|hips?|body|ankles?|"
        r"shoulders?|chest|hands?|face|fingers|scalp))\b(?! (?:on|with) (?:the|a|my|hot|"
        r"this) (?:stove|oven|iron|pan|tray|kettle|curling|straightener|paper|knife while|"
        r"glass|door|cabinet))",
        (
            "myself",
            "wrist",
            "arm",
            "thigh",
            "leg",
            "skin",
            "stomach",
            "hip",
            "body",
            "ankle",
            "shoulder",
            "chest",
            "hand",
            "face",
            "finger",
            "scalp",
        ),
        benign=_B_ACCIDENT + r"|\b(?:hair|nails|bangs|fringe|cut myself (?:some|a) "
        r"(?:slack|break|piece|slice)|cut myself off (?:from)?|hurt myself (?:laughing|"
        r"moving|lifting|carrying|playing)|burn(?:ed|t)? my (?:tongue|mouth|fingers?|hand) "
        r"(?:on|with|while|eating|drinking)|(?:pizza|coffee|tea|soup|hot (?:chocolate|"
        r"water|oil))|sunburn|tan|slice myself (?:a|some)|hit myself (?:on|with the door)|"
        r"(?:punch|pinch)(?:ed|ing)? myself (?:to (?:make sure|check|see)|awake)|"
        r"bit(?:e|ing)? my (?:tongue|lip|nails) (?:while|when|eating)|"
        r"(?:i )?(?:hit|bit|punched|burned|scratched) my (?:head|hand|arm|leg|face|knee|elbow|"
        r"toe|finger|shin) (?:on|against|in|with|at)|starv(?:e|ing) my(?:self)? (?:till|"
        r"until) (?:dinner|lunch)|(?:hit|punch)(?:ed|ing)? my (?:arm|hand|leg|face|chest) "
        r"(?:playing|at|in|with))\b",
    ),
    _rule(
        "urge_selfharm",
        "self_harm",
        0.85,
        r"\b(?:urges?|urged|tempted|want(?:ed)?|need(?:ed)?|wanna|going|gonna|craving|"
        r"itching|thinking about|thoughts of|dreaming of|resist(?:ing)?|fighting (?:the )?"
        r"(?:urge )?|struggling (?:with )?(?:the )?(?:urge )?) (?:to |of )?(?:<ADV>)"
        r"(?:cut(?:ting)?|self[- ]?harm(?:ing)?|sh|hurt(?:ing)? myself|harm(?:ing)? myself|"
        r"burn(?:ing)? myself|bleed|see blood|feel the blade|relapse)\b(?! (?:my hair|"
        r"the|a|some|carbs|sugar|back|down|it out|class|ties|corners|costs|the cord))",
        (
            "urge",
            "tempt",
            "want",
            "need",
            "wanna",
            "going",
            "gonna",
            "crav",
            "itch",
            "thinking",
            "thoughts",
            "dream",
            "resist",
            "fighting",
            "struggling",
        ),
        subject="personal",
        benign=r"\b(?:cut (?:my hair|carbs|sugar|back|down|costs|ties|class|the cord|"
        r"bangs|a fringe|in line|the grass|the lawn|the cake|wood|paper|fabric)|relapse "
        r"(?:on|into) (?:junk food|smoking|vaping|sugar|chocolate|coffee|caffeine|"
        r"social media|gaming|netflix)|cutting (?:board|edge|carbs|class|corners|costs|"
        r"hair|ties))\b",
    ),
    _rule(
        "selfharm_topic",
        "self_harm",
        0.8,
        r"\b(?:self[- ]?harm(?:ed|ing|s)?|self[- ]?injur(?:y|ies|ed|ing|ious)|nssi|"
        r"self[- ]?mutilat(?:e|ion|ing)|\bsh\b(?= (?:again|scars?|wounds?|urges?|relapse|"
        r"cuts?|tools?|kit|blades?)))\b",
        ("self", "nssi", "sh "),
        subject="topic",
    ),
    _rule(
        "relapse_cuts",
        "self_harm",
        0.85,
        r"\brelaps(?:e|ed|ing) (?:on|with|into|and)? ?(?:self[- ]?harm|sh\b|cutting|"
        r"burning|cut(?: myself| again)?)\b|\b(?:cut|cutting|burned|burning) again\b|"
        r"\b(?:fresh|new|deep|open|bleeding) (?:cuts|wounds|scars|gashes|burns)(?: on my)?\b|"
        r"\b(?:hide|hiding|cover|covering|hid|covered) (?:up )?(?:my|the) (?:cuts|scars|"
        r"wounds|marks|burns|self[- ]?harm)\b|\b(?:blade|razor) out of (?:my|a|the) "
        r"(?:pencil )?(?:sharpener|razor|shaver)\b|\b(?:took|taking|take|got) (?:out )?"
        r"(?:my|the) (?:blade|blades|razor|razors)(?: out)? (?:again|tonight|from)\b|"
        r"\bsh (?:relapse|urges|again)\b|\b(?:carv|cut|scratch|burn|etch|slic)\w* [^.!?]{0,30}"
        r"(?:into|in|on) my (?:own )?(?:arms?|skin|thighs?|wrists?|legs?|stomach|hips?|"
        r"forearms?)\b|\b(?:needed|need|got|had) (?:\d+ |a few |some )?"
        r"stitches (?:after|because|from) (?:i|cutting|my cuts)\b",
        (
            "relaps",
            "again",
            "cuts",
            "wounds",
            "scars",
            "gash",
            "burns",
            "marks",
            "blade",
            "razor",
            "sh ",
            "stitches",
            "my arm",
            "my skin",
            "my thigh",
            "my wrist",
            "my leg",
            "my stomach",
            "my hip",
            "my forearm",
            "my own",
        ),
        benign=r"\b(?:surgery|surgical|c-section|acne|chicken ?pox|accident|cat|dog|rose|"
        r"bush|paper|cooking|kitchen|stove|oven|sun|tattoo|piercing|hair|haircut|budget|"
        r"costs|pay|salary|wages|class|lines|line|funding|the (?:movie|film|album|song)|"
        r"director|editor|final cut|sharpener to (?:sharpen|fix)|keyboard|piano|code|"
        r"on (?:the|my) (?:knees?|elbows?|hands?) from|fell|climbing|garden\w*)\b",
    ),
    _rule(
        "cut_deep",
        "self_harm",
        0.7,
        r"\b(?:cut|cuts|cutting|slice|sliced) (?:too |really |so |a bit |deeper|deep)"
        r"(?:deep|deeper)?\b|\b(?:bleed|bled|bleeding) out\b",
        ("deep", "bleed", "bled"),
        subject="personal",
        benign=r"\b(?:wood|board|fabric|hair|cake|tile|glass|paper|dough|onion|meat|"
        r"steak|bread|pie|budget|costs|the edit|film|scene|chapter|line|lawn|grass|"
        r"surgeon|surgery|patient|dog|cat|nail|quick)\b",
    ),
    _rule(
        "conceal_marks",
        "self_harm",
        0.8,
        r"\b(?:hide|hiding|hid|cover|covering|covered|conceal(?:ing|ed)?|explain(?:ing)?)"
        r"(?: up)? (?:my |the |these |those |any )?(?:self[- ]?harm(?:ing)?|sh|cutting) "
        r"(?:cuts|scars|marks|wounds|burns)\b|\b(?:long sleeves|hoodies?|jumpers?|sweaters?|"
        r"bracelets|wristbands|bandages|plasters|band-?aids|concealer)\b[^.!?]{0,50}"
        r"\b(?:hide|cover|so (?:that )?(?:no ?one|nobody|people|they|my \w+) (?:(?:can|will|"
        r"would|could|can'?t|won'?t|doesn'?t|don'?t) (?:see|notice)|sees|notices|"
        r"spots))\b[^.!?]{0,25}\b(?:my )?(?:arms?|wrists?|thighs?|cuts|scars|"
        r"marks)\b",
        (
            "harm",
            "sh ",
            "cutting",
            "sleeves",
            "hood",
            "jumper",
            "sweater",
            "bracelet",
            "wristband",
            "bandage",
            "plaster",
            "band",
            "concealer",
        ),
        benign=r"\b(?:tattoo\w*|eczema|psoriasis|sunburn|rash|birthmark|acne|vitiligo|"
        r"bug bites|mosquito|hickeys?|weight|fat|skinny|hairy|hair|surgery|surgical|cold|"
        r"chilly|freezing|aircon|air con)\b",
    ),
    _rule(
        "selfharm_ongoing",
        "self_harm",
        0.75,
        r"\b(?:self[- ]?harm\w*|cutting|cut(?:s|ting)? myself|burning myself|sh)\b[^\n]{0,120}?"
        r"\bi(?:'?ve| have|'?m| am)? (?:been |started |still |keep |just )(?:doing it|doing "
        r"that|at it)\b",
        ("doing it", "doing that", "at it"),
        benign=r"\b(?:project|essay|research|class|presentation|awareness|volunteer\w*|"
        r"paper|report|cutting (?:board|edge|hair|carbs|class|corners|costs))\b",
    ),
    _rule(
        "head_bang",
        "self_harm",
        0.65,
        r"\b(?:bang(?:ed|ing)?|slam(?:med|ming)?|smash(?:ed|ing)?|hit(?:ting)?) my head "
        r"(?:against|on|into) (?:the )?(?:wall|floor|desk|door|mirror|concrete)\b"
        r"(?:[^.!?]{0,40}\b(?:until|till|so hard|bleed|bled|bruise|blood|concussion|"
        r"punish)\b)",
        ("head",),
        benign=r"\b(?:code|bug|homework|math|spreadsheet|excel|taxes|figuratively|"
        r"metaphorically|this problem|trying to understand|proof|figure)\b",
    ),
    # ---------------------------------------------------------------- overdose
    _rule(
        "overdose_topic",
        "overdose",
        0.85,
        r"\b(?:overdos(?:e|ed|es|ing)|over ?dose|od(?:'?d|ed|ing)?|o\.d\.?|od'?ing)\b",
        ("overdos", "over dose", "od", "o.d"),
        subject="topic",
        benign=r"\b(?:(?:overdos\w*|od(?:'?d|ed|ing)?) on (?:caffeine|coffee|sugar|candy|"
        r"chocolate|netflix|anime|kdrama|k-dramas|tv|memes|cuteness|vitamin c|gummies|"
        r"fluff|drama|carbs|cake|cookies|pizza|love|sunshine|fun|work|studying|content|"
        r"tiktok|youtube|nostalgia|health potions|potions|sleep)|od (?:=|means|stands "
        r"for|is short for)|overly dramatic|\bod (?:green|brown|olive)|outer diameter|"
        r"o\.d\. (?:of|green)|od pipe|od tube|doctor of optometry|optometr\w*|right eye|"
        r"left eye|once daily|\bo\.?d\.? (?:dosing|dose)|ordnance|gaming|"
        r"(?:naloxone|narcan) training|prevent(?:ion|ing)? overdoses?|overdose "
        r"(?:prevention|awareness|crisis|deaths|rates|epidemic|statistics))\b",
    ),
    _rule(
        "took_many_pills",
        "overdose",
        0.85,
        r"\b(?:took|taken|take|taking|swallowed|swallow|swallowing|downed|down|popped|"
        r"pop|ate|eat|chugged|necked|had|just took|took like|took about|took around|"
        r"took over) (?:like |about |around |over |almost |nearly |more than |at least )?"
        r"(?:a |the |all |all of |every |half )?(?:the |my |of my |of the |her |his |mum'?s |"
        r"mom'?s |dad'?s )?(?:whole |entire |full |remaining |rest of the |rest of my )?"
        r"(?:bottle|box|packet|pack|strip|sheet|handful|handfuls|bunch|lot|load|heap|"
        r"fistful|\d{2,}|1\d|[2-9]\d|twenty|thirty|forty|fifty|sixty|a hundred|dozen|"
        r"dozens|all|too many|way too many|way more|a lot|loads|a ton|triple|several "
        r"bottles)(?: of)?(?: my| the| these| her| his| them)? ?(?:<PILLS>)?(?: \w+)?"
        r"(?:\b(?:<PILLS>)\b|(?= (?:and|to|at|last|tonight|an hour|just now|because|i)\b))|"
        r"\b(?:took|swallowed|downed|popped|ate|necked|chugged) (?:all|every one|the rest) "
        r"(?:of )?(?:my |the |her |his |these |those |our )?(?:\w+'s )?(?:<PILLS>)\b",
        (
            "took",
            "taken",
            "take",
            "taking",
            "swallow",
            "down",
            "pop",
            "ate",
            "eat",
            "chug",
            "neck",
            "had",
        ),
        benign=_B_MEDICAL + r"|\b(?:vitamins?|gummies|candy|candies|m&ms|skittles|tic tacs|"
        r"photos|pictures|notes|shots of|breaths?|steps|laps|classes|courses|turns|"
        r"selfies|days off|a lot of (?:time|work|effort|courage|photos|notes)|"
        r"all my (?:meds|pills|medication) (?:today|this morning|tonight|on time|like|as)|"
        r"took all (?:my|the) (?:meds|pills|medication) (?:with|at|before|after)|"
        r"(?:remember(?:ed)? to|forgot to|supposed to|like i'?m supposed to)|drinks|beers|"
        r"pints|cocktails|glasses of|by (?:accident|mistake)|accidentally)\b",
    ),
    _rule(
        "drink_poison",
        "overdose",
        0.9,
        r"\b(?:drank|drink|drinking|swallowed|swallow|swallowing|chugged|chug|down(?:ed)?|"
        r"ingest(?:ed|ing)?|took) (?:some |a |the |this |that |half (?:a|the) |a whole )?"
        r"(?:bottle of |cup of |glass of |jug of |can of )?(?:bleach|antifreeze|anti-freeze|"
        r"pesticide|rat poison|poison|drain cleaner|weed ?killer|paraquat|lye|ammonia|"
        r"windshield washer fluid|lighter fluid|gasoline|petrol|detergent|cleaning "
        r"(?:fluid|product)|hand sanitizer bottle|methanol|cyanide|arsenic)\b",
        (
            "bleach",
            "antifreeze",
            "anti-freeze",
            "pesticide",
            "poison",
            "drain",
            "killer",
            "paraquat",
            "lye",
            "ammonia",
            "fluid",
            "gasoline",
            "petrol",
            "detergent",
            "cleaning",
            "sanitizer",
            "methanol",
            "cyanide",
            "arsenic",
        ),
        subject="personal",
        benign=r"\b(?:my (?:dog|cat|toddler|kid|son|daughter|baby|puppy)|accident\w*|"
        r"by mistake|poison control said|(?:ivy|oak) |the (?:plants|weeds|lawn)|"
        r"on the (?:weeds|lawn|garden)|rat poison for (?:the|our) (?:rats|mice)|"
        r"poison (?:ivy|oak|dart|apple|type|damage|pokemon)|critical|spell|potion)\b",
    ),
    _rule(
        "mixing_meds_alcohol",
        "overdose",
        0.7,
        r"\b(?:mix(?:ed|ing)?|combin(?:e|ed|ing)|took|taking|washed down|wash down|"
        r"chased) (?:all )?(?:my |the |some |a bunch of |a handful of |a few )?(?:<PILLS>)"
        r"(?: \w+)? (?:with|and|down with) (?:a (?:whole )?bottle of |half a bottle of |"
        r"a lot of |lots of |loads of |)?(?:alcohol|vodka|wine|booze|whiskey|whisky|"
        r"beer|rum|tequila|gin|drinks|liquor|shots)\b",
        ("mix", "combin", "took", "taking", "wash", "chased"),
        benign=_B_MEDICAL + r"|\b(?:accidentally|is it (?:safe|ok|okay)|can i|should i|"
        r"is it dangerous|never|don'?t|do not|warning|label|glass of wine with dinner|"
        r"one (?:beer|glass))\b",
    ),
    # ---------------------------------------------------------------- harm to others
    _rule(
        "harm_others_intent",
        "harm_to_others",
        0.8,
        r"\b(?:<WANT>|<IM> (?:going|gonna|about|planning|ready|thinking of|thinking about)|"
        r"i (?:will|'ll|really want|keep thinking about|fantasi[sz]e about|dream about|"
        r"can'?t stop thinking about)|i could|urges? to|thoughts (?:of|about)|"
        r"(?:thinking|thought|fantasi[sz]ing|dreaming) (?:<ADV>)(?:(?:seriously|a lot|more|"
        r"constantly|properly|more and more) )?(?:about|of)|considering|planning on) "
        r"(?:to )?(?:(?:go|come|drive|walk|head|get) (?:round|over|around|back|down|up|out)?"
        r"(?: there| to (?:his|her|their|that) \w+)? and )?(?:<ADV>)(?:<HARMV>(?:ing)?|"
        r"kill(?:ing)?|murder(?:ing)?|shoot(?:ing)?|"
        r"stab(?:bing)?|strangl(?:e|ing)|chok(?:e|ing)|hurt(?:ing)?|poison(?:ing)?|"
        r"drown(?:ing)?|smother(?:ing)?|beat(?:ing)?) (?:(?:him|her|them|everyone|"
        r"everybody|someone|somebody|people|others|a stranger|strangers|the baby|my baby|"
        r"our baby|my (?:kids?|child|children|son|daughter|newborn)|my (?:whole )?"
        r"(?:family|class|school|office|coworkers|classmates)|all of them|<REL>|my <REL>|"
        r"that (?:man|guy|woman|bitch|bastard|teacher|boss))\b)",
        (
            "kill",
            "murder",
            "shoot",
            "stab",
            "strangl",
            "chok",
            "hurt",
            "poison",
            "drown",
            "smother",
            "beat",
        ),
        benign=r"\b(?:lol|lmao|haha|jk|kidding|(?:for|if (?:he|she|they)) "
        r"(?:eat(?:s|ing)?|ate|tak(?:es|ing)|took|borrow\w*|us(?:es|ed|ing)|stole|"
        r"spoil\w*|finish\w*|drank|forgot|broke|delet\w*|lost|touch\w*|wore|play\w*|"
        r"read|chang\w*|tell\w*|told|post\w*|show\w*|sing\w*|cancel\w*|make\w* me "
        r"(?:watch|listen|wait))|when (?:he|she|they) (?:get|gets|come|comes) home "
        r"(?:late|and)|in (?:the game|fortnite|minecraft|chess|mario kart|smash|"
        r"monopoly|uno)|beat (?:him|her|them|everyone|my \w+) (?:at|in|to)|"
        r"hurt (?:his|her|their) feelings|kill (?:him|her|them) with kindness|"
        r"beat (?:the|that) (?:record|score|time))\b",
    ),
    _rule(
        "mass_violence",
        "harm_to_others",
        0.9,
        r"\bshoot (?:up )?(?:the|my|a|this|our) (?:school|office|work|workplace|mall|"
        r"church|mosque|synagogue|temple|club|party|class|campus|store)\b|\b(?:bring|"
        r"bringing|take|taking) (?:a |my |the |his |her )?(?:\w+'s )?(?:gun|rifle|knife|bomb|"
        r"pistol|shotgun|ar-?15) to (?:school|"
        r"work|class|the office|campus|church|the party)\b|\b(?:make|making) (?:a|my own) "
        r"bomb\b|\b(?:they|everyone|everybody|he|she|they'?ll|they will|all of them|people)"
        r"(?: at (?:work|school)| here| there)? (?:will|'ll|are going to|is going to)? "
        r"?(?:all )?(?:pay|be sorry|regret) (?:for|when|what|it)[^.!?]{0,40}\b(?:gun|"
        r"rifle|bullets|bomb|knife|kill|shoot|blood)\b",
        ("shoot", "gun", "rifle", "knife", "bomb", "pay", "sorry", "regret"),
        subject="personal",
        benign=r"\b(?:photos?|pictures?|film|movie|video|scene|music video|episode|"
        r"basketball|hoops|camera|for (?:the )?(?:yearbook|newspaper)|game|fortnite|"
        r"cake|bath bomb|photo bomb|bomb (?:ass|dot com)|the bomb|da bomb|f-bomb|"
        r"bomb (?:the|an|my) (?:exam|test|interview))\b",
    ),
    _rule(
        "harm_others_thoughts",
        "harm_to_others",
        0.8,
        r"\b(?:intrusive )?(?:thoughts|urges|fantasies|images|ideas) (?:of|about) "
        r"(?:kill(?:ing)?|hurt(?:ing)?|stab(?:bing)?|shoot(?:ing)?|strangl(?:e|ing)|"
        r"drown(?:ing)?|smother(?:ing)?|harm(?:ing)?|murder(?:ing)?) (?:someone|somebody|"
        r"people|others|my (?:\w+ )?(?:baby|kids?|child|children|son|daughter|wife|husband|"
        r"partner|mom|mum|dad|family|roommate|boss|coworker|sister|brother)|him|her|them|"
        r"strangers|the baby|a stranger)\b",
        ("thoughts", "urges", "fantas", "images", "ideas"),
        benign=r"\b(?:ocd|intrusive thoughts? (?:i|that) (?:know|would never)|"
        r"horrified|disgusted by|i would never|never act)\b",
    ),
    _rule(
        "revenge_pay",
        "harm_to_others",
        0.55,
        r"\b(?:make|making|made) (?:him|her|them|that \w+|(?:my )?<REL>) (?:<ADV>)pay (?:for "
        r"(?:what|everything|this|that|it|hurting|doing)|with (?:his|her|their) (?:life|"
        r"blood))\b|\b(?:get|getting|take|taking) (?:my )?revenge on (?:him|her|them|"
        r"(?:my )?<REL>)\b",
        ("pay", "revenge"),
        benign=r"\b(?:police|report\w*|court|sue|suing|lawyer|solicitor|legal\w*|karma|hr|"
        r"the law|justice system|tribunal|ombudsman|complaint|prank\w*|spoilers?|lol|lmao|"
        r"haha|game|chess|dinner|rent|bill|tab|drinks|the (?:damage|repair)|child support|"
        r"in full|back)\b",
    ),
    _rule(
        "confront_violent",
        "harm_to_others",
        0.55,
        r"\b(?:next time|the next time|when|once|the moment|as soon as|if) i (?:see|find|"
        r"catch|get my hands on|run into|get to) (?:him|her|them|that \w+|(?:my )?<REL>)\b"
        r"[^.!?]{0,40}\b(?:i'?m not holding back|i won'?t hold back|i'?m not going to hold "
        r"back|(?:i'?m going to|i'?ll|i will|i'?m gonna) (?:<HARMV>|end|finish|destroy|make "
        r"(?:him|her|them) pay|snap|lose it|do something))\b",
        ("hold", "going to", "'ll", "will", "gonna"),
        benign=r"\b(?:tell|telling|say|saying|speak|mind|feelings?|truth|argue|argument|"
        r"debate|opinion|hug|kiss|lol|lmao|haha|game|chess|tennis|court|pitch|match|"
        r"fifa|ask|thank|apologi[sz]e|hug)\b",
    ),
    _rule(
        "stalk_target",
        "harm_to_others",
        0.45,
        r"\b(?:i know (?:exactly )?where (?:he|she|they|my <REL>|<REL>) (?:lives|parks|works|"
        r"sleeps|drinks|hangs out|goes|walks|jogs|will be|is staying)|(?:i'?ve been|been|i was|"
        r"i keep|i sat|i'?ve started|i'?m) (?:waiting|watching|sitting|parked|parking|following|"
        r"hanging around) (?:outside|near|by|across from|behind) (?:his|her|their|that \w+'?s) "
        r"(?:house|work|place|flat|apartment|school|office|job|gym|car)|(?:learned|"
        r"memori[sz]ed|know|figured out|tracking|tracked) (?:his|her|their) (?:schedule|routine|"
        r"movements|route|shifts))\b",
        (
            "where",
            "waiting",
            "watching",
            "sitting",
            "parked",
            "parking",
            "following",
            "hanging",
            "schedule",
            "routine",
            "movements",
            "route",
            "shifts",
        ),
        benign=r"\b(?:pick (?:him|her|them) up|surprise|party|birthday|date|lift|ride|"
        r"deliver\w*|visit\w*|present|gift|flowers|uber|taxi)\b",
    ),
    _rule(
        "no_consequences",
        "harm_to_others",
        0.4,
        r"\bi don'?t care (?:about )?(?:the|what the) consequences\b|\b(?:even if|i don'?t "
        r"care if) i (?:go|end up|get sent|get locked up|get arrested)(?: to| in)? "
        r"(?:jail|prison)\b",
        ("consequences", "jail", "prison"),
    ),
    _rule(
        "distrust_around",
        "harm_to_others",
        0.7,
        r"\b(?:don'?t|can'?t|do not|cannot) trust myself (?:around|near|with|alone with) "
        r"(?:him|her|them|the baby|my baby|my (?:kids?|son|daughter|child|children)|"
        r"(?:my )?<REL>)\b",
        ("trust myself",),
        benign=r"\b(?:cake|cookies|chocolate|snacks|sweets|candy|food|pizza|wine|alcohol|"
        r"credit card|money|shopping|online|phone|fridge|ice cream|crush|attracted|kiss|"
        r"flirt\w*|lol|haha)\b",
    ),
    _rule(
        "armed_wait",
        "harm_to_others",
        0.8,
        r"\b(?:waiting for (?:him|her|them) (?:with|holding) (?:a|the|my) (?:gun|knife|"
        r"bat|hammer)|(?:got|have|bought|grabbed) (?:a|the|my) (?:gun|knife|bat|hammer) "
        r"(?:for|to use on|and i'?m going after|to deal with) (?:him|her|them|my \w+))\b",
        ("waiting", "gun", "knife", "bat", "hammer"),
    ),
    # ---------------------------------------------------------------- abuse / danger
    _rule(
        "threatened_to_kill",
        "abuse_danger",
        0.9,
        r"\b(?:he|she|they|<REL>|my <REL>|someone|a guy|a man|this guy) (?:has |had )?"
        r"(?:threaten(?:s|ed|ing)|swore|swears|says|said|told me|promised|keeps saying|"
        r"texted|wrote|screamed|yelled|warned) (?:that |me that |me )?(?:to |he'?d |she'?d |"
        r"they'?d |he'?ll |she'?ll |he will |she will |he would |she would |he was going to "
        r"|she was going to |he'?s going to |she'?s going to |they'?ll |they would |"
        r"it would |to come and )?(?:kill|hurt|shoot|stab|strangle|choke|beat|burn|rape|"
        r"murder|take|end|break|finish) (?:me|us|(?:my )?(?:kids?|children|baby|dog|cat|family|"
        r"mum|mom|mother|sister|brother|little (?:brother|sister))(?: and me)?|the kids|"
        r"himself and me|me and (?:the|my) kids|me and (?:my )?(?:mum|mom|sister|brother))\b",
        (
            "threat",
            "swore",
            "swear",
            "says",
            "said",
            "told",
            "promised",
            "saying",
            "text",
            "wrote",
            "scream",
            "yell",
            "warn",
        ),
        benign=r"\b(?:lol|lmao|haha|jk|kidding|if i (?:spoil|eat|ate|tell|told|"
        r"forget|miss|am late|don'?t|didn'?t|break|scratch|dent|lose|crash|finish|"
        r"touch|wear|borrow|take)|if (?:i|we) (?:get|got|come|came) home late|"
        r"in (?:the game|fortnite|minecraft|chess|cod)|at (?:chess|tennis|pool|darts|"
        r"fifa|madden)|workout|leg day|take me (?:out|to|home|shopping|for))\b",
    ),
    _rule(
        "afraid_for_life",
        "abuse_danger",
        0.85,
        r"\b(?:<IM>|i am|i feel|i was|i'?ve been) (?:<ADV>)(?:so |really |genuinely |"
        r"honestly |actually )?(?:scared|afraid|terrified|frightened|worried) (?:that )?"
        r"(?:he|she|they|<REL>|my <REL>|someone|he'?ll|she'?ll|they'?ll)(?:'ll| will| is going "
        r"to| might| would| is gonna| could| wants to)? ?(?:kill|hurt|hit|beat|shoot|stab|"
        r"rape|strangle|choke|find|come (?:back )?for) (?:me|us|my (?:kids?|children|baby))\b|"
        r"\b(?:scared|afraid|terrified|fear(?:ing|ful)?) for my (?:life|safety|kids'? "
        r"(?:lives|safety))\b|\b(?:<IM>|i am|i'?m not|i don'?t feel|i do not feel|"
        r"(?<!he's )(?<!she's )(?<! is )"
        r"(?<! are )(?<!'re )(?<!they )not) "
        r"(?:<ADV>)(?:safe (?:at home|in my (?:own )?(?:home|house|room)|with (?:him|her|"
        r"them|my <REL>|<REL>)|around (?:him|her|them|my <REL>))|in danger)\b",
        ("scared", "afraid", "terrified", "frightened", "worried", "fear", "safe", "danger"),
        benign=r"\b(?:rollercoaster|roller coaster|haunted|horror|movie|film|plane|"
        r"flight|turbulence|spider|driving test|exam|lol|lmao|haha|presentation|"
        r"dentist|needle|shot|if (?:she|he) (?:finds out|sees)|will kill me if|"
        r"when (?:she|he) (?:finds out|sees)|kill me when|ride|heights|the dark|"
        r"zombie|game|tornado drill|fire drill|financial|job security|internet)\b",
    ),
    _rule(
        "abuser_hits_me",
        "abuse_danger",
        0.75,
        r"\b(?:he|she|they|<REL>|my <REL>|someone|this guy|a guy|a man) (?:still |always |"
        r"keeps |often |sometimes |just |again |has |had |has been |kept |literally |"
        r"repeatedly |constantly |usually )?(?:hits|hit|hitting|beats|beat|beating|"
        r"punches|punched|punching|kicks|kicked|kicking|chokes|choked|choking|strangles|"
        r"strangled|strangling|slaps|slapped|slapping|shoves|shoved|pushes|pushed|burns|"
        r"burned|burnt|whips|whipped|rapes|raped|raping|molests|molested|molesting|"
        r"touches|touched|grabbed|grabs|locks|locked|drags|dragged|threw|throws|"
        r"bit|bites|strikes|struck|attacked|attacks|assaulted|assaults|abuses|abused|"
        r"abusing|forced|forces|forcing) (?:me|us|my (?:mum|mom|kids?|brother|sister|"
        r"little (?:brother|sister)))\b(?! (?:up|back|out|off|with (?:a|the|that|some|"
        r"this) (?:song|link|recommendation|question|joke|news|truth|fact)|different|"
        r"hard|like a|as|in (?:the|a) (?:game|match)|at (?:chess|tennis|pool|fifa|"
        r"madden|mario kart|the game)|to (?:it|the punch|the|a)|by a|(?:the|a) (?:chance|"
        r"opportunity)|with (?:his|her) (?:words|comment|argument|logic)|on (?:the )?"
        r"(?:shoulder|back) (?:to|and said|for)))",
        (
            "hit",
            "beat",
            "punch",
            "kick",
            "chok",
            "strangl",
            "slap",
            "shove",
            "push",
            "burn",
            "whip",
            "rape",
            "molest",
            "touch",
            "grab",
            "lock",
            "drag",
            "threw",
            "throw",
            "bit",
            "strike",
            "struck",
            "attack",
            "assault",
            "abus",
            "forc",
        ),
        benign=r"\b(?:lol|lmao|haha|jk|pillow|snowball|water balloon|nerf|"
        r"accident(?:ally)?|by accident|playing|play fight|tickl\w*|game|match|"
        r"football|soccer|basketball|hockey|rugby|dodgeball|boxing|sparring|class|"
        r"practice|training|karate|judo|martial|fortnite|minecraft|cod|chess|"
        r"(?:touched|moved) me (?:deeply|so much|to tears|emotionally)|touched my heart|"
        r"speech|song|story|words|letter|film|movie|book|sleep|lights|"
        r"sprinkler|wave|ball|frisbee|traffic|the car|a car|baby|toddler|the kids? "
        r"(?:hit|kicked|bit)|(?:dog|puppy|cat|kitten|horse|goat|bird|bee|wasp) "
        r"(?:bit|bites|scratched|kicked|bites)|(?:my|the) (?:son|daughter|kid|toddler|"
        r"baby) (?:bit|bites|hit|hits|kicked|kicks)|forced me to (?:eat|watch|listen|"
        r"go|try|read|study|practice|clean|do|wake|sit)|locked me out (?:of|by))\b",
    ),
    _rule(
        "being_abused",
        "abuse_danger",
        0.8,
        r"\b(?:<IM>|i am|i'?ve been|i have been|i was|i keep getting|i get) (?:<ADV>)"
        r"(?:being )?(?:abused|raped|molested|beaten|trafficked|groomed|assaulted|"
        r"sexually assaulted|hit|strangled|choked|stalked|held (?:captive|hostage)|"
        r"locked (?:in|up)|kept (?:locked|prisoner)|threatened)\b(?! (?:by (?:the|a|this) "
        r"(?:news|song|wave|ball|car|truck|bus|storm|virus|flu|cold|heat|traffic|bug|"
        r"realization|thought|idea|deadline|work|bills|taxes)|with (?:a|the) (?:ball|"
        r"pillow|question|deadline|bill|fine)|up on|on (?:the|my) (?:head|way)|"
        r"in (?:the|a) (?:game|match)|at (?:chess|pool|tennis|the game)))",
        (
            "abused",
            "raped",
            "molested",
            "beaten",
            "trafficked",
            "groomed",
            "assaulted",
            "hit",
            "strangled",
            "choked",
            "stalked",
            "captive",
            "hostage",
            "locked",
            "kept",
            "threatened",
        ),
        benign=r"\b(?:lol|lmao|haha|game|match|chess|league|ranked|fortnite|"
        r"beaten (?:by|at) (?:my|the|a) (?:\w+ )?(?:at|in) |got beaten (?:at|in)|"
        r"hit (?:by|with) (?:the|a) (?:realization|wave|truth|song|storm|virus|flu|"
        r"heat|traffic|bug|deadline|bill|fine|car|truck|bus|ball)|hit (?:up|on)|"
        r"threatened (?:with (?:a )?(?:fine|suspension|lawsuit|detention|eviction|"
        r"being fired))|locked (?:in|up) (?:for|the|my|a) (?:bike|car|phone|account)|"
        r"locked in (?:on|for)|locked in\b(?!\s+(?:my|the|a) (?:room|house|closet|basement)))\b",
    ),
    _rule(
        "trapped_controlled",
        "abuse_danger",
        0.7,
        r"\b(?:he|she|they|<REL>|my <REL>) (?:won'?t|will not|doesn'?t|does not|never) "
        r"let(?:s)? me (?:leave(?: the house| the room| him| her)?|eat|sleep|see (?:my|anyone)|"
        r"call (?:anyone|my|the police|for help)|have (?:my|a) phone|go outside|escape|"
        r"out of (?:his|her|their|the) sight)\b|\b(?:took|takes|has taken|smashed|"
        r"broke|hid) my (?:phone|passport|keys|car keys|documents) (?:so (?:i|that i) "
        r"(?:can'?t|couldn'?t)|and (?:locked|won'?t|threatened))\b|\b(?:hiding|hid) (?:in|"
        r"from) (?:the (?:bathroom|closet|basement|wardrobe|attic)|him|her|them|my <REL>)"
        r"[^.!?]{0,40}\b(?:he|she|they|<REL>)\b",
        ("let me", "phone", "passport", "keys", "documents", "hiding", "hid"),
        benign=r"\b(?:party|concert|sleepover|prom|past (?:\d+|curfew)|until i finish|"
        r"homework|curfew|grounded|video games|xbox|playstation|switch|dessert|"
        r"candy|hide and seek|hide-and-seek|surprise|birthday|game|movie)\b",
    ),
    _rule(
        "violent_rampage",
        "abuse_danger",
        0.6,
        r"\b(?:he|she|they|<REL>|my <REL>)(?:'s| is| are|'re)? (?:<ADV>)(?:(?:drunk|wasted|"
        r"high|raging|furious|screaming|yelling|going crazy|losing it|out of control)(?: "
        r"again)?(?: and| &)? )?(?:smashing|breaking|throwing|punching|kicking in) (?:things|"
        r"stuff|plates|dishes|furniture|everything|bottles|glasses|the (?:walls?|doors?|"
        r"house|tv|windows?|place))\b",
        ("smashing", "breaking", "throwing", "punching", "kicking in"),
        benign=r"\b(?:renovat\w*|diy|demolition|demolish\w*|rebuild\w*|remodel\w*|recycl\w*|"
        r"bottle bank|game|lol|lmao|haha|clearing out|decluttering|sale|toddler|baby|"
        r"tantrum|puppy|dog|cat|party|smash (?:room|bros)|rage room|pottery|kiln|juggl\w*|"
        r"darts|ball|frisbee|records?)\b",
    ),
    _rule(
        "hiding_now",
        "abuse_danger",
        0.4,
        r"\b(?:<IM>|i am|we'?re|we are) (?:<ADV>)(?:hiding|locked|barricaded|shut|staying) "
        r"(?:myself |ourselves )?in (?:my|the|our) (?:room|bedroom|bathroom|closet|wardrobe|"
        r"car)\b|\b(?:<IM>|i am|we'?re|we are) in (?:my|the|our) (?:room|bedroom|bathroom|"
        r"closet) with the door (?:locked|shut|closed|barricaded)\b",
        ("hiding", "locked", "barricaded", "shut", "staying", "door"),
        benign=r"\b(?:hide and seek|hide-and-seek|game|party|surprise|study\w*|exam|nap|"
        r"guests|introvert|homework|music|gaming|lol|haha|spider|wasp|bee)\b",
    ),
    _rule(
        "help_emergency",
        "abuse_danger",
        0.75,
        r"\b(?:he|she|they|someone|somebody|a man|a guy|my <REL>) (?:is|'s|are|'re) "
        r"(?:outside|at|banging on|breaking|trying to break|kicking) (?:my|the) "
        r"(?:door|window|house|apartment|flat|room)\b[^.!?]{0,60}\b(?:gun|knife|kill|"
        r"scared|terrified|help|police|hide|hiding)\b",
        ("outside", "banging", "breaking", "kicking", "door", "window"),
        benign=r"\b(?:pizza|delivery|package|amazon|ups|fedex|lol|haha|cat|dog|"
        r"halloween|trick or treat|carol\w*|neighbou?rs? (?:party|music))\b",
    ),
)

# --------------------------------------------------------------------------------------------
# compositional frames (detector 1.3.0)
# --------------------------------------------------------------------------------------------
# Each frame is built from slot vocabularies (who + verb + quantity + object + time/cue) with
# short gaps between slots, so it recognises the underlying frame rather than one phrasing.
# The context modifiers above apply to frames exactly as to the other rules.

_SLOTS: dict[str, str] = {
    "<GAP>": r"[^.!?\n]{0,30}?",
    "<INGEST>": r"(?:took|taken|swallowed|downed|necked|had|ate|chugged|popped|mixed|"
    r"(?:chucked|knocked|threw|thrown|knocked) back)",
    "<QTY>": r"(?:all|every|whole|entire|the rest of|rest of|a load of|load of|loads of|"
    r"a bunch of|bunch of|a handful|handfuls|many|double|triple|twice|three times|"
    r"too much|too many|everything in|the lot|half (?:a|the) (?:bottle|box|packet|pack)|"
    r"a full|a fistful|more than (?:i should|i'?m supposed to|prescribed|the dose)|"
    r"way more|\d{2,}|twenty|thirty|forty|fifty)",
    "<SUBST>": r"(?:<PILLS>|pills?|tablets?|prescription|dose|doses|blister packs?|"
    r"sleepers|sleeping tablets|(?:packet|pack|box|bottle|strip)s?(?! of (?!<PILLS>)))",
    "<ALCOHOL>": r"(?:vodka|gin|wine|beer|alcohol|whisk(?:e)?y|rum|booze|cider|tequila|"
    r"spirits|jack|bourbon|a bottle|the bottle)",
    "<SYMPTOM>": r"(?:feel(?:ing)? (?:really |so |very |super )?(?:sick|weird|dizzy|numb|"
    r"sleepy|drowsy|strange|funny|faint|floaty|heavy)|ears? (?:are |is )?ringing|can'?t see "
    r"straight|vision (?:is )?blurry|heart (?:is )?(?:racing|pounding|going mad|going crazy|"
    r"beating (?:so )?fast)|room (?:is )?spinning|throwing up|been sick|vomit\w*|can'?t "
    r"(?:stay awake|keep my eyes open|feel my)|on purpose|deliberately|intentionally|"
    r"(?:don'?t|dont|do not|please don'?t|please no|no) (?:call|ambulance|tell anyone)|"
    r"not sorry|bathroom floor)",
    "<BODY>": r"(?:arms?|wrists?|legs?|thighs?|stomach|hips?|skin|forearms?|ankles?|"
    r"chest|shoulders?|hands?|knuckles|body)",
    "<VEH>": r"(?:car|bus|truck|lorry|train|plane|tram|van|meteor|asteroid|drunk driver|"
    r"lightning)",
    "<DAY>": r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend|"
    r"last (?:week|night|month|weekend)|the other (?:day|night)|\w+ (?:days|weeks) ago|"
    r"yesterday|this (?:morning|week|weekend))",
    "<TGT>": r"(?:him|her|them|that (?:guy|girl|man|woman|bitch|bastard|prick|cunt)|"
    r"my (?:<REL>)|his (?:<REL>)|her (?:<REL>)|the (?:teacher|guy|kid|kids|boss))",
    "<SEL>": r"(?:i'?m going to|i'?m gonna|im gonna|im going to|gonna|going to|"
    r"i swear i'?ll|i'?m about to|about to|i'?m actually going to|i really want to|"
    r"(?:i'?ll|i will) (?:actually|seriously|really|fucking))",
    "<SERHARM>": r"(?:(?:seriously |actually |really |properly |fucking )?(?:hurt|kill|"
    r"stab|shoot|strangle|batter|murder|cripple|poison|glass|knife|burn)|run (?:\w+ )?over|"
    r"beat the (?:shit|crap|hell|life|living daylights) out of|smash (?:his|her|their) "
    r"(?:face|head|skull) in|put (?:him|her|them) in (?:hospital|the ground|a coffin|a "
    r"wheelchair)|break (?:his|her|their) (?:neck|legs|jaw|face))",
    "<ITEM>": r"(?:keys|car keys|phone|passport|bank cards?|cards|money|wallet|purse|id|"
    r"documents|visa|laptop|sim card|charger)",
}


def _frame(pattern: str) -> str:
    # Slots may themselves contain <PILLS>/<REL>; expand twice.
    for _ in range(2):
        for key, value in _SLOTS.items():
            pattern = pattern.replace(key, value)
    return pattern


_FRAMES: tuple[_Rule, ...] = (
    # ---------------------------------------------------------------- overdose
    _rule(
        "f_ingest_qty_substance",
        "overdose",
        0.8,
        _frame(
            r"\b<INGEST> (?:like |about |around |over |almost |nearly |at least )?"
            r"(?:the |a |my |of my |the whole |a whole )?<QTY>\b<GAP>\b<SUBST>\b"
        ),
        (
            "took",
            "taken",
            "swallow",
            "downed",
            "necked",
            "had",
            "ate",
            "chugged",
            "popped",
            "mixed",
            "back",
        ),
        subject="personal",
        benign=_B_MEDICAL + r"|\b(?:by (?:accident|mistake)|accidentally|poison control|"
        r"the vet|back to (?:the )?(?:pharmacy|chemist))\b",
    ),
    _rule(
        "f_ingest_symptom",
        "overdose",
        0.75,
        _frame(
            r"\b(?:<INGEST>|swallow(?:ed)? (?:it|them)|took (?:it|them)|emptied)\b[^\n]{0,60}?"
            r"\b<SUBST>\b[^\n]{0,80}?\b<SYMPTOM>|\b<SUBST>\b[^\n]{0,50}?\b(?:swallowed|took|"
            r"downed|necked) (?:it|them|the lot|all|every)\b[^\n]{0,80}?\b<SYMPTOM>|"
            r"\b(?:<INGEST>|swallowed) (?:all |every |the rest of )?(?:\w+'?s |my |the |her |his )?"
            r"<SUBST>\b[^\n]{0,30}?(?:on purpose|deliberately|intentionally)"
        ),
        (
            "took",
            "taken",
            "swallow",
            "downed",
            "necked",
            "had",
            "ate",
            "popped",
            "mixed",
            "emptied",
        ),
        subject="personal",
        benign=_B_MEDICAL + r"|\b(?:by (?:accident|mistake)|accidentally|food poisoning|"
        r"hangover)\b",
    ),
    _rule(
        "f_mixed_with_alcohol",
        "overdose",
        0.75,
        _frame(
            r"\b(?:mixed|mixing|mix|washed down|took|necked|downed|swallowed|had) "
            r"(?:all |some |a load of |a bunch of |a handful of )?(?:of )?(?:my |the |her |his |"
            r"mum'?s |mom'?s |dad'?s )?<SUBST>\b<GAP>\b(?:with|and|w|w/|on top of) "
            r"(?:a |some |half a |half |a whole |a full |most of a |loads of |a lot of )?"
            r"(?:bottle of |pint of |can of )?<ALCOHOL>\b"
        ),
        ("mix", "washed", "took", "necked", "downed", "swallow", "had"),
        subject="personal",
        benign=_B_MEDICAL + r"|\b(?:shouldn'?t|should not|can you|is it (?:ok|safe|bad)|"
        r"safe to|by accident)\b",
    ),
    # ---------------------------------------------------------------- recent attempt
    _rule(
        "f_tried_when_failed",
        "recent_attempt",
        0.8,
        _frame(
            r"\bi (?:tried|attempted|did it|went through with it)(?: again)?(?: (?:on|last|"
            r"this|over))? ?<DAY>\b[^\n]{0,80}?\b(?:didn'?t work|didnt work|failed|hospital|"
            r"found me|still here|survived|woke up|icu|a&e|ambulance)|\bi tried to (?:end it|"
            r"do it|go|die|not wake up)\b(?! (?:with|between|off|on|for|to|in|at|out|home)\b)"
        ),
        ("tried", "attempted", "did it", "went through"),
        benign=r"\b(?:recipe|cake|bread|diet|trick|hack|dress|shoes|jeans|app|printer|code|"
        r"update|experiment|exam|test|drive|interview|audition|call|phone)\b",
    ),
    _rule(
        "f_upset_it_failed",
        "recent_attempt",
        0.75,
        r"\b(?:gutted|mad|angry|annoyed|upset|furious|disappointed|pissed(?: off)?|sad|"
        r"sorry|hate|devastated|frustrated) (?:that )?(?:it|i) (?:didn'?t work|didnt work|"
        r"failed|didn'?t (?:die|go through))\b|\b(?:angry|mad|gutted|annoyed|upset|furious|"
        r"disappointed|pissed off|sad|hate) (?:that )?(?:i'?m|im|i am) still (?:here|alive|"
        r"breathing)\b|\bshould(?:'?ve| have) (?:gone further|gone deeper|cut deeper|taken "
        r"more|used more|done it properly)\b(?! (?:in|with|at|on|for)\b)|\bdidn'?t take "
        r"enough\b|\b(?:they|he|she|someone|mum|mom|dad|my \w+) found me (?:before|in time|"
        r"too (?:early|soon)|just in time|on the (?:floor|bathroom floor)|unconscious|"
        r"passed out)\b|\bthe (?:rope|belt|cord|branch|ligature) (?:snapped|broke|gave way)\b",
        (
            "gutted",
            "mad",
            "angry",
            "annoyed",
            "upset",
            "furious",
            "disappointed",
            "pissed",
            "sad",
            "sorry",
            "hate",
            "devastated",
            "frustrated",
            "should",
            "enough",
            "found me",
            "snapped",
            "broke",
            "gave way",
        ),
        benign=r"\b(?:recipe|cake|bread|sank|diet|trick|hack|experiment|code|app|printer|"
        r"update|plan|team|match|game|bet|interview|exam|essay|swing|climbing|tug|boat|"
        r"kite|tent|hide and seek|hiding)\b",
    ),
    _rule(
        "f_woke_hospital_cue",
        "recent_attempt",
        0.75,
        r"\b(?:woke up|came (?:round|around|to)|came back|released|discharged|out of) "
        r"(?:in|from) (?:the )?(?:icu|a&e|a ?& ?e|a and e|hospital|resus|intensive care|"
        r"the er|er|emergency|psych ward|the ward|psych)\b[^\n]{0,120}?\b(?:didn'?t work|"
        r"gutted|lucky|still here|wish|failed|what i did|tubes|pumped|survived|mad it|"
        r"angry|disappointed|don'?t feel lucky)|\b(?:my )?stomach (?:got |was |being )?"
        r"pumped\b|\bhad my stomach pumped\b",
        ("woke", "came", "released", "discharged", "out of", "pumped"),
        benign=r"\b(?:appendix|surgery|operation|baby|birth|labou?r|broken (?:leg|arm)|"
        r"accident|crash|food poisoning|allerg\w*|asthma|covid)\b",
    ),
    _rule(
        "f_made_attempt",
        "recent_attempt",
        0.75,
        r"\b(?:i|i'?ve|ive) (?:made|had) (?:an|another|my (?:first|second|third|last)) "
        r"attempt\b(?! (?:at|to|on|in|for)\b(?! (?:my life|suicide|ending)))",
        ("attempt",),
    ),
    # ---------------------------------------------------------------- intent / goodbyes
    _rule(
        "f_farewell",
        "intent_timeline",
        0.7,
        r"\b(?:goodbye|bye|farewell) (?:everyone|everybody|all|world|guys|y'?all|"
        r"cruel world|forever)\b|\btell (?:my )?(?:mum|mom|mam|mother|dad|father|"
        r"parents|sister|brother|wife|husband|kids|family|nan|gran) (?:that )?(?:i'?m|im|"
        r"i am) sorry\b(?! (?:i |for )?(?:missed|forgot|couldn'?t|can'?t|was late|about|"
        r"i'?ll|will|but))|\b(?:please )?(?:don'?t|do not|dont) blame yourselves?\b|"
        r"\bthis is my (?:last|final) (?:message|post|text|note|goodbye|words)\b|"
        r"\bsorry for everything\b|\b(?:wanted|want|needed) (?:you|u) to know (?:before|"
        r"in case) i (?:go|leave|die|do it|'?m gone)\b|\byou (?:were|are) the only "
        r"(?:one|person) who (?:was |has been |ever )*(?:ever )?(?:nice|kind|good) to me\b",
        (
            "goodbye",
            "bye",
            "farewell",
            "tell",
            "blame",
            "last",
            "final",
            "sorry for",
            "to know",
            "only one",
            "only person",
        ),
        benign=_B_GOODBYE + r"|\b(?:project|game|match|result|exam|party|see you|"
        r"love you all|ttyl|later|tomorrow morning|flight|plane|move)\b",
    ),
    _rule(
        "f_gone_by_time",
        "intent_timeline",
        0.8,
        r"\bi(?:'?ll| will|ll)? (?:already )?(?:be|been) (?:gone|dead|at peace|out of "
        r"(?:your|everyone'?s) (?:way|lives)|in the ground)\b(?: (?:by|before) (?!you get "
        r"(?:home|back|up|here)|you wake)[^.!?\n]{1,30})?(?=[^\n]{0,60}(?:decided|made my "
        r"mind|for good|forever|read this|sorry|goodbye|$|[.!,]))|\bwhen (?:you|u|they|"
        r"anyone|someone|you all|mum|mom|dad) (?:read|see|find|get|reads|sees|finds|gets) "
        r"(?:this|my (?:message|note|letter)),? i(?:'?ll| will|ll)? (?:already )?(?:be )?"
        r"(?:gone|dead|at peace|not be here|not be alive|no longer be here)\b|\bby the "
        r"time (?:anyone|you|they|everyone|someone|mum|mom|dad) (?:wakes? up|gets? "
        r"(?:home|back|here)|reads? this|finds? (?:me|this)),? (?:it|i)(?:'?ll| will|ll)? "
        r"(?:be )?(?:done|over|gone|dead|too late)\b",
        (
            "gone",
            "dead",
            "at peace",
            "out of",
            "the ground",
            "read this",
            "by the time",
            "see this",
            "find this",
        ),
        benign=_B_GOODBYE + r"|\b(?:gym|shop|shops|work|shift|flight|plane|train|bus|"
        r"school|office|meeting|walk|run|store|shopping|errands?|holiday|trip)\b",
    ),
    _rule(
        "f_mind_made_up",
        "intent_timeline",
        0.8,
        r"\b(?:(?:i'?ve|ive|i have) (?:made my mind up|decided|made (?:the|my) decision)|my "
        r"mind is made up)\b(?! (?:to|on|that|what|which|where|about|regarding|re|for|with)\b)"
        r"(?=[^\n]{0,40}?"
        r"(?:tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|is the "
        r"(?:day|night)|the date|this weekend|next week|it'?s (?:time|happening)|for good|no "
        r"going back|goodbye|sorry|\s*[.!]?\s*$))",
        ("mind", "decided", "decision"),
        subject="personal",
        benign=_B_MOVING + r"|\b(?:pizza|dinner|lunch|takeaway|film|movie|outfit|dress|"
        r"colou?r|name|job|course|degree|uni|college|car|phone|diet|gym|hair|tattoo|party|"
        r"wedding|baby|puppy|kitten|holiday)\b",
    ),
    _rule(
        "f_thats_when",
        "intent_timeline",
        0.55,
        r"\b(?:that'?s|thats|that is) (?:when|the day|the night|my chance)(?: it happens| "
        r"i'?ll do it| i do it)?\s*(?:[.!]|$)",
        ("that",),
    ),
    _rule(
        "f_not_coming_back",
        "intent_timeline",
        0.7,
        r"\b(?:i'?m|im|i am|i won'?t be|i will not be) not coming back\b|\bnot coming back "
        r"(?:from (?:the|this|my) (?:walk|drive|bridge|river|woods|beach|cliff)|this time|"
        r"tonight|ever)\b|\bi won'?t be (?:around|here|alive) (?:next|for|by|to see|after)\b",
        ("coming back", "be around", "be here", "be alive"),
        benign=_B_GOODBYE + r"|\b(?:server|group|chat|forum|sub|reddit|discord|club|gym|"
        r"class|course|shop|restaurant|place|job|company|office|town|city|country|"
        r"holiday|trip|away|abroad|visiting|working)\b",
    ),
    # ---------------------------------------------------------------- plan / method
    _rule(
        "f_method_question",
        "plan_method",
        0.8,
        r"\b(?:most painless|least painful|painless|quickest painless|surest|most certain|"
        r"most reliable) (?:way|method|means) (?:to|of) go(?:ing)?\b(?! (?:to|from|about|"
        r"home|there|back|shopping|out|for|on|with|through|in|up|down)\b)|\bhow (?:deep|"
        r"cold|fast|high|far down) (?:does|do|is|should|would|must) (?:the )?(?:water|river|"
        r"lake|sea|drop|fall|bridge|building|car park)[^?.!]{0,40}(?:can'?t get out|to "
        r"drown|not survive|to not survive|be fatal|kill|to die|to not come up|so you can'?t)",
        ("way", "method", "means", "how deep", "how cold", "how fast", "how high", "far down"),
        subject="personal",
    ),
    _rule(
        "f_scouting",
        "plan_method",
        0.75,
        r"\b(?:driv(?:e|ing)|drove|walk(?:ed|ing)?|went|go(?:ing)?|been going|cycl(?:ed|ing)|"
        r"stood|standing|sat|sitting|visit(?:ed|ing)?) (?:past |to |on |at |up )?(?:the |that )"
        r"(?:bridge|cliffs?|tracks|railway|train line|level crossing|car park|multi[- ]?"
        r"storey|roof|rooftop|tower block|viaduct|platform|overpass|quarry|edge|top floor)"
        r"\b[^.!?\n]{0,60}?\b(?:every (?:day|night|evening|morning)|again and again|where to|"
        r"how (?:high|easy|far|long)|the drop|checking|working out|practi[sc]\w*|rehears\w*|"
        r"to see (?:if|how|where)|for the right|when no one|nobody would)|\b(?:looked up|"
        r"googled|searched|checked|researched|researching|looking up) how (?:high|tall|deep|"
        r"far down|many floors) (?:the )?[\w -]{0,40}? (?:is|are|goes)\b",
        (
            "bridge",
            "cliff",
            "tracks",
            "railway",
            "train",
            "crossing",
            "car park",
            "storey",
            "roof",
            "tower",
            "viaduct",
            "platform",
            "overpass",
            "quarry",
            "edge",
            "top floor",
            "looked up",
            "googled",
            "searched",
            "checked",
            "research",
            "looking up",
        ),
        subject="personal",
        benign=r"\b(?:homework|school|project|quiz|trivia|visit|trip|tour|holiday|view|photo|"
        r"pictures|sunset|fireworks|parking|traffic|on the way|commute|dog|run|running|"
        r"jog|cycle route|geography|history|architecture|fun fact|curious)\b",
    ),
    _rule(
        "f_acquired_means",
        "plan_method",
        0.75,
        r"\b(?:bought|ordered|got|picked up|buying|getting|purchased|sourced|collected) "
        r"(?:a |an |some |the |new |more |extra |enough |a new |a whole )?(?:pack of |box "
        r"of )?(?:rope|ropes|blades?|razor blades|razors?|a razor|hose|hosepipe|charcoal|"
        r"helium|gun|bleach|pills|tablets|paracetamol|sleeping (?:pills|tablets))\b[^\n]"
        r"{0,80}?(?:it'?s in my|they'?re in my|hidden|hid (?:it|them)|for the thing|for when|"
        r"planning|planned|tonight|nobody knows|no one knows|ready|for after|for later|in my "
        r"(?:wardrobe|drawer|room|car|bag|closet|locker)|\bthe thing\b)",
        (
            "bought",
            "ordered",
            "got",
            "picked up",
            "buying",
            "getting",
            "purchased",
            "sourced",
            "collected",
        ),
        subject="personal",
        benign=r"\b(?:tent|camping|climbing|swing|boat|sailing|dog|lead|garden|washing line|"
        r"craft|diy|shaving|shave|kitchen|cleaning|bathroom|grill|bbq|barbecue|balloons?|"
        r"party|headache|cold|flu|period|cramps|prescription|pharmacy)\b",
    ),
    _rule(
        "f_affairs_in_order",
        "plan_method",
        0.75,
        r"\b(?:(?:wrote|written|writing|made|updated|sorted|finished) (?:my|a) will|paid "
        r"off (?:all )?(?:my )?(?:debts?|overdraft|credit cards?|loans?|bills)|cancell?ed "
        r"(?:all )?my (?:phone|contracts?|subscriptions?|direct debits|gym|insurance)|deleted "
        r"(?:all )?my (?:accounts|socials|social media|profiles)|gave (?:\w+ ){0,2}(?:my |the )"
        r"passwords|who gets (?:the|my) (?:cat|dog|car|things|stuff|room|guitar)|rehom\w+ "
        r"(?:my|the) (?:cat|dog|pets?))\b(?=[^\n]{0,160}?\b(?:wrote|written|writing|made|"
        r"updated|sorted|finished|paid off|cancell?ed|deleted|gave|who gets|rehom\w+|"
        r"for afterwards|for after|after i'?m gone|when i'?m (?:gone|not here)|so (?:nobody|"
        r"no one) has to)\b)",
        ("will", "paid off", "cancel", "deleted", "passwords", "who gets", "rehom"),
        subject="personal",
        benign=r"\b(?:baby|wedding|married|new job|holiday|moving|move|divorce|split|break ?up|"
        r"feeling free|detox|digital|fresh start|new year|budget|saving)\b",
    ),
    _rule(
        "f_picked_method",
        "plan_method",
        0.75,
        r"\b(?:picked|chosen|chose|decided on|settled on|worked out|figured out|sorted) "
        r"(?:a|the|my) (?:way|method)\b(?! (?:to|of|for|around|home|back|out|through|in|"
        r"forward)\b)|\b(?:a|the) (?:way|method) and (?:a|the) (?:place|date|time|spot|day)\b",
        ("way", "method"),
        subject="personal",
    ),
    # ---------------------------------------------------------------- passive ideation
    _rule(
        "f_passive_wish",
        "passive_ideation",
        0.75,
        _frame(
            r"\b(?:hope|hoping|pray|praying|wish) (?:that )?(?:tonight|today|this|"
            r"tomorrow|this night|this year) (?:is|will be|'?s|would be) my last\b(?! (?:exam|"
            r"shift|day (?:at|of|in)|week (?:at|of|in)|time|one|night (?:at|of|in)|chance))|"
            r"\b(?:tired|sick|exhausted) of waking up\b(?! (?:at|early|so early|for|to|before|"
            r"in the))|\b(?:wouldn'?t|would not|won'?t|don'?t|do not) (?:mind|care|be "
            r"(?:sad|upset|bothered|sorry)) if (?:a|the|some|my) <VEH> (?:hit|hits|crashed|crashes|"
            r"went down|goes down|killed|kills|ran me over|took me out)|\bif (?:a|the|my) "
            r"<VEH> (?:went|goes|crashed|crashes) (?:down|off)?[^.!?\n]{0,40}?(?:i'?d|i would|"
            r"i'?d honestly|honestly i'?d) (?:be )?(?:relieved|glad|grateful|happy|fine|okay|ok)|"
            r"\b(?:wouldn'?t|would not|won'?t) (?:mind|care|be (?:sad|upset|bothered|sorry)) if "
            r"i (?:did not|didn'?t|didnt|never|don'?t) wake up|\bfall asleep (?:and|&) (?:stay "
            r"asleep|never wake|not wake)|\b(?:pray|hope|wish|praying|hoping) (?:that )?(?:god|"
            r"the lord|jesus|allah|the universe|death) (?:takes|will take|would take|just takes|"
            r"calls) me\b"
        ),
        (
            "hope",
            "pray",
            "wish",
            "waking",
            "mind",
            "care",
            "sad",
            "upset",
            "bothered",
            "asleep",
            "relieved",
            "glad",
            "grateful",
        ),
        subject="personal",
    ),
    _rule(
        "f_vanish",
        "passive_ideation",
        0.7,
        r"\b(?:want to|wanna|wish i could|wish to|need to|want) (?:just )?(?:vanish|"
        r"disappear|evaporate|fade away|not be here|not be around|be gone|stop being)\b"
        r"(?! (?:from|for|into|to|off|under|until|till|on|in|at|with|the|my|this|before|and "
        r"(?:go|move|travel|start|live|find|run|explore|see))\b)",
        (
            "vanish",
            "disappear",
            "evaporate",
            "fade",
            "be here",
            "be around",
            "be gone",
            "stop being",
        ),
        subject="personal",
        benign=r"\b(?:group ?chat|party|meeting|class|lecture|embarrass\w*|cringe|awkward|"
        r"holiday|island|cabin|weekend)\b",
    ),
    _rule(
        "f_no_point",
        "passive_ideation",
        0.7,
        r"\bno (?:reason|point) (?:for me )?to (?:keep going|go on|carry on|keep living|be "
        r"here|be alive|get up|stay (?:alive|here|around))\b(?! (?:with|to|on|at)\b)|"
        r"\b(?:don'?t|do not|dont) see "
        r"(?:the|a|any) point (?:of|in) (?:being (?:around|here|alive)|carrying on|me being|"
        r"going on|anything anymore|any of it anymore)\b",
        ("reason", "point"),
        subject="personal",
        benign=r"\b(?:show|series|season|game|course|class|diet|job|relationship|book|"
        r"subscription|app|gym)\b",
    ),
    # ---------------------------------------------------------------- active ideation
    _rule(
        "f_finish_my_life",
        "active_ideation",
        0.85,
        r"\b(?:finish|finishing|finished|stop|stopping|close|closing|end|ending) my (?:own )?"
        r"life\b(?! (?:as|story|insurance|savings|chapter|career)\b)|\btop(?:ping|ped)? "
        r"(?:myself|my ?self)\b(?! (?:up|off)\b)",
        ("my life", "my own life", "myself", "my self"),
        benign=r"\b(?:smoker|drinker|student|single|bachelor|career|insurance|habit)\b",
    ),
    # ---------------------------------------------------------------- self-harm
    _rule(
        "f_selfharm_act_cue",
        "self_harm",
        0.75,
        _frame(
            r"\b(?:burn(?:ed|t|ing)?|cut(?:ting)?|scratch(?:ed|ing)?|carv(?:e|ed|ing)|"
            r"hit(?:ting)?|punch(?:ed|ing)?|slap(?:ped|ping)?|bit(?:e|ing)?|pinch(?:ed|ing)?|"
            r"bruis(?:e|ed|ing)|scald(?:ed|ing)?|slic(?:e|ed|ing)|hurt(?:ing)?|harm(?:ed|ing)?) "
            r"(?:myself|into my <BODY>|my <BODY>)\b[^.!?\n]{0,60}?\b(?:again|keep|kept|only thing|"
            r"only way|helps|help me|until|till|til|every (?:night|day|time)|most nights|on "
            r"purpose|to (?:feel|cope|punish|calm)|tonight|today|urge|deserve|when i (?:mess|"
            r"get|feel)|bleed)|\b(?:keep|kept|been) (?:burn|cut|scratch|carv|hitt|punch|slapp|"
            r"bit|pinch|bruis|scald|slic)\w* (?:myself|my <BODY>|into my <BODY>)"
        ),
        (
            "burn",
            "cut",
            "scratch",
            "carv",
            "hit",
            "punch",
            "slap",
            "bit",
            "pinch",
            "bruis",
            "scald",
            "slic",
            "hurt",
            "harm",
        ),
        benign=_B_ACCIDENT + r"|\b(?:hair|nails?|fringe|bangs|mosquito|bite|itch\w*|eczema|"
        r"rash|mosquitoes|bug bites?|lip|tongue|sunburn\w*)\b",
    ),
    _rule(
        "f_selfharm_marks",
        "self_harm",
        0.75,
        _frame(
            r"\b(?:saw|seen|found|noticed|spotted|asked about|asking about|see) (?:the |my )?"
            r"(?:marks|scars|cuts|burns|bandages?|plasters|lines) on my <BODY>\b(?=[^\n]{0,80}?"
            r"(?:this morning|today|yesterday|last night|said it was|told (?:her|him|them) it was|"
            r"lied|pretended|excuse|the cat|again))|\b(?:new|fresh|\d+ new|more|two new|three new) "
            r"(?:ones|cuts|marks|burns|scratches|lines) on my <BODY>\b|\bwhat i (?:do|did|have "
            r"done|'ve done|ve done) to my <BODY>\b|\brelaps\w*\b[^\n]{0,80}?\b(?:cut|cuts|ones|"
            r"marks|blade|razor|burn\w*|harm\w*|sh)\b|\b(?:snapped|broke|took apart|unscrewed|"
            r"broke open) (?:a |the |my )?(?:pencil )?sharpener\b|\b(?:the |my )?(?:razor|"
            r"blades?|razor blades?) (?:is|are) (?:right )?(?:here|next to me|in my hand|beside "
            r"me|calling)\b|\bused the blade again\b|\bpunch(?:ed|ing)? (?:the |a )?walls? "
            r"(?:till|until|til)\b"
        ),
        (
            "marks",
            "scars",
            "cuts",
            "burns",
            "bandage",
            "plasters",
            "lines",
            "ones",
            "scratches",
            "to my",
            "relaps",
            "sharpener",
            "razor",
            "blade",
            "wall",
        ),
        benign=r"\b(?:bike|crash|surgery|operation|c-section|accident|fell|chicken ?pox|acne|"
        r"stretch marks|tattoo|cigarette|smoking|drinking|vaping|diet|alcohol|drugs?|"
        r"gambling|porn|nail biting|skin picking)\b",
    ),
    # ---------------------------------------------------------------- harm to others
    _rule(
        "f_harm_intent",
        "harm_to_others",
        0.8,
        _frame(
            r"\b<SEL> (?:<ADV>)<SERHARM> (?:<TGT>|(?:him|her|them) (?:so bad|until|till|"
            r"tonight|tomorrow))|\b<SEL> (?:<ADV>)(?:run (?:<TGT>) over|put (?:<TGT>) in "
            r"(?:hospital|the ground|a coffin|a wheelchair)|smash (?:his|her|their) (?:face|head) "
            r"in|break (?:his|her|their) (?:neck|legs|jaw))\b|"
            r"\b<SEL> (?:<ADV>)(?:make sure|see to it that) (?:he|she|they|"
            r"<TGT>) (?:ends? up|end up|winds? up) (?:in (?:hospital|a coffin|the ground|a "
            r"wheelchair|intensive care)|dead)\b|\b(?:neither|none|not one|nobody|no one) of "
            r"(?:them|you|those|these) (?:is|are|will be|'?s) (?:walking|getting|coming) "
            r"(?:away|out)(?: (?:alive|of this|from this))?\b|\bbring(?:ing)? (?:something|a "
            r"knife|a gun|a weapon|my (?:dad'?s|stepdad'?s|brother'?s) gun|a blade|a bat) "
            r"(?:in)?to (?:school|work|class|college|the office|uni|church)\b[^\n]{0,60}?(?:"
            r"they'?ll|they will|everyone'?ll|everyone will|you'?ll|he'?ll|she'?ll) (?:be sorry|"
            r"regret|pay|see|learn|find out)"
        ),
        (
            "going to",
            "gonna",
            "about to",
            "want to",
            "i'll",
            "i will",
            "swear",
            "neither",
            "none",
            "not one",
            "nobody",
            "no one",
            "bring",
        ),
        subject="personal",
        benign=r"\b(?:bake sale|show and tell|project|presentation|lunch|cake|costume|"
        r"game|match|in (?:gta|the game|minecraft|fortnite))\b",
    ),
    _rule(
        "f_harm_armed_approach",
        "harm_to_others",
        0.8,
        r"\b(?:picked up|grabbed|holding|got|took) (?:the|a|my|his|dad'?s) (?:knife|bat|hammer|"
        r"gun|machete|crowbar|axe)\b[^.!?\n]{0,50}?\b(?:outside|standing|waiting|behind|"
        r"at|by) (?:her|his|their|the|my \w+'?s) (?:door|room|house|bedroom|flat)\b|"
        r"\bgoing (?:over )?(?:there|round|to (?:his|her|their) (?:house|place|flat)) with "
        r"(?:a|my|the|his|dad'?s) (?:bat|knife|gun|hammer|crowbar|machete|axe|blade)\b|"
        r"\b(?:put|putting|slip|slipping|add|adding) (?:something|rat poison|poison|bleach|"
        r"pills|antifreeze) in(?:to)? (?:his|her|their|my \w+'?s) (?:food|drink|tea|coffee|"
        r"dinner|meal|water)\b[^\n]{0,60}?(?:never wakes?|sick|die|dies|dead|poison|pay|"
        r"suffer|so (?:he|she|they))|\b(?:parked|sat|sitting|waiting|been|standing) "
        r"outside (?:his|her|their|my ex'?s) (?:house|flat|place|work|door|school)\b"
        r"[^.!?\n]{0,60}?(?:every (?:night|day)|watching|when (?:he|she|they) (?:leaves?|"
        r"gets? home|comes? out))",
        (
            "knife",
            "bat",
            "hammer",
            "gun",
            "machete",
            "crowbar",
            "axe",
            "blade",
            "something in",
            "poison",
            "bleach",
            "pills in",
            "antifreeze",
            "outside",
        ),
        subject="personal",
        benign=r"\b(?:cricket|baseball|rounders|softball|ball|match|game|practice|onions?|"
        r"vegetables|cook\w*|birthday|candles|surprise|party|holiday|feed (?:the|their) "
        r"(?:cat|dog)|babysit\w*|lift|pick (?:him|her|them) up)\b",
    ),
    _rule(
        "f_harm_compulsion",
        "harm_to_others",
        0.75,
        r"\b(?:can'?t stop|keep|been) (?:picturing|imagining|thinking about|seeing myself) "
        r"(?:stabbing|killing|hurting|strangling|shooting|smothering|drowning|beating) "
        r"(?:him|her|them|my \w+|the baby|people)\b",
        ("picturing", "imagining", "thinking about", "seeing myself"),
        benign=r"\b(?:intrusive thoughts? (?:that|which) i know|ocd)\b",
    ),
    # ---------------------------------------------------------------- abuse / danger
    _rule(
        "f_coercive_threat",
        "abuse_danger",
        0.8,
        r"\b(?:said|says|told me|threatened|swore|swears) (?:that )?if i (?:ever )?"
        r"(?:leave|left|go|"
        r"went|tell|told|report|call|called|try to leave)\b[^.!?\n]{0,30}?\b(?:he|she|they)"
        r"(?:'?ll| will|'?d| would) (?:make sure|kill|hurt|find|take the kids|ruin|end|get)|"
        r"\b(?:i'?ll|i will|i'?d) never see (?:the|my) (?:kids|children|baby|son|daughter) "
        r"(?:again )?if i (?:leave|go|tell)\b|\b(?:put|had|wrapped) (?:his|her) hands? "
        r"(?:round|around) my (?:neck|throat)\b|\bnext time (?:he|she) (?:won'?t|will not) "
        r"stop\b",
        (
            "said",
            "says",
            "told me",
            "threaten",
            "swore",
            "swears",
            "never see",
            "hands",
            "next time",
        ),
        benign=r"\b(?:room|homework|chores|curfew|dishes|grounded|phone bill)\b",
    ),
    _rule(
        "f_control_items",
        "abuse_danger",
        0.75,
        _frame(
            r"\b(?:took|taken|takes|hid|hides|hidden|keeps|kept|confiscated|smashed|"
            r"broke|has) (?:away )?my <ITEM>\b[^.!?\n]{0,40}?(?:and|,) (?:\w+ ){0,3}(?:my )?"
            r"<ITEM>\b|\b(?:took|takes|hid|hides|keeps|kept|has|holds) my passport\b|"
            r"\b(?:locked|locks|locking) me in\b(?! (?:the )?(?:game|escape room))|\b(?:checks|"
            r"reads|goes through|tracks|monitors) (?:all )?my (?:phone|messages|texts|location|"
            r"bank|emails)\b[^\n]{0,80}?\b(?:won'?t let me|never see|if i (?:leave|go)|"
            r"isn'?t allowed|not allowed|kill|hurt)"
        ),
        (
            "my keys",
            "my car keys",
            "my phone",
            "my passport",
            "my bank",
            "my cards",
            "my money",
            "my wallet",
            "my purse",
            "my id",
            "my documents",
            "my visa",
            "my laptop",
            "my sim",
            "my charger",
            "my messages",
            "my texts",
            "my location",
            "my emails",
            "me in",
        ),
        benign=r"\b(?:by (?:mistake|accident)|accidentally|homework|grounded|exam|test|"
        r"teacher|class|airport|security|customs|hotel|bank holiday)\b",
    ),
    _rule(
        "f_stalked",
        "abuse_danger",
        0.75,
        r"\b(?:car|van|man|guy|person|someone|somebody|he|she|they|my ex)(?:'s| has| have)? "
        r"(?:been |keeps? |kept |is )?follow(?:ed|ing|s)? me (?:home|to (?:my )?(?:work|"
        r"house|flat|school|car))\b|\bfollow(?:ed|ing)? me\b[^.!?\n]{0,40}?\b(?:(?:two|three|"
        r"four|several|\d+) (?:nights|days|times)|every (?:night|day)|again)\b|"
        r"\b(?:been |keeps? |is )?(?:waiting|sitting|parked|standing|lurking) outside my (?:flat|"
        r"house|work|door|school|window)\b[^.!?\n]{0,30}?\b(?:every (?:night|day|morning)|"
        r"again|(?:two|three|four|several|\d+) (?:nights|days|times))\b|"
        r"\b(?:keeps?|kept|been) (?:turning|showing) up (?:at|outside) my (?:work|house|flat|"
        r"door|school|job|college|uni|mum'?s)\b|\b(?:photo|picture|pic|video) of my (?:front "
        r"door|house|flat|car|street|kids?|window|bedroom)\b|\b(?:know|knows) where i "
        r"(?:live|work|sleep|go)\b|\bleaving (?:notes|messages|things|dead \w+) (?:on|at|"
        r"outside) my (?:car|door|doorstep|window)\b",
        (
            "follow",
            "turning",
            "showing",
            "photo",
            "picture",
            "pic",
            "video",
            "where i",
            "leaving",
            "outside my",
        ),
        benign=r"\b(?:learner|instagram|twitter|tiktok|online|socials|dog|cat|puppy|kitten|"
        r"delivery|courier|estate agent|insurance|real estate)\b",
    ),
    _rule(
        "f_child_abuse",
        "abuse_danger",
        0.8,
        r"\b(?:comes?|came|coming|sneaks?|creeps?) (?:in|into) my (?:room|bed|bedroom)\b "
        r"(?:at night|when|every|after)|\b(?:no ?one|nobody) (?:will|would|is going to|'?ll) "
        r"(?:ever )?believe me\b|\b(?:touches|touched|touching) me (?:where|down there|"
        r"at night|when)\b",
        ("my room", "my bed", "my bedroom", "believe me", "touch"),
        benign=r"\b(?:dog|cat|puppy|kitten|pets?|baby|toddler|little (?:sister|brother)|"
        r"nightmare|to say goodnight|to wake me|goodnight|storm|thunder)\b",
    ),
    _rule(
        "f_hiding_violence",
        "abuse_danger",
        0.8,
        r"\bhiding (?:in|under) (?:the|my) (?:bathroom|bedroom|cupboard|wardrobe|closet|bed|"
        r"room|car|shed)\b[^\n]{0,60}?\b(?:he'?s|she'?s|they'?re|he is|she is) (?:smashing|"
        r"shouting|screaming|banging|hitting|breaking|drunk|kicking|throwing)",
        ("hiding",),
    ),
)

_RULES = (*_RULES, *_FRAMES)

# --------------------------------------------------------------------------------------------
# context modifiers
# --------------------------------------------------------------------------------------------

_SENT_BOUNDARY = re.compile(r"[.!?\n]+|\s[-–—]\s")
_CLAUSE_BOUNDARY = re.compile(
    r"[.!?\n;:,]+|\s[-–—]\s|\b(?:but|though|although|however|except|whereas|"
    r"because|so that|and then|and now|and yet)\b"
)
_NEGATOR = re.compile(
    r"\b(?:not|never|no longer|don'?t|dont|do not|didn'?t|didnt|did not|won'?t|wont|"
    r"will not|wouldn'?t|would not|isn'?t|aren'?t|haven'?t|hasn'?t|have not|has not|"
    r"ain'?t|nor|without|no (?:intention|intent|plans?|desire|thoughts?|urges?|wish|"
    r"interest|reason to think)(?: whatsoever| at all)? (?:of|to|about|in)|"
    r"stopped|quit|gave up|no)\b"
)
# A subordinate clause between negator and hit means the negation belongs elsewhere.
_SUBORDINATE = re.compile(r"\b(?:if|when|whether|that|because|so|who|which|unless|until)\b")
# Negator phrases that do not negate the following crisis phrase.
_NEG_EXCEPTION = re.compile(
    r"\b(?:can'?t stop|couldn'?t stop|can'?t help|couldn'?t help|don'?t know|do not know|"
    r"not sure|no one|nobody|not even|don'?t care|do not care|not that|never thought "
    r"(?:i'?d|i would|it would|this|i could)|"
    r"can'?t get|not gonna lie|not going to lie|not to be dramatic|don'?t get me wrong|"
    r"not kidding|not joking|i'?m not joking|never been (?:this|so|more)|never felt "
    r"(?:this|so|more)|not just|didn'?t (?:mean|expect)|wouldn'?t (?:be surprised|blame)|"
    r"won'?t (?:lie|pretend)|not afraid to|no (?:longer )?afraid to|don'?t (?:want|wanna) "
    r"to (?:be|feel|keep) (?:like|this|here)|never (?:wanted|planned)(?= to (?:be born|"
    r"exist|live))|(?:try|trying|tried|struggling|hard|fighting|doing my best) not to|"
    r"stop(?:ping)? myself from|keep(?:ing)? myself from|not (?:want|able) to (?:stop|"
    r"resist)|no matter|no way out|no point|no reason|no hope|no idea|no clue|no wonder|"
    r"no (?:one|body) (?:cares|would|will|understands|notices)|no more)\b"
)
# A hedge keeps a negated statement risky ("not yet", "might not ... today").
_HEDGE = re.compile(
    r"\b(?:yet|today|tonight|right now|for now|at the moment|at this point|this time|"
    r"for the moment|for today|for tonight|just yet|might|may|maybe|probably|not sure|"
    r"not ready|don'?t know (?:if|whether|how long)|can'?t promise|can'?t guarantee|"
    r"won'?t promise|how long|much longer|for much longer|unless|until|till|if (?:things|"
    r"this|it|nothing|i|tomorrow|he|she|they)|anymore\?|not a promise|not sure how long|"
    r"not (?:now|tonight|today)|(?:try|trying|tried|struggling|hard|fighting) not to|"
    r"stop(?:ping)? myself from|keep(?:ing)? myself from)\b"
)
_PRONOUN = re.compile(
    r"\b(?P<first>i|i'?m|im|i'?ve|ive|i'?d|i'?ll|me|my|myself|mine)\b|"
    r"\b(?P<other>you|you'?re|youre|your|yourself|u|ur|he|he'?s|she|she'?s|they|"
    r"they'?re|him|her|his|hers|their|them|themselves|himself|herself|we|we'?re|our|"
    r"us|someone|somebody|anyone|anybody|people|person|persons|friend|friends|bestie|"
    r"brother|sister|mom|mum|mother|dad|father|son|daughter|uncle|aunt|cousin|"
    r"grandpa|grandma|grandfather|grandmother|husband|wife|partner|boyfriend|"
    r"girlfriend|bf|gf|coworker|colleague|classmate|roommate|neighbou?r|teen|teens|"
    r"teenagers?|students?|patients?|clients?|kids?|children|child|adolescents?|"
    r"youth|veterans?|individuals?|men|women|man|woman|guy|girl|boy|celebrity|singer|"
    r"actor|actress|rapper|character|protagonist|victim|victims|deceased|author|"
    r"officers?|soldiers?|participants?|respondents?|members?|gunman|gunmen|shooter|"
    r"suspect|attacker|assailant|perpetrator|defendant|killer|police)\b"
)
_FIRST_IN_SPAN = re.compile(r"\b(?:i|i'?m|i'?ve|i'?d|i'?ll|me|my|myself)\b")
_HYPOTHETICAL = re.compile(
    r"\b(?:what if (?:you|someone|somebody|people|they|he|she|your)|if (?:you|u|someone|"
    r"somebody|a person|people|they|your|anyone|a friend|a loved one|a child|a teen|"
    r"a student|your child|your friend|a family member)|hypothetical(?:ly)?|would you|"
    r"have you (?:ever )?(?:been|felt|had|thought)|do you (?:ever )?(?:think|feel|have|"
    r"want)|are you|someone who|people who|those who|anyone who|a person who|"
    r"when someone|when people|how (?:do|can|should|would) (?:i|we|you) (?:help|"
    r"support|talk to|tell if|know if|respond)|signs (?:that|of)|warning signs|"
    r"in (?:a|the|my) (?:story|novel|book|script|screenplay|poem|song|game|movie|film|"
    r"fanfic|fic|dream)|my character|the character|the protagonist|plot|fiction|"
    r"role ?play|quote|lyrics?|said to (?:me|him|her)|asked (?:me |him |her )?(?:if|whether)|"
    r"wanted to know (?:if|whether)|checked (?:if|whether)|dream(?:ed|t|ing)?|nightmare)\b"
)
_REPORTED = re.compile(
    r"(?<!\bif )\b(?:he|she|they|my \w+|his|her|their|the (?:man|woman|singer|actor|actress|"
    r"author|patient|victim|teen|student|soldier|veteran|officer|mother|father))\b"
    r"[^.!?]{0,40}\b(?:said|says|told (?:me|us|police|reporters|the)|tells me|texted|"
    r"wrote|posted|messaged|admitted|confessed|mentioned|screamed|yelled|whispered|"
    r"recalled|explained|shared)\b"
)
_NEWS_ACADEMIC = re.compile(
    r"\b(?:study|studies|researchers?|research|participants|respondents|prevalence|"
    r"cohort|odds ratio|meta-?analysis|systematic review|abstract|results suggest|"
    r"we (?:found|examined|investigated|analy[sz]ed|report|conducted)|according to|"
    r"police (?:said|say)|authorities|coroner|inquest|the deceased|per 100,?000|"
    r"statistics|awareness|prevention|risk factors?|journal|percent|survey|et al|"
    r"news|article|headline|documentary|reported|report|lecture|textbook|curriculum|"
    r"training|workshop|clinicians?|guidelines?|screening|protective factors|"
    r"population|rates? of|data|published|spokesperson|press release|obituary|"
    r"memorial|tribute|charity|fundraiser|campaign|hotline|helpline|lifeline|"
    r"988|samaritans|crisis line|text line|trigger warning|tw:|cw:|content warning|"
    r"the film|the movie|the show|the series|the novel|the book|episode|season|"
    r"chapter|the song|lyrics|album|band|poem)\b|\d+(?:\.\d+)?\s?%|\(n ?= ?\d"
)
_ABOUT_TOPIC = re.compile(
    r"\b(?:documentary|article|book|novel|class|lecture|essay|paper|research|study|"
    r"podcast|movie|film|video|presentation|song|lyrics|post|thread|lesson|unit|"
    r"module|training|course|seminar|workshop|report|story|episode|series|show|debate|"
    r"campaign|statistics|stats|data|awareness|prevention|hotline|helpline|charity|"
    r"volunteer\w*|fundrais\w*|talk|conference|researching|studying|writing about|"
    r"learned about|learning about|read about|reading about|psych class|"
    r"psychology|sociology|policy|policies|protocol|screening|assessment|"
    r"certificat\w*|qualification|first aid|dissertation|thesis|phd|masters|project|"
    r"module|talk|webinar|infographic|poster|leaflet|pamphlet)\b[^.!?]{0,40}$"
)
_PAST = re.compile(
    r"\b(?:used to|years ago|year ago|decades? ago|(?:when|since|while) i was (?:a |in |"
    r"at )?(?:\d+|kid|child|teen|teenager|young|little|younger|in (?:high school|"
    r"college|uni|middle school|school)|a student|at uni|pregnant|married to)|as a "
    r"(?:kid|teen|teenager|child|young (?:man|woman|adult))|in (?:high school|middle "
    r"school|college|uni|university|my teens|my twenties|my early|my late|my 20s|"
    r"my teenage|year \d+|grade \d+|\d{4})|back (?:then|in|when)|in the past|a long "
    r"time ago|long ago|growing up|at (?:\d\d|the age of \d+)|(?:\d+|two|three|four|"
    r"five|six|seven|eight|nine|ten|many|several) (?:years|yrs) (?:ago|back)|"
    r"once upon|my (?:old|former) self|last decade|previously|formerly)\b"
)
_RECOVERED = re.compile(
    r"\b(?:(?:i'?m|i am|im|doing|feel|feeling|i feel) (?:so much |much |a lot |way |"
    r"really |pretty |actually )?(?:better|well|good|great|okay|ok|fine|stable|happy|"
    r"safe|healthy) now|recovered|in recovery|recovering|survivor|(?:\d+|\w+) (?:months|"
    r"years) clean|clean (?:for (?:\d+|\w+|over|almost|nearly) (?:months?|years?)|since "
    r"(?:\d{4}|high school|college|uni))|(?:years|months|\w+ years) (?:free|"
    r"sober|clean|harm[- ]free)|haven'?t (?:cut|self[- ]?harmed|relapsed|hurt myself|"
    r"attempted|felt (?:that way|suicidal)|thought about (?:it|suicide)) (?:in|since|"
    r"for)|grateful (?:to be|i'?m|i am) (?:still )?(?:alive|here)|glad i'?m (?:still )?"
    r"(?:alive|here)|glad (?:i|it) (?:survived|didn'?t work|failed)|no longer "
    r"(?:suicidal|feel|want|cut|self[- ]?harm)|got (?:the )?help|therapy (?:helped|"
    r"saved|works)|(?:in|at) a (?:much )?(?:better|good|great|healthier) place|"
    r"doing (?:well|better|great|good|ok|okay)|proud of (?:myself|how far)|life is "
    r"(?:good|better|great) now|things (?:are|got) (?:better|good)|turned (?:my life|"
    r"things) around|made it through|came out the other side|(?:my )?scars (?:are|have) "
    r"(?:faded|healed)|healed|healing|on the other side|i'?m still here and)\b"
)
_RECENT = re.compile(
    r"\b(?:last night|yesterday|this (?:morning|week|weekend|evening|afternoon)|"
    r"tonight|today|right now|a few (?:days|hours|minutes) ago|\d+ (?:days|hours|"
    r"minutes) ago|an hour ago|again|still|lately|recently|these days|currently|"
    r"just now|this past|the other (?:day|night)|starting to|coming back|came back|"
    r"returned|relaps\w*|every (?:day|night))\b"
)
# Signs that the difficulty is ongoing, which cancel a text-level "recovered" downgrade.
_CURRENT = re.compile(
    r"\b(?:tonight|right now|again|lately|these days|currently|last night|yesterday|"
    r"this (?:week|morning|evening)|at the moment|relaps\w*|the urges?|so hard|"
    r"struggling|still (?:want|think|feel|have)|coming back|came back)\b"
)
_LAUGHTER = re.compile(
    r"(?:\blo+l+\b|\blmf?a+o+\b|\blmfao\b|\b(?:ha){2,}h?\b|\bhehe\b|\brofl\b|\bjk\b|"
    r"\bjust (?:kidding|joking)\b|\bxd+\b|/s\b|😂|🤣|😆|😅|😹|🙃|😜|😝|🤪|💀{2,}|"
    r"\bonly (?:kidding|joking)\b|\bhaha\w*\b|\bi'?m dead\b|\bdeadass\b)"
)
_TRIVIAL_TRIGGER = re.compile(
    r"\b(?:if|when|one more|another|before|unless|this|that|the|these|my|on)\b[^.!?]{0,60}"
    r"\b(?:song|meeting|meetings|exam|exams|test|quiz|homework|assignment|essay|lecture|"
    r"class|commute|traffic|queue|line at|game|match|episode|spoiler|spoilers|email|"
    r"emails|zoom|call|ad|ads|advert|commercial|shift|monday|mondays|math|maths|"
    r"calculus|chemistry|physics|excel|spreadsheet|printer|wifi|update|patch|level|"
    r"boss fight|raid|group project|group chat|karaoke|tiktok|the heat|this heat|"
    r"hangover|cringe|accent|cover|remix|season finale|finale|cliffhanger|team lost|"
    r"we lose|we lost|referee|ref|lag|laggy|loading screen|paperwork|taxes|jury duty|"
    r"dentist|diet|leg day|cardio|workout|burpees|deadline|report card|grades|"
    r"airport|flight|layover|customer service|hold music|on hold|small talk|"
    r"family dinner|thanksgiving|baby shower|wedding|in-laws|phone|battery|charger|"
    r"laptop|pizza|pineapple|cilantro|olives|kale|broccoli|cardio|running|gym|"
    r"powerpoint|slides|spelling|grammar|typo|puns?|dad joke)\b"
)
_JARGON = re.compile(
    r"\bsuicide (?:squad|squeeze|doors?|pass|passes|run|runs|sprints?|drills?|lines|"
    r"kings?|mission|missions|bomber|bombers|bombing|bombings|bombs?|vest|attacks?|"
    r"prevention|hotline|helpline|lifeline|awareness|rates?|statistics|stats|"
    r"research|note generator|forest|girls|boys|season|song|bridge \w+ (?:gate|"
    r"barrier)|jockey|knob|shift|seat|chair|slide|deck|sheet|clause|booth|ward "
    r"\w+|cliff(?: national)?|pact (?:the movie|film))\b|\bsuicidal tendencies\b|"
    r"\bsuicide is painless\b|\b13 reasons why\b|\bvirgin suicides\b|"
    r"\b\$?uicide ?boy\$?s?\b|\bsuicideboys\b|\bsuicide (?:silence|commandos)\b|"
    r"\bsuicidal (?:move|decision|idea for (?:the|a) (?:team|company|party)|"
    r"strategy|play|pass|squid|liberalism|snowflakes?|politics|driving|drivers?|"
    r"pace|mission|tendencies|economic|policy|policies|trade|merger|deal|"
    r"manoeuvre|maneuver|attack|charge|run|dive|jump)\b|\bpolitical suicide\b|"
    r"\b(?:career|social|commercial|electoral|brand|financial|economic|cellular|"
    r"class|ego|academic|fashion|marketing|pr) suicide\b|\bsuicide (?:by|via) "
    r"(?:cop|committee|spreadsheet|budget)\b|\bself[- ]?harm (?:awareness|"
    r"prevention|policy|policies|resources|guidance|guidelines|training|research|"
    r"statistics|rates?)\b|\boverdose (?:prevention|awareness|deaths|rates|crisis|"
    r"epidemic|statistics)\b|\bkilling floor\b|\bdead (?:by daylight|space|island|"
    r"cells|rising)\b|\bdeath (?:note|stranding|loop|metal|grips|cab for cutie)\b|"
    r"\bmy chemical romance\b|\bdie hard\b|\bkill bill\b|\bhanged man\b|"
    r"\bend of evangelion\b|\bself[- ]?destruct (?:button|sequence|mode)\b|"
    r"\b(?:cut|cutting) (?:carbs|sugar|costs|corners|class|ties|the cord|my hair|"
    r"her hair|his hair|bangs|a fringe)\b|\bkill (?:time|it|the lights|the engine|"
    r"the process|switch|streak|count|shot|cam|feed)\b|\bkilled it\b|\bkilling it\b|"
    r"\bdrop[- ]?dead (?:gorgeous|beautiful)\b|\bdead (?:tired|serious|wrong|"
    r"on|last|weight|end|line|lift|lifts|lifting|ringer|center|beat|giveaway|"
    r"heat|air)\b|\b(?:dying|die) (?:to (?:see|try|know|meet|hear|go|get|watch|"
    r"read|eat))\b"
)
_GAMING = re.compile(
    r"\b(?:in[- ]game|respawn(?:ed|ing)?|my character|npc|npcs|fortnite|minecraft|"
    r"gta|roblox|valorant|overwatch|league of legends|dota|apex|warzone|call of duty|"
    r"cod|elden ring|dark souls|skyrim|terraria|speedrun\w*|boss fight|pvp|pve|"
    r"fall damage|grenade|rocket launcher|c4|tnt|lobby|noob|spawn|hp|health bar|"
    r"teammates?|lvl|checkpoint|save file|playthrough|the game|this game|my team|"
    r"(?:the )?raid|dungeon|mario|zelda|pokemon|sims|my sim|hardcore mode|permadeath|"
    r"lava|creeper|hitbox|one-shot|gank\w*|aggro|tank|healer|dps|fps|mmo|rpg|"
    r"fifa|madden|mario kart|smash bros|rocket league|among us|"
    r"chess|checkmate|sacrifice my (?:queen|rook|bishop|knight)|poker|all[- ]in|"
    r"health potions?|mana|xp|ranked|elo|esports?|twitch stream|stream(?:ing|er)?)\b"
)
# A petty offence named near a threat to someone ("... she finished the ice cream") marks it as
# hyperbole; checked in the hit's sentence and the text right after it.
_TRIVIAL_OFFENCE = re.compile(
    r"\b(?:ate|eaten|eats|eating|finished|finishes|drank|drunk|took|takes|stole|steals|used|"
    r"uses|borrowed|borrows|spoiled|spoilt|spoils|spoiling|spoiler\w*|ruined|ruins|deleted|"
    r"deletes|broke|lost|hid|changed|skipped|forgot|forgets|wore|wears|unplugged|paused|"
    r"pressed|touched|moved|reorgani[sz]ed|beat me|beats me|cheated at|crashed|told|showed|"
    r"leaked|picked|chose|put on|keeps (?:playing|singing|humming))\b[^.!?]{0,40}\b"
    r"(?:ice cream|pizza|fries|chips|crisps|snacks?|leftovers|cake|cookies?|biscuits?|"
    r"chocolate|candy|sweets|the last (?:slice|piece|bite|cookie|one|biscuit|bit|donut|"
    r"doughnut)|ending|endings|finale|episode|spoilers?|show|series|season|movie|film|book|"
    r"game|save file|my save|charger|remote|wifi|hoodie|sweater|jumper|shoes|makeup|"
    r"shampoo|parking (?:spot|space)|seat|playlist|song|netflix|password|coffee|milk|tea|"
    r"dessert|sandwich|lunch|food|fridge|toast|popcorn|cereal|hot water|headphones|"
    r"controller|console|tv|channel|plot twist|twist|surprise|secret|mario kart|monopoly|"
    r"uno|chess|fortnite|minecraft|crossword|wordle)\b|\brevenge (?:spoilers?|prank\w*)\b|"
    r"\bprank\w*\b|\b(?:says?|plays?|sings?|makes?|tells?|posts?) (?:one more|another) "
    r"(?:spoiler|joke|pun|song|dad joke|meme|tiktok)\b"
)
# Serious harm named in the same window cancels the petty-offence reading.
_SERIOUS = re.compile(
    r"\b(?:hit|hits|hitting|beat me|beats me|beaten|hurt|hurts|hurting|abus\w*|rap(?:e|ed|es|"
    r"ing)|molest\w*|touched me|knife|gun|weapon|blood|bruises?|assault\w*|choked|strangled|"
    r"threaten\w*|kill(?:ed)? (?:my|our) (?:dog|cat))\b"
)
# The writer says a stated benign purpose is not true ("I told her I'm going travelling. I'm
# not going travelling."), so the benign-purpose downgrade does not apply.
_COVER_STORY = re.compile(
    r"\b(?:<IM>|i am) not (?:really |actually )?(?:going )?(?:travel\w*|moving|mov\w* "
    r"(?:away|abroad|out)|on (?:a |holiday|vacation|a trip)|away|abroad|anywhere|leaving "
    r"(?:for|on))\b|\bthere(?:'s| is) no (?:trip|holiday|vacation|move|new job)\b|"
    r"\b(?:cover story|that was a lie|it was a lie|it'?s a lie|i lied (?:to|about))\b".replace(
        "<IM>", _MACROS["<IM>"]
    )
)
_PLAN_CATEGORIES = frozenset({"plan_method", "intent_timeline"})
_GAMING_CATEGORIES = frozenset({"active_ideation", "harm_to_others", "overdose", "self_harm"})
_SAFETY_Q = re.compile(
    r"\b(?:kill(?:ing)? yourself|suicid\w*|end(?:ing)? your (?:own )?life|hurt(?:ing)? "
    r"yourself|harm(?:ing)? yourself|self[- ]?harm\w*|cut(?:ting)? yourself|thoughts of "
    r"(?:death|dying|suicide|ending)|want(?:ing)? to die|wish(?:ing)? you were dead|"
    r"not (?:wanting|want) to (?:live|be here|wake up)|take your (?:own )?life|"
    r"overdos\w*|a plan|plans? to (?:end|hurt|kill)|safe (?:right now|tonight|at home)|"
    r"feel(?:ing)? safe|in danger|someone hurting you|hurt(?:ing)? (?:someone|anyone|"
    r"others))\b[^?]{0,120}\?"
)
_SAFETY_Q_SAFE = re.compile(r"\b(?:safe|in danger)\b")
_AFFIRM = re.compile(
    r"^\W*(?:yes|yeah|yea|yep|yup|ya|yh|i do|i have|i am|i'?m|sometimes|a little|"
    r"kind of|kinda|sort of|maybe|i think so|often|every day|everyday|all the time|"
    r"constantly|most days|a lot|honestly|i guess|probably|not sure|i don'?t know|"
    r"idk|more than|lately|always|daily|at night|every night|a bit|somewhat|more or "
    r"less|i did|i was|it'?s been)\b"
)
_DENY = re.compile(
    r"^\W*(?:no|nope|nah|not really|never|not at all|of course not|god no|absolutely "
    r"not|definitely not|i'?m (?:not|fine|ok|okay|safe|good)|i am (?:not|fine|safe)|"
    r"i don'?t think so|not anymore|no way)\b"
)
_UNSAFE_ANSWER = re.compile(
    r"^\W*(?:no|nope|nah|not really|not (?:at all|tonight|right now|anymore)|i don'?t "
    r"(?:know|think so|feel safe)|idk|not sure|i'?m not|i am not)\b"
)
_ASSISTANT_ROLES = frozenset(
    {
        "assistant",
        "system",
        "tool",
        "function",
        "developer",
        "bot",
        "model",
        "ai",
        "gpt",
        "chatgpt",
        "therapist",
        "counselor",
        "counsellor",
        "helper",
        "supporter",
        "listener",
        "moderator",
    }
)

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'"})


def _normalise(text: str) -> str:
    """Lowercase with curly apostrophes straightened, keeping every character's offset."""
    low = text.translate(_APOSTROPHES).lower()
    if len(low) == len(text):
        return low
    # A few characters lowercase to several code points (e.g. "İ"); keep those as-is.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text.translate(_APOSTROPHES))


@dataclass(slots=True)
class _Hit:
    rule: _Rule
    start: int
    end: int
    score: float
    reasons: list[str] = field(default_factory=list)


class _Context:
    """Per-text lazily computed context used by the modifiers."""

    __slots__ = (
        "_clause_ends",
        "_doc_news",
        "_gaming",
        "_jargon",
        "_recovered",
        "_sent_ends",
        "clauses",
        "low",
        "sents",
    )

    def __init__(self, low: str) -> None:
        self.low = low
        self.sents = self._bounds(_SENT_BOUNDARY, low)
        self.clauses = self._bounds(_CLAUSE_BOUNDARY, low)
        self._sent_ends = [b for _, b in self.sents]
        self._clause_ends = [b for _, b in self.clauses]
        self._jargon: list[tuple[int, int]] | None = None
        self._doc_news: int | None = None
        self._recovered: bool | None = None
        self._gaming: bool | None = None

    @staticmethod
    def _bounds(rx: re.Pattern[str], low: str) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        pos = 0
        for m in rx.finditer(low):
            if m.start() > pos:
                out.append((pos, m.start()))
            pos = m.end()
        if pos < len(low):
            out.append((pos, len(low)))
        return out or [(0, len(low))]

    @staticmethod
    def _find(
        bounds: list[tuple[int, int]], ends: list[int], start: int, end: int
    ) -> tuple[int, int]:
        """The union of ``[start, end)`` and the segments overlapping it (binary search)."""
        i = bisect.bisect_right(ends, start)
        if i >= len(bounds):
            return start, end
        lo, hi = min(bounds[i][0], start), max(bounds[i][1], end)
        i += 1
        while i < len(bounds) and bounds[i][0] < end:
            hi = max(hi, bounds[i][1])
            i += 1
        return lo, hi

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        return self._find(self.sents, self._sent_ends, start, end)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        return self._find(self.clauses, self._clause_ends, start, end)

    def jargon(self) -> list[tuple[int, int]]:
        if self._jargon is None:
            self._jargon = [m.span() for m in _JARGON.finditer(self.low)]
        return self._jargon

    def news_cues(self) -> int:
        if self._doc_news is None:
            self._doc_news = len({m.group(0) for m in _NEWS_ACADEMIC.finditer(self.low)})
        return self._doc_news

    def recovered(self) -> bool:
        """Recovery language anywhere, unless the text also says the struggle is current."""
        if self._recovered is None:
            self._recovered = (
                _RECOVERED.search(self.low) is not None and _CURRENT.search(self.low) is None
            )
        return self._recovered

    def gaming(self) -> bool:
        if self._gaming is None:
            self._gaming = _GAMING.search(self.low) is not None
        return self._gaming


def _nearest_pronoun(left: str) -> str | None:
    """``"first"``/``"other"`` for the pronoun closest to the end of ``left``, else None."""
    last: re.Match[str] | None = None
    for last in _PRONOUN.finditer(left):  # noqa: B007 - we want the final match
        pass
    if last is None:
        return None
    return "first" if last.group("first") else "other"


def _negated(ctx: _Context, hit: _Hit, clause_start: int, clause_end: int) -> bool:
    """True when a negator governs the hit (close before it, same clause, not hedged)."""
    left = ctx.low[clause_start : hit.start]
    neg: re.Match[str] | None = None
    for neg in _NEGATOR.finditer(left):  # noqa: B007
        pass
    if neg is None:
        return False
    between = left[neg.end() :]
    if len(between.split()) > 8 or _SUBORDINATE.search(between):
        return False
    around = ctx.low[max(clause_start, hit.start - 60) : min(len(ctx.low), hit.end + 40)]
    if _NEG_EXCEPTION.search(ctx.low[max(clause_start, neg.start() - 12) : hit.start]):
        return False
    return _HEDGE.search(around) is None


def _apply_modifiers(ctx: _Context, hit: _Hit) -> None:
    """Multiply ``hit.score`` down for each context that weakens it."""
    low = ctx.low
    s_start, s_end = ctx.sentence(hit.start, hit.end)
    c_start, c_end = ctx.clause(hit.start, hit.end)
    sentence = low[s_start:s_end]
    left_sentence = low[s_start : hit.start]
    rule = hit.rule

    def down(factor: float, reason: str) -> None:
        hit.score *= factor
        hit.reasons.append(reason)

    # subject: who is the experiencer?
    if rule.subject != "self":
        who = _nearest_pronoun(low[max(c_start, hit.start - 60) : hit.start])
        if rule.subject == "topic":
            if who is None and _FIRST_IN_SPAN.search(sentence):
                down(0.8, "writer_in_sentence")
            elif who != "first":
                down(0.4, "not_first_person")
            elif _ABOUT_TOPIC.search(low[max(s_start, hit.start - 60) : hit.start]):
                down(0.4, "about_topic")
        elif who == "other" and not _FIRST_IN_SPAN.search(low[hit.start : hit.end]):
            down(0.4, "other_person")

    if _negated(ctx, hit, c_start, c_end):
        down(0.25, "negation")

    if _HYPOTHETICAL.search(left_sentence):
        down(0.45, "hypothetical")
    if _REPORTED.search(left_sentence) and not left_sentence.lstrip().startswith("i "):
        down(0.5, "reported_speech")
    cues = ctx.news_cues()
    if cues >= 2 and (rule.subject != "self" or cues >= 4):
        down(0.45, "news_academic")

    # past / recovered (cancelled by recency in the same sentence)
    if not _RECENT.search(sentence):
        if _PAST.search(sentence):
            down(0.45, "past")
        if ctx.recovered():
            down(0.55, "recovered")

    # idiom / hyperbole
    window = low[max(0, hit.start - 80) : min(len(low), hit.end + 50)]
    if _LAUGHTER.search(window):
        down(0.45, "laughter")
    if rule.category in ("active_ideation", "passive_ideation") and _TRIVIAL_TRIGGER.search(
        low[max(0, s_start - 60) : s_end]
    ):
        down(0.55, "trivial_trigger")

    # titles, names, jargon
    for a, b in ctx.jargon():
        if a < hit.end and hit.start < b:
            down(0.2, "title_jargon")
            break
    if rule.category in _GAMING_CATEGORIES and ctx.gaming() and _GAMING.search(sentence):
        down(0.4, "gaming")

    if rule.category == "harm_to_others":
        after = low[s_start : min(len(low), s_end + 160)]
        if _TRIVIAL_OFFENCE.search(after) and not _SERIOUS.search(
            low[s_start : hit.start] + " " + low[hit.end : min(len(low), s_end + 160)]
        ):
            down(0.45, "petty_offence")

    if rule.benign is not None and rule.benign.search(sentence):
        if rule.category in _PLAN_CATEGORIES and _COVER_STORY.search(low):
            hit.reasons.append("benign_refuted")
        else:
            down(0.35, "benign_purpose")


class CrisisDetector:
    """High-recall rules plus context modifiers; see the module docstring."""

    name: str = "rules"
    version: str = "1.3.0"

    def __init__(
        self,
        threshold: float = 0.5,
        rules: Sequence[_Rule] = _RULES,
        scorer: CrisisScorer | None = None,
        contextual: ContextualClassifier | None = None,
        band: tuple[float, float] = CONTEXT_BAND,
        weight: float = CONTEXT_WEIGHT,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        if not 0.0 <= band[0] <= band[1] <= 1.0 or not 0.0 <= weight <= 1.0:
            raise ValueError("band must satisfy 0 <= low <= high <= 1 and weight be in [0, 1]")
        self.threshold = threshold
        self.scorer = scorer
        self.contextual = contextual
        self.band = band
        self.weight = weight
        if scorer is not None:  # annotations differ with the scorer: so must the version
            self.name = "rules+scorer"
            self.version = f"{type(self).version}+{getattr(scorer, 'digest', 'custom')}"
        if contextual is not None:
            self.name += "+contextual"
            self.version += f"+ctx{contextual.version}"
        self._rules = tuple(rules)
        keys: dict[str, list[_Rule]] = {}
        for r in self._rules:
            for k in r.keys:
                keys.setdefault(k, []).append(r)
        # One Aho-Corasick pass finds every key occurring in a text (instead of one substring
        # search per key); rules are then taken in key order, exactly as a scan of the keys.
        self._rules_of_key = tuple(tuple(v) for v in keys.values())
        self._key_automaton = ahocorasick.Automaton()
        for i, k in enumerate(keys):
            self._key_automaton.add_word(k, i)
        self._key_automaton.make_automaton()

    # ------------------------------------------------------------------ single text
    def _candidate_rules(self, low: str) -> list[_Rule]:
        found = {i for _end, i in self._key_automaton.iter(low)}
        if not found:
            return []
        seen: set[str] = set()
        out: list[_Rule] = []
        for i in sorted(found):
            for r in self._rules_of_key[i]:
                if r.name not in seen:
                    seen.add(r.name)
                    out.append(r)
        return out

    def _hits(self, low: str) -> list[_Hit]:
        hits: list[_Hit] = []
        rules = self._candidate_rules(low)
        if not rules:
            return hits
        ctx: _Context | None = None
        for rule in rules:
            for m in rule.regex.finditer(low):
                if m.end() == m.start():
                    continue
                if ctx is None:
                    ctx = _Context(low)
                hit = _Hit(rule, m.start(), m.end(), rule.weight)
                _apply_modifiers(ctx, hit)
                hits.append(hit)
        return hits

    def _verdict(self, text: str, hits: list[_Hit]) -> Verdict:
        verdict = self._cheap_verdict(text, hits)
        if self._escalate(verdict, hits):
            return self._contextual(text, hits, verdict, self._context_prob([text])[0])
        return verdict

    def _cheap_verdict(self, text: str, hits: list[_Hit]) -> Verdict:
        """Rules, plus the linear scorer when attached."""
        verdict = self._rule_verdict(text, hits)
        if self.scorer is None:
            return verdict
        return self._combine(text, hits, verdict)

    def _escalate(self, verdict: Verdict, hits: list[_Hit]) -> bool:
        """Is the text in doubt? Its cheap score is inside the band, and no rule hit is
        strong enough to stand on its own (:data:`RULE_STANDS`)."""
        return (
            self.contextual is not None
            and self.band[0] <= verdict.score < self.band[1]
            and max((h.score for h in hits), default=0.0) < RULE_STANDS
        )

    def in_doubt(self, text: str) -> bool:
        """Would the contextual stage read ``text``? (False without one.)"""
        if not isinstance(text, str) or not text.strip():
            return False
        hits = self._hits(_normalise(text))
        return self._escalate(self._cheap_verdict(text, hits), hits)

    def _context_prob(self, texts: Sequence[str]) -> list[Reading]:
        assert self.contextual is not None
        return self.contextual.read([mask_identity(t) for t in texts])

    def _contextual(self, text: str, hits: list[_Hit], cheap: Verdict, r: Reading) -> Verdict:
        """Blend the cheap score with the contextual probability (see the module docstring).
        A text longer than one window can only gain: a window dilutes a short disclosure."""
        s = round((1.0 - self.weight) * cheap.score + self.weight * r.prob, 4)
        if r.windows > 1 and s <= cheap.score:
            return cheap
        if s > cheap.score and not cheap.crisis and _downgraded(hits):
            return cheap  # the rules read the crisis words and judged their frame benign
        if s < self.threshold:
            return Verdict(False, s, (), ())
        if cheap.crisis:
            return Verdict(True, s, cheap.categories, cheap.spans)
        keep = [h for h in hits if h.score >= 0.3]
        if keep:
            cats = tuple(c for c in CATEGORIES if any(h.rule.category == c for h in keep))
            return Verdict(True, s, cats, _dedupe_spans(text, keep))
        cat = max(hits, key=lambda h: h.score).rule.category if hits else UNSPECIFIED
        return Verdict(True, s, (cat,), ())

    def _combine(self, text: str, hits: list[_Hit], verdict: Verdict) -> Verdict:
        """``max(rule score, scaled scorer probability)``; the scorer can only add crisis."""
        assert self.scorer is not None
        p = self.scorer.prob(text, _rule_features(hits))
        s = round(self.scorer.scaled(p, self.threshold), 4)
        if s <= verdict.score:
            return verdict
        if verdict.crisis:
            return Verdict(True, s, verdict.categories, verdict.spans)
        if s < self.threshold:
            return Verdict(False, s, (), ())
        cat = max(hits, key=lambda h: h.score).rule.category if hits else UNSPECIFIED
        return Verdict(crisis=True, score=s, categories=(cat,), spans=())

    def rule_features(self, text: str) -> dict[str, float]:
        """The rule layer's summary that the scorer sees (per-category scores, modifiers)."""
        return _rule_features(self._hits(_normalise(text)))

    def rule_score(self, text: str) -> float:
        """The rules-only score (ignores any scorer)."""
        if not text.strip():
            return 0.0
        return self._rule_verdict(text, self._hits(_normalise(text))).score

    def _rule_verdict(self, text: str, hits: list[_Hit]) -> Verdict:
        if not hits:
            return NO_CRISIS
        top_hit = max(hits, key=lambda h: h.score)
        top = top_hit.score
        # Independent support: other categories, from text that does not overlap the top hit.
        support = {
            h.rule.category
            for h in hits
            if h.score >= 0.3
            and h.rule.category != top_hit.rule.category
            and (h.end <= top_hit.start or h.start >= top_hit.end)
        }
        score = round(min(1.0, top + 0.1 * min(2, len(support))), 4)
        crisis = score >= self.threshold
        if not crisis:
            return Verdict(crisis=False, score=score, categories=(), spans=())
        cut = self.threshold if top >= self.threshold else 0.3
        keep = [h for h in hits if h.score >= cut]
        spans = _dedupe_spans(text, keep)
        cats = tuple(c for c in CATEGORIES if any(h.rule.category == c for h in keep))
        return Verdict(crisis=True, score=score, categories=cats, spans=spans)

    def detect(self, text: str) -> Verdict:
        """Score one text."""
        if not isinstance(text, str):
            raise TypeError(f"detect() expects str, got {type(text).__name__}")
        if not text.strip():
            return NO_CRISIS
        low = _normalise(text)
        return self._verdict(text, self._hits(low))

    def explain(self, text: str) -> list[dict[str, object]]:
        """Every hit with its rule, final score and the modifiers applied (for debugging)."""
        low = _normalise(text)
        return [
            {
                "rule": h.rule.name,
                "category": h.rule.category,
                "text": text[h.start : h.end],
                "base": h.rule.weight,
                "score": round(h.score, 4),
                "modifiers": list(h.reasons),
            }
            for h in self._hits(low)
        ]

    def detect_many(self, texts: Iterable[str]) -> list[Verdict]:
        """Score many texts (same result as calling :meth:`detect` on each, in one call to the
        contextual stage for all the texts it has to read)."""
        items = list(texts)
        if type(self).detect is not CrisisDetector.detect:  # a subclass's own detect rules
            return [self.detect(t) for t in items]
        return self._detect_batch(items, [True] * len(items))

    def _detect_batch(self, items: Sequence[str], deep: Sequence[bool]) -> list[Verdict]:
        """Verdicts for ``items``; the contextual stage reads only those with ``deep`` set."""
        out: list[Verdict] = []
        pending: list[tuple[int, list[_Hit]]] = []
        for i, text in enumerate(items):
            if not isinstance(text, str):
                raise TypeError(f"detect_many() expects str, got {type(text).__name__}")
            if not text.strip():
                out.append(NO_CRISIS)
                continue
            hits = self._hits(_normalise(text))
            v = self._cheap_verdict(text, hits)
            out.append(v)
            if deep[i] and self._escalate(v, hits):
                pending.append((i, hits))
        if pending:
            probs = self._context_prob([items[i] for i, _ in pending])
            for (i, hits), p in zip(pending, probs, strict=True):
                out[i] = self._contextual(items[i], hits, out[i], p)
        return out

    # ------------------------------------------------------------------ conversations
    def detect_conversation(self, messages: Sequence[Mapping[str, str]]) -> ConversationVerdict:
        """Per-turn verdicts plus a record verdict driven by the non-assistant turns.

        Assistant/system turns are scored (so their verdicts appear in ``turns``) but never
        make the record crisis; the contextual stage does not read them. A short affirmative
        user reply to an assistant's risk question ("Are you thinking about killing
        yourself?" - "yes") counts as crisis.
        """
        turns: list[Verdict] = []
        record_hits: list[Verdict] = []
        prev_question: str | None = None
        contents: list[str] = []
        assistant: list[bool] = []
        for msg in messages:
            content = msg.get("content") or ""
            contents.append(content if isinstance(content, str) else str(content))
            assistant.append(str(msg.get("role") or "user").strip().lower() in _ASSISTANT_ROLES)
        # One call to the contextual stage, for the turns that can make the record crisis;
        # assistant/system turns are scored by the rules and scorer only.
        first = self._detect_batch(contents, [not a for a in assistant])
        for content, is_assistant, verdict in zip(contents, assistant, first, strict=True):
            if not is_assistant:
                if not verdict.crisis and prev_question is not None:
                    verdict = self._answer_verdict(content, prev_question, verdict)
                record_hits.append(verdict)
                prev_question = None
            else:
                q = _SAFETY_Q.search(_normalise(content))
                prev_question = q.group(0) if q else None
            turns.append(verdict)
        crisis_turns = [v for v in record_hits if v.crisis]
        score = max((v.score for v in record_hits), default=0.0)
        if crisis_turns:
            cats = tuple(
                c
                for c in (*CATEGORIES, UNSPECIFIED)
                if any(c in v.categories for v in crisis_turns)
            )
            record = Verdict(crisis=True, score=score, categories=cats, spans=())
        else:
            record = Verdict(crisis=False, score=score, categories=(), spans=())
        return ConversationVerdict(record=record, turns=tuple(turns))

    def _answer_verdict(self, content: str, question: str, current: Verdict) -> Verdict:
        """Crisis verdict for a short reply that affirms an assistant's risk question."""
        low = _normalise(content)
        if len(low) > 160:
            return current
        about_safety = _SAFETY_Q_SAFE.search(question) is not None and not re.search(
            r"\b(?:kill|suicid|die|hurt|harm|cut|overdos|end)", question
        )
        if about_safety:
            m = _UNSAFE_ANSWER.search(low)
        else:
            m = None if _DENY.search(low) else _AFFIRM.search(low)
        if m is None:
            return current
        if "hurt" in question and re.search(r"\b(?:someone|anyone|others)\b", question):
            cat = "harm_to_others"
        elif about_safety:
            cat = (
                "abuse_danger"
                if "danger" in question or "home" in question
                else ("active_ideation")
            )
        elif re.search(r"\b(?:hurt|harm|cut)(?:ting)? yourself|self[- ]?harm", question):
            cat = "self_harm"
        elif "overdos" in question:
            cat = "overdose"
        elif "plan" in question:
            cat = "plan_method"
        else:
            cat = "active_ideation"
        a, b = m.span()
        while a < b and not low[a].isalnum():
            a += 1
        span = Span(a, b, cat, content[a:b])
        score = max(current.score, 0.75)
        return Verdict(
            crisis=score >= self.threshold, score=score, categories=(cat,), spans=(span,)
        )


def _downgraded(hits: Sequence[_Hit]) -> bool:
    """Did the rules match crisis wording (a rule of weight >= 0.5) but downgrade every
    match below 0.5 (negation, third person, news, idiom, ...)?"""
    return (
        bool(hits) and max(h.rule.weight for h in hits) >= 0.5 and max(h.score for h in hits) < 0.5
    )


def _dedupe_spans(text: str, hits: list[_Hit]) -> tuple[Span, ...]:
    """Spans sorted by position; overlapping hits of one category keep the longest."""
    ordered = sorted(hits, key=lambda h: (h.rule.category, h.start, -(h.end - h.start)))
    out: list[Span] = []
    for h in ordered:
        if out and out[-1].category == h.rule.category and h.start < out[-1].end:
            if h.end > out[-1].end:
                last = out[-1]
                out[-1] = Span(last.start, h.end, last.category, text[last.start : h.end])
            continue
        out.append(Span(h.start, h.end, h.rule.category, text[h.start : h.end]))
    return tuple(sorted(out, key=lambda s: (s.start, s.end, s.category)))


def _rule_features(hits: Sequence[_Hit]) -> dict[str, float]:
    """Named features for the scorer: max score per category/rule, modifier flags."""
    out: dict[str, float] = {}
    if not hits:
        out["none"] = 1.0
        return out
    out["any"] = 1.0
    for h in hits:
        for key in ("cat:" + h.rule.category, "rule:" + h.rule.name, "max"):
            if h.score > out.get(key, 0.0):
                out[key] = h.score
        for reason in h.reasons:
            out["mod:" + reason] = 1.0
    return out


def default_detector(kind: str = DEFAULT_DETECTOR) -> CrisisDetector:
    """The shared detector of a kind (built once per process); see :func:`_build_detector`."""
    return _build_detector(kind)


@lru_cache(maxsize=2)
def _build_detector(kind: str) -> CrisisDetector:
    """The shared detector of a kind (built once per process): rules, plus the shipped scorer
    when its artifact (``data/crisis_scorer.json``) exists and is marked enabled, plus, for
    kind ``"contextual"`` (the default), the shipped contextual classifier."""
    from pipeline.safety.scorer import DEFAULT_ARTIFACT, CrisisScorer

    if kind not in DETECTOR_KINDS:
        raise ValueError(f"detector kind {kind!r}: use one of {', '.join(DETECTOR_KINDS)}")
    scorer = CrisisScorer.load(DEFAULT_ARTIFACT) if DEFAULT_ARTIFACT.exists() else None
    contextual = None
    if kind == "contextual":
        from pipeline.safety.contextual import load_contextual

        contextual = load_contextual()
    return CrisisDetector(
        scorer=scorer if scorer is not None and scorer.enabled else None, contextual=contextual
    )
