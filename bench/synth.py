"""Synthetic news articles for load and memory benchmarks.

Deterministic for a seed. Each article is assembled sentence by sentence from a combinatorial
grammar of invented people, real places, organisations, dates and figures, so articles share
vocabulary (as a real corpus on one topic does) without being copies of each other.

    python bench/synth.py 1000 --out /tmp/synth.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator

FIRST = ["Ruslan", "Timur", "Magomed", "Zaur", "Islam", "Akhmed", "Rustam", "Shamil", "Ibragim", "Arslan", "Bekzod",
         "Jasur", "Nurlan", "Aibek", "Dilshod", "Farrukh", "Madina", "Zarema", "Aminat", "Khadizhat", "Leila", "Dilnoza",
         "Gulnara", "Aigerim", "Sabina", "Malika", "Kamila", "Aslan", "Murad", "Anzor"]
LAST = ["Aliyev", "Magomedov", "Dzhabrailov", "Khasanov", "Umarov", "Saidov", "Karimov", "Yusupov", "Ismailov",
        "Abdullayev", "Nazarov", "Rakhimov", "Tursunov", "Bekov", "Gadzhiev", "Osmanov", "Kadyrbekov", "Zakirov",
        "Mirzoev", "Sultanov", "Baisarov", "Temirov", "Ergashev", "Kurbanov", "Latipov"]
PLACES = ["Grozny", "Makhachkala", "Nalchik", "Moscow", "Kazan", "Tashkent", "Bishkek", "Almaty", "Dushanbe", "Osh",
          "Istanbul", "Raqqa", "Idlib", "Deir ez-Zor", "Mosul", "Tbilisi", "Baku", "Astana", "Samarkand", "Khasavyurt"]
REGIONS = ["Dagestan", "Chechnya", "Kabardino-Balkaria", "Ingushetia", "the Fergana Valley", "Pankisi Gorge"]
COUNTRIES = ["Russia", "Syria", "Iraq", "Turkey", "Kazakhstan", "Kyrgyzstan", "Uzbekistan", "Tajikistan", "Georgia"]
ORGS = ["the Federal Security Service", "the Interior Ministry", "the Investigative Committee", "Human Rights Watch",
        "the Red Cross", "UNICEF", "the Syrian Democratic Forces", "the prosecutor's office", "Memorial"]
GROUPS = ["Islamic State", "ISIS", "the Islamic State group", "Jabhat al-Nusra", "Hayat Tahrir al-Sham", "Daesh"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
COUNTED = ["women", "children", "fighters", "detainees", "families", "recruits", "citizens", "men"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

SENTENCES = [
    "{person}, {age}, was detained by officers of {org} in {place} on {day}.",
    "A court in {place} sentenced {person} to {n} years in prison for joining {group}.",
    "According to {org}, {n} {counted} from {country} remain in camps in north-eastern Syria.",
    "{person} travelled to {country} via Istanbul in {month} {year}, relatives said.",
    "Officials in {region} said that more than {big} {counted} had left for Syria since {year}.",
    "{person} told reporters in {place} that {pronoun} had never fought for {group}.",
    "The flight carrying {n} {counted} landed in {place} late on {day}, {org} said.",
    "{person} is accused of sending money to {group} fighters in {country}.",
    "Investigators believe {person} recruited at least {n} young men in {region} in {year}.",
    "\"We want our {counted} back,\" said {person}, whose relatives left {place} in {year}.",
    "{person} surrendered to Kurdish forces near {place2} in {month} {year}.",
    "Lawyers for {person} said {pronoun} could face up to {n} years if convicted.",
    "Some {big} {counted} were repatriated to {country} last year, the ministry estimated.",
    "{org} could not independently verify the account given by {person}.",
    "Talks between officials from {country} and {country2} were held in {place} in mid-{month}.",
]


def _fill(rng: random.Random, template: str, year: int) -> str:
    female = rng.random() < 0.3
    first = rng.choice(FIRST[16:26] if female else FIRST[:16] + FIRST[26:])
    last = rng.choice(LAST) + ("a" if female else "")
    return template.format(
        person=f"{first} {last}",
        pronoun="she" if female else "he",
        age=rng.randint(19, 60),
        org=rng.choice(ORGS),
        place=rng.choice(PLACES),
        place2=rng.choice(["Raqqa", "Deir ez-Zor", "Baghuz", "Hasakah", "Qamishli"]),
        region=rng.choice(REGIONS),
        country=rng.choice(COUNTRIES),
        country2=rng.choice(COUNTRIES),
        group=rng.choice(GROUPS),
        day=rng.choice(DAYS),
        month=rng.choice(MONTHS),
        year=rng.randint(2012, year),
        n=rng.randint(2, 40),
        big=rng.choice([150, 300, 450, 800, 1200, 2000, 4000]),
        counted=rng.choice(COUNTED),
    )


def articles(n: int, seed: int = 7) -> Iterator[dict]:
    """`n` synthetic articles as JSONL records (`url`, `title`, `published`, `outlet`, `text`)."""
    rng = random.Random(seed)
    for i in range(n):
        year = rng.randint(2015, 2021)
        published = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        paragraphs = []
        for _ in range(rng.randint(4, 8)):
            paragraphs.append(" ".join(_fill(rng, rng.choice(SENTENCES), year) for _ in range(rng.randint(2, 4))))
        title = _fill(rng, rng.choice(SENTENCES[:3]), year).rstrip(".")
        yield {
            "url": f"https://example.org/{published.replace('-', '/')}/story-{i}",
            "title": title,
            "published": published,
            "outlet": rng.choice(["Caspian Herald", "Steppe Times", "North Caucasus Monitor", "Levant Wire"]),
            "text": title + "\n\n" + "\n\n".join(paragraphs),
        }


def write_jsonl(path: str, n: int, seed: int = 7) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for rec in articles(n, seed):
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    write_jsonl(args.out, args.n, args.seed)
