"""A synthetic library made from the sample stories, with the same conventions.

Stories are varied (renamed, reordered, resized): a header block or not, author's notes,
disclaimers, chapter headings, scene breaks in several glyphs, archive chrome lines, a
few CRLF files. Deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "stories").glob("*.txt"))

_SCENE = re.compile(r"^\s*([*~#=_+\-])(\s*\1){2,}\s*$")
_LABEL = re.compile(r"^[A-Z][A-Za-z' /]{0,24}:")

NAMES = [("Buffy", "Faith"), ("Spike", "Angel"), ("Giles", "Wesley"), ("Willow", "Tara"),
         ("Xander", "Oz"), ("Dawn", "Cordelia"), ("Angel", "Spike")]
BREAKS = ["* * *", "~~~", "* * * * * * *", "###", "- - -", "+++", "=  =  ="]
CHROME = ["Back to top", "Previous Chapter | Next Chapter", "Kudos: 1,204",
          "Chapter End Notes", "Please review!", "Rate this story"]
AUTHORS = ["Singing Violin", "Ares", "nightshade", "Willow Rose", "A. Nonymous", "Slayerfan"]
WORDS = ["Dark", "Shadows", "Ashes", "Embers", "Blood", "Wine", "Touch", "Night", "Dawn",
         "Fire", "Stone", "Glass", "Winter", "Promise", "Last", "Long", "Broken", "Silver"]


def _pool() -> list[str]:
    paras: list[str] = []
    for path in SAMPLES:
        for para in re.split(r"\n\s*\n", path.read_text("utf-8")):
            para = para.strip()
            if para and not _SCENE.match(para) and not _LABEL.match(para):
                paras.append(" ".join(para.split("\n")))
    return paras


def _swap(text: str, rng: random.Random) -> str:
    a, b = NAMES[rng.randrange(len(NAMES))]
    return text.replace(a, b)


def story_text(n: int, size: int, pool: list[str]) -> str:
    rng = random.Random(n)
    title = " ".join(rng.sample(WORDS, rng.randint(1, 3)))
    out: list[str] = []
    style = rng.randrange(3)
    if style == 0:
        out.append("\n".join([f"Title: {title}", f"Author: {rng.choice(AUTHORS)}",
                              "Category: Buffy: The Vampire Slayer",
                              f"Rating: {rng.choice(['K', 'K+', 'T', 'M', 'PG-13'])}",
                              f"Summary: {rng.choice(pool)[:160]}",
                              "Disclaimer: The Buffyverse is not mine. Just borrowing."]))
    elif style == 1:
        out.append(f"Story Notes: {rng.choice(pool)[:200]}")
        out.append(f"A/N: {rng.choice(pool)[:300]}")
        out.append("Disclaimer: Not mine. Never gonna be mine.")
    chapters = rng.random() < 0.4
    brk = rng.choice(BREAKS)
    chapter, since_break, total = 1, 0, sum(len(p) for p in out)
    if chapters:
        out.append(f"Chapter {chapter}")
    order = list(range(len(pool)))
    rng.shuffle(order)
    i = 0
    while total < size:
        para = _swap(pool[order[i % len(order)]], rng)
        i += 1
        out.append(para)
        total += len(para.encode("utf-8")) + 2
        since_break += 1
        if since_break > rng.randint(15, 45):
            since_break = 0
            if chapters and rng.random() < 0.5:
                if rng.random() < 0.3:
                    out.append(rng.choice(CHROME))
                chapter += 1
                out.append(f"Chapter {chapter}")
            else:
                out.append(brk)
    if rng.random() < 0.3:
        out.append(rng.choice(CHROME))
    if rng.random() < 0.5:
        out.append(f"A/N: {rng.choice(pool)[:200]}")
    text = "\n\n".join(out) + "\n"
    return text.replace("\n", "\r\n") if rng.random() < 0.1 else text


def make_stories(folder: Path, count: int, mean_size: int, start: int = 0) -> list[Path]:
    """`count` stories averaging `mean_size` bytes, sizes varied from ~0.2x to ~3x."""
    folder.mkdir(parents=True, exist_ok=True)
    pool = _pool()
    rng = random.Random(1000 + start)
    paths = []
    for n in range(start, start + count):
        size = int(mean_size * rng.choice([0.2, 0.5, 0.8, 1.0, 1.0, 1.2, 1.5, 0.8]))
        slug = "_".join(rng.sample(WORDS, 2)).lower()
        path = folder / f"{n:05d}_{slug}.txt"
        data = story_text(n, size, pool).encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        paths.append(path)
    return paths


def write_recipe(path: Path, title: str, stories: list[Path], date: str = "2024-05-01") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"title: {title}", "editor: ficbook bench", f"date: {date}", "stories:"]
    for s in stories:
        lines.append(f"  - path: {Path('..', s.parent.name, s.name).as_posix()}")
    text = "\n".join(lines) + "\n"
    if not path.exists() or path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")
    return path
