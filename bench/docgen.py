"""Deterministic ~2 KB documents for the preprocess benchmark: mostly clean English prose
about everyday wellbeing, plus the kinds of trouble preprocessing exists for (PII, boilerplate
lines, transcript artefacts, mojibake, other languages, repetitive and list-like junk)."""

from __future__ import annotations

import random

SUBJECTS = [
    "Sleep", "Regular exercise", "A short walk", "Talking to a friend", "Journaling",
    "Cutting down on caffeine", "A consistent routine", "Time outdoors", "Breathing practice",
    "Cognitive behavioural therapy", "Peer support", "Limiting late-night scrolling",
    "Cooking a simple meal", "Volunteering", "Seeing a GP", "Setting small goals",
    "Gardening", "Listening to music", "Stretching in the morning", "A warm bath",
    "Keeping a gratitude list", "Joining a local group", "Reading before bed", "Yoga",
]  # fmt: skip
CLAIMS = [
    "can make a real difference to how you feel over a week",
    "is one of the simplest things to try when your mood is low",
    "helps many people notice patterns in their thoughts",
    "is not a cure on its own, but it often makes other treatments work better",
    "tends to be easier to keep up when you start with something very small",
    "gives the mind a break from the same worries going round and round",
    "is recommended by most clinicians as a first step for mild anxiety",
    "works best when it fits into the life you actually have",
    "lowers stress hormones for some people within a few days",
    "is something you can do without spending any money",
    "may feel awkward at first and then become a habit",
    "gives structure to days that otherwise blur together",
    "helps some people fall asleep faster and wake less often",
    "can be combined with almost any other kind of support",
    "is often overlooked because it seems too simple to matter",
    "gives you a small win on days when nothing else goes right",
]
EXTRAS = [
    "It is normal for progress to feel slow at first, and setbacks are part of the process.",
    "If things are getting worse rather than better, talk to a professional about other options.",
    "Some people write down one thing that went well at the end of each day.",
    "There is no single right way to do this, and what works for one person may not suit another.",
    "Friends and family often want to help but do not know what to say.",
    "Research on this topic is still developing, but the early findings are encouraging.",
    "The important thing is to be kind to yourself while you try things out.",
    "Many services now offer appointments by phone or video, which can be easier to fit in.",
    "When we are stressed, our sleep, appetite and concentration are usually the first to suffer.",
    "Small changes that you can repeat are more useful than big changes you cannot keep up.",
    "A GP can explain what local talking therapies are available near you.",
    "Waiting lists can be long, so self-help resources are worth a look in the meantime.",
    "Try not to judge a new habit by how you feel on the first day.",
    "Noticing your own warning signs early gives you more choices about what to do next.",
    "Being outside in daylight during the morning helps to set your body clock.",
    "It can help to plan something enjoyable for the weekend, however small.",
    "Alcohol may seem to help with sleep, yet it usually makes the second half of the night worse.",
    "Talking about how you feel is not a weakness; it is often the first step towards change.",
    "Everyone has bad days, and one difficult evening does not undo weeks of effort.",
    "If you care for someone else, remember that your own needs matter as well.",
    "Employers increasingly offer confidential support lines for their staff.",
    "Keeping a simple diary for two weeks can show what really affects your mood.",
    "Some apps offer guided exercises, although the quality varies widely.",
    "Regular meals keep energy steady and make irritability less likely.",
    "Screens in the bedroom make it harder for many of us to switch off at night.",
    "Physical symptoms such as a racing heart are a common part of anxiety.",
    "Asking for help early usually means the problem is easier to deal with.",
    "Your doctor will not judge you for describing how low you have been feeling.",
    "A routine does not need to be strict to be useful; a rough shape to the day is enough.",
    "Learning about how worry works can make it feel less overwhelming.",
]
PII_LINES = [
    "If you want to talk, email me at jamie.walsh84@gmail.com or text 07700 900461.",
    "My therapist, Dr Amelia Hart, suggested I try this and it helped.",
    "I live at 42 Cedar Street, Springfield, IL 62704, if anyone nearby wants to meet.",
    "My friend Priya said the same thing, and she was right.",
    "Call me on +44 20 7946 0958 after six, or find me at https://www.facebook.com/jw.84.",
    "For support you can call Samaritans on 116 123 or text SHOUT to 85258.",
]
BOILERPLATE = [
    "We use cookies to improve your experience. By continuing to browse you agree to our "
    "cookie policy.",
    "© 2024 Wellbeing Weekly Ltd. All rights reserved.",
    "Don't forget to like and subscribe!",
    "Share this article",
    "Page 2 of 5",
    "[Music]",
    "Read more",
]
MOJIBAKE = ["Itâ€™s not easy, but itâ€™s worth it.", "Donâ€™t give up â€” youâ€™re not alone."]
FOREIGN = {
    "fr": "Le sommeil joue un rôle important dans notre santé mentale et il est souvent le "
    "premier à souffrir quand nous sommes stressés. Une routine régulière peut aider beaucoup.",
    "de": "Regelmäßige Bewegung kann die Stimmung verbessern und hilft vielen Menschen, "
    "besser zu schlafen. Schon ein kurzer Spaziergang am Tag macht einen Unterschied.",
    "es": "Hablar con un amigo de confianza puede aliviar mucho la carga emocional. No "
    "tienes que enfrentarte a todo solo, y pedir ayuda es una señal de fuerza.",
}


def _prose(rng: random.Random, target: int) -> list[str]:
    """Paragraphs of distinct sentences (a real article does not repeat itself)."""
    subjects = rng.sample(SUBJECTS, len(SUBJECTS))
    claims = rng.sample(CLAIMS, len(CLAIMS))
    extras = rng.sample(EXTRAS, len(EXTRAS))
    paras: list[str] = []
    size = 0
    while size < target and subjects and claims and len(extras) >= 2:
        sents = [f"{subjects.pop()} {claims.pop()}."]
        for _ in range(min(len(extras), rng.randint(2, 3))):
            sents.append(extras.pop())
        paras.append(" ".join(sents))
        size += len(paras[-1]) + 2
    return paras


def make_doc(i: int, rng: random.Random, target: int = 2000) -> tuple[str, str]:
    """``(kind, text)`` of document ``i``."""
    r = rng.random()
    if r < 0.70:
        return "clean", "\n\n".join(_prose(rng, target))
    if r < 0.78:
        paras = _prose(rng, target - 150)
        paras.insert(rng.randrange(len(paras) + 1), rng.choice(PII_LINES))
        return "pii", "\n\n".join(paras)
    if r < 0.83:
        paras = _prose(rng, target - 200)
        lines = rng.sample(BOILERPLATE, 3)
        return "boilerplate", lines[0] + "\n" + "\n\n".join(paras) + "\n" + "\n".join(lines[1:])
    if r < 0.86:
        paras = _prose(rng, target - 100)
        paras.append(rng.choice(MOJIBAKE))
        return "mojibake", "\n\n".join(paras)
    if r < 0.91:
        lang = rng.choice(sorted(FOREIGN))
        return f"lang_{lang}", "\n\n".join([FOREIGN[lang]] * (target // len(FOREIGN[lang]) + 1))
    if r < 0.94:
        line = rng.choice(EXTRAS)
        return "repetitive", "\n".join([line] * (target // len(line) + 1))
    if r < 0.97:
        items = [f"- {rng.choice(SUBJECTS)}" for _ in range(target // 20)]
        return "bullets", "\n".join(items)
    pieces = ["#tag", "###", "$$$", "12.5", "...", "@@", "%%"]
    junk = " ".join(rng.choice(pieces) for _ in range(400))
    return "symbols", junk


def make_docs(n: int, seed: int = 11, target: int = 2000) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [make_doc(i, rng, target) for i in range(n)]
