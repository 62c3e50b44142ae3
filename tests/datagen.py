"""Deterministic test datasets: realistic-shaped records, some crisis, some junk."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from tests.conftest import write_jsonl

CALM = [
    "I have been sleeping badly since the move and I feel tired all day.",
    "Work has been stressful, my manager keeps changing the deadlines.",
    "My sister and I argued about looking after our dad and I feel guilty.",
    "I started going for walks in the morning and it helps a little.",
    "Exams are in two weeks and I can't concentrate on anything.",
    "I feel lonely since my best friend moved to another city.",
    "This commute is killing me, two hours every day on the train.",
    "I nearly died laughing at the comedy show last night.",
    "I'm not suicidal, just exhausted and fed up with my job.",
    "Years ago I used to cut myself, but I've been doing well for a long time now.",
]
REPLIES = [
    "That sounds really hard. What has been the most difficult part for you?",
    "It makes sense that you feel worn out. How have you been looking after yourself?",
    "Thank you for telling me. What would feel like a small step forward this week?",
]
CRISIS = [
    "I want to kill myself tonight, I can't do this anymore.",
    "I have been thinking about ending my life and I have the pills ready.",
    "I cut myself again last night and I want to do it again.",
    "I took a whole bottle of pills an hour ago.",
    "I keep thinking about suicide every single day and I want to die.",
]


# neutral English words for the per-record tails below
FILLER = [
    "garden",
    "window",
    "coffee",
    "river",
    "morning",
    "paper",
    "table",
    "yellow",
    "bridge",
    "orange",
    "kitchen",
    "pencil",
    "market",
    "island",
    "letter",
    "season",
    "bottle",
    "forest",
    "button",
    "carpet",
    "circle",
    "cotton",
    "dinner",
    "engine",
    "finger",
    "flower",
    "guitar",
    "hammer",
    "jacket",
    "ladder",
    "lemon",
    "meadow",
    "mirror",
    "needle",
    "ocean",
    "pepper",
    "pillow",
    "planet",
    "pocket",
    "rabbit",
    "ribbon",
    "saddle",
    "shadow",
    "silver",
    "socket",
    "spoon",
    "stable",
    "sugar",
    "summer",
    "tennis",
    "ticket",
    "tunnel",
    "valley",
    "velvet",
    "wagon",
    "winter",
    "wooden",
    "basket",
    "blanket",
    "candle",
    "castle",
    "cheese",
    "cherry",
    "cloud",
    "copper",
    "desert",
    "drawer",
    "feather",
    "fence",
    "harbor",
    "helmet",
    "honey",
    "kettle",
    "lantern",
    "marble",
    "muffin",
    "napkin",
    "orchard",
    "parcel",
    "pebble",
    "pigeon",
    "puzzle",
    "quilt",
    "saucer",
    "scarf",
    "shelf",
    "slipper",
    "sponge",
    "stamp",
    "tomato",
    "trolley",
    "tulip",
    "umbrella",
    "violin",
    "walnut",
    "whistle",
]


def _tail(i: int, seed: int) -> str:
    """Words unique to record ``i`` (a separate generator, so the choices above are
    unchanged): without them most records are exact or near duplicates that dedup removes."""
    r = random.Random(f"{seed}-{i}")
    return " ".join(r.choice(FILLER) for _ in range(12))


def make_records(n: int, seed: int = 7, crisis_every: int = 9) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for i in range(n):
        crisis = i % crisis_every == 0
        group = f"thread-{i // 3:05d}"
        if i % 4 == 0:
            user = rng.choice(CRISIS) if crisis else rng.choice(CALM)
            msgs = [
                {"role": "user", "content": user},
                {"role": "assistant", "content": rng.choice(REPLIES)},
                {"role": "user", "content": f"{rng.choice(CALM)} ({_tail(i, seed)})"},
            ]
            rows.append({"id": f"r{i:06d}", "messages": msgs, "group": group, "label": int(crisis)})
        else:
            body = rng.choice(CRISIS) if crisis else " ".join(rng.sample(CALM, 2))
            rows.append(
                {"id": f"r{i:06d}", "text": body + f" (note {i}: {_tail(i, seed)})", "group": group,
                 "label": int(crisis), "url": f"https://example.org/t/{i}", "license": "CC-BY-4.0"}
            )  # fmt: skip
    return rows


def write_dataset(directory: Path, n: int = 600, files: int = 3, seed: int = 7) -> list[Path]:
    rows = make_records(n, seed)
    paths = []
    per = (n + files - 1) // files
    for f in range(files):
        paths.append(write_jsonl(directory / f"part-{f}.jsonl", rows[f * per : (f + 1) * per]))
    return paths


def config_toml(
    directory: Path,
    *,
    gold: str = '"builtin"',
    shard_mb: float = 0.02,
    extra: str = "",
    dataset: str = "testset",
    min_positives: int = 20,
) -> Path:
    cfg = directory / "run.toml"
    cfg.write_text(
        f"""
[run]
dataset = "{dataset}"

[source]
paths = ["data/*.jsonl"]
name = "unit"
license = "CC0-1.0"
shard_mb = {shard_mb}

[gate]
gold = [{gold}]
min_positives = {min_positives}
{extra}
"""
    )
    return cfg
