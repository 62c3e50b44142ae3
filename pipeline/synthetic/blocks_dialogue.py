"""Building blocks of the therapeutic dialogues: presenting concerns, personas, counselling
techniques and client replies. Written for this project (no public text copied).

Conventions the generator relies on:

* ``situations`` are ``(client sentence, short reference)`` pairs; the short reference is a
  noun phrase that fits after a preposition ("when it comes to X", "around X").
* ``impacts`` are gerund phrases without possessives ("cancelling plans at the last
  minute"), so the client ("I keep ...") and the counsellor ("you've been ...") share them.
* ``wants`` / ``changes`` are pronoun-free infinitive phrases (without "to").
* ``thoughts`` are first-person sentences; the counsellor quotes them.
* nothing here describes a crisis: these dialogues are non-crisis by construction.
"""

# ruff: noqa: E501 - data module: one readable sentence per line

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Concern:
    name: str
    topic: tuple[str, ...]
    situations: tuple[tuple[str, str], ...]
    feelings: tuple[str, ...]
    thoughts: tuple[str, ...]
    impacts: tuple[str, ...]
    wants: tuple[str, ...]
    changes: tuple[str, ...]
    psychoed: tuple[str, ...]
    coping: tuple[str, ...]
    burden: tuple[str, ...]
    counter: tuple[str, ...]
    history: tuple[str, ...]
    keywords: tuple[str, ...]
    slots: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _c(name: str, **kw: object) -> Concern:
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in kw.items()}
    return Concern(name=name, **fields)  # type: ignore[arg-type]


CONCERNS: dict[str, Concern] = {}


def _add(c: Concern) -> None:
    CONCERNS[c.name] = c


_add(
    _c(
        "anxiety",
        topic=["the anxiety", "all this worrying", "the worry", "the nerves"],
        situations=[
            (
                "My heart starts pounding [the night before|hours before|the moment I think about] {anx_event}.",
                "{anx_event}",
            ),
            (
                "I can't stop worrying about {anx_event}, even when I know it's [probably|most likely] fine.",
                "the worry about {anx_event}",
            ),
            (
                "[Lately|Recently|These days] my mind just won't switch off. I'm constantly running through everything that could go wrong with {anx_event}.",
                "all the what-ifs around {anx_event}",
            ),
            (
                "I get this tight feeling in my chest [whenever|every time] I have to {anx_act}.",
                "having to {anx_act}",
            ),
            (
                "I've started [dreading|avoiding] {anx_place} because I feel like everyone is watching me there.",
                "being at {anx_place}",
            ),
            (
                "Little things set me off. [A missed call|An unread message|A change of plan] and suddenly I'm imagining the worst.",
                "the sudden jumps to the worst case",
            ),
            (
                "I keep checking [my phone|my emails|the door locks|my bank app] over and over and it's [exhausting|wearing me out].",
                "all the checking",
            ),
            (
                "My [stomach is in knots|hands shake] before {anx_event} and I feel [sick|dizzy] for hours after.",
                "the physical side of the nerves",
            ),
        ],
        slots={
            "anx_event": [
                "the team meetings",
                "my driving test",
                "the quarterly review",
                "my sister's wedding",
                "the job interview next week",
                "the family visit",
                "starting the new job",
                "the exam results",
                "flying for work",
                "my first day back",
            ],
            "anx_act": [
                "speak up in meetings",
                "make phone calls",
                "go into busy shops",
                "present to the class",
                "drive on the motorway",
                "order at the counter",
                "talk to new people",
            ],
            "anx_place": [
                "the office kitchen",
                "the school gates",
                "the gym",
                "family dinners",
                "the supermarket",
                "lectures",
            ],
        },
        feelings=[
            "on edge",
            "wound up",
            "tense",
            "jittery",
            "keyed up",
            "panicky",
            "uneasy",
            "restless",
        ],
        thoughts=[
            "I'm going to mess this up and everyone will see",
            "something bad is about to happen",
            "if I relax, I'll miss something important",
            "people think I'm useless",
            "I won't be able to cope if it goes wrong",
            "I'm going to panic and make a fool of myself",
        ],
        impacts=[
            "cancelling plans at the last minute",
            "lying awake running through conversations",
            "avoiding anything that might go wrong",
            "rehearsing every email three times before sending it",
            "skipping lunch because my stomach is in knots",
            "leaving events early",
            "checking the news every few minutes",
        ],
        wants=[
            "get through a day without that knot in the stomach",
            "speak up without rehearsing everything first",
            "feel calmer in the mornings",
            "stop expecting the worst all the time",
            "enjoy things again without the dread",
        ],
        changes=[
            "practise one small thing that feels scary each week",
            "cut down on the checking",
            "try a breathing exercise before meetings",
            "go to one social thing and stay until the end",
            "set a fixed worry time in the evening",
        ],
        psychoed=[
            "Anxiety is the body's alarm system. It's designed to protect us, but sometimes it goes off when there's no real danger, and the physical symptoms can feel very convincing.",
            "Avoidance tends to bring quick relief, but over time it teaches the brain that the situation really was dangerous, so the anxiety often grows.",
            "When we're anxious, the brain leans towards predicting the worst and underestimating how well we'd cope. That's a common pattern, not a personal failing.",
            "The racing heart, shaky hands and tight chest are part of the fight-or-flight response. They're uncomfortable, but they pass, usually within minutes.",
        ],
        coping=[
            "slow breathing with a longer out-breath",
            "a short walk before the meeting",
            "writing the worries down and setting them aside until later",
            "a regular wind-down routine",
            "noticing the worry and naming it without arguing with it",
        ],
        burden=["this much worry", "that constant sense of alarm", "a mind that won't switch off"],
        counter=[
            "The last time I presented, it actually went okay. Someone even said it was clear.",
            "I guess most of the disasters I imagine never actually happen.",
            "My friend says nobody noticed when I was nervous last time.",
            "I did get through the interview last year, even though I was shaking.",
        ],
        history=[
            "It's been building since {when}.",
            "It got worse after {life_event}.",
            "I've always been a worrier, but around {when} it stepped up a gear.",
        ],
        keywords=["anxiety", "anxious", "worry", "worries", "panic", "nervous"],
    )
)

_add(
    _c(
        "depression",
        topic=["the low mood", "feeling this flat", "the heaviness", "how low things have been"],
        situations=[
            (
                "I just feel [flat|empty|numb] all the time. Things I used to [love|enjoy], like {hobby}, don't do anything for me anymore.",
                "losing interest in things like {hobby}",
            ),
            (
                "Getting out of bed has become a [huge|real] effort. Some days I don't get dressed until the afternoon.",
                "how hard mornings have become",
            ),
            (
                "I've been [really low|pretty low|down] {when_dep}, and I can't point to any one reason.",
                "the low mood {when_dep}",
            ),
            (
                "Everything feels [grey|heavy|like too much effort]. I go to work, come home, and just sit there.",
                "the heaviness of the days",
            ),
            (
                "I keep letting people down. I [cancelled on|ignored messages from] {rel} again this week because I just didn't have it in me.",
                "pulling away from people",
            ),
            (
                "I'm tired all the time, even when I sleep for ten hours, and I can't [concentrate|focus] on anything.",
                "the tiredness and the fog",
            ),
            (
                "People keep telling me to [cheer up|get out more], but it's not that simple. I feel like I'm behind glass.",
                "feeling cut off from everyone",
            ),
            (
                "I used to be the organised one, and now the [dishes|laundry|post] just piles up and I can't face it.",
                "everyday tasks piling up",
            ),
        ],
        slots={
            "hobby": [
                "playing guitar",
                "football on Sundays",
                "painting",
                "baking",
                "reading",
                "gaming with friends",
                "gardening",
                "running",
                "going to gigs",
                "photography",
            ],
            "when_dep": [
                "for a couple of months",
                "since the winter",
                "for most of this year",
                "since the summer",
                "for a few weeks now",
            ],
        },
        feelings=["flat", "empty", "heavy", "drained", "numb", "worn down", "low", "disconnected"],
        thoughts=[
            "I'm a burden to everyone around me",
            "nothing is ever going to change",
            "I'm just lazy",
            "I should be able to snap out of this",
            "everyone else is coping fine except me",
            "there's no point trying because it won't help",
        ],
        impacts=[
            "staying in bed until noon",
            "ignoring messages from friends",
            "skipping meals",
            "calling in sick",
            "letting the post pile up unopened",
            "scrolling for hours without taking anything in",
            "turning down invitations",
        ],
        wants=[
            "feel something other than tired",
            "get back some of the energy",
            "enjoy small things again",
            "have a day that doesn't feel like wading through mud",
            "reconnect with friends",
        ],
        changes=[
            "get outside for ten minutes each morning",
            "reply to one message a day",
            "plan one small enjoyable thing each day",
            "keep a regular time for getting up",
            "talk to the GP about how things have been",
        ],
        psychoed=[
            "Low mood often works in a loop: we do less because we feel bad, and doing less gives us fewer chances to feel even a little better. Small, planned activities can start to loosen that loop.",
            "Depression tends to colour our thoughts, so they become very harsh and very certain. That certainty is a symptom, not necessarily the truth.",
            "Waiting to feel motivated before acting often doesn't work with low mood. Action frequently comes first, and motivation follows later.",
            "Sleep, appetite and concentration are often affected when mood is low. It isn't laziness; it's part of how low mood shows up in the body.",
        ],
        coping=[
            "a short walk in daylight",
            "breaking tasks into tiny steps",
            "a regular getting-up time",
            "texting one friend",
            "writing down one thing that went okay each day",
        ],
        burden=[
            "a low mood that has lasted this long",
            "that kind of heaviness",
            "this much tiredness",
        ],
        counter=[
            "I suppose I did manage to go to my niece's birthday last week.",
            "A friend did say she missed me, so maybe I'm not such a burden.",
            "I got through work every day this week, even if it was hard.",
            "When I'm honest, I have had low patches before and they did lift.",
        ],
        history=[
            "It crept up on me around {when}.",
            "I think it started after {life_event}.",
            "I've had patches like this before, but this one has lasted longer.",
        ],
        keywords=["depress", "low mood", "anhedonia", "behavioural activation"],
    )
)

_add(
    _c(
        "grief",
        topic=["the grief", "the loss", "missing your {lost}", "losing your {lost}"],
        situations=[
            (
                "My {lost} died {loss_when}, and I [still|just] can't [believe it|take it in].",
                "losing your {lost}",
            ),
            (
                "I lost my {lost} {loss_when}, and everyone seems to expect me to be [over it|back to normal] by now.",
                "other people's expectations about your grief",
            ),
            (
                "I keep [reaching for my phone|starting] to text my {lost} before I remember.",
                "those moments of forgetting",
            ),
            (
                "The house is so quiet since my {lost} passed. [Evenings|Weekends|Sundays] are the worst.",
                "the quiet since your {lost} passed",
            ),
            (
                "I feel guilty because I wasn't there when my {lost} died. I [was at work|was on holiday|had gone home to sleep].",
                "the guilt about not being there",
            ),
            (
                "[Some days|Most days] I'm fine, and then a song or a smell brings my {lost} back and I'm in pieces.",
                "the waves that come out of nowhere",
            ),
            (
                "Sorting through my {lost}'s things has been [unbearable|really hard]. I can't bring myself to [clear the room|give anything away].",
                "sorting through your {lost}'s things",
            ),
        ],
        slots={
            "lost": [
                "mum",
                "dad",
                "grandmother",
                "grandad",
                "brother",
                "sister",
                "best friend",
                "husband",
                "wife",
                "partner",
                "uncle",
                "dog",
            ],
            "loss_when": [
                "three months ago",
                "last spring",
                "six weeks ago",
                "almost a year ago",
                "just before Christmas",
                "in the summer",
            ],
        },
        feelings=["heartbroken", "lost", "hollow", "numb", "raw", "adrift", "guilty", "angry"],
        thoughts=[
            "I should have done more",
            "I'm grieving the wrong way",
            "if I stop being sad it means I've forgotten them",
            "I should be over this by now",
            "nobody understands what I've lost",
        ],
        impacts=[
            "avoiding the places we used to go",
            "keeping the voicemails just to hear the voice",
            "crying in the car on the way to work",
            "not sleeping properly",
            "snapping at people over small things",
            "staying busy so there's no time to think",
        ],
        wants=[
            "remember without it hurting this much",
            "find a way to carry this",
            "stop feeling so guilty",
            "talk about the good memories",
            "get through the anniversary",
        ],
        changes=[
            "set aside a little time each week to remember",
            "tell a friend what would actually help",
            "write a letter saying the things left unsaid",
            "keep one routine that was shared",
        ],
        psychoed=[
            "Grief doesn't move in neat stages. It often comes in waves, and people swing between missing the person and getting on with daily life. Both are part of grieving.",
            "There's no deadline for grief. Many people find it changes shape over time rather than disappearing, and the bond with the person can continue in a different form.",
            "Guilt is very common after a death, especially the 'what ifs'. It often reflects how much we cared, rather than anything we actually did wrong.",
            "Anniversaries, birthdays and holidays are often harder than people expect. Planning for those days in advance can take some of the dread out of them.",
        ],
        coping=[
            "a memory box",
            "visiting a favourite place",
            "talking to someone who also knew them",
            "a small ritual on difficult days",
            "writing to them in a journal",
        ],
        burden=["a loss like this", "grief this raw", "the absence of someone so important"],
        counter=[
            "My sister said Mum always told her how proud she was of me.",
            "I did visit almost every day at the end, when I think about it.",
            "I know they wouldn't want me to blame myself.",
            "I have laughed at a few memories lately, which surprised me.",
        ],
        history=[
            "We were really close, especially in the last few years.",
            "It was sudden. Nobody expected it.",
            "It had been a long illness, so in some ways I'd been grieving for a while.",
        ],
        keywords=["grief", "griev", "bereave", "mourning", "widow"],
    )
)

_add(
    _c(
        "relationships",
        topic=[
            "the relationship",
            "things with your {partner}",
            "the arguments",
            "what's happening between you and your {partner}",
        ],
        situations=[
            (
                "My {partner} and I keep arguing about [money|housework|the in-laws|how much time we spend together], and it always ends with one of us walking out.",
                "the arguments with your {partner}",
            ),
            (
                "I feel like my {partner} doesn't really [listen|see me] anymore. We're more like flatmates than a couple.",
                "the distance with your {partner}",
            ),
            (
                "We've been together [five|eight|twelve] years and I'm not sure if I still want this, and I feel awful for even thinking it.",
                "being unsure about the relationship",
            ),
            (
                "I found some messages on my {partner}'s phone and now I can't stop thinking about [them|it]. I don't know if I can trust them again.",
                "the trust that was broken",
            ),
            (
                "We broke up {loss_when_rel} and I keep checking their social media, which just makes it worse.",
                "the breakup",
            ),
            (
                "Every time I try to raise something, my {partner} says I'm overreacting, so I've stopped saying anything.",
                "not feeling heard by your {partner}",
            ),
            (
                "Since the baby arrived, my {partner} and I barely talk except about nappies and who's more tired.",
                "how things changed after the baby",
            ),
        ],
        slots={
            "partner": [
                "partner",
                "husband",
                "wife",
                "girlfriend",
                "boyfriend",
                "fiancé",
                "fiancée",
            ],
            "loss_when_rel": [
                "two months ago",
                "last month",
                "at the start of the year",
                "a few weeks ago",
            ],
        },
        feelings=[
            "hurt",
            "unheard",
            "confused",
            "lonely",
            "resentful",
            "torn",
            "frustrated",
            "insecure",
        ],
        thoughts=[
            "it's always my fault",
            "I'll never find anyone else",
            "if I say how I feel, it'll make things worse",
            "I'm too much for people",
            "I should just be grateful for what I have",
        ],
        impacts=[
            "going quiet to keep the peace",
            "replaying arguments in my head at night",
            "staying late at work to avoid going home",
            "checking the phone constantly",
            "walking on eggshells",
        ],
        wants=[
            "feel close again",
            "have a conversation without it turning into a fight",
            "figure out what's actually wanted here",
            "trust again",
            "feel like an equal in the relationship",
        ],
        changes=[
            "pick a calm moment to talk about one thing",
            "say what's needed rather than what's wrong",
            "spend one evening a week without screens",
            "suggest couples counselling",
        ],
        psychoed=[
            "In many couples the same argument keeps coming back because each person is reacting to the other's reaction. Noticing the pattern together can help more than winning the argument.",
            "Feeling unheard often leads to either shouting louder or going silent. Both are understandable ways of protecting ourselves, but they can keep the cycle going.",
            "After trust is broken, it's common to swing between wanting to fix things and wanting to walk away. Both reactions make sense.",
        ],
        coping=[
            "a time-out agreement when things get heated",
            "writing down what to say beforehand",
            "talking to a trusted friend",
            "a shared walk to talk side by side",
        ],
        burden=[
            "distance from someone so close",
            "this much uncertainty about a relationship",
            "broken trust",
        ],
        counter=[
            "Actually, when I did tell them calmly last month, they did listen.",
            "We had a good weekend recently, so it's not all bad.",
            "My friends seem to like me even when I'm honest with them.",
            "I suppose it takes two people to get into this pattern.",
        ],
        history=[
            "Things started to change around {when}.",
            "It's been building since {life_event}.",
            "We were really happy at the start.",
        ],
        keywords=["relationship", "couple", "partner", "marriage", "breakup", "divorce"],
    )
)

_add(
    _c(
        "work_stress",
        topic=["the pressure at work", "the workload", "work", "the stress at work"],
        situations=[
            (
                "Work has been [relentless|non-stop|crazy]. My {boss} keeps adding things to my plate and I'm [drowning|barely keeping up].",
                "the workload",
            ),
            (
                "I'm answering emails at [eleven at night|midnight|six in the morning] and I still feel behind.",
                "never being off the clock",
            ),
            (
                "We lost [two people|half the team|our manager] {when_work} and nobody replaced them, so I'm doing three jobs.",
                "covering for the gaps in the team",
            ),
            (
                "My manager [criticises|picks apart] everything I do in front of the team, and I dread going in.",
                "the way your manager treats you",
            ),
            (
                "I've been at {workplace} for [six|nine|fifteen] years and I'm [burnt out|running on empty], but I can't afford to leave.",
                "feeling stuck at {workplace}",
            ),
            (
                "There's talk of redundancies at {workplace} and I can't [sleep|think about anything else].",
                "the uncertainty about redundancies",
            ),
            (
                "I got passed over for a promotion again, and someone I trained got it instead.",
                "being passed over",
            ),
            (
                "My shifts keep changing at short notice, so I can never plan anything or see my {rel}.",
                "the unpredictable shifts",
            ),
        ],
        slots={
            "boss": ["boss", "manager", "director", "team lead", "line manager"],
            "when_work": ["in the spring", "last quarter", "a few months ago", "over the summer"],
        },
        feelings=[
            "stretched thin",
            "overwhelmed",
            "burnt out",
            "undervalued",
            "exhausted",
            "frazzled",
            "resentful",
            "trapped",
        ],
        thoughts=[
            "if I say no, they'll think I can't cope",
            "I have to be perfect or I'll be found out",
            "everyone else manages this fine",
            "I'll never get ahead no matter how hard I work",
            "if I take a break, everything will fall apart",
        ],
        impacts=[
            "working through lunch",
            "checking emails in bed",
            "snapping at the kids after work",
            "skipping the gym",
            "lying awake making to-do lists",
            "dreading Sunday evenings",
        ],
        wants=[
            "leave work at work",
            "have one evening a week that's actually free",
            "feel valued",
            "say no without feeling guilty",
            "have a clearer sense of what's expected",
        ],
        changes=[
            "switch off email notifications after seven",
            "ask for a meeting to talk about the workload",
            "take a proper lunch break three days a week",
            "write down what's in and out of scope",
        ],
        psychoed=[
            "Long-term stress without recovery time often leads to burnout: exhaustion, cynicism and a sense that nothing you do makes a difference. Recovery usually needs real boundaries, not just a holiday.",
            "When demands stay high and our sense of control is low, stress tends to climb. Even small increases in control, like choosing the order of tasks, can make a difference.",
            "The brain needs genuine breaks to recover. Checking messages during rest time keeps the stress response switched on.",
        ],
        coping=[
            "a fixed finishing time",
            "a short walk between tasks",
            "a written list of priorities",
            "a wind-down ritual after work",
            "talking it through with a colleague",
        ],
        burden=[
            "this kind of workload",
            "that much pressure for that long",
            "a job that never switches off",
        ],
        counter=[
            "My last appraisal was actually fine. It's more the feeling than the facts.",
            "When I did push back once, nothing terrible happened.",
            "A colleague told me she's struggling too, so it's not just me.",
            "I suppose the work did get done when I was off sick last year.",
        ],
        history=[
            "It's been like this since {when}.",
            "It got much worse after {life_event}.",
            "I used to really like my job.",
        ],
        keywords=[
            "workplace",
            "job",
            "burnout",
            "employer",
            "employee",
            "shift work",
            "at work",
            "workload",
            "occupational",
        ],
    )
)

_add(
    _c(
        "trauma",
        topic=["what happened", "the memories", "the flashbacks", "the accident"],
        situations=[
            (
                "Ever since {trauma_event}, I get [flashbacks|sudden memories] that feel like it's happening all over again.",
                "the flashbacks since {trauma_event}",
            ),
            (
                "I jump at [loud noises|car horns|doors slamming] now. I never used to be like this before {trauma_event}.",
                "being so jumpy since {trauma_event}",
            ),
            (
                "I can't [drive|go past that street|take the bus] anymore since {trauma_event}. I go the long way round every time.",
                "avoiding reminders of {trauma_event}",
            ),
            (
                "I have nightmares about {trauma_event} [most nights|a few times a week] and wake up soaked in sweat.",
                "the nightmares",
            ),
            (
                "Something happened when I was younger that I've never really talked about, and lately it keeps coming back.",
                "the memories coming back",
            ),
            (
                "People say I should be over {trauma_event} by now, but I still feel [on guard|unsafe|shaky] all the time.",
                "feeling on guard",
            ),
        ],
        slots={
            "trauma_event": [
                "the car crash",
                "the fire at our building",
                "the robbery at the shop",
                "the accident at work",
                "the attack last year",
                "the flood",
                "my time in the army",
                "the hospital stay",
            ],
        },
        feelings=[
            "on guard",
            "shaken",
            "unsafe",
            "jumpy",
            "detached",
            "ashamed",
            "frozen",
            "exhausted",
        ],
        thoughts=[
            "it was my fault",
            "I'm weak for still being affected",
            "the world isn't safe anymore",
            "I should have reacted differently",
            "I'm broken",
        ],
        impacts=[
            "avoiding the route past where it happened",
            "sleeping with the light on",
            "sitting facing the door in restaurants",
            "keeping busy every minute",
            "drinking more to get to sleep",
            "pulling away from friends",
        ],
        wants=[
            "feel safe in my own body again",
            "sleep through the night",
            "go out without scanning for danger",
            "stop the memories taking over",
            "understand what's happening to me",
        ],
        changes=[
            "try a grounding exercise when a memory hits",
            "talk to the GP about trauma-focused therapy",
            "keep a note of what triggers the memories",
            "build in one calming routine before bed",
        ],
        psychoed=[
            "After a frightening event, the brain can stay on high alert. Flashbacks, nightmares and jumpiness are common reactions, and they're signs of a nervous system that's been trying to protect you.",
            "Avoiding reminders makes a lot of sense in the short term, but it can keep memories feeling raw. Trauma-focused therapies work gently with this, at a pace that feels manageable.",
            "Memories of trauma are often stored differently from ordinary memories, which is why they can feel so present and vivid. That's not a sign of weakness.",
        ],
        coping=[
            "the 5-4-3-2-1 grounding exercise",
            "holding something cold",
            "naming the date and where you are",
            "a safe-place visualisation",
            "slow breathing",
        ],
        burden=["what you went through", "memories like that", "a body stuck on high alert"],
        counter=[
            "I suppose I did everything I could at the time, given how fast it happened.",
            "My therapist years ago said freezing is a normal reaction.",
            "I have managed to go back to work, which I didn't think I could.",
            "Other people who were there don't blame me.",
        ],
        history=[
            "It happened around {when}.",
            "I thought I'd dealt with it, but {life_event} brought it all back.",
            "I didn't talk about it for a long time.",
        ],
        keywords=["trauma", "ptsd", "post-traumatic", "flashback"],
    )
)

_add(
    _c(
        "substance_use",
        topic=[
            "the drinking",
            "the drinking and using",
            "how much you've been drinking",
            "the cannabis use",
        ],
        situations=[
            (
                "I've been drinking [most nights|every night|more than I'd like], just to [unwind|switch off|get to sleep].",
                "the drinking to unwind",
            ),
            (
                "My {rel} says I've got a problem with [alcohol|weed|drinking], and part of me thinks they might be right.",
                "what your {rel} said about it",
            ),
            (
                "I started [smoking weed|having a drink] to take the edge off after work, and now it's every day.",
                "the everyday use",
            ),
            (
                "I [missed work|forgot my kid's school play|said things I regret] because of a hangover, and I feel terrible about it.",
                "what happened because of the hangover",
            ),
            (
                "I keep telling myself I'll cut down on Monday, and by Wednesday I'm back at it.",
                "the cycle of cutting down and starting again",
            ),
            (
                "I went sober for [a month|six weeks|three months] and then slipped at a [wedding|party|work do]. Now I feel like I've ruined everything.",
                "the slip after being sober",
            ),
        ],
        feelings=[
            "ashamed",
            "stuck",
            "self-critical",
            "torn",
            "worried",
            "defensive",
            "guilty",
            "tired",
        ],
        thoughts=[
            "I'm weak for not being able to stop",
            "I've ruined it now so I might as well carry on",
            "everyone drinks like this",
            "I can't relax without it",
            "I'll never change",
        ],
        impacts=[
            "hiding bottles from the family",
            "spending money meant for bills",
            "calling in sick after weekends",
            "arguing about it at home",
            "waking up with gaps in the night",
            "drinking alone",
        ],
        wants=[
            "wake up without feeling rough",
            "be present for the family",
            "feel in control again",
            "have a weekend that isn't built around drinking",
            "save some money",
        ],
        changes=[
            "have two alcohol-free days a week",
            "keep a diary of how much and when",
            "talk to the GP about support to cut down",
            "find something else to do at the usual drinking time",
            "tell one person about the plan",
        ],
        psychoed=[
            "Using alcohol or drugs to manage stress is really common. It works quickly, which is why it's hard to give up, but the relief is short-lived and it can make sleep and mood worse.",
            "Slips are a normal part of changing a habit. What tends to matter most is what happens next, and what can be learned from the slip.",
            "Cutting down suddenly after heavy daily drinking can be risky, so it's worth talking to a doctor before stopping completely.",
        ],
        coping=[
            "a drink diary",
            "an alcohol-free evening activity",
            "a support group",
            "a plan for the trigger times",
            "a friend to text when cravings hit",
        ],
        burden=["a habit this hard to change", "that much shame", "pressure from both sides"],
        counter=[
            "I did manage a whole month last year, so I know it's possible.",
            "I felt much better during the weeks I wasn't drinking.",
            "My friend cut down and she's still fun, so maybe I would be too.",
            "One slip doesn't undo six weeks, when I think about it.",
        ],
        history=[
            "It crept up gradually, around {when}.",
            "It started to get heavier after {life_event}.",
            "It was just social at first.",
        ],
        keywords=["alcohol", "drinking", "substance", "cannabis", "addiction", "sober"],
    )
)

_add(
    _c(
        "loneliness",
        topic=["the loneliness", "feeling so alone", "the isolation"],
        situations=[
            (
                "I moved to {new_city} for work [last year|eight months ago|in the spring] and I still don't really know anyone.",
                "starting over in {new_city}",
            ),
            (
                "Since [retiring|the kids moved out|my divorce], the days feel [really long|empty|very quiet].",
                "how quiet the days have become",
            ),
            (
                "I have people around me, but I don't feel like anyone really knows me.",
                "feeling unknown even with people around",
            ),
            (
                "All my friends seem to have [paired off|moved away|had kids] and I'm always the one left out.",
                "being the one left out",
            ),
            (
                "I work from home and some days the only person I talk to is the delivery driver.",
                "working from home without much contact",
            ),
            (
                "I [scroll|sit] through everyone's photos on a Saturday night and feel like I'm watching life through a window.",
                "watching everyone else's lives online",
            ),
        ],
        slots={
            "new_city": [
                "Manchester",
                "Leeds",
                "a new city",
                "Glasgow",
                "Toronto",
                "Melbourne",
                "Dublin",
                "the coast",
            ]
        },
        feelings=[
            "alone",
            "invisible",
            "left out",
            "disconnected",
            "isolated",
            "forgotten",
            "lonely",
            "unwanted",
        ],
        thoughts=[
            "nobody would notice if I didn't show up",
            "people only put up with me",
            "it's too late to make friends at my age",
            "if I reach out, I'll be bothering them",
            "there's something wrong with me",
        ],
        impacts=[
            "eating dinner in front of the TV every night",
            "staying in all weekend",
            "turning down the few invitations",
            "talking to the cat more than people",
            "scrolling late into the night",
        ],
        wants=[
            "have someone to call at the weekend",
            "feel part of something",
            "make one or two real friends",
            "look forward to the weekends",
            "feel known by someone",
        ],
        changes=[
            "try one group activity this month",
            "message an old friend",
            "say yes to the next invitation",
            "volunteer somewhere a couple of hours a week",
            "chat to a neighbour",
        ],
        psychoed=[
            "Loneliness is about the gap between the connection we have and the connection we want, so it's possible to feel lonely in a crowd. It's a signal, a bit like hunger, pointing towards a need.",
            "When we've been lonely for a while, the brain can become more alert to rejection, which makes reaching out feel riskier than it is.",
            "Friendships usually grow from repeated, low-pressure contact, like seeing the same people at a class each week, more than from one big conversation.",
        ],
        coping=[
            "a weekly class",
            "a walking group",
            "volunteering",
            "a regular phone call with family",
            "a hobby group online and in person",
        ],
        burden=[
            "that much time on your own",
            "that sense of being invisible",
            "this kind of isolation",
        ],
        counter=[
            "My old colleague did message me last month, actually.",
            "The woman at the library always says hello, so maybe people don't mind me.",
            "When I did go to the book group once, it was nice.",
            "My brother does call when I call him first.",
        ],
        history=[
            "It's been like this since {when}.",
            "It got worse after {life_event}.",
            "I used to have a big group of friends.",
        ],
        keywords=["lonel", "isolation", "social connection"],
    )
)

_add(
    _c(
        "sleep",
        topic=[
            "the sleep problems",
            "the insomnia",
            "the sleepless nights",
            "how little you've been sleeping",
        ],
        situations=[
            (
                "I lie awake until [three|four|two] in the morning, my mind going over [the day|everything|tomorrow].",
                "lying awake at night",
            ),
            (
                "I fall asleep fine, but I wake up at [four|half three|five] and can't get back to sleep.",
                "waking early and not getting back to sleep",
            ),
            (
                "I've been sleeping [maybe four|about five|barely three] hours a night for weeks and I'm a zombie at work.",
                "running on so little sleep",
            ),
            (
                "Since I started {sleep_cause}, my sleep has been [all over the place|wrecked|a mess].",
                "what {sleep_cause} did to your sleep",
            ),
            (
                "I dread going to bed because I know I'll just lie there getting frustrated.",
                "the dread around bedtime",
            ),
            (
                "I nap in the afternoon because I'm so tired, and then I can't sleep at night.",
                "the napping and the nights",
            ),
        ],
        slots={
            "sleep_cause": [
                "night shifts",
                "the new job",
                "looking after the baby",
                "the menopause",
                "my exams",
                "working from home",
            ]
        },
        feelings=[
            "exhausted",
            "frustrated",
            "foggy",
            "irritable",
            "wired but tired",
            "desperate for rest",
            "drained",
        ],
        thoughts=[
            "if I don't sleep tonight, tomorrow will be a disaster",
            "I'll never sleep normally again",
            "something must be wrong with my brain",
            "I have to get eight hours or I can't function",
        ],
        impacts=[
            "lying in bed scrolling",
            "drinking coffee all afternoon",
            "napping after work",
            "checking the clock all night",
            "cancelling plans because of the tiredness",
            "going to bed earlier and earlier",
        ],
        wants=[
            "wake up feeling rested",
            "stop dreading bedtime",
            "have a steady sleep routine",
            "get through the afternoon without crashing",
        ],
        changes=[
            "get up at the same time every day",
            "stop caffeine after lunchtime",
            "get out of bed after twenty minutes awake",
            "keep the phone outside the bedroom",
            "have a wind-down hour before bed",
        ],
        psychoed=[
            "Trying hard to sleep usually backfires, because effort wakes the brain up. Many sleep approaches work by reducing that pressure rather than adding to it.",
            "A regular getting-up time, even after a bad night, is one of the most useful anchors for the body clock.",
            "Clock-watching tends to increase frustration and alertness. Turning the clock away from the bed is a small change that often helps.",
            "Cognitive behavioural therapy for insomnia is the recommended first treatment for long-term sleep problems, and it's available in many places, including online.",
        ],
        coping=[
            "a wind-down hour with dim light",
            "getting up at the same time every day",
            "morning daylight",
            "a notepad by the bed for worries",
            "getting up after twenty minutes and doing something calm",
        ],
        burden=[
            "this little sleep",
            "night after night of broken sleep",
            "that kind of exhaustion",
        ],
        counter=[
            "I did get through work after a bad night last week, even though it was hard.",
            "On holiday I slept fine, so maybe it's not my brain.",
            "There have been nights when I slept better than I expected.",
            "The worst-case day I imagine doesn't usually happen.",
        ],
        history=[
            "It started around {when}.",
            "It's been bad since {life_event}.",
            "I used to sleep like a log.",
        ],
        keywords=["sleep", "insomnia", "bedtime"],
    )
)

_add(
    _c(
        "self_esteem",
        topic=[
            "how you see yourself",
            "the self-criticism",
            "the harsh inner voice",
            "your confidence",
        ],
        situations=[
            (
                "I always feel like I'm [not good enough|the least capable person in the room], even when people say I did well.",
                "never feeling good enough",
            ),
            (
                "I [hate|can't stand] seeing photos of myself. I [untag|delete] them straight away.",
                "how you feel about how you look",
            ),
            (
                "When someone compliments me, I just assume they're being polite.",
                "brushing off compliments",
            ),
            (
                "I compare myself to everyone on social media and I always come out worse.",
                "the comparing",
            ),
            (
                "I'm terrified that one day people at {workplace} will realise I don't know what I'm doing.",
                "the fear of being found out",
            ),
            (
                "I apologise for everything, even when it's not my fault. My {rel} says it drives them mad.",
                "the constant apologising",
            ),
        ],
        feelings=[
            "inadequate",
            "ashamed",
            "small",
            "not good enough",
            "self-conscious",
            "exposed",
            "embarrassed",
        ],
        thoughts=[
            "I'm not good enough",
            "everyone can see I'm a fraud",
            "if people really knew me, they wouldn't like me",
            "I only got this because I was lucky",
            "I'm worse than everyone else",
        ],
        impacts=[
            "not applying for the job",
            "staying quiet in meetings",
            "avoiding photos",
            "over-preparing for everything",
            "saying yes to everything to be liked",
            "hiding at the back",
        ],
        wants=[
            "feel okay about myself",
            "accept a compliment without squirming",
            "go for things without talking myself out of them",
            "be a bit kinder to myself",
        ],
        changes=[
            "write down one thing done well each day",
            "apply for one thing despite the doubts",
            "notice the inner critic and answer it as a friend would",
            "say thank you to a compliment and stop there",
        ],
        psychoed=[
            "The inner critic often started as a way to keep us safe, for example by avoiding criticism from others. It can be very loud without being accurate.",
            "Feeling like a fraud is very common among people who are actually capable. It often gets stronger, not weaker, with success.",
            "Comparing ourselves online means comparing our everyday lives with other people's highlights, which is never a fair contest.",
        ],
        coping=[
            "a note of daily wins",
            "self-compassion breaks",
            "limiting time on social media",
            "talking to yourself as you would to a friend",
        ],
        burden=[
            "a voice that critical",
            "years of feeling small",
            "that kind of pressure on yourself",
        ],
        counter=[
            "My manager did choose me to lead the project, so maybe she thinks I can do it.",
            "My friends keep inviting me, so they must like having me around.",
            "I passed the course with good marks, when I think about it.",
            "I'd never talk to my best friend the way I talk to myself.",
        ],
        history=[
            "I've felt like this since {when}.",
            "I think it goes back to school.",
            "It got worse after {life_event}.",
        ],
        keywords=[
            "self-esteem",
            "self esteem",
            "self-worth",
            "self-critic",
            "impostor",
            "inner critic",
            "self-compassion",
        ],
    )
)

_add(
    _c(
        "family_conflict",
        topic=["things at home", "the family tension", "the situation with your family"],
        situations=[
            (
                "My {family_member} and I can't be in the same room without arguing about [politics|my choices|money|the past].",
                "the arguments with your {family_member}",
            ),
            (
                "My parents want me to [study law|move back home|get married|take over the business] and I want something completely different.",
                "your parents' expectations",
            ),
            (
                "Since Dad's [illness|stroke|diagnosis], my siblings have left all the caring to me, and I'm [furious|exhausted|at the end of my rope].",
                "carrying the caring on your own",
            ),
            (
                "Christmas is coming and I'm already dreading [the row|the tension|seeing my uncle] at dinner.",
                "the dread about the family gathering",
            ),
            (
                "My {family_member} [criticises my parenting|comments on my weight|brings up my divorce] every time we visit.",
                "the comments from your {family_member}",
            ),
            (
                "My teenage son won't talk to me anymore. He just goes to his room and slams the door.",
                "losing touch with your teenager",
            ),
            (
                "My teenage daughter barely speaks to me. She's on her phone in her room all evening.",
                "losing touch with your teenager",
            ),
        ],
        slots={
            "family_member": [
                "mum",
                "dad",
                "brother",
                "sister",
                "mother-in-law",
                "stepdad",
                "aunt",
                "father-in-law",
            ]
        },
        feelings=[
            "caught in the middle",
            "resentful",
            "guilty",
            "angry",
            "unappreciated",
            "torn",
            "hurt",
            "tired",
        ],
        thoughts=[
            "I'm a bad son for feeling this way",
            "I'm a bad daughter for feeling this way",
            "nothing I do will ever be enough for them",
            "if I set a boundary, I'll lose my family",
            "it's my job to keep everyone happy",
        ],
        impacts=[
            "avoiding family calls",
            "going along with things to keep the peace",
            "crying after visits",
            "arguing with my partner about my family",
            "making excuses not to visit",
        ],
        wants=[
            "have a calmer relationship with the family",
            "say no without a huge row",
            "share the caring more fairly",
            "feel respected as an adult",
            "reconnect",
        ],
        changes=[
            "set one clear boundary for the next visit",
            "ask the siblings for a specific kind of help",
            "plan an exit time before family events",
            "write down what to say in advance",
        ],
        psychoed=[
            "Families often fall into roles, like the peacemaker or the responsible one, and stepping out of a role can cause ripples even when it's healthy.",
            "Boundaries aren't about pushing people away; they're about making relationships sustainable. It's common to feel guilty the first few times you hold one.",
            "Carers often put their own needs last for so long that exhaustion and resentment creep in. Those feelings are signals that something needs to change, not signs that you don't care.",
        ],
        coping=[
            "a planned exit time",
            "a supportive friend to debrief with",
            "a clear, rehearsed boundary",
            "time for yourself after visits",
        ],
        burden=[
            "pressure from so many directions",
            "that much family pressure",
            "everyone's needs landing on you",
        ],
        counter=[
            "My brother did help once when I asked him directly.",
            "The last visit wasn't all bad; we had a nice walk.",
            "My aunt said I'm doing more than anyone.",
            "When I did say no last year, they got over it in a week.",
        ],
        history=[
            "It's been tense since {when}.",
            "Things changed after {life_event}.",
            "It's always been complicated.",
        ],
        keywords=["family", "sibling", "carer", "caregiver", "caring for"],
    )
)

_add(
    _c(
        "academic_pressure",
        topic=["the pressure of studying", "the exams", "the coursework", "university"],
        situations=[
            (
                "My [finals|exams|dissertation deadline] are in [three weeks|a month|ten days] and I can't [concentrate|focus|start].",
                "the exams coming up",
            ),
            (
                "I'm the first in my family to go to university and I feel like I have to [get a first|be perfect|prove something].",
                "the weight of being the first",
            ),
            (
                "I failed [a module|my resit|the mock exam] and now I'm terrified I'll have to [drop out|repeat the year].",
                "what happened with that module",
            ),
            (
                "Everyone on my course seems to [understand everything|have it together] and I'm just pretending.",
                "feeling like everyone else is ahead",
            ),
            (
                "I've been pulling all-nighters to finish [my essays|the lab reports|my portfolio] and I'm falling apart.",
                "the all-nighters",
            ),
            (
                "My parents paid so much for my studies and I feel sick at the thought of letting them down.",
                "the fear of letting your parents down",
            ),
        ],
        feelings=[
            "overwhelmed",
            "panicked",
            "behind",
            "pressured",
            "frozen",
            "stressed",
            "inadequate",
            "burnt out",
        ],
        thoughts=[
            "if I don't get top marks, my life is over",
            "everyone else is cleverer than me",
            "I'm wasting my parents' money",
            "I should be able to do this without help",
            "it's too late to catch up",
        ],
        impacts=[
            "pulling all-nighters",
            "skipping lectures",
            "staring at a blank page for hours",
            "not eating properly",
            "avoiding the course group chat",
            "redoing the same notes over and over",
        ],
        wants=[
            "get through the exams without burning out",
            "actually enjoy the subject again",
            "feel less frozen",
            "ask for help without feeling stupid",
        ],
        changes=[
            "break revision into short blocks with breaks",
            "email the tutor about an extension",
            "go to the study skills service",
            "plan one day off a week",
            "start with the easiest task each morning",
        ],
        psychoed=[
            "Under high stress the brain's capacity for learning and memory goes down, so rest isn't a reward for studying; it's part of it.",
            "Perfectionism often leads to procrastination, because starting means risking doing it imperfectly.",
            "Short, focused study periods with breaks tend to work better than long sessions, especially when concentration is low.",
        ],
        coping=[
            "short study blocks",
            "a realistic revision timetable",
            "a study buddy",
            "regular sleep",
            "asking the tutor",
        ],
        burden=[
            "that much pressure",
            "your family's hopes on your shoulders",
            "deadlines stacking up",
        ],
        counter=[
            "I did pass the last exams, even though I thought I'd failed.",
            "My tutor said my last essay was good.",
            "Lots of people asked for extensions last year and nothing bad happened.",
            "My cousin repeated a year and she's doing fine now.",
        ],
        history=[
            "It's been building since {when}.",
            "It started in my first year.",
            "I used to love learning.",
        ],
        keywords=["student", "exam", "university", "revision", "academic"],
    )
)

_add(
    _c(
        "health_anxiety",
        topic=["the health worries", "the worry about your health", "the symptom checking"],
        situations=[
            (
                "Every [headache|twinge|mole|heartbeat skip] and I'm convinced it's something [serious|terrible].",
                "the worry about every symptom",
            ),
            (
                "I spend hours googling symptoms at night and end up terrified.",
                "the late-night symptom searching",
            ),
            (
                "The doctor said my tests were fine, but I can't shake the feeling they missed something.",
                "the doubt after the tests",
            ),
            (
                "Since my {rel} got ill, I keep checking my body for signs of the same thing.",
                "the checking since your {rel} got ill",
            ),
            (
                "I've been to the GP [four|five|six] times this year and I'm embarrassed, but I can't stop worrying.",
                "the repeated GP visits",
            ),
        ],
        feelings=["scared", "preoccupied", "on high alert", "embarrassed", "uneasy", "frightened"],
        thoughts=[
            "if I don't check, I'll miss something serious",
            "the doctors have got it wrong",
            "this feeling means something is definitely wrong",
            "I can't stand not knowing",
        ],
        impacts=[
            "checking my body several times a day",
            "googling symptoms in bed",
            "asking my partner for reassurance",
            "avoiding hospital dramas on TV",
            "booking extra appointments",
        ],
        wants=[
            "trust the test results",
            "stop checking all the time",
            "live with some uncertainty",
            "enjoy things without the worry",
        ],
        changes=[
            "limit checking to once a day",
            "delay googling by an hour",
            "agree a plan for symptoms with the GP",
            "notice the urge for reassurance and wait it out",
        ],
        psychoed=[
            "Checking and reassurance bring short-term relief, but the doubt usually returns quickly and the urge to check gets stronger. It's a loop many people get caught in.",
            "Paying close attention to the body makes normal sensations more noticeable, which can feel like proof that something is wrong.",
        ],
        coping=[
            "a checking limit",
            "delaying the urge to search",
            "a plan agreed with the GP",
            "a distracting activity",
        ],
        burden=[
            "that much uncertainty",
            "worry that never switches off",
            "constant fear about your health",
        ],
        counter=[
            "The last three times I was sure it was serious, it turned out to be nothing.",
            "My GP has known me for years and she's thorough.",
            "I do feel better on the days I don't google.",
            "The tests were very clear, when I think about it.",
        ],
        history=[
            "It started around {when}.",
            "It got worse after {life_event}.",
            "I've always been a bit of a worrier about health.",
        ],
        keywords=["health anxiety", "hypochondri", "reassurance", "body checking"],
    )
)

_add(
    _c(
        "life_transition",
        topic=["all the change", "this transition", "the move", "this new chapter"],
        situations=[
            (
                "I [retired|was made redundant|finished university] {when_trans} and I don't really know who I am without it.",
                "figuring out who you are after such a change",
            ),
            (
                "We moved [across the country|abroad|to a new town] for my partner's job and I've left everything behind.",
                "the move and everything left behind",
            ),
            (
                "I've just become a [mum|dad|parent] and I love the baby, but I feel like I've lost myself.",
                "the change in who you are since the baby",
            ),
            (
                "My [kids|youngest] left for university and the house feels [empty|wrong|too big].",
                "the house feeling different without the kids",
            ),
            (
                "I turned [forty|fifty|thirty] and suddenly I'm questioning everything I've done.",
                "the questioning after that birthday",
            ),
            (
                "I've started a new job in a different field and I feel like a beginner again.",
                "being a beginner again",
            ),
        ],
        slots={
            "when_trans": [
                "last month",
                "in the spring",
                "a few months ago",
                "at the end of last year",
            ]
        },
        feelings=[
            "unsettled",
            "lost",
            "uncertain",
            "restless",
            "adrift",
            "nostalgic",
            "out of place",
        ],
        thoughts=[
            "I've wasted my life",
            "everyone else knows where they're going",
            "it's too late to start again",
            "I made the wrong decision",
            "I should be happier about this",
        ],
        impacts=[
            "drifting through the days without a routine",
            "scrolling job adverts at night",
            "staying in bed later",
            "missing the old routine",
            "questioning every decision",
        ],
        wants=[
            "find a new routine",
            "feel settled",
            "work out what matters now",
            "enjoy the new chapter",
            "feel useful again",
        ],
        changes=[
            "set up one new weekly routine",
            "try something new once a week",
            "write down what's been gained as well as lost",
            "join a local group",
        ],
        psychoed=[
            "Even changes we chose involve loss, and it's normal to grieve the old life while building a new one.",
            "Transitions often come with a 'neutral zone': a period where the old has ended but the new hasn't fully begun. It can feel uncomfortable, but it's also where a lot of rethinking happens.",
        ],
        coping=[
            "a new weekly routine",
            "a list of values",
            "a local class",
            "keeping in touch with old friends",
        ],
        burden=[
            "this much change at once",
            "so much left behind",
            "this much uncertainty about the future",
        ],
        counter=[
            "I did settle in when I moved for university, eventually.",
            "I've already met a couple of nice neighbours.",
            "There are parts of the old job I definitely don't miss.",
            "Friends who went through this say it got better after a year.",
        ],
        history=[
            "It all changed around {when}.",
            "I've been feeling like this since {life_event}.",
            "I thought I'd be fine with it.",
        ],
        keywords=["transition", "retire", "relocat", "new parent", "moving home"],
    )
)

_add(
    _c(
        "anger",
        topic=["the anger", "losing your temper", "the outbursts"],
        situations=[
            (
                "I've been [snapping|flying off the handle] at [my kids|my partner|people at work] over tiny things.",
                "snapping over small things",
            ),
            (
                "I lost my temper in a meeting and [shouted at a colleague|slammed the door], and now I'm on a warning.",
                "what happened in that meeting",
            ),
            (
                "Little things like [slow drivers|people chewing loudly|a messy kitchen] make me furious, and I don't know why.",
                "how quickly small things set you off",
            ),
            (
                "Afterwards I always feel awful and apologise, but it keeps happening.",
                "the cycle of losing it and apologising",
            ),
            (
                "My {rel} says they're starting to walk on eggshells around me, and that scared me.",
                "what your {rel} said",
            ),
        ],
        feelings=[
            "frustrated",
            "irritable",
            "wound up",
            "ashamed",
            "on a short fuse",
            "tense",
            "fed up",
        ],
        thoughts=[
            "people are deliberately disrespecting me",
            "I can't control it once it starts",
            "if I don't react, they'll walk all over me",
            "I'm just an angry person",
        ],
        impacts=[
            "shouting at the kids",
            "sending emails I regret",
            "slamming doors",
            "going quiet and sulking for days",
            "avoiding the people who wind me up",
        ],
        wants=[
            "stay calm when things go wrong",
            "notice it building before it boils over",
            "stop hurting people I love with words",
            "understand where it comes from",
        ],
        changes=[
            "take a ten-minute break when the signs start",
            "notice the early body signals",
            "talk things through once calm",
            "cut back on the things that shorten the fuse, like poor sleep",
        ],
        psychoed=[
            "Anger is often a secondary emotion: underneath it there may be hurt, fear or exhaustion. Noticing what's underneath can make it easier to respond differently.",
            "Anger usually builds in stages, with early body signals like a hot face or clenched jaw. The earlier it's noticed, the more choice there is about what to do next.",
        ],
        coping=[
            "a time-out",
            "counting breaths",
            "a walk around the block",
            "a physical outlet like exercise",
        ],
        burden=["that much frustration", "a temper that flares this fast", "the regret afterwards"],
        counter=[
            "I do manage to keep calm with my customers, so I can do it sometimes.",
            "When I took a break last week, I didn't blow up.",
            "My dad was like this, but I'm not him.",
            "Most people aren't trying to annoy me, if I'm honest.",
        ],
        history=[
            "It's been worse since {when}.",
            "I think it got worse after {life_event}.",
            "I've always had a short fuse.",
        ],
        keywords=["anger", "angry", "irritab", "temper"],
    )
)

_add(
    _c(
        "parenting",
        topic=["parenting", "things with the kids", "being a parent right now"],
        situations=[
            (
                "My [toddler|four-year-old|son|daughter] has meltdowns every evening and I end up [shouting|in tears] too.",
                "the evening meltdowns",
            ),
            (
                "I feel like I'm failing as a parent. Other parents seem to have it all together.",
                "feeling like you're failing as a parent",
            ),
            (
                "I'm raising the kids [on my own|mostly by myself] and I haven't had a break in months.",
                "doing it all on your own",
            ),
            (
                "My [son's|daughter's] school keeps calling about [behaviour|missing homework|fights] and I don't know what to do.",
                "the calls from school",
            ),
            (
                "I love my kids, but some days I just want to run away for a bit, and then I feel guilty for thinking it.",
                "the guilt about needing a break",
            ),
        ],
        feelings=[
            "exhausted",
            "guilty",
            "inadequate",
            "stretched",
            "frustrated",
            "overwhelmed",
            "alone",
        ],
        thoughts=[
            "I'm a terrible parent",
            "I'm damaging my kids",
            "good parents don't feel like this",
            "I should be able to handle this",
        ],
        impacts=[
            "shouting more than I'd like",
            "lying awake replaying the day",
            "never having a moment to myself",
            "giving in to keep the peace",
            "skipping meals",
        ],
        wants=[
            "stay calm at bedtime",
            "have a little time for myself",
            "feel like a good enough parent",
            "understand what's going on with my child",
        ],
        changes=[
            "ask a friend or relative for one evening off a week",
            "plan the evening routine in advance",
            "talk to the school about a plan together",
            "notice one thing that went well each day",
        ],
        psychoed=[
            "Children don't need perfect parents; they need 'good enough' ones who repair after things go wrong. Repairing after shouting actually teaches children a lot.",
            "Meltdowns are often a child's nervous system being overwhelmed rather than deliberate defiance. Staying calm ourselves helps them calm down, but that's very hard when we're running on empty.",
        ],
        coping=[
            "a predictable routine",
            "a few minutes to yourself each day",
            "a parents' group",
            "help from family or friends",
        ],
        burden=[
            "parenting with an empty tank",
            "that much responsibility",
            "all the responsibility on your own",
        ],
        counter=[
            "My daughter still runs to me for a hug, so I can't be doing everything wrong.",
            "The teacher did say he's kind to the other kids.",
            "My friend admitted she shouts too sometimes.",
            "We did have a good day at the park on Sunday.",
        ],
        history=[
            "It's been harder since {when}.",
            "It got harder after {life_event}.",
            "I always wanted to be a parent.",
        ],
        keywords=["parent", "toddler", "child", "postnatal"],
    )
)


# ------------------------------------------------------------------------------------------
# shared slot values
# ------------------------------------------------------------------------------------------

GLOBAL_SLOTS: dict[str, tuple[str, ...]] = {
    "rel": (
        "partner",
        "wife",
        "husband",
        "girlfriend",
        "boyfriend",
        "mum",
        "dad",
        "sister",
        "brother",
        "best friend",
        "flatmate",
        "son",
        "daughter",
    ),
    "when": (
        "last winter",
        "the pandemic",
        "the start of the year",
        "a couple of years ago",
        "last summer",
        "the autumn",
        "my thirties",
    ),
    "life_event": (
        "the move",
        "my divorce",
        "losing my job",
        "the baby arriving",
        "my dad's illness",
        "the operation",
        "the breakup",
        "the new role",
    ),
    "workplace": (
        "work",
        "the office",
        "the warehouse",
        "the hospital",
        "the school",
        "the restaurant",
        "the call centre",
        "the site",
        "the shop",
        "the lab",
    ),
}

# persona: age bands with typical roles (the client may mention them)
AGE_BANDS: dict[str, tuple[tuple[int, int], tuple[str, ...]]] = {
    "18-24": (
        (18, 24),
        (
            "a student",
            "an apprentice",
            "a barista",
            "a care assistant",
            "a trainee electrician",
            "a warehouse worker",
            "a retail assistant",
        ),
    ),
    "25-34": (
        (25, 34),
        (
            "a nurse",
            "a software developer",
            "a teacher",
            "a delivery driver",
            "a junior doctor",
            "a chef",
            "a new mum",
            "a bank clerk",
        ),
    ),
    "35-49": (
        (35, 49),
        (
            "a project manager",
            "a bus driver",
            "a social worker",
            "a self-employed plumber",
            "a stay-at-home dad",
            "an accountant",
            "a shop manager",
        ),
    ),
    "50-64": (
        (50, 64),
        (
            "a lecturer",
            "a lorry driver",
            "a civil servant",
            "a carer for my mum",
            "a small business owner",
            "a school caretaker",
        ),
    ),
    "65+": (
        (65, 84),
        (
            "a retired engineer",
            "a retired nurse",
            "a grandparent who looks after the grandkids",
            "a retired shopkeeper",
            "a widower",
            "a volunteer at the library",
        ),
    ),
}

# cultural and life background the client may bring in (first person, one sentence)
BACKGROUNDS: tuple[tuple[str, str], ...] = (
    ("immigrant_family", "My parents came here from {country} when I was small, and at home we never really talked about feelings."),
    ("recent_migrant", "I moved here from {country} [two|three|four] years ago, so I'm still finding my feet."),
    ("first_generation_student", "I'm the first in my family to go to university, so there's a lot riding on me."),
    ("rural", "I grew up in a small village where everyone knows everyone's business."),
    ("religious", "I was raised quite religious, and my faith is still important to me."),
    ("stigma", "Where I'm from, seeing a counsellor is still a bit taboo, so this feels strange."),
    ("big_family", "I come from a big family and I'm the one everybody leans on."),
    ("care_experienced", "I grew up in foster care, so I've mostly had to sort things out on my own."),
    ("military_family", "My dad was in the forces, so we moved around a lot growing up."),
    ("single_parent", "I'm bringing up two kids on my own."),
    ("shift_worker", "I work nights, so my body clock is all over the place."),
    ("carer", "I look after my mum, who has dementia, alongside everything else."),
    ("lgbtq", "I came out to my family last year and they're still adjusting."),
    ("none", ""),
)  # fmt: skip
COUNTRIES = ("Nigeria", "Poland", "Pakistan", "the Philippines", "Brazil", "Romania", "India", "Jamaica",
             "Vietnam", "Ghana", "Syria", "Portugal", "Bangladesh", "Somalia", "China", "Ukraine")  # fmt: skip

STYLES = ("plain", "terse", "verbose", "guarded", "humorous", "non_native")

# ------------------------------------------------------------------------------------------
# client blocks
# ------------------------------------------------------------------------------------------

CLIENT_OPENERS = (
    "Hi.", "Hi. I'm not really sure where to start.", "Um, hello.", "Okay, so.", "Hey.",
    "I've been putting off this conversation for a while.", "So, my {rel} suggested I talk to someone.",
    "I don't usually do this kind of thing.", "Thanks for seeing me.", "I'm a bit nervous, honestly.",
    "Hi there. This is my first time talking to anyone about this.", "Right. Where do I begin.",
    "I wasn't sure this was worth bringing up, but here goes.", "",
)  # fmt: skip
CLIENT_SELF_INTRO = (
    "I'm {age}, [and I work as|I'm] {role_np}.", "I'm {role_np}, {age}.", "For context, I'm {age} and {role_np}.",
    "Quick background: I'm {role_np}.", "",
)  # fmt: skip
CLIENT_FEELING = (
    "I feel [really|so|pretty|quite] {feeling}.", "[Honestly, |]I've been feeling {feeling} [most of the time|a lot|constantly].",
    "It leaves me feeling {feeling}.", "I just feel {feeling}, you know?", "Mostly I feel {feeling}.",
    "[And|So] I'm {feeling} [all the time|a lot of the time|most days].", "I'm [pretty|really|just] {feeling}, if I'm honest.",
    "The main feeling is {feeling}.", "[Right now|These days|Lately] I'd describe myself as {feeling}.",
    "I keep ending up {feeling}.",
)  # fmt: skip
CLIENT_IMPACT = (
    "I've [started|been] {impact}.", "I keep {impact}.", "I've ended up {impact}.",
    "[Lately|These days|Recently] I catch myself {impact}.", "It's got to the point where I'm {impact}.",
    "[I notice|I've noticed] I'm {impact} [more and more|a lot|again].", "I find myself {impact}.",
    "[Half the time|Most evenings|Some weeks] I'm {impact}.",
)  # fmt: skip
CLIENT_THOUGHT = (
    "I keep thinking, {thought}.", "There's this voice that says {thought}.", "Part of me is sure that {thought}.",
    "[And|But] deep down I think {thought}.", "I can't shake the feeling that {thought}.",
    "My brain keeps telling me {thought}.", "I [tell myself|think] {thought}.",
    "[It's like|It feels like] {thought}.", "The thought that comes up is, {thought}.",
)  # fmt: skip
CLIENT_WANT = (
    "I just want to {want}.", "I'd really like to {want}.", "What I want is to {want}.",
    "If I could {want}, that would be a start.", "[Ideally|Honestly], I'd love to {want}.",
    "I'd like to [get to a point where I can|be able to] {want}.", "My goal, I guess, is to {want}.",
)  # fmt: skip

# replies to each technique (the counsellor's previous turn)
CLIENT_REPLIES: dict[str, tuple[str, ...]] = {
    "reflection": (
        "[Yeah|Yes|Exactly], that's it. {impact_s}",
        "Pretty much. {thought_s}",
        "Yeah. {history}",
        "Not exactly {feeling2}, more like {feeling}. {impact_s}",
        "[I guess so|I suppose]. {detail}",
        "That's a good way of putting it. {thought_s}",
    ),
    "validation": (
        "Thanks. It's nice to hear that it makes sense. {impact_s}",
        "I suppose. I just feel like I should be coping better. {thought_s}",
        "[Yeah|Right]. Nobody's really said that to me before. {detail}",
        "Maybe. {history} {impact_s}",
        "I hadn't really let myself think of it that way. {detail}",
    ),
    "open_question": (
        "{detail} {impact_s}",
        "[Hmm.|Honestly?] {impact_s} {thought_s}",
        "Well, {impact_s_lower} {thought_s}",
        "{history} {impact_s}",
        "[I think|Probably] the hardest part is {impact}. {thought_s}",
        "{thought_s} {want_s}",
    ),
    "cbt_reframe": (
        "[I guess|I suppose|When you put it like that,] {counter_lower}",
        "{counter} But it doesn't feel that way in the moment.",
        "That's hard to answer. {counter}",
        "[Hmm.|Okay.] If a friend said it, I'd tell them they were being too hard on themselves. {counter}",
        "I don't know. It feels true. [But|Although] {counter_lower}",
    ),
    "motivational_interviewing": (
        "Maybe a {scale}. {want_s}",
        "Probably a {scale}, if I'm honest. {ambivalence}",
        "I'd say {scale}. I do want to {want}, it's just hard to start.",
        "[Somewhere around|About] {scale}. {ambivalence}",
        "{ambivalence} But yeah, I'd like to {want}.",
    ),
    "psychoeducation": (
        "That actually makes a lot of sense. I didn't know that.",
        "Huh. So it's not just me being weird. {detail}",
        "That fits, yeah. {impact_s}",
        "I've never thought of it like that. {thought_s}",
        "Okay. That's a bit reassuring, actually.",
    ),
    "grounding": (
        "Okay. [The lamp, the window, my mug... a car outside.|I can see the window, a plant, my keys.|The chair, the clock, my shoes.] [That does help a bit.|I feel a bit steadier.|It's slowing down a little.]",
        "[Alright.|Okay.] [Breathing in... and out.|In for four, out for six.] [That's better.|I feel a bit calmer.|My shoulders dropped a bit.]",
        "That's weird, but it helped. {detail}",
        "I tried it. I'm still a bit shaky, but less than before.",
    ),
    "mi_open": (
        "{want_s} {ambivalence}",
        "I suppose {want_s_lower} [But|Though] {ambivalence_lower}",
        "Good question. {ambivalence} But I'd really like to {want}.",
        "{counter} So maybe it's possible.",
        "[Honestly,|Well,] things would feel lighter. {want_s}",
    ),
    "summarising": (
        "Yes, that's it exactly.",
        "Yeah, that's a good summary. {want_s}",
        "Mostly, yes. {detail}",
        "Hearing it all together, it's a lot, isn't it. {want_s}",
        "Yes. And {impact_s_lower}",
    ),
    "behavioural_activation": (
        "I used to love {activity}. I haven't done it in ages.",
        "Maybe {activity}? That used to help.",
        "I could probably manage {activity} once this week.",
        "I don't know. Maybe {activity}, if I can get myself out the door.",
    ),
    "problem_solving": (
        "I suppose I could {change}.",
        "Option one would be to {change}. I'm not sure about the others.",
        "Maybe I could {change}. That feels doable.",
        "I've thought about trying to {change}, but I never got round to it.",
    ),
}
CLIENT_DETAILS = (
    "It's worst in the evenings.", "It's been going on longer than I'd like to admit.",
    "It comes and goes, but lately it's more often.", "I've tried to ignore it, but that hasn't worked.",
    "I haven't told many people about this.", "My {rel} has noticed too.", "Some days are better than others.",
    "I usually just push through.", "I think I've been pretending it's fine for a while.",
    "The weekends are a bit easier.", "I don't really have words for it.", "It's hard to explain.",
)  # fmt: skip
AMBIVALENCE = (
    "Part of me thinks it's not that bad.", "I'm scared that if I try and it doesn't work, I'll feel worse.",
    "I know I should, but it's hard to find the energy.", "It feels selfish to put myself first.",
    "I've tried before and gave up.", "I'm not sure I deserve to feel better.",
)  # fmt: skip
ACTIVITIES = (
    "going for a swim", "cooking a proper meal", "walking by the river", "playing football", "drawing",
    "calling my sister", "going to the allotment", "baking bread", "going to the cinema", "reading in the park",
    "playing the piano", "going to the gym", "doing a puzzle", "yoga",
)  # fmt: skip

CLIENT_CLOSINGS = (
    "Thanks. This has helped [a bit|more than I expected|a lot].", "Okay. I think I can try that.",
    "That gives me something to work with.", "I'll give it a go this week.", "Thank you for listening.",
    "I feel a bit lighter, actually.", "I'm not sure, but I'll think about it.", "Can we pick this up next time?",
)  # fmt: skip

# style decorations
TERSE_ENDINGS = ("", "", "idk", "i guess", "yeah", "so")
VERBOSE_ASIDES = (
    "And I know this probably sounds silly, but", "The thing is,", "I mean,", "To be completely honest with you,",
    "I've been thinking about this a lot, and", "It's funny, because", "Like, for example,",
)  # fmt: skip
GUARDED_HEDGES = (
    "I don't know.", "It's probably nothing.", "It's fine, I guess.", "I'm not sure it's worth talking about.",
    "I'd rather not go into all of it.", "Maybe.", "It's not a big deal.",
)  # fmt: skip
HUMOUR = (
    "Ten out of ten, would not recommend.", "My cat is unimpressed with me as well, so at least it's consistent.",
    "Classic me.", "I'm basically a walking to-do list at this point.", "Living the dream, clearly.",
    "My houseplants are doing better than I am, and they're half dead.", "Anyway, that's my TED talk.",
    "I'd give my coping skills a solid three stars.", "If overthinking were a sport I'd have medals.",
)  # fmt: skip

# ------------------------------------------------------------------------------------------
# counsellor blocks
# ------------------------------------------------------------------------------------------

SYSTEM_PROMPTS = (
    "You are a warm, non-judgemental counsellor. Listen carefully, reflect feelings, and ask one question at a time.",
    "You are a supportive mental-health counsellor. Use evidence-based techniques and never diagnose.",
    "You are an empathetic listener trained in person-centred and CBT approaches. Keep replies concise and kind.",
)  # fmt: skip
COUNSELLOR_OPENERS = (
    "Hi, thanks for coming in today. What would you like to talk about?",
    "Hello. It's good to meet you. Where would you like to start?",
    "Welcome. Take your time, and tell me what's been on your mind.",
    "Hi there. What brings you here today?",
    "Thanks for reaching out. What's been going on for you lately?",
    "Hello, and welcome. How are things with you at the moment?",
)  # fmt: skip
ACKS = (
    "", "", "", "", "Mm.", "Okay.", "I see.", "Right.", "I hear you.", "Thank you for sharing that.",
    "Thank you for telling me.", "Thanks for explaining that.", "I'm glad you brought this up.",
    "That's really helpful to hear.", "Thank you for being so open.", "I appreciate you saying that.",
    "Mm, okay.", "That's important.", "I'm with you.", "Yes.", "Okay, thank you.",
    "It helps to hear it in your words.", "Let me take that in for a second.",
)  # fmt: skip

# [a|b] alternatives keep the counsellor from sounding like one fixed script
_SOUNDS = "[It sounds like|It seems like|I'm hearing that|It sounds as though|From what you're saying,|So]"
_MAKES_SENSE = "[That makes a lot of sense|That makes sense|That's completely understandable|That's understandable|Of course|No wonder]"
TECHNIQUES: dict[str, tuple[str, ...]] = {
    "reflection": (
        _SOUNDS
        + " you've been feeling {feeling}, [especially|particularly|most of all] when it comes to {short}.",
        "So when it comes to {short}, you end up feeling {feeling}, and it's [started to affect|spilling over into|leaking into] the rest of your life.",
        "What I'm hearing is that, when it comes to {short}, you've been left feeling [really|pretty|quite] {feeling}.",
        "You're feeling {feeling}, and [on top of that|alongside that|at the same time] you've been {impact}.",
        "[It seems like|There seems to be|I'm noticing] a lot of {feeling_noun} around {short}.",
        "So part of what's been happening is that you've been {impact}, and [underneath that|beneath it|behind it] there's a sense of feeling {feeling}.",
        "[It sounds as if|It seems as though|I get the sense that] everything around {short} has been taking up a lot of [space|room|energy] for you [lately|recently|at the moment].",
        "[If I've understood you|If I'm following you|Correct me if I'm wrong, but], {short} has left you feeling {feeling}, and [it's hard to see a way through|you're not sure what to do with it|it's been hard to put down].",
        "There's [a real heaviness|a lot of weight|a lot going on] in what you're describing. Feeling {feeling} [day after day|week after week|most of the time] is [exhausting|draining|a lot].",
        "[I can hear|I'm picking up|It comes across] how {feeling} you've been, and how much {short} [is weighing on you|has been on your mind|keeps pulling you back].",
    ),
    "validation": (
        _MAKES_SENSE + ", given everything you've described.",
        "Anyone [dealing with|facing|going through|living with] {burden} would feel {feeling}. It's [an understandable|a very human|a natural] reaction.",
        "It's [completely|entirely|really] understandable to feel {feeling} when it comes to {short}.",
        "Of course you're feeling {feeling}. [That's a lot to carry|That's a heavy load|You've been carrying a lot].",
        "It makes sense that you've been {impact}. [It's a way of getting through|It's been a way to cope|People often do that to get by].",
        "[Your reaction makes sense.|What you're feeling makes sense.|How you're reacting makes sense.] {burden_cap} would wear [most people|anyone|almost anyone] down.",
        "There's nothing [strange|wrong|unusual] about feeling {feeling} in a situation like this.",
        "[I want to say|It's worth saying|I'd like to acknowledge] that you've been [coping with|holding|managing] {burden} [largely on your own|for a while now|without much support]. That takes [a lot|real effort|strength].",
        "Feeling {feeling} doesn't mean you're [failing|doing something wrong|weak]. It [means|tells me] {short} [matters to you|has been really hard|has taken a lot out of you].",
    ),
    "open_question": (
        "What's it like for you when it comes to {short}?",
        "[Can you tell me|Could you tell me|I'd like to hear] a bit more about {short}?",
        "How has this been affecting your [day-to-day life|everyday life|days|routine]?",
        "When did you first notice things [getting harder|changing|starting to slip]?",
        "What goes through your mind in those moments?",
        "What would you like to be different?",
        "What have you tried so far, and how did it go?",
        "How are you looking after yourself at the moment?",
        "Who [knows about|have you been able to talk to about] what you're going through?",
        "What does a typical [evening|day|week] look like right now?",
        "[When|If] you imagine things going a bit better, what would you notice first?",
        "What's the hardest part of {short} for you?",
        "How do you usually cope when you're feeling {feeling}?",
        "What happens in your body when you're feeling {feeling}?",
    ),
    "cbt_reframe": (
        'I noticed you said "{thought}". What evidence do you have for that thought, and is there anything that doesn\'t quite fit it?',
        'If a [good friend|close friend|friend you care about] told you "{thought}", what would you say to them?',
        'That thought, "{thought}", sounds [very harsh|really heavy|pretty unforgiving]. Is there another way of looking at the situation?',
        'Let\'s slow that thought down: "{thought}". How much do you believe it right now, from zero to a hundred? And what might a more balanced version sound like?',
        'I wonder if the thought "{thought}" is a fact or a feeling. What would you notice if it weren\'t entirely true?',
        'When you think "{thought}", how does that make you feel, and what do you then do? Sometimes the thought drives the feeling more than the situation does.',
        "[Can we look at|Shall we examine|Could we test] the thought \"{thought}\" together? What's happened in the past that [supports it|backs it up], and what [goes against it|doesn't fit]?",
        '"{thought}" [is a big conclusion|is quite a sweeping statement|carries a lot]. What would you say to yourself on a day when you were feeling a bit stronger?',
    ),
    "motivational_interviewing": (
        "On a scale from zero to ten, how important is it for you to {change}?",
        "It sounds like part of you wants to {want}, and part of you isn't sure it's possible. What would make it feel a bit more possible?",
        "What would be different in your life if you were able to {want}?",
        "You mentioned wanting to {want}. What's one reason that matters to you?",
        "If you decided to {change}, how confident would you feel about it, from zero to ten?",
        "What are the good things about how things are now, and what are the not-so-good things?",
        "[Where|How] would you like things to be [a year from now|in six months|by the summer], and how does that compare with now?",
        "What [has helped you|has worked for you] when you've made a change before?",
    ),
    "psychoeducation": (
        "{psychoed} Does that fit with your experience?",
        "[Can I share something|Would it help if I shared something|May I offer something] that might help make sense of this? {psychoed}",
        "Something that a lot of people find useful to know: {psychoed} How does that sit with you?",
        "{psychoed} I wonder if some of that rings true for you.",
        "[It might help to know|It's worth knowing|Here's something that might be useful]: {psychoed} What do you make of that?",
    ),
    "grounding": (
        "Let's slow things down for a moment. Can you name five things you can see around you right now?",
        "Before we go on, would you be willing to try something with me? Breathe in slowly for four counts, and out for six. Let's do that a few times together.",
        "It sounds like things are feeling very intense right now. Can you feel your feet on the floor? Notice the weight of your body in the chair.",
        "Let's pause here. Try naming three things you can hear and two things you can physically feel.",
        "Would it help to take a breath together? In through your nose, and a long, slow breath out.",
        "[Let's take a moment.|Let's pause for a second.] Press your feet into the floor and notice [the temperature of the air|the feeling of your hands in your lap|the sounds in the room].",
        "Can you try [placing a hand on your chest|relaxing your shoulders] and letting your next breath out be a little slower than the one before?",
    ),
    "summarising": (
        "Let me check I've understood. You've been feeling {feeling}, mostly around {short}, and you've been {impact}. What you'd like is to {want}. Is that right?",
        "So, to sum up: things around {short} have been hard, you've been feeling {feeling}, and you'd like to {want}. Have I missed anything?",
        "Just to pull together what you've said: there's {short}, a lot of feeling {feeling}, and a wish to {want}. Does that capture it?",
        'Let me summarise where we are. You\'ve been {impact}, the thought "{thought}" keeps coming up, and you want to {want}. Is that a fair summary?',
        "[Can I check|Let me make sure] I've got the main points? Things around {short} have left you feeling {feeling}, and [part of you|you] would like to {want}. [Did I get that right?|How does that sound?]",
    ),
    "behavioural_activation": (
        "When things feel this heavy, doing small things you used to enjoy can help, even before you feel like it. What's one activity that used to give you a lift?",
        "What's something small you could do this week that might give you a sense of achievement or enjoyment?",
        "Could we plan one small thing for the next few days, something that used to matter to you?",
        "Sometimes action comes before motivation. What's one thing you've stopped doing that you miss?",
        "With everything going on, it's easy for the things that refuel us to drop away. What used to help you recharge?",
        "[If you had a free hour this week|If you had an afternoon to yourself], what's something you might enjoy, even a little?",
    ),
    "problem_solving": (
        "Let's look at this practically. If we listed a few options, even imperfect ones, what might be on the list?",
        "What's one small part of this that feels most within your control?",
        "If we broke this down into steps, what would the very first step be?",
        "What options have you considered so far? Let's weigh them up together.",
        "[What would you suggest to a friend in the same position?|If someone you cared about were in this spot, what might you suggest?]",
        "What's getting in the way most right now, and what would make it [ten percent easier|a little easier|slightly more manageable]?",
    ),
}
FOLLOW_UPS = (
    "", "", "", "", "Take your time.", "There's no right answer.", "I'm curious what you think.",
    "We can go at whatever pace feels right.",
)  # fmt: skip
COUNSELLOR_CLOSINGS = (
    "Thank you for talking this through with me. It sounds like {coping} could be worth a try as a next step. How does that feel?",
    "You've shared a lot today, and that takes effort. Maybe this week you could experiment with {coping}, and we can see how it went next time.",
    "I really appreciate your openness. Let's keep {want_short} in mind as something to work towards, one small step at a time.",
    "It's been good to talk with you. Remember that you don't have to sort all of this out at once. Would {coping} be worth trying before we next speak?",
    "Thank you. I think you've taken an important first step just by naming all this. Let's pick it up again next time.",
    "That sounds like a good plan. Be kind to yourself this week, and notice what helps, even a little.",
)  # fmt: skip
FEELING_NOUNS: dict[str, str] = {
    "on edge": "tension", "wound up": "tension", "tense": "tension", "jittery": "nervousness",
    "keyed up": "tension", "panicky": "panic", "uneasy": "unease", "restless": "restlessness",
    "flat": "flatness", "empty": "emptiness", "heavy": "heaviness", "drained": "exhaustion",
    "numb": "numbness", "worn down": "weariness", "low": "sadness", "disconnected": "disconnection",
    "heartbroken": "heartache", "lost": "confusion", "hollow": "emptiness", "raw": "pain",
    "adrift": "uncertainty", "guilty": "guilt", "angry": "anger", "hurt": "hurt",
    "unheard": "hurt", "confused": "confusion", "lonely": "loneliness", "resentful": "resentment",
    "torn": "conflict", "frustrated": "frustration", "insecure": "insecurity",
    "stretched thin": "pressure", "overwhelmed": "overwhelm", "burnt out": "exhaustion",
    "undervalued": "hurt", "exhausted": "exhaustion", "frazzled": "stress", "trapped": "frustration",
    "on guard": "fear", "shaken": "fear", "unsafe": "fear", "jumpy": "fear", "detached": "numbness",
    "ashamed": "shame", "frozen": "fear", "stuck": "frustration", "self-critical": "self-criticism",
    "worried": "worry", "defensive": "tension", "tired": "tiredness", "alone": "loneliness",
    "invisible": "loneliness", "left out": "hurt", "isolated": "loneliness", "forgotten": "sadness",
    "unwanted": "hurt", "foggy": "tiredness", "irritable": "irritation", "wired but tired": "exhaustion",
    "desperate for rest": "exhaustion", "inadequate": "self-doubt", "small": "self-doubt",
    "not good enough": "self-doubt", "self-conscious": "self-consciousness", "exposed": "self-doubt",
    "embarrassed": "embarrassment", "caught in the middle": "conflict", "unappreciated": "hurt",
    "panicked": "panic", "behind": "pressure", "pressured": "pressure", "stressed": "stress",
    "scared": "fear", "preoccupied": "worry", "on high alert": "worry", "frightened": "fear",
    "unsettled": "uncertainty", "uncertain": "uncertainty", "nostalgic": "longing",
    "out of place": "unease", "on a short fuse": "irritation", "fed up": "frustration",
    "stretched": "pressure",
}  # fmt: skip
