"""Identity-term masking for the crisis scorer.

The scorer learns from a few thousand written texts; any demographic word that happens to
sit more often in crisis rows than in calm ones becomes evidence of crisis (the bias-probe
benchmark measured exactly that: detection of identical crisis texts moved with the
religion or income named in them). Whether a text expresses current risk never depends on
who wrote it, so the scorer does not see who: :func:`mask_identity` replaces gender, religion,
ethnicity and nationality, sexuality and gender identity, disability, income/class and age
words with one neutral word before the scorer builds its n-grams and its embedding, in
training and at inference alike. The rule layer still reads the original text (its rules
name no identity), and records keep their text: masking is internal to the scorer.

The list is broad on purpose and not taken from the probe values; a term missing from it is
simply not masked (the scorer then sees it as before). Words that are also everyday words in
crisis talk are left out or only masked in an identity phrase: "blind" ("blind drunk"),
"poor" ("poor me"), "straight" ("three nights straight"), "benefits" ("benefits of therapy")
and "black" ("blacked out", "black dog") are masked only next to a person noun or after "on"
(for benefits); "temple" is never masked (a gun to the temple).
"""

from __future__ import annotations

import re

__all__ = ["MASK", "identity_spans", "mask_identity"]

#: The word every identity term becomes (an ordinary, label-neutral noun).
MASK = "person"

_PERSON = (
    r"(?:"
    r"person|people|man|men|woman|women|guy|guys|girl|girls|boy|boys|kid|"
    r"kids|family|families|student|students|community|friend|friends|teen|"
    r"teens|teenager|adult|adults|lady|ladies|folk|folks|someone|individual|"
    r"individuals|parent|parents|mum|mom|dad|couple"
    r")"
)

# Single words that name an identity in any context.
_WORDS = (
    # religion and belief
    "muslim muslims islam islamic christian christians christianity catholic catholics "
    "protestant protestants evangelical evangelicals mormon mormons orthodox jewish jew jews "
    "judaism hindu hindus hinduism sikh sikhs sikhism buddhist buddhists buddhism jain jains "
    "atheist atheists agnostic agnostics pagan pagans rastafarian baptist methodist "
    "anglican quaker shia sunni "
    # ethnicity and nationality
    "hispanic hispanics latino latina latinos latinas latinx arab arabs caucasian "
    "indigenous aboriginal african-american asian-american biracial mixed-race "
    "nigerian nigerians ghanaian kenyan somali ethiopian pakistani pakistanis indian indians "
    "bangladeshi chinese japanese korean vietnamese filipino filipina polish romanian "
    "mexican mexicans puerto-rican brazilian syrian afghan iraqi iranian turkish "
    "jamaican caribbean immigrant immigrants migrant migrants refugee refugees "
    "asylum-seeker asylum-seekers roma gypsy "
    # gender, sexuality and gender identity
    "woman women man men girl girls boy boys lady ladies gentleman gentlemen female male "
    "gay gays lesbian lesbians bisexual bisexuals bi pansexual asexual queer lgbt lgbtq "
    "lgbtq+ lgbtqia heterosexual homosexual transgender trans nonbinary "
    "non-binary genderqueer genderfluid cisgender cis intersex "
    # disability and health identity
    "disabled autistic autism deaf hard-of-hearing wheelchair paraplegic quadriplegic "
    "amputee dyslexic neurodivergent "
    # income and class
    "homeless unhoused rich wealthy affluent low-income working-class middle-class "
    "upper-class unemployed jobless millionaire billionaire"
)

# Phrases (regex fragments) that name an identity only as a whole.
_PHRASES = (
    r"(?:black|white|brown|straight|asian|east asian|south asian|southeast asian|native american"
    r"|first nations|blind|poor|deaf|older|elderly|young)\s+" + _PERSON,
    r"(?:on|living on|claiming)\s+(?:benefits|welfare|universal credit|disability benefits?)",
    r"(?:on\s+)?(?:(?:a|an)\s+)?(?:low|high|average|middle|modest|good)\s+incomes?",
    r"(?:council estate|housing estate|trailer park|food bank|food stamps)",
    r"(?:with|has|have|having)\s+(?:a\s+)?(?:chronic illness|disability|disabilities)",
    r"(?:without a disability|wheelchair users?|sign language)",
    r"\d{1,3}[- ]years?[- ]old",
    r"(?:in|of)\s+(?:my|his|her|their)\s+(?:teens|twenties|thirties|forties|fifties|sixties|seventies|eighties)",
    r"(?:pensioner|pensioners|retiree|retirees|senior citizens?)",
    r"(?:church|churches|mosque|mosques|synagogue|synagogues|gurdwara|mandir)",
    r"(?:pastor|priest|imam|rabbi)",
)

_WORD_ALT = "|".join(re.escape(w) for w in sorted(set(_WORDS.split()), key=lambda s: (-len(s), s)))
# An identity term, with the article before it and a person noun after it ("an Indigenous
# person", "a trans woman") folded into the one mask, so the masked texts of a counterfactual
# pair read the same.
_IDENTITY = re.compile(
    r"(?<![\w-])(?P<art>(?:a|an)\s+)?(?:"
    + "|".join(_PHRASES)
    + "|"
    + _WORD_ALT
    + r")(?:\s+"
    + _PERSON
    + r")?(?![\w-])",
    re.IGNORECASE,
)


def _replace(m: re.Match[str]) -> str:
    return "a " + MASK if m.group("art") else MASK


# A text runs the (slow, many-branched) regex only when one of these words occurs in it: every
# single-word term and one anchor word of each phrase.
_PHRASE_ANCHORS = (
    "black white brown straight asian american nations blind poor deaf older elderly young "
    "benefits welfare credit income incomes estate trailer bank stamps illness disability "
    "disabilities users user language old teens twenties thirties forties fifties sixties "
    "seventies eighties pensioner pensioners retiree retirees senior church churches mosque "
    "mosques synagogue synagogues gurdwara mandir pastor priest imam rabbi"
)
_ANCHORS = frozenset(_WORDS.split()) | frozenset(_PHRASE_ANCHORS.split())
_TOKEN = re.compile(r"[a-z0-9+]+(?:-[a-z0-9+]+)*")
_DIGIT = re.compile(r"\d")


def _may_contain(text: str) -> bool:
    low = text.lower()
    words = set(_TOKEN.findall(low))
    if not words.isdisjoint(_ANCHORS):
        return True
    return "old" in low and _DIGIT.search(low) is not None


def identity_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the identity terms in ``text`` (left to right, non-overlapping)."""
    if not _may_contain(text):
        return []
    return [m.span() for m in _IDENTITY.finditer(text)]


# A match is made of word characters, whitespace, "+" and "-" only, and the lookarounds at its
# edges treat any other character like the edge of the text: so a long text is masked piece by
# piece between such characters, running the regex only on pieces that may hold a term (the
# regex costs about 1 us per character; most pieces of a long document hold no term).
_SEPARATORS = re.compile(r"[^\w\s+-]+")
_PIECEWISE_FROM = 300  # characters


def mask_identity(text: str) -> str:
    """``text`` with every identity term replaced by :data:`MASK`."""
    if not _may_contain(text):
        return text
    if len(text) < _PIECEWISE_FROM:
        return _IDENTITY.sub(_replace, text)
    out: list[str] = []
    pos = 0
    for sep in _SEPARATORS.finditer(text):
        piece = text[pos : sep.start()]
        out.append(_IDENTITY.sub(_replace, piece) if _may_contain(piece) else piece)
        out.append(sep.group())
        pos = sep.end()
    piece = text[pos:]
    out.append(_IDENTITY.sub(_replace, piece) if _may_contain(piece) else piece)
    return "".join(out)
