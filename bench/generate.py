"""Write a synthetic library in the scraped `.txt` format, for benchmarks.

    python bench/generate.py OUT_DIR --count 100000 [--seed 1]

Deterministic for a seed. Articles of about 300-900 words on one of a few dozen topics,
drawn from a Zipf-like vocabulary (real English function words at the top, made-up words
below), with headings, pull quotes, a few hundred authors (most with a bio), dated file
names `YYYY-MM-DD-slug.txt` in `YYYY/MM/` folders, and "You Might Also Like" lists naming
other articles of the same topic.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path


def words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


FUNCTION_WORDS = words(
    "the of and to a in that is was he for it with as his on be at by i this had not are "
    "but from or have an they which one you were her all she there would their we him been "
    "has when who will more no if out so said what up its about into than them can only "
    "other new some could time these two may then do first any my now such like our over "
    "man me even most made after also did many before must through back years where much "
    "your way well down should because each just those people how too little state good "
    "very make world still own see men work long get here between both life being under "
    "never day same another know while last might us great old year off come since against "
    "go came right used take three government minister officials week company market said"
)
SYLLABLES = words(
    "ka ro mi ta len dor vas pel tri nor sha bel gon fi ra lu ve zan tor mel kri sa do pra "
    "lin ber hal vin ost ter mar nel qua fen rud sil wen yar bro cle dra ens gal"
)
FIRST_NAMES = words(
    "Marta Oskar Lena Ilian Sabine Teodor Anneliese Dmitar Vesna Jonas Amara Priya Kenji "
    "Hana Tomasz Ingrid Rafael Chiara Yusuf Noor Emeka Aiko Mateo Freya Sven Lucía Kofi "
    "Elif Björn Zara Ana Ravi Maren Pavel Leila Niamh Dario Ines Hugo Sofia Wei Mei Arjun "
    "Olga Femi Selin Goran Talia Nils Rosa Idris Yara Camille Milo Ayla Bruno Greta"
)
LAST_NAMES = words(
    "Lindqvist Obi Brandt Nilsen Hoffberg Vortmann Selenko Marek Dragov Koury Lund Okafor "
    "Tanaka Kowalski Haugen Moreau Rossi Demir Rahman Adeyemi Sato Herrera Larsen Berg "
    "García Mensah Yilmaz Andersson Khan Silva Patel Eriksen Novak Haddad Byrne Ricci Costa "
    "Laurent Fischer Zhang Li Sharma Ivanova Balogun Aksoy Petrović Cohen Strand Alves Bakr "
    "Nakamura Dubois Schmidt Castro Kaya Jansen Murphy Conti Weber Abiola Lindgren Hashemi "
    "Takahashi Morales Kuznetsova Fontaine Oyelaran Vidal Karlsson"
)
BEATS = words(
    "diplomatic correspondent|energy editor|technology reporter|sports writer|"
    "economics editor|climate correspondent|health reporter|culture critic|"
    "security analyst|science writer|business reporter|political editor",
    sep="|",
)
CITIES = words(
    "Brussels Nairobi Lagos Tokyo Lima Oslo Cairo Delhi Jakarta Warsaw Lisbon Montreal "
    "Seoul Accra Istanbul Madrid Vienna Dakar Manila Bogotá"
)
TOPICS = 48
TOPIC_KEYWORDS = 30
SENTENCES_GENERAL = 40_000
SENTENCES_PER_TOPIC = 500
AUTHORS = 350
DAYS = 1100
START = date(2023, 1, 1)


@dataclass
class World:
    """Everything drawn once per seed; articles are assembled from it."""

    general: list[str]
    topical: list[list[str]]
    keywords: list[list[str]]
    vocabulary: list[str]
    cumulative: list[float]
    authors: list[tuple[str, str | None]]


def make_vocabulary(rng: random.Random, size: int = 40_000) -> list[str]:
    words = list(dict.fromkeys(FUNCTION_WORDS))
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def zipf_cumulative(size: int, exponent: float = 1.05) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, size + 1)))


def sentence(rng: random.Random, words: list[str]) -> str:
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    if rng.random() < 0.25:
        cut = rng.randrange(2, max(3, len(words) - 1))
        head, _, tail = text.partition(" " + words[cut] + " ")
        if tail:
            text = f"{head}, {words[cut]} {tail}"
    return text + "."


def make_world(rng: random.Random) -> World:
    vocabulary = make_vocabulary(rng)
    cumulative = zipf_cumulative(len(vocabulary))

    def draw(k: int) -> list[str]:
        return rng.choices(vocabulary, cum_weights=cumulative, k=k)

    general = [sentence(rng, draw(rng.randint(8, 26))) for _ in range(SENTENCES_GENERAL)]
    keywords = [rng.sample(vocabulary[300:8000], TOPIC_KEYWORDS) for _ in range(TOPICS)]
    topical = []
    for topic_words in keywords:
        pool = []
        for _ in range(SENTENCES_PER_TOPIC):
            words = draw(rng.randint(8, 26))
            for i in range(len(words)):
                if rng.random() < 0.3:
                    words[i] = rng.choice(topic_words)
            pool.append(sentence(rng, words))
        topical.append(pool)
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    authors: list[tuple[str, str | None]] = []
    for name in rng.sample(names, AUTHORS):
        bio = None
        if rng.random() < 0.8:
            first_city, second_city = rng.sample(CITIES, 2)
            bio = (
                f"{name} is our {rng.choice(BEATS)}, covering "
                f"{', '.join(rng.sample(vocabulary[200:3000], 2))} and "
                f"{rng.choice(vocabulary[200:3000])}. Previously reported from "
                f"{first_city} and {second_city}."
            )
        authors.append((name, bio))
    return World(general, topical, keywords, vocabulary, cumulative, authors)


def title_case(words: list[str]) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in words)


def slugify(title: str) -> str:
    cleaned = "".join(c if c.isascii() and c.isalnum() else " " for c in title.lower())
    return "-".join(cleaned.split())[:60].strip("-") or "story"


def base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def make_titles(rng: random.Random, world: World, count: int) -> list[tuple[int, str]]:
    titles = []
    for _ in range(count):
        topic = rng.randrange(TOPICS)
        words = rng.choices(world.vocabulary[40:5000], k=rng.randint(4, 9))
        words.insert(rng.randrange(len(words) + 1), rng.choice(world.keywords[topic]))
        titles.append((topic, title_case(words)))
    return titles


def article_text(
    rng: random.Random,
    world: World,
    number: int,
    titles: list[tuple[int, str]],
    by_topic: list[list[int]],
) -> tuple[str, str]:
    """(relative path, file text) of article `number`."""
    topic, title = titles[number]
    slug = f"{slugify(title)}-{base36(number)}"
    topical, general = world.topical[topic], world.general
    summary = rng.choice(topical)
    target = int(rng.triangular(300, 900, 520))
    blocks: list[str] = []
    words = 0
    while words < target:
        if blocks and rng.random() < 0.12:
            heading = rng.choices(world.vocabulary[40:4000], k=rng.randint(3, 6))
            blocks.append(title_case(heading))
            continue
        count = rng.randint(2, 4)
        picked = [rng.choice(topical if rng.random() < 0.5 else general) for _ in range(count)]
        quoted = rng.random() < 0.1
        block = "“" + " ".join(picked[:2]) + "”" if quoted else " ".join(picked)
        words += block.count(" ") + 1
        blocks.append(block)
    if not blocks[-1].endswith((".", "”")):
        blocks.pop()
    name, bio = world.authors[rng.randrange(AUTHORS)]
    lines = [title, "", summary, slug, "", "\n\n".join(blocks), "", name, name]
    if bio:
        lines += ["", bio, "", "Read full bio →"]
    if rng.random() < 0.35:
        siblings = by_topic[topic]
        picks = {siblings[rng.randrange(len(siblings))] for _ in range(rng.randint(2, 4))}
        listed = [titles[other][1] for other in sorted(picks) if other != number]
        if listed:
            lines += ["", "You Might Also Like", *listed]
    day = START + timedelta(days=rng.randrange(DAYS))
    path = f"{day.year}/{day.month:02d}/{day.isoformat()}-{slug}.txt"
    return path, "\n".join(lines) + "\n"


def generate(out_dir: Path, count: int, seed: int) -> int:
    rng = random.Random(seed)
    world = make_world(rng)
    titles = make_titles(rng, world, count)
    by_topic: list[list[int]] = [[] for _ in range(TOPICS)]
    for number, (topic, _) in enumerate(titles):
        by_topic[topic].append(number)
    made: set[Path] = set()
    for number in range(count):
        relative, text = article_text(rng, world, number, titles, by_topic)
        path = out_dir / relative
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(text, encoding="utf-8")
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out_dir.exists() and any(args.out_dir.iterdir()):
        print(f"generate: {args.out_dir}: not empty; choose a new folder", file=sys.stderr)
        return 2
    started = time.perf_counter()
    generate(args.out_dir, args.count, args.seed)
    elapsed = time.perf_counter() - started
    print(f"wrote {args.count} articles to {args.out_dir} in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
