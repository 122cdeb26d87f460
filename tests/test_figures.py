"""Figures (`extract_claims`) on invented sentences, parsed with the real model."""

from __future__ import annotations

import pytest

from newsgraph.extract.figures import extract_claims
from newsgraph.model import LocalEntity, Mention, Timex


@pytest.fixture(scope="module")
def nlp():
    from newsgraph.extract.nlp import load_nlp

    return load_nlp()


def claims_of(nlp, text, entities=(), timexes=()):
    return extract_claims(nlp(text), list(entities), list(timexes))


def one(claims, text):
    found = [c for c in claims if c.text == text]
    assert len(found) == 1, [c.text for c in claims]
    return found[0]


def test_bounded_figure(nlp):
    claims = claims_of(nlp, "More than 300 women from Dagestan were brought home from Syria.")
    c = one(claims, "More than 300")
    assert (c.value, c.lower, c.upper, c.approximate) == (300, 300, None, False)
    assert c.what == "women from Dagestan"


def test_worded_figures(nlp):
    claims = claims_of(nlp, "Thirty women and several thousand children remain in the camp near Hasakah.")
    thirty = one(claims, "Thirty")
    assert thirty.value == 30 and thirty.what == "women" and not thirty.approximate
    several = one(claims, "several thousand")
    assert several.value is None and several.approximate
    assert (several.lower, several.upper) == (3000, 9999)
    assert several.what == "children"


def test_range_of_years_is_a_prison_term(nlp):
    claims = claims_of(nlp, "A court in Makhachkala sentenced Timur Gadzhiev to five to ten years in prison.")
    c = one(claims, "five to ten years")
    assert (c.value, c.lower, c.upper, c.unit) == (None, 5, 10, "years")


def test_money_and_percent_have_units(nlp):
    text = "He paid $4,500 to a smuggler and a fine of 200,000 roubles, while 40% of the detainees are children."
    claims = claims_of(nlp, text)
    usd = one(claims, "$4,500")
    assert (usd.value, usd.unit) == (4500, "USD")
    rub = one(claims, "200,000 roubles")
    assert (rub.value, rub.unit) == (200000, "RUB")
    pct = one(claims, "40%")
    assert (pct.value, pct.unit, pct.what) == (40, "percent", "detainees")


def test_age_and_year_are_not_figures(nlp):
    text = "Ruslan Khasanov, 34, left Grozny in 2014 with a 33-year-old friend, and 12 other men followed."
    claims = claims_of(nlp, text)
    assert [c.text for c in claims] == ["12"]


def test_source_from_according_to(nlp):
    text = "About 1,200 Tajik nationals joined the group, according to the interior ministry."
    doc = nlp(text)
    start = text.index("interior ministry")
    ministry = LocalEntity(key="e3", label="ORG", name="interior ministry", mentions=[
        Mention(start=start, end=start + len("interior ministry"), text="interior ministry", label="ORG",
                name="interior ministry")])
    [c] = extract_claims(doc, [ministry], [])
    assert c.text == "About 1,200" and c.approximate and c.value == 1200
    assert c.source_text == "according to the interior ministry"
    assert c.source_entity == "e3"


def test_as_of_from_by_autumn(nlp):
    text = "By autumn 2017, some 850 Kyrgyz citizens had travelled to Syria, officials in Bishkek said."
    start = text.index("autumn 2017")
    autumn = Timex(start=start, end=start + 11, text="autumn 2017", type="DATE", value="2017-FA")
    [c] = claims_of(nlp, text, timexes=[autumn])
    assert c.text == "some 850" and c.approximate
    assert c.as_of is not None and c.as_of.value == "2017-FA" and c.as_of.text == "By autumn 2017"
    assert c.what.startswith("Kyrgyz citizens")
    assert c.source_text is not None and c.source_text.endswith("said")


def test_read_more_line_gives_no_claim(nlp):
    text = ("Prosecutors in Kazan charged Alina Sadykova with joining a terrorist group.\n"
            "Read more: 1,200 women still held in Syrian camps\n")
    assert claims_of(nlp, text) == []


def test_article_number_and_reliability(nlp):
    text = ("Dozens of men were charged under Article 205 of the Criminal Code; "
            "the figure could not be independently verified.")
    [c] = claims_of(nlp, text)
    assert c.text == "Dozens" and c.approximate and c.lower == 24
    assert c.reliability == "could not be independently verified"


def test_other_durations_times_and_phone_numbers_are_not_figures(nlp):
    text = ("Her husband spent three weeks in Raqqa before he was detained at 6 a.m. on 14 June. "
            "Relatives can call +7 928 555-12-34.")
    assert claims_of(nlp, text) == []


def test_headline_list_after_most_read_gives_no_claim(nlp):
    text = ("Police in Khujand detained 14 men suspected of recruiting for the group.\n\n"
            "Most read\n1. Heavy rain closes mountain highway\n2. 150 migrants arrive in Kulob\n")
    assert [c.text for c in claims_of(nlp, text)] == ["14"]


def test_share_and_of_them(nlp):
    text = "Officials say 600 Dagestanis went to Syria and nearly 40 of them have died; one in ten has come back."
    claims = claims_of(nlp, text)
    forty = one(claims, "nearly 40")
    assert forty.upper == 40 and forty.approximate and forty.what == "Dagestanis"
    share = one(claims, "one in ten")
    assert (share.value, share.unit) == (10, "percent")
