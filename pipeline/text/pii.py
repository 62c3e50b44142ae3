"""PII redaction with typed placeholders: ``[EMAIL_ADDRESS]``, ``[PHONE_NUMBER]``, ``[URL]``,
``[IP]``, ``[ADDRESS]``, ``[CREDIT_CARD]``, ``[SSN]``, ``[NATIONAL_ID]``, ``[DOB]``,
``[PERSON]`` (types EMAIL and PHONE: see :data:`PLACEHOLDERS` for why they are spelled out).

Everything is rules (regular expressions plus checks), no model:

- EMAIL: ``local@domain.tld`` and the bracketed ``name [at] domain [dot] com`` forms.
- URL: only URLs with a personal part are redacted: a profile on a social/payment site
  (``facebook.com/jane.doe``, ``linkedin.com/in/...``, ``reddit.com/u/...``, ``tiktok.com/@...``),
  a path with ``~user``, ``/user(s)/``, ``/u/``, ``/profile``, ``/people/``, ``/members/``, or a
  query carrying an e-mail, name, user id, token or phone. Resource links (a charity's page,
  an article) stay: they are not personal and help the text make sense.
- IP: IPv4 (each octet <= 255, not part of a longer dotted number or a "version 1.2.3.4"),
  IPv6 (validated by :mod:`ipaddress`).
- PHONE: 7-15 digits in phone-shaped groups (``+44 20 7946 0958``, ``(555) 123-4567``,
  ``07700 900123``, ``+33 6 12 34 56 78``). Ten or more digits, or a leading ``+``, is
  enough; 7-9 digits need a cue word just before (call, phone, text, mobile, number...).
  Public crisis and support lines (988, Samaritans 116 123, 1-800-273-8255, Childline
  0800 1111, ...: see ``data/helplines.txt``) are kept when ``keep_helplines``: they are not
  personal, and a reply that points someone in crisis to a helpline must stay readable.
- CREDIT_CARD: 13-19 digits (optionally grouped) with a card-network prefix and a valid
  Luhn checksum.
- SSN: ``123-45-6789`` (with the invalid 000/666/9xx areas excluded); the same digits with
  spaces or none only after "SSN"/"social security".
- NATIONAL_ID: UK National Insurance numbers (``QQ 12 34 56 C``, valid prefixes only).
- DOB: a date (numeric or with a month name) right after "DOB", "date of birth", "born on",
  "birthday is"...; only the date is replaced ("born on [DOB]"). A bare year ("born in
  1990") is kept.
- ADDRESS: a house number + capitalised street name + street word (Street, Road, Ave, Lane,
  Close, ...) with optional flat/apartment, town, US state + ZIP or UK postcode; a lower-case
  street only after "live(s) at", "address is"...; UK postcodes on their own.
- PERSON: no NER model is installable here with clean provenance, so names are found by
  context cues plus the shipped name lists (``data/first_names.txt``, ``surnames.txt``,
  ``ambiguous_names.txt``, written for this project): a listed given name (optionally with
  a following surname or capitalised word); after a title (Mr, Mrs, Ms, Dr, ...), "my name
  is", "call me", "I'm" (listed names only), a role word ("my sister", "my therapist,"), a
  greeting ("Hi", "Dear") or a sign-off line, any capitalised word(s). Given names that are
  also words (Hope, Grace, Will, May...) need a cue or a listed surname. Only the name is
  replaced: "Dr [PERSON]", "my friend [PERSON]".

Measured precision/recall per type: ``bench/eval_pii.py`` (README).
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from pipeline.records import Record
from pipeline.text.audit import AuditSample

PII_TYPES: tuple[str, ...] = (
    "EMAIL",
    "URL",
    "CREDIT_CARD",
    "SSN",
    "NATIONAL_ID",
    "DOB",
    "IP",
    "PHONE",
    "ADDRESS",
    "PERSON",
)
# The text that replaces each type. PHONE and EMAIL are spelled out because the crisis
# detector treats the words "phone" and "email" near a crisis sentence as a trivial-complaint
# cue ("my phone is dying"): "my number is [PHONE]. I don't want to wake up tomorrow." scored
# 0.47 (not crisis) where the raw text scored 0.85; "[PHONE_NUMBER]" has no word boundary
# inside, so the redacted text scores like the original (tests/test_pii.py checks this).
PLACEHOLDERS: dict[str, str] = {t: f"[{t}]" for t in PII_TYPES} | {
    "PHONE": "[PHONE_NUMBER]",
    "EMAIL": "[EMAIL_ADDRESS]",
}
# overlap resolution: the earlier type wins (an e-mail inside a URL is the URL's, ...)
_PRIORITY = {t: i for i, t in enumerate(PII_TYPES)}
DATA = Path(__file__).parent / "data"


@dataclass(frozen=True, slots=True)
class PiiSpan:
    start: int
    end: int
    type: str


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _words(name: str) -> frozenset[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip() for s in lines if s.strip() and not s.startswith("#"))


@lru_cache(maxsize=1)
def _lists() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    ambiguous = _words("ambiguous_names.txt")
    first = _words("first_names.txt") - ambiguous
    surnames = _words("surnames.txt")
    helplines = frozenset(
        _canonical_phone(re.sub(r"\D", "", line.split("#", 1)[0]))
        for line in (DATA / "helplines.txt").read_text(encoding="utf-8").splitlines()
        if line.split("#", 1)[0].strip()
    )
    return first, ambiguous, surnames, helplines


def _canonical_phone(digits: str) -> str:
    """Digits without the country code for UK (44) and NANP (1) numbers."""
    if digits.startswith("44") and len(digits) >= 11:
        return "0" + digits[2:]
    if digits.startswith("1") and len(digits) == 11:
        return digits[1:]
    return digits


# ---------------------------------------------------------------- regular expressions
_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b"
    r"|(?<![\w.+-])[A-Za-z0-9][\w.+-]* ?[\[(]at[\])] ?[\w-]+(?: ?[\[(]dot[\])] ?[\w-]+)+",
    re.IGNORECASE,
)
_SOCIAL = (
    "facebook.com|fb.com|instagram.com|twitter.com|x.com|tiktok.com|linkedin.com|youtube.com"
    "|github.com|gitlab.com|reddit.com|snapchat.com|pinterest.com|tumblr.com|medium.com"
    "|onlyfans.com|venmo.com|paypal.me|cash.app|t.me|wa.me|threads.net|bsky.app|twitch.tv"
    "|soundcloud.com|patreon.com|vk.com|discord.gg|discordapp.com"
)
_URL = re.compile(
    r"(?:\bhttps?://|\bwww\.|(?<![\w.@/])(?:m\.|mobile\.)?(?:"
    + _SOCIAL.replace(".", r"\.")
    + r")/)"
    r"[^\s<>\"'`{}|\\^\[\]]+",
    re.IGNORECASE,
)
_SOCIAL_HOSTS = frozenset(_SOCIAL.split("|"))
_GENERIC_PATHS = _wordset(
    "help about legal policies privacy terms watch hashtag explore search groups pages events"
    " r i home login signup share sharer intent settings jobs company school feed notifications"
    " topics trending results playlist shorts embed p reel tv stories marketplace gaming"
    " watch?v premium business ads developers docs blog status"
)
_PERSONAL_PATH = re.compile(
    r"/~|/(?:users?|u|profiles?|people|members?|in|@)[/=]|/@[\w.]|profile\.php", re.IGNORECASE
)
_PERSONAL_QUERY = _wordset(
    "email e-mail mail name firstname first_name lastname last_name fullname full_name user"
    " username user_name uid userid user_id token session sessionid phone tel mobile address"
    " dob birthdate"
)
_IPV4 = re.compile(
    r"(?<![\w.])(?<!version )(?<!\bv)(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}"
    r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)",
    re.IGNORECASE,
)
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_PHONE = re.compile(
    r"(?<![\w+$£€/.,-])(?<![\w][.,])"
    r"(?:\+\d{1,3}[ .-]?)?(?:\(0\)[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?"
    r"\d{1,12}(?:[ .-]\d{1,8}){0,5}"
    r"(?![\w%/]|[.,]\d|[ .-]\d)"
)
_YEAR_FIRST = re.compile(r"(?:19|20)\d\d[-./]")
# "case number 2023-117-004" is not a phone number
_NOT_PHONE_CUE = re.compile(
    r"\b(?:case|report|reference|ref|order|account|tracking|serial|policy|invoice|member"
    r"|membership|ticket|booking|claim|patient|nhs|hospital|room|house|flat|bus|batch|crime"
    r"|incident|student|staff|employee|customer|passport|licence|license|registration)"
    r"\W{0,3}(?:number|no|num|#)\b",
    re.IGNORECASE,
)
_PHONE_CUE = re.compile(
    r"\b(?:call(?:ed|ing)?|phone|tel|telephone|text(?:ed|ing)?|mobile|cell|number|no|ring"
    r"|whatsapp|contact|reach(?: me)?|dial|landline|fax|sms|ph)\b\W{0,4}(?:\w+\W{1,3}){0,3}$",
    re.IGNORECASE,
)
_CARD = re.compile(r"\d(?<![\d-]\d)(?:[ -]?\d){12,18}(?!\d)")
_CARD_PREFIX = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|3[068]|35|6(?:011|5|4[4-9]|2))")
_SSN = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])")
_SSN_CUE = re.compile(
    r"\b(?:ssn|social security(?: number| no\.?| #)?)\s*(?:is|:|#|was)?\s*"
    r"((?!000|666|9\d\d)\d{3}[ -]?(?!00)\d{2}[ -]?(?!0000)\d{4})\b",
    re.IGNORECASE,
)
_NINO = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b"
)
_NINO_CUE = re.compile(
    r"\b(?:national insurance(?: number| no\.?)?|ni number|nino)\s*(?:is|:|was)?\s*"
    r"((?!bg|gb|nk|kn|tn|nt|zz)[a-ceghj-pr-tw-z][a-ceghj-npr-tw-z] ?\d{2} ?\d{2} ?\d{2} ?[a-d])\b",
    re.IGNORECASE,
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b|\d{4}-\d{1,2}-\d{1,2}\b"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?: of)? {_MONTH},?(?: \d{{4}}\b)?"
    rf"|{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?\b(?:,? \d{{4}}\b)?"
)
_DOB = re.compile(
    r"\b(?:d\.?o\.?b\.?|date of birth|birth ?date|birthday(?: is| was|'s)?|born(?: on)?)"
    rf"\s*(?:is|was|:|-|=)?\s*(?:the |on )?({_DATE})",
    re.IGNORECASE,
)
_STREET_WORDS = (
    r"(?:Street|Road|Avenue|Lane|Drive|Boulevard|Court|Place|Terrace|Way|Close|Crescent|Grove"
    r"|Gardens|Parkway|Square|Mews|Highway|Circle|Trail|Row|Walk)\b"
    r"|(?:St|Rd|Ave|Ln|Dr|Blvd|Ct|Pl|Cres|Gdns|Pkwy|Sq|Hwy|Cir)\b\.?"
)
_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}"
_ADDRESS_TAIL = (  # case-sensitive even inside an IGNORECASE pattern
    r"(?-i:(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Flat|#)\.? ?[\w-]+)?"
    r"(?:, [A-Z][a-z]+(?: [A-Z][a-z]+){0,2})?"
    rf"(?:,? (?:[A-Z]{{2}} \d{{5}}(?:-\d{{4}})?|{_POSTCODE}))?)"
)
_ADDRESS = re.compile(
    r"(?<![\w£$€.,])(?:(?:Flat|Apartment|Apt|Unit|Suite) \w{1,5},? )?"
    r"\d{1,5}[A-Za-z]?(?:-\d{1,5})?,? "
    rf"(?:[A-Z][a-z'’]+\.? ){{0,3}}[A-Z][a-z'’]+ (?:{_STREET_WORDS}){_ADDRESS_TAIL}"
)
_ADDRESS_CUE = re.compile(
    r"\b(?:live|lives|living|lived|stay|staying|address is|address:|moved to|move to|at|on"
    r"|from)\s+"
    rf"((?:(?:flat|apartment|apt|unit) \w{{1,5}},? )?\d{{1,5}}[a-z]?,? (?:[a-z'’]+ ){{1,3}}"
    rf"(?:{_STREET_WORDS}){_ADDRESS_TAIL})",
    re.IGNORECASE,
)
_POSTCODE_RE = re.compile(rf"\b{_POSTCODE}\b")
_AT = re.compile(r"@")

# A capitalised word (Sarah, Mary-Jane, McDonald, MacLeod, O'Brien). It starts with a bare
# character class so the regex engine can scan for it quickly (a leading \b cannot).
_CAP = re.compile(
    r"[A-Z](?<![\w'’][A-Z])"
    r"(?:(?<=M)ac?[A-Z][a-z]+|(?<=O)['’][A-Z][a-z]+|[a-z]+(?:-[A-Z][a-z]+)?)\b"
)
_NAME_TAIL = re.compile(
    r"(?: [A-Z]\.)?(?: (?:Mc|Mac|O['’]|De |Van |Von )?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
)
# titles are case-sensitive: "my sister. Told her" has no title in it
_TITLE = (
    r"(?-i:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Rev|Revd)\.? "
    r"|(?:Miss|Doctor|Professor|Sir|Dame|Father|Sister|Nurse|Auntie|Uncle) )"
)
_ROLES = (
    r"(?:best |old |new |late |little |big |older |younger |elder |twin |ex-?|step-?|former )*"
    r"(?:friend|mate|boyfriend|girlfriend|husband|wife|partner|fianc[eé]e?|ex|brother|sister"
    r"|son|daughter|mum|mom|mother|dad|father|grandma|grandad|granddad|grandmother"
    r"|grandfather|nan|nana|gran|uncle|aunt|auntie|cousin|nephew|niece|boss|manager"
    r"|supervisor|colleague|coworker|co-worker|teacher|tutor|therapist|counsellor|counselor"
    r"|psychiatrist|psychologist|doctor|gp|nurse|social worker|caseworker|case worker|neighbour"
    r"|neighbor|flatmate|roommate|housemate|classmate|coach|pastor|priest|carer|landlord"
    r"|landlady|abuser|bully|stepdad|stepmum|stepmom|baby|kid|child|bestie|crush)"
)
_CUE = re.compile(
    r"(?:"
    rf"\b{_TITLE}"
    r"|\b(?:my|his|her|their|your|our) name(?:'s| is| was) "
    r"|\bname(?:'s| is|:) "
    r"|\b(?:call(?:ed)? me|named|called|known as|i go by) "
    rf"|\b(?:my|his|her|their|your|our|a|the) {_ROLES}(?:,| called| named| is)? "
    r"|(?:^|[.!?] |\n)(?:hi|hello|hey|dear|thanks|thank you|cheers|bye|morning|evening),? "
    r"|(?:^|\n)(?:regards|best|best wishes|thanks|cheers|love|sincerely|yours|xx+|x),? ?\n"
    r")$",
    re.IGNORECASE,
)
# the last word before a name that may end a _CUE (a cheap test before the regex)
_CUE_LAST = _wordset(
    "mr mrs ms miss mx dr doctor prof professor sir dame rev revd father sister nurse is was"
    " name's name me named called as by hi hello hey dear thanks you cheers bye morning evening"
    " regards best wishes love sincerely yours x xx xxx friend mate boyfriend girlfriend husband"
    " wife partner fiance fiancee fiancé fiancée ex brother son daughter mum mom mother dad"
    " grandma grandad granddad grandmother grandfather nan nana gran uncle aunt auntie cousin"
    " nephew niece boss manager supervisor colleague coworker co-worker teacher tutor therapist"
    " counsellor counselor psychiatrist psychologist gp worker caseworker neighbour neighbor"
    " flatmate roommate housemate classmate coach pastor priest carer landlord landlady abuser"
    " bully stepdad stepmum stepmom baby kid child bestie crush"
)
# a capitalised word after a name that makes it an organisation or a place, not a person
_ORG_WORDS = _wordset(
    "Project Foundation Trust Fund Charity Society Association Institute Centre Center Clinic"
    " Hospital Hospice Practice Surgery School Academy College University Church Chapel"
    " Street Road Avenue Lane Drive Way Close Park Square River Lake Bridge Hall House Court"
    " Line Helpline Service Services Group Team Company Ltd Inc Council Network Partnership"
    " Award Prize Building Station Airport Museum Gallery Theatre Stadium Arena Hotel Cafe"
)
# listed surnames that are also common words: not enough on their own to make a name
_WORD_SURNAMES = _wordset(
    "Baker Bell Brown Cook Cooper Cole Fisher Fox Grant Gray Green Hall Hart Hill Hunt King"
    " Knight Mason Mills Price Rose Shaw Ward Wells White Wood Young Long Black Banks Lee"
    " Martin James Thomas Kelly Graham Owen Ross Scott Stewart Turner Walker Webb Hayes"
)
_NOT_NAME = _wordset(
    "I I'm I've I'll I'd A An The This That These Those It Its He She We They You Your My Our"
    " His Her Their There Here What When Where Why How Who Which If But And Or So Yes No Not"
    " Ok Okay Hi Hello Hey Dear Thanks Thank Sorry Please Sir Madam Mum Mom Dad Mother Father"
    " Doctor God Lord Jesus Christ Allah Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
    " January February March April May June July August September October November December"
    " Christmas Easter Today Tomorrow Tonight Yesterday Everyone Everybody Someone Somebody"
    " Nobody All Both Each Some Any Just Also Still Even Maybe Then Now Well Really Very Too"
    " Again Team Guys Folks English British American Christian Muslim Jewish Catholic NHS"
    " Street Road Avenue Lane Hospital University College School Centre Center Church"
    " Samaritans Shout Childline Mind Google Facebook Instagram Twitter Reddit Discord"
    " Mr Mrs Ms Mx Dr Prof Rev Revd Miss Dame Nurse Sister Professor"
)


# ---------------------------------------------------------------- cheap gates
# Most patterns above start with a lookbehind or \b, which makes the regex engine try every
# position of the text (30-180 us per 2 KB each). They are run only where a gate that starts
# with a plain character class (fast to scan) found something: windows around digit clusters
# and house numbers, around "@", at "http"/"www." positions.
_CLUSTER = re.compile(r"\d[\d ().,/+-]{4,}\d")  # phones, cards, SSN, NI numbers, IPv4, dates
_HOUSE = re.compile(r"\d[A-Za-z]?,? [A-Za-z]")  # a house number followed by a word
_POSTCODE_GATE = re.compile(r"\d[ABD-HJLNP-UW-Z]{2}\b")  # the inward part of a UK postcode
_SOCIAL_GATE = tuple(h + "/" for h in _SOCIAL.split("|"))


def _windows(rx: re.Pattern[str], text: str, before: int, after: int) -> list[tuple[int, int]]:
    """Merged ``(start, end)`` windows around every match of a gate regex."""
    out: list[tuple[int, int]] = []
    n = len(text)
    for m in rx.finditer(text):
        s, e = max(0, m.start() - before), min(n, m.end() + after)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _positions(text: str, needle: str) -> list[int]:
    out = []
    i = text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _personal_url(url: str) -> bool:
    if "@" in url:
        return True
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    path = parts.path
    if _PERSONAL_PATH.search(path):
        return True
    if any(k.lower() in _PERSONAL_QUERY for k, _ in parse_qsl(parts.query)):
        return True
    if host in _SOCIAL_HOSTS:
        first = path.strip("/").split("/", 1)[0].lower()
        return bool(first) and first not in _GENERIC_PATHS and "." not in first[:1]
    return False


class PiiDetector:
    """Finds PII spans (see the module docstring); :meth:`redact` replaces them."""

    def __init__(self, types: tuple[str, ...] | list[str] = PII_TYPES, keep_helplines: bool = True):
        unknown = set(types) - set(PII_TYPES)
        if unknown:
            raise ValueError(f"unknown PII types {sorted(unknown)}; known: {', '.join(PII_TYPES)}")
        self.types = frozenset(types)
        self.keep_helplines = keep_helplines
        self.first, self.ambiguous, self.surnames, self.helplines = _lists()

    # ---------------------------------------------------------------- finders
    def _phones(self, text: str, ws: int, we: int, out: list[PiiSpan]) -> None:
        for m in _PHONE.finditer(text, ws, we):
            s = m.group(0)
            digits = re.sub(r"\D", "", s)
            n = len(digits)
            if n < 7 or n > 15:
                continue
            if self.keep_helplines and _canonical_phone(digits) in self.helplines:
                continue
            # 7-9 digits, dotted groups ("12.05.2023.10") or a year first ("2023-117-004")
            # need a cue word before
            weak = not s.startswith("+") and (
                n < 10 or s.count(".") >= 2 or _YEAR_FIRST.match(s) is not None
            )
            if weak:
                cue = _PHONE_CUE.search(text, max(0, m.start() - 40), m.start())
                if cue is None or _NOT_PHONE_CUE.search(text, max(0, m.start() - 40), m.start()):
                    continue
            out.append(PiiSpan(m.start(), m.end(), "PHONE"))

    def _cards(self, text: str, ws: int, we: int, out: list[PiiSpan]) -> None:
        for m in _CARD.finditer(text, ws, we):
            s = m.group(0)
            digits = s.replace(" ", "").replace("-", "")
            if 13 <= len(digits) <= 19 and _CARD_PREFIX.match(digits) and _luhn(digits):
                seps = {c for c in s if c in " -"}
                if len(seps) <= 1:
                    out.append(PiiSpan(m.start(), m.end(), "CREDIT_CARD"))

    def _ipv6(self, text: str, out: list[PiiSpan]) -> None:
        for m in _IPV6.finditer(text):
            s = m.group(0)
            if len(s) < 6 or s.count(":") < 2:
                continue
            try:
                ipaddress.IPv6Address(s)
            except ValueError:
                continue
            out.append(PiiSpan(m.start(), m.end(), "IP"))

    def _url_at(self, text: str, m: re.Match[str] | None, out: list[PiiSpan]) -> int:
        if m is None:
            return -1
        url = m.group(0).rstrip(".,;:!?)'\"")
        if _personal_url(url):
            out.append(PiiSpan(m.start(), m.start() + len(url), "URL"))
        return m.end()

    def _urls(self, text: str, out: list[PiiSpan]) -> None:
        low = text.lower()
        if any(h in low for h in _SOCIAL_GATE):  # bare social hosts: rare, scan it all
            for m in _URL.finditer(text):
                self._url_at(text, m, out)
            return
        if "http" not in low and "www." not in low:
            return
        starts = sorted(set(_positions(low, "http")) | set(_positions(low, "www.")))
        end = -1
        for p in starts:
            if p < end:
                continue
            end = max(end, self._url_at(text, _URL.match(text, p), out))

    def _cued(self, text: str, start: int) -> bool:
        """Does a strong name cue (title, "my name is", role word, greeting, sign-off)
        end right before ``start``?"""
        left = text[max(0, start - 40) : start]
        stripped = left.rstrip(" ,\n")
        last = stripped.rsplit(None, 1)[-1].rstrip(".,:").lower() if stripped else ""
        if last not in _CUE_LAST:
            return False
        return _CUE.search(left) is not None

    def _names(self, text: str, out: list[PiiSpan]) -> None:
        first, ambiguous, surnames = self.first, self.ambiguous, self.surnames
        pos = 0
        for m in _CAP.finditer(text):
            start = m.start()
            if start < pos:
                continue
            word = m.group(0)
            if word in _NOT_NAME:
                continue
            end = m.end()
            tail = _NAME_TAIL.match(text, end)
            nxt = tail.group(0).split()[-1] if tail is not None else ""
            if word in first:
                ok = True
            elif word in ambiguous:
                ok = nxt in surnames or self._cued(text, start)
            else:
                ok = (nxt in surnames and nxt not in _WORD_SURNAMES) or self._cued(text, start)
            if not ok:
                continue
            # extend over a middle initial and up to two more capitalised words (surnames)
            org = False
            for _ in range(2):
                t = _NAME_TAIL.match(text, end)
                if t is None:
                    break
                nxt = t.group(0).split()[-1]
                if nxt in _ORG_WORDS:
                    org = True  # "Trevor Project", "Grace Hospital": not a person
                    break
                if nxt in _NOT_NAME:
                    break
                end = t.end()
            pos = end
            if not org:
                out.append(PiiSpan(start, end, "PERSON"))

    def find(self, text: str) -> list[PiiSpan]:
        """Non-overlapping PII spans of ``text``, in order."""
        types = self.types
        cands: list[PiiSpan] = []
        n = len(text)
        if "EMAIL" in types and "@" in text:
            for ws, we in _windows(_AT, text, 64, 255):
                cands.extend(
                    PiiSpan(m.start(), m.end(), "EMAIL") for m in _EMAIL.finditer(text, ws, we)
                )
        if "EMAIL" in types and ("[at]" in text or "(at)" in text):
            cands.extend(PiiSpan(m.start(), m.end(), "EMAIL") for m in _EMAIL.finditer(text))
        if "URL" in types and "/" in text:
            self._urls(text, cands)
        low = ""
        if "DOB" in types or "SSN" in types or "NATIONAL_ID" in types:
            low = text.lower()
        if "DOB" in types and ("birth" in low or "born" in low or "dob" in low or "d.o.b" in low):
            cands.extend(PiiSpan(m.start(1), m.end(1), "DOB") for m in _DOB.finditer(text))
        if "SSN" in types and ("ssn" in low or "social security" in low):
            cands.extend(PiiSpan(m.start(1), m.end(1), "SSN") for m in _SSN_CUE.finditer(text))
        if "NATIONAL_ID" in types and ("insurance" in low or "ni number" in low or "nino" in low):
            cands.extend(
                PiiSpan(m.start(1), m.end(1), "NATIONAL_ID") for m in _NINO_CUE.finditer(text)
            )
        if "IP" in types and ("::" in text or text.count(":") >= 3):
            self._ipv6(text, cands)
        digits = any(d in text for d in "0123456789")
        if digits and any(t in types for t in ("CREDIT_CARD", "SSN", "NATIONAL_ID", "IP", "PHONE")):
            for ws, we in _windows(_CLUSTER, text, 45, 12):
                if "CREDIT_CARD" in types:
                    self._cards(text, ws, we, cands)
                if "SSN" in types:
                    cands.extend(
                        PiiSpan(m.start(), m.end(), "SSN") for m in _SSN.finditer(text, ws, we)
                    )
                if "NATIONAL_ID" in types:
                    cands.extend(
                        PiiSpan(m.start(), m.end(), "NATIONAL_ID")
                        for m in _NINO.finditer(text, ws, we)
                    )
                if "IP" in types:
                    cands.extend(
                        PiiSpan(m.start(), m.end(), "IP") for m in _IPV4.finditer(text, ws, we)
                    )
                if "PHONE" in types:
                    self._phones(text, ws, we, cands)
        if digits and "ADDRESS" in types:
            for ws, we in _windows(_HOUSE, text, 40, 160):
                cands.extend(
                    PiiSpan(m.start(), m.end(), "ADDRESS") for m in _ADDRESS.finditer(text, ws, we)
                )
                cands.extend(
                    PiiSpan(m.start(1), m.end(1), "ADDRESS")
                    for m in _ADDRESS_CUE.finditer(text, ws, we)
                )
            for ws, we in _windows(_POSTCODE_GATE, text, 6, 0):
                cands.extend(
                    PiiSpan(m.start(), m.end(), "ADDRESS")
                    for m in _POSTCODE_RE.finditer(text, ws, min(n, we + 1))
                )
        if "PERSON" in types:
            self._names(text, cands)
        if len(cands) <= 1:
            return cands
        cands.sort(key=lambda s: (_PRIORITY[s.type], s.start - s.end))
        taken: list[PiiSpan] = []
        for c in cands:
            if all(c.end <= t.start or c.start >= t.end for t in taken):
                taken.append(c)
        taken.sort(key=lambda s: s.start)
        return taken

    def redact(self, text: str) -> tuple[str, list[PiiSpan]]:
        """``text`` with every span replaced by its placeholder, and the spans (in ``text``)."""
        spans = self.find(text)
        if not spans:
            return text, spans
        parts = []
        pos = 0
        for s in spans:
            parts.append(text[pos : s.start])
            parts.append(PLACEHOLDERS[s.type])
            pos = s.end
        parts.append(text[pos:])
        return "".join(parts), spans


class PiiRedactor:
    """Record step: redact ``text`` and every turn of ``messages``; counts ``pii:<TYPE>``."""

    def __init__(
        self,
        types: tuple[str, ...] | list[str] = PII_TYPES,
        *,
        keep_helplines: bool = True,
        counts: Counter[str] | None = None,
        audit: AuditSample | None = None,
    ) -> None:
        self.detector = PiiDetector(types, keep_helplines)
        self.counts: Counter[str] = counts if counts is not None else Counter()
        self.audit = audit

    def redact_text(self, text: str) -> str:
        return self.detector.redact(text)[0]

    def _one(self, text: str) -> str:
        out, spans = self.detector.redact(text)
        for s in spans:
            self.counts[f"pii:{s.type}"] += 1
        return out

    def __call__(self, rec: Record) -> Record:
        if rec.get("text"):
            rec["text"] = self._one(rec["text"])
        if rec.get("messages"):
            rec["messages"] = [
                {"role": m["role"], "content": self._one(m["content"])} for m in rec["messages"]
            ]
        return rec
