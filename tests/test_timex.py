"""Time expressions: detection, exact offsets and values normalised against publication."""

from __future__ import annotations

import pytest

from newsgraph.extract.timex import extract_timexes

PUB = "2019-03-14"  # a Thursday


def one(text: str, published: str | None = PUB, expect: str | None = None):
    """The single timex found in `text` (its surface text is `expect` when given)."""
    found = extract_timexes(text, published)
    for t in found:
        assert text[t.start:t.end] == t.text
    if expect is not None:
        found = [t for t in found if t.text == expect]
    assert len(found) == 1, [(t.text, t.value) for t in found]
    return found[0]


@pytest.mark.parametrize(
    "text, surface, type_, value, precision",
    [
        ("The plant opened in 2012 after a long delay.", "2012", "DATE", "2012", "year"),
        ("He was arrested on Sept. 3, 2016 in Mosul.", "Sept. 3, 2016", "DATE", "2016-09-03", "day"),
        ("He was arrested on 3 September 2016 in Mosul.", "3 September 2016", "DATE", "2016-09-03", "day"),
        ("Prices rose last month, the bank said.", "last month", "DATE", "2019-02", "month"),
        ("The minister resigned on Tuesday.", "Tuesday", "DATE", "2019-03-12", "day"),
        ("The minister will resign next Tuesday.", "next Tuesday", "DATE", "2019-03-19", "day"),
        ("The council will vote on Tuesday.", "Tuesday", "DATE", "2019-03-19", "day"),
        ("The talks collapsed in June.", "June", "DATE", "2018-06", "month"),
        ("Sales fell last year.", "last year", "DATE", "2018", "year"),
        ("Sales rose this year.", "this year", "DATE", "2019", "year"),
        ("Sales will rise next year.", "next year", "DATE", "2020", "year"),
        ("They fled in the autumn of 2014.", "the autumn of 2014", "DATE", "2014-FA", "season"),
        ("The camp has been closed since 2013.", "2013", "DATE", "2013", "year"),
        ("Police said yesterday that two men were held.", "yesterday", "DATE", "2019-03-13", "day"),
        ("Police said today that two men were held.", "today", "DATE", "2019-03-14", "day"),
        ("The bridge collapsed two years ago.", "two years ago", "DATE", "2017", "year"),
        ("Fighting resumed earlier this month.", "earlier this month", "DATE", "2019-03", "month"),
        ("The group was founded in the 1990s.", "1990s", "DATE", "199", "decade"),
        ("Profits doubled in the first quarter.", "the first quarter", "DATE", "2019-Q1", "quarter"),
        ("Profits doubled in the third quarter of 2008.", "the third quarter of 2008", "DATE", "2008-Q3", "quarter"),
        ("Ten people were detained last week.", "last week", "DATE", "2019-W10", "week"),
        ("He spent three years in prison.", "three years", "DURATION", "P3Y", None),
        ("The trial lasted six months.", "six months", "DURATION", "P6M", None),
        ("The festival is held every year.", "every year", "SET", "P1Y", None),
        ("The paper appears weekly.", "weekly", "SET", "P1W", None),
        ("The blast happened at 10:30 GMT.", "10:30 GMT", "TIME", "2019-03-14T10:30", "time"),
        ("The vote is due on May 3.", "May 3", "DATE", "2019-05-03", "day"),
        ("The law was passed on March 1.", "March 1", "DATE", "2019-03-01", "day"),
        ("Exports fell in May 2010.", "May 2010", "DATE", "2010-05", "month"),
        ("The shelter was built on 2018-11-02.", "2018-11-02", "DATE", "2018-11-02", "day"),
        ("Many fighters returned in the summer.", "the summer", "DATE", "2018-SU", "season"),
        ("He left last summer.", "last summer", "DATE", "2018-SU", "season"),
        ("The 20th century saw two wars.", "20th century", "DATE", "19", "century"),
        ("The minister spoke earlier today.", "earlier today", "DATE", "2019-03-14", "day"),
        ("The mayor is now in custody.", "now", "DATE", "PRESENT_REF", None),
        ("Shots were heard last night.", "last night", "TIME", "2019-03-13TNI", "time"),
        ("They met on Friday morning.", "Friday morning", "TIME", "2019-03-08TMO", "time"),
        ("The statement came at 8 p.m.", "8 p.m.", "TIME", "2019-03-14T20", "time"),
        ("Talks resumed three weeks ago.", "three weeks ago", "DATE", "2019-02-21", "day"),
    ],
)
def test_examples_with_publication_date(text, surface, type_, value, precision):
    t = one(text, expect=surface)
    assert (t.type, t.value, t.precision) == (type_, value, precision)
    assert t.reason


def test_mid_month_has_modifier():
    t = one("The offensive began in mid-October.", "2019-11-20", "mid-October")
    assert (t.value, t.modifier, t.precision) == ("2019-10", "MID", "month")


def test_since_sets_modifier_without_widening_span():
    t = one("The camp has been closed since 2013.", expect="2013")
    assert t.modifier == "SINCE"


def test_year_range_gives_two_years():
    found = extract_timexes("The pandemic of 2010-2012 killed many.", PUB)
    assert [(t.text, t.value) for t in found] == [("2010", "2010"), ("2012", "2012")]


def test_tuesday_when_publication_is_tuesday():
    t = one("The minister resigned on Tuesday.", "2019-03-12", "Tuesday")
    assert t.value == "2019-03-12"


def test_june_when_published_in_march_is_previous_year():
    t = one("The ceasefire was agreed in June.", "2019-03-14", "June")
    assert t.value == "2018-06"


def test_june_with_future_cue_is_the_coming_june():
    t = one("Elections will be held in June.", "2019-03-14", "June")
    assert t.value == "2019-06"


def test_no_publication_date_leaves_relative_unresolved():
    text = "Last month he said on Tuesday that in June 2014 and two years ago things changed."
    found = {t.text: t for t in extract_timexes(text, None)}
    assert found["Last month"].value is None
    assert found["Tuesday"].value is None
    assert found["two years ago"].value is None
    assert "no publication date" in found["Tuesday"].reason
    assert found["June 2014"].value == "2014-06"
    assert found["June 2014"].reason == "absolute date in text"


def test_truncated_publication_date():
    found = {t.text: t for t in extract_timexes("Last year and last month were hard.", "2019")}
    assert found["Last year"].value == "2018"
    assert found["last month"].value is None
    assert "lacks the month" in found["last month"].reason


@pytest.mark.parametrize(
    "text",
    [
        "The victim, aged 35, was taken to hospital.",
        "More than 1,500 people attended.",
        "Under Article 205 of the penal code he faces trial.",
        "A 35-year-old man was arrested.",
        "The man, 35 years old, was arrested.",
        "About 2000 soldiers were deployed.",
        "The bill may pass, and he will march on.",
        "The Arab Spring changed the region.",
        "She scored 3-1 with 45 points.",
        "The plan was rejected by May, who said it was dead.",
        "The deal was backed by May's cabinet.",
    ],
)
def test_no_false_positives(text):
    assert extract_timexes(text, PUB) == []


def test_offsets_exact_and_ordered():
    text = "On Monday, March 4, 2019, at 9:15 a.m. local time, troops left; by 2020 they were gone."
    found = extract_timexes(text, PUB)
    assert [t.text for t in found] == ["Monday, March 4, 2019", "9:15 a.m. local time", "2020"]
    assert found[0].value == "2019-03-04"
    for t in found:
        assert text[t.start:t.end] == t.text
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_clock_time_takes_day_from_sentence():
    t = one("The jet made its first flight on Tuesday at 18:00 UTC in Seattle.", expect="18:00 UTC")
    assert t.value == "2019-03-12T18:00Z"


def test_past_verb_before_weekday_beats_later_future_cue():
    t = one("GM admitted Thursday night that the loss could grow.", "2019-03-15", "Thursday night")
    assert t.value == "2019-03-14TNI"


def test_past_perfect_well_before_a_deadline_keeps_it_in_the_past():
    text = "Observers said 3,000 volunteers had joined the militia or smaller armed bands in the hills by the end of August."
    assert one(text, "2016-09-05", "the end of August").value == "2016-08"
    # a future cue after the past verb still points forward
    text = "The firm, which was founded in 1990, will finish the new bridge by the end of August."
    assert one(text, "2016-10-05", "the end of August").value == "2017-08"


@pytest.mark.parametrize(
    "text, published, value",
    [
        ("Officials hope to bring more families home this spring.", "2021-02-10", "2021-SP"),
        ("The harvest this summer was poor, farmers said.", "2021-11-02", "2021-SU"),
        ("Snow this winter closed the mountain pass twice.", "2021-02-10", "2020-WI"),
        ("Snow this winter may close the mountain pass.", "2021-11-10", "2021-WI"),
    ],
)
def test_this_season_is_the_current_one_or_the_one_of_the_same_year(text, published, value):
    assert one(text, published).value == value


def test_deadline_preposition_points_forward():
    t = one("It plans to cut 700 dealers by early June.", "2019-05-14", "early June")
    assert (t.value, t.modifier) == ("2019-06", "START")


@pytest.mark.parametrize(
    "text, surface, value, modifier",
    [
        ("Some 2,000 had fought for IS by the end of August.", "the end of August", "2018-08", "END"),
        ("Prices will fall by the end of 2020, he said.", "the end of 2020", "2020", "END"),
        ("Work began at the beginning of May 2017.", "the beginning of May 2017", "2017-05", "START"),
    ],
)
def test_edge_of_period_modifier(text, surface, value, modifier):
    t = one(text, expect=surface)
    assert (t.value, t.modifier) == (value, modifier)


def test_newspaper_title_today_is_not_a_date():
    assert [t.text for t in extract_timexes("His sister told Dagestan Today by phone.", PUB)] == []


def test_rate_per_month_is_a_set():
    t = one("The recruiter promised him 200,000 roubles a month.", expect="a month")
    assert (t.type, t.value) == ("SET", "P1M")


def test_thousands_separator_in_duration():
    t = one("The city has 2,000 years of history.", expect="2,000 years")
    assert t.value == "P2000Y"


def test_adjectival_duration_and_possessive_year():
    found = extract_timexes("The 48-hour truce beat 2014's record.", PUB)
    assert [(t.text, t.value) for t in found] == [("48-hour", "PT48H"), ("2014", "2014")]


def test_deterministic():
    text = "Last week, on Friday, the 1990s and six months ago."
    assert extract_timexes(text, PUB) == extract_timexes(text, PUB)


@pytest.mark.parametrize("text", [
    "THE TOWN WAS ATTACKED AT 1800 BY 200 GUERRILLAS.",
    "The patrol was ambushed at 2030 on the highway.",
    "Fighting resumed at 1500 hours.",
])
def test_a_clock_time_after_at_is_not_a_year(text):
    assert not [t for t in extract_timexes(text, "1989-03-20") if t.value and t.value[:4] in ("1800", "2030", "1500")]


@pytest.mark.parametrize("text,value", [
    ("He was born in 1800.", "1800"),
    ("It was founded at 1990, officials said.", "1990"),  # 90 minutes is no clock time
    ("The bridge was finished by 1800 and rebuilt in 1900.", "1800"),
])
def test_a_year_stays_a_year(text, value):
    assert value in [t.value for t in extract_timexes(text, "2019-03-20")]
