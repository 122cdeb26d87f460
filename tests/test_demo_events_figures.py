"""Integration tests: the events and figures of the bundled demo corpus (examples/corpus/FACTS.md).

Data-driven: every non-optional item of each article's ``events`` and ``figures`` lists becomes
one test per aspect it states (found, who, agent, org, where, from, when, modality,
attributed_to; value, bounds, approximate, unit, source, as_of), plus the numbers of
``not_figures`` that must not become claims, plus one explicit test per named trap (passive,
pronoun, reported, alleged, negated, hypothetical, quote speaker, reliability cue, bounds,
worded numbers, range, money, age, link-list figure). Cross-document claim groups
(``group`` / ``conflicts_with``) are for a later issue and are not asserted.

How an event item is matched: FACTS.md names a trigger word; its k-th occurrence in the cleaned
text (k = how many earlier items of the same type share that trigger) anchors the sentence, and
every exported event of that type whose ``sentence`` contains the anchor is a candidate (FACTS.md:
"accept any trigger inside the same sentence"; ``ANCHORS`` overrides the k-th occurrence where
it is the wrong word). An aspect passes when some candidate has it; ``"when": null`` asserts that
the event carries no date. Figures are matched by the claim whose stated span overlaps the FACTS
text and whose value (bounds, for a range) is the expected one.
Participants match by role and by entity name/aliases (FACTS canonical or the article's surface
forms) or by text; places by the place entity's name/aliases, or its geo country when the
expected place is a country; dates by ``date.value`` (a TimeML season value ``2014-SU`` counts as
``2014``, as FACTS.md allows).

Known product bugs are marked ``xfail(strict=True)`` with "<stage>: <what is wrong>" in the
reason, so the test fails loudly once the product is fixed and the mark can be removed.
Where FACTS.md disagrees with the article, the article wins: see ``CORRECTIONS``,
``FIGURE_CORRECTIONS``, ``ALT_WHEN`` and ``ALT_MODALITY`` (each with the sentence that decides).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from demo_facts import ARTICLES, BY_FILE, documents_by_file, occurrences, source_matches

COUNTRIES = {
    "Syria": "SY", "Russia": "RU", "Kyrgyzstan": "KG", "Kazakhstan": "KZ", "Tajikistan": "TJ",
    "Turkey": "TR", "Iraq": "IQ", "Georgia": "GE", "Uzbekistan": "UZ",
}

# Who an event happens to / who does it, by type (roles as in data/events.tsv). JOIN takes both:
# FACTS.md's "who" of "recruiting" is the recruiter (subject), of "was recruited" the recruit.
WHO_ROLES = {
    "ARREST": {"patient"}, "CHARGE": {"patient"}, "SENTENCE": {"patient"}, "RELEASE": {"patient"},
    "RETURN": {"patient"}, "SURRENDER": {"agent"}, "JOIN": {"agent", "patient"}, "TRAVEL": {"agent"},
    "KILL": {"patient"}, "ATTACK": {"agent"}, "FUND": {"agent"}, "MEET": {"agent", "patient"},
    "ACCUSE": {"patient"},
}
ORG_ROLES = {"patient", "destination"}
# FACTS.md's "agent" of a SURRENDER is the side surrendered to (data/events.tsv: patient=prep:to).
AGENT_ROLES = {"SURRENDER": {"patient"}}
PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "who", "that", "which"}
STOP = {
    "the", "a", "an", "of", "in", "from", "to", "and", "for", "with", "at", "on", "by", "its", "his",
    "her", "their", "who", "that", "some", "said", "says", "say", "according", "unnamed",
}

# FACTS.md notes that widen what is acceptable (quoted in the value).
ALT_WHEN = {
    # "when may be null if not carried over from the previous sentence"
    ("03_kartli_pankisi_detention.txt", "ARREST", "arrested"): {"2015-12-08", None},
    # "the arrest was on Saturday (2017-10-21) ...; the first sentence's 'on Monday' belongs to
    # 'said'. Acceptable date values: 2017-10-21 or null" (the item's own "when" 2017-10-23 is
    # the date of 'said', so FACTS.md's value is wrong by its own note: the article backs the note)
    ("16_feed_mixed.jsonl#1", "ARREST", "detained"): {"2017-10-21", None},
}
ALT_MODALITY = {
    # "'are believed to have joined' (hedged; 'alleged' also acceptable)"
    ("16_feed_mixed.jsonl#3", "JOIN", "joined"): {"reported", "alleged"},
    # the same hedge, "are believed to have been killed": the 16#3 note applies
    ("13_moscowledger_recruiter_trial.html", "KILL", "killed"): {"reported", "alleged"},
    # a restrictive relative clause inside the lawyer's reported statement ("A Chechen man who
    # surrendered ... has been charged ..., his lawyer said"): asserted or reported both defensible
    ("08_kaukasus_magomedow_charged.txt", "SURRENDER", "surrendered"): {"asserted", "reported"},
    # second conjunct after "X's interior ministry said last year that ..., and Kazakhstan has
    # already flown home ...": may or may not still be under "said"
    ("05_steppe_kyrgyz_figures.txt", "RETURN", "flown home"): {"asserted", "reported"},
}
# FACTS.md items corrected against the article (value None drops the aspect); see the report.
CORRECTIONS = {
    # "The family of an Uzbek man who left for Syria in 2015 says he was killed ...": the relative
    # clause sits in the subject of "says", not in what the family says: the article asserts it.
    ("14_silkroad_uzbek_idleb.html", "TRAVEL", "left for", 0): {"modality": "asserted", "attributed_to": None},
    # "The 33-year-old man, identified by the ministry as Azamat Zhumabaev, was arrested in a
    # rented flat in Bishkek on Saturday." has no reporting verb: the article asserts it.
    ("16_feed_mixed.jsonl#1", "ARREST", "arrested", 0): {"modality": "asserted", "attributed_to": None},
    # "Prosecutors say he met the students at a cafe near their university at least twice": the
    # sentence names no city (Moscow is only inferred from earlier sentences).
    ("13_moscowledger_recruiter_trial.html", "MEET", "met", 0): {"where": None},
}
FIGURE_CORRECTIONS = {
    # "... is accused of persuading four students to leave for Syria": no source is named.
    ("13_moscowledger_recruiter_trial.html", "four students"): {"source": None},
    # "He is accused of helping at least four men travel to Syria ... and of sending $4,500 to a
    # fighter in Raqqa in mid-October.": no source is named in the sentence either.
    ("03_kartli_pankisi_detention.txt", "at least four men"): {"source": None},
    ("03_kartli_pankisi_detention.txt", "$4,500"): {"source": None},
}
# Where the k-th occurrence of the trigger word is not the event's (k -> a phrase of its sentence).
ANCHORS = {
    # the first "held" is "territory held by the group"
    ("07_terek_magomedov_surrender.txt", "ARREST", "held", 0): "he was being held in a prison",
}
# Attributions FACTS.md names by the person where the text names the group he speaks for.
ALT_ATTRIBUTION = {
    # "The family of an Uzbek man ... says he was killed" (the father is named later)
    ("14_silkroad_uzbek_idleb.html", "KILL", "killed"): ["Bakhtiyor Tursunov", "The family of an Uzbek man"],
}

# --------------------------------------------------------------------------- known product bugs
# key -> "<stage>: <what is wrong>"; filled from the run of this file.
XFAIL: dict[tuple, str] = {
    ('event', '01', 'TRAVEL', 'travelled', 0, 'who'):
        'events: 01 TRAVEL \'travelled\': who [\'Ruslan Aliyev\', \'Timur Aliyev\'] not among its participants ["agent \'two Dagestani brothers\'->Dagestani", "destination \'Syria\'->Syria"]',
    ('event', '01', 'TRAVEL', 'travelled', 0, 'when'):
        "events: 01 TRAVEL 'travelled': date 2019-03-13 ('Wednesday'), expected None",
    ('event', '01', 'JOIN', 'join', 0, 'who'):
        'events: 01 JOIN \'join\': who [\'Ruslan Aliyev\', \'Timur Aliyev\'] not among its participants ["agent \'who\'", "patient \'Islamic State\'->Islamic State"]',
    ('event', '01', 'JOIN', 'join', 0, 'when'):
        "events: 01 JOIN 'join': date 2019-03-13 ('Wednesday'), expected None",
    ('event', '01', 'TRAVEL', 'left', 0, 'who'):
        "events: 01 TRAVEL 'left': who ['Timur Aliyev'] not among its participants",
    ('event', '01', 'TRAVEL', 'left', 0, 'where'):
        "events: 01 TRAVEL 'left': place is not Makhachkala",
    ('event', '01', 'TRAVEL', 'left', 0, 'attributed_to'):
        "events: 01 TRAVEL 'left': attributed_to is not Madina Aliyeva",
    ('event', '01', 'FUND', 'sent money', 0, 'modality'):
        "events: 01 FUND 'sent money': modality ['asserted'], expected reported",
    ('event', '01', 'FUND', 'sent money', 0, 'attributed_to'):
        "events: 01 FUND 'sent money': attributed_to null, expected Madina Aliyeva",
    ('event', '02', 'RETURN', 'arrived', 0, 'found'):
        "events: 02 RETURN 'arrived': no RETURN event in its sentence",
    ('event', '02', 'RETURN', 'arrived', 0, 'modality'):
        "events: 02 RETURN 'arrived': no RETURN event in its sentence",
    ('event', '02', 'RETURN', 'arrived', 0, 'who'):
        "events: 02 RETURN 'arrived': no RETURN event in its sentence",
    ('event', '02', 'RETURN', 'arrived', 0, 'where'):
        "events: 02 RETURN 'arrived': no RETURN event in its sentence",
    ('event', '02', 'RETURN', 'arrived', 0, 'when'):
        "events: 02 RETURN 'arrived': no RETURN event in its sentence",
    ('event', '02', 'RETURN', 'flown', 0, 'when'):
        "events: 02 RETURN 'flown': no date, expected ['2019-09-29']",
    ('event', '02', 'CHARGE', 'charged', 0, 'modality'):
        "events: 02 CHARGE 'charged': modality ['asserted'], expected hypothetical",
    ('event', '03', 'ARREST', 'detained', 0, 'who'):
        'events: 03 ARREST \'detained\': who [\'Adam Gaurgashvili\'] not among its participants ["agent \'it\'", "patient \'a 24-year-old man\'"]',
    ('event', '03', 'ARREST', 'detained', 0, 'agent'):
        'events: 03 ARREST \'detained\': agent [\'State Security Service of Georgia\'] not among its participants ["agent \'it\'", "patient \'a 24-year-old man\'"]',
    ('event', '03', 'ARREST', 'arrested', 0, 'where'):
        "events: 03 ARREST 'arrested': place ['Georgia'], expected Duisi",
    ('event', '03', 'ARREST', 'arrested', 0, 'attributed_to'):
        "events: 03 ARREST 'arrested': attributed_to 'the agency', expected State Security Service of Georgia",
    ('event', '03', 'ACCUSE', 'accused', 0, 'modality'):
        "events: 03 ACCUSE 'accused': modality ['asserted'], expected alleged",
    ('event', '03', 'FUND', 'sending', 0, 'who'):
        "events: 03 FUND 'sending': who ['Adam Gaurgashvili'] not among its participants",
    ('event', '03', 'SENTENCE', 'convicted', 0, 'who'):
        'events: 03 SENTENCE \'convicted\': who [\'Adam Gaurgashvili\'] not among its participants ["patient \'he\'"]',
    ('event', '04', 'ARREST', 'detained', 0, 'who'):
        'events: 04 ARREST \'detained\': who [\'Shamil Gasanov\'] not among its participants ["agent \'FSB officers\'->Federal Security Service", "patient \'A man\'"]',
    ('event', '04', 'ARREST', 'detained', 0, 'attributed_to'):
        "events: 04 ARREST 'detained': attributed_to 'the regional branch', expected Federal Security Service",
    ('event', '04', 'ARREST', 'detained', 1, 'modality'):
        "events: 04 ARREST 'detained': modality ['asserted'], expected reported",
    ('event', '04', 'ARREST', 'detained', 1, 'attributed_to'):
        "events: 04 ARREST 'detained': attributed_to null, expected Federal Security Service",
    ('event', '04', 'JOIN', 'recruiting', 0, 'who'):
        "events: 04 JOIN 'recruiting': who ['Shamil Gasanov'] not among its participants ['none']",
    ('event', '04', 'JOIN', 'recruiting', 0, 'org'):
        "events: 04 JOIN 'recruiting': org ['Islamic State'] not among its participants ['none']",
    ('event', '04', 'TRAVEL', 'travel', 0, 'who'):
        'events: 04 TRAVEL \'travel\': who [\'at least three young men\'] not among its participants ["agent \'Shamil Gasanov\'->Shamil Gasanov", "destination \'Syria\'->Syria"]',
    ('event', '05', 'RETURN', 'organise its first such flight', 0, 'found'):
        "events: 05 RETURN 'organise its first such flight': no RETURN event in its sentence",
    ('event', '05', 'RETURN', 'organise its first such flight', 0, 'modality'):
        "events: 05 RETURN 'organise its first such flight': no RETURN event in its sentence",
    ('event', '05', 'RETURN', 'organise its first such flight', 0, 'who'):
        "events: 05 RETURN 'organise its first such flight': no RETURN event in its sentence",
    ('event', '05', 'RETURN', 'organise its first such flight', 0, 'agent'):
        "events: 05 RETURN 'organise its first such flight': no RETURN event in its sentence",
    ('event', '07', 'SURRENDER', 'surrendered', 0, 'who'):
        'events: 07 SURRENDER \'surrendered\': who [\'Khasan Magomedov\'] not among its participants ["agent \'A Chechen man\'->Chechen", "patient \'the Syrian Democratic Forces\'->Syrian Democratic Forces"]',
    ('event', '07', 'SURRENDER', 'surrendered', 0, 'attributed_to'):
        "events: 07 SURRENDER 'surrendered': attributed_to 'a video', expected Syrian Democratic Forces",
    ('event', '07', 'JOIN', 'joined', 0, 'attributed_to'):
        "events: 07 JOIN 'joined': attributed_to null, expected Khasan Magomedov",
    ('event', '07', 'TRAVEL', 'travelling', 0, 'attributed_to'):
        "events: 07 TRAVEL 'travelling': attributed_to null, expected Khasan Magomedov",
    ('event', '07', 'TRAVEL', 'travelling', 0, 'when'):
        "events: 07 TRAVEL 'travelling': date None ('None'), expected 2014",
    ('event', '08', 'SURRENDER', 'surrendered', 0, 'who'):
        'events: 08 SURRENDER \'surrendered\': who [\'Khasan Magomedov\'] not among its participants ["agent \'A Chechen man\'->Chechen", "patient \'Kurdish forces\'->Kurdish"]',
    ('event', '08', 'CHARGE', 'charged', 0, 'who'):
        'events: 08 CHARGE \'charged\': who [\'Khasan Magomedov\'] not among its participants ["patient \'A Chechen man\'->Chechen"]',
    ('event', '08', 'CHARGE', 'charged', 0, 'where'):
        "events: 08 CHARGE 'charged': place ['Russia'], expected Grozny",
    ('event', '08', 'CHARGE', 'charged', 0, 'attributed_to'):
        "events: 08 CHARGE 'charged': attributed_to 'his lawyer', expected Aslan Dadayev",
    ('event', '08', 'RETURN', 'handed over', 0, 'attributed_to'):
        "events: 08 RETURN 'handed over': attributed_to is not Aslan Dadayev",
    ('event', '08', 'RETURN', 'flown', 0, 'attributed_to'):
        "events: 08 RETURN 'flown': attributed_to is not Aslan Dadayev",
    ('event', '08', 'ACCUSE', 'accused', 0, 'modality'):
        "events: 08 ACCUSE 'accused': modality ['asserted'], expected alleged",
    ('event', '08', 'ACCUSE', 'accused', 0, 'who'):
        'events: 08 ACCUSE \'accused\': who [\'Khasan Magomedov\'] not among its participants ["patient \'Magomedow\'"]',
    ('event', '08', 'SENTENCE', 'convicted', 0, 'who'):
        'events: 08 SENTENCE \'convicted\': who [\'Khasan Magomedov\'] not among its participants ["patient \'He\'"]',
    ('event', '09', 'SENTENCE', 'sentenced', 0, 'who'):
        'events: 09 SENTENCE \'sentenced\': who [\'Farhod Rahimov\'] not among its participants ["agent \'DUSHANBE\'->Dushanbe", "patient \'a 26-year-old man\'"]',
    ('event', '09', 'TRAVEL', 'flew', 0, 'attributed_to'):
        "events: 09 TRAVEL 'flew': attributed_to is not prosecutors",
    ('event', '10', 'SENTENCE', 'sentenced', 0, 'who'):
        'events: 10 SENTENCE \'sentenced\': who [\'Ruslan Aliyev\'] not among its participants ["agent \'ROSTOV-ON-DON - A military court\'", "patient \'a man\'"]',
    ('event', '10', 'SENTENCE', 'sentenced', 0, 'where'):
        "events: 10 SENTENCE 'sentenced': place ['Russia'], expected Rostov-on-Don",
    ('event', '10', 'TRAVEL', 'left', 0, 'modality'):
        "events: 10 TRAVEL 'left': modality asserted is not the expected one",
    ('event', '10', 'TRAVEL', 'left', 0, 'attributed_to'):
        "events: 10 TRAVEL 'left': attributed_to is not the verdict",
    ('event', '10', 'RETURN', 'deported', 0, 'who'):
        'events: 10 RETURN \'deported\': who [\'Ruslan Aliyev\'] not among its participants ["agent \'He\'->Ruslan Aliyev", "destination \'Moscow\'->Moscow"]',
    ('event', '10', 'ARREST', 'arrested', 0, 'where'):
        "events: 10 ARREST 'arrested' (found as 'detained'): place ['Istanbul', 'None'], expected Moscow",
    ('event', '11', 'CHARGE', 'charges', 0, 'who'):
        'events: 11 CHARGE \'charges\' (found as \'face charges\'): who [\'some of the women\'] not among its participants ["agent \'some\'"]',
    ('event', '12', 'CHARGE', 'charges', 0, 'who'):
        'events: 12 CHARGE \'charges\' (found as \'face charges\'): who [\'some of the women\'] not among its participants ["agent \'some\'"]',
    ('event', '13', 'CHARGE', 'trial', 0, 'who'):
        'events: 13 CHARGE \'trial\': who [\'Adlan Tagirov\'] not among its participants ["patient \'a man\'"]',
    ('event', '13', 'CHARGE', 'trial', 0, 'where'):
        "events: 13 CHARGE 'trial': place ['None'], expected Moscow",
    ('event', '13', 'ACCUSE', 'accused', 0, 'modality'):
        "events: 13 ACCUSE 'accused': modality ['asserted'], expected alleged",
    ('event', '13', 'ACCUSE', 'accused', 0, 'who'):
        'events: 13 ACCUSE \'accused\': who [\'Adlan Tagirov\'] not among its participants ["patient \'a man\'"]',
    ('event', '13', 'JOIN', 'recruiting', 0, 'who'):
        'events: 13 JOIN \'recruiting\': who [\'Adlan Tagirov\'] not among its participants ["patient \'university students\'"]',
    ('event', '13', 'JOIN', 'recruiting', 0, 'org'):
        'events: 13 JOIN \'recruiting\': org [\'Islamic State\'] not among its participants ["patient \'university students\'"]',
    ('event', '13', 'TRAVEL', 'leave for', 0, 'who'):
        'events: 13 TRAVEL \'leave for\': who [\'four students\'] not among its participants ["agent \'Adlan Tagirov\'->Adlan Tagirov", "destination \'Syria\'->Syria"]',
    ('event', '13', 'FUND', 'sending', 0, 'who'):
        "events: 13 FUND 'sending': who ['Adlan Tagirov'] not among its participants",
    ('event', '13', 'RETURN', 'returned', 0, 'modality'):
        "events: 13 RETURN 'returned': modality asserted is not the expected one",
    ('event', '13', 'RETURN', 'returned', 0, 'attributed_to'):
        "events: 13 RETURN 'returned': attributed_to is not court documents",
    ('event', '14', 'KILL', 'killed', 0, 'who'):
        'events: 14 KILL \'killed\': who [\'Jasur Tursunov\'] not among its participants ["patient \'he\'"]',
    ('event', '14', 'TRAVEL', 'left for', 0, 'who'):
        'events: 14 TRAVEL \'left for\': who [\'Jasur Tursunov\'] not among its participants ["agent \'an Uzbek man\'->Uzbek", "destination \'Syria\'->Syria"]',
    ('event', '14', 'TRAVEL', 'travelled', 0, 'modality'):
        "events: 14 TRAVEL 'travelled': modality ['asserted'], expected reported",
    ('event', '14', 'TRAVEL', 'travelled', 0, 'attributed_to'):
        "events: 14 TRAVEL 'travelled': attributed_to null, expected Bakhtiyor Tursunov",
    ('event', '14', 'JOIN', 'joined', 0, 'attributed_to'):
        "events: 14 JOIN 'joined': attributed_to 'his father', expected Bakhtiyor Tursunov",
    ('event', '14', 'TRAVEL', 'moved', 0, 'who'):
        'events: 14 TRAVEL \'moved\': who [\'Jasur Tursunov\'] not among its participants ["agent \'he\'", "destination \'Idlib\'->Idlib"]',
    ('event', '14', 'TRAVEL', 'moved', 0, 'attributed_to'):
        "events: 14 TRAVEL 'moved': attributed_to 'his father', expected Bakhtiyor Tursunov",
    ('event', '14', 'RETURN', 'brought home', 0, 'where'):
        "events: 14 RETURN 'brought home': place ['Syria'], expected Tashkent",
    ('event', '15', 'RETURN', 'brought back', 0, 'agent'):
        'events: 15 RETURN \'brought back\': agent ["Chechnya\'s authorities"] not among its participants ["agent \'they\'", "patient \'about 350 children\'"]',
    ('event', '15', 'RETURN', 'brought back', 0, 'where'):
        "events: 15 RETURN 'brought back': place ['Chechnya'], expected Grozny",
    ('event', '15', 'RETURN', 'brought back', 0, 'from'):
        "events: 15 RETURN 'brought back': origin ['none'], expected Qamishli",
    ('event', '16#1', 'ARREST', 'detained', 0, 'who'):
        'events: 16#1 ARREST \'detained\': who [\'Azamat Zhumabaev\'] not among its participants ["agent \'BISHKEK - Police\'->BISHKEK - Police", "patient \'a man\'"]',
    ('event', '16#1', 'ARREST', 'detained', 0, 'when'):
        "events: 16#1 ARREST 'detained': date 2017-10-23 ('Monday'), expected 2017-10-21 or None",
    ('event', '16#1', 'ARREST', 'arrested', 0, 'who'):
        'events: 16#1 ARREST \'arrested\': who [\'Azamat Zhumabaev\'] not among its participants ["patient \'The 33-year-old man\'"]',
    ('event', '16#1', 'JOIN', 'recruiting', 0, 'who'):
        'events: 16#1 JOIN \'recruiting\': who [\'Azamat Zhumabaev\'] not among its participants ["patient \'young people\'"]',
    ('event', '16#1', 'JOIN', 'recruiting', 0, 'org'):
        'events: 16#1 JOIN \'recruiting\': org [\'Islamic State\'] not among its participants ["patient \'young people\'"]',
    ('event', '16#1', 'TRAVEL', 'sending', 0, 'found'):
        "events: 16#1 TRAVEL 'sending': no TRAVEL event in its sentence",
    ('event', '16#1', 'TRAVEL', 'sending', 0, 'modality'):
        "events: 16#1 TRAVEL 'sending': no TRAVEL event in its sentence",
    ('event', '16#1', 'TRAVEL', 'sending', 0, 'who'):
        "events: 16#1 TRAVEL 'sending': no TRAVEL event in its sentence",
    ('event', '16#1', 'TRAVEL', 'sending', 0, 'where'):
        "events: 16#1 TRAVEL 'sending': no TRAVEL event in its sentence",
    ('event', '16#1', 'TRAVEL', 'sending', 0, 'when'):
        "events: 16#1 TRAVEL 'sending': no TRAVEL event in its sentence",
    ('event', '16#2', 'RETURN', 'flew', 0, 'attributed_to'):
        "events: 16#2 RETURN 'flew' (found as 'repatriation'): attributed_to null, expected Interior Ministry of Kyrgyzstan",
    ('event', '16#2', 'RETURN', 'flown', 0, 'when'):
        "events: 16#2 RETURN 'flown': no date, expected ['2021-03-17']",
    ('event', '16#4', 'RETURN', 'brought back', 0, 'modality'):
        "events: 16#4 RETURN 'brought back': modality ['reported'], expected asserted",
    ('event', '16#4', 'RETURN', 'brought back', 0, 'from'):
        'events: 16#4 RETURN \'brought back\': origin ["origin \'the Syrian camp\'->Syrian"], expected al-Hol',
    ('event', '16#4', 'RETURN', 'brought back', 0, 'when'):
        "events: 16#4 RETURN 'brought back': date None ('None'), expected 2019-09",
    ('event', '16#4', 'JOIN', 'member', 0, 'found'):
        "events: 16#4 JOIN 'member': no JOIN event in its sentence",
    ('event', '16#4', 'JOIN', 'member', 0, 'modality'):
        "events: 16#4 JOIN 'member': no JOIN event in its sentence",
    ('event', '16#4', 'JOIN', 'member', 0, 'who'):
        "events: 16#4 JOIN 'member': no JOIN event in its sentence",
    ('event', '16#4', 'JOIN', 'member', 0, 'org'):
        "events: 16#4 JOIN 'member': no JOIN event in its sentence",
    ('event', '16#4', 'JOIN', 'member', 0, 'attributed_to'):
        "events: 16#4 JOIN 'member': no JOIN event in its sentence",
    ('event', '16#4', 'TRAVEL', 'followed', 0, 'found'):
        "events: 16#4 TRAVEL 'followed': no TRAVEL event in its sentence",
    ('event', '16#4', 'TRAVEL', 'followed', 0, 'modality'):
        "events: 16#4 TRAVEL 'followed': no TRAVEL event in its sentence",
    ('event', '16#4', 'TRAVEL', 'followed', 0, 'who'):
        "events: 16#4 TRAVEL 'followed': no TRAVEL event in its sentence",
    ('event', '16#4', 'TRAVEL', 'followed', 0, 'where'):
        "events: 16#4 TRAVEL 'followed': no TRAVEL event in its sentence",
    ('event', '16#4', 'TRAVEL', 'followed', 0, 'attributed_to'):
        "events: 16#4 TRAVEL 'followed': no TRAVEL event in its sentence",
    ('event', '16#4', 'TRAVEL', 'followed', 0, 'when'):
        "events: 16#4 TRAVEL 'followed': no TRAVEL event in its sentence",
    ('event', '16#5', 'RETURN', 'deported', 0, 'who'):
        'events: 16#5 RETURN \'deported\': who [\'two men from Dagestan\'] not among its participants ["agent \'they\'", "destination \'Moscow\'->Moscow", "patient \'them\'"]',
    ('event', '16#5', 'RETURN', 'deported', 0, 'agent'):
        'events: 16#5 RETURN \'deported\': agent [\'Turkish police\'] not among its participants ["agent \'they\'", "destination \'Moscow\'->Moscow", "patient \'them\'"]',
    ('figure', '02', '11 other women', 'as_of'):
        "figures: 02 '11 other women': as_of None ('None'), expected 2019-09-29",
    ('figure', '02', '26 children', 'as_of'):
        "figures: 02 '26 children': as_of None ('None'), expected 2019-09-29",
    ('figure', '03', '$4,500', 'as_of'):
        "figures: 03 '$4,500': as_of 2013 ('since 2013'), expected 2015-10",
    ('figure', '05', 'at least 1,500', 'as_of'):
        "figures: 05 'at least 1,500': as_of None ('None'), expected 2019-03",
    ('figure', '05', 'about 30 percent', 'source'):
        "figures: 05 'about 30 percent': source 'he said', expected Ermek Saparov",
    ('figure', '05', 'about 30 percent', 'as_of'):
        "figures: 05 'about 30 percent': as_of None ('None'), expected 2019-03",
    ('figure', '06', 'about 15 percent', 'source'):
        "figures: 06 'about 15 percent': source 'The group said', expected Caucasus Conflict Observatory",
    ('figure', '06', 'about 15 percent', 'as_of'):
        "figures: 06 'about 15 percent': as_of None ('None'), expected 2016-08",
    ('figure', '09', '200,000 roubles', 'source'):
        "figures: 09 '200,000 roubles': source 'they said', expected prosecutors",
    ('figure', '11', 'at least 12 of them', 'as_of'):
        "figures: 11 'at least 12 of them': as_of None ('None'), expected 2019-05-29",
    ('figure', '12', 'at least 12 of them', 'as_of'):
        "figures: 12 'at least 12 of them': as_of None ('None'), expected 2019-05-29",
    ('figure', '15', 'At least 12 children', 'as_of'):
        "figures: 15 'At least 12 children': as_of 2021 ('since the start of the year'), expected 2021-02-09",
    ('figure', '15', 'nearly 62,000 people', 'source'):
        'figures: 15 \'nearly 62,000 people\': source "the UN children\'s agency said"->United Nations, expected UNICEF',
    ('figure', '15', 'about 80 percent', 'source'):
        'figures: 15 \'about 80 percent\': source "the UN children\'s agency said"->United Nations, expected UNICEF',
    ('figure', '15', 'between 150 and 200 children from Russia', 'as_of'):
        "figures: 15 'between 150 and 200 children from Russia': as_of None ('None'), expected 2021-01",
}


def _param(key, *values):
    reason = XFAIL.get(key)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(*values, id="|".join(str(k) for k in key), marks=marks)


def is_optional(item: dict) -> bool:
    return bool(item.get("optional"))


def strip_note(s: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", s).strip()


def words(s: str) -> set[str]:
    return {w for w in re.findall(r"[\w'-]+", s.lower()) if len(w) > 2 and w not in STOP and not w.isdigit()}


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def docs(demo_export) -> dict[str, dict]:
    return documents_by_file(demo_export["documents"])


@pytest.fixture(scope="module")
def ents(demo_export) -> dict[str, dict]:
    return {e["id"]: e for e in demo_export["entities"]}


def by_doc(records: list[dict]) -> dict[str, list[dict]]:
    out = defaultdict(list)
    for r in records:
        out[r["doc"]].append(r)
    return out


@pytest.fixture(scope="module")
def events(demo_export) -> dict[str, list[dict]]:
    return by_doc(demo_export["events"])


@pytest.fixture(scope="module")
def claims(demo_export) -> dict[str, list[dict]]:
    return by_doc(demo_export["claims"])


@pytest.fixture(scope="module")
def quotes(demo_export) -> dict[str, list[dict]]:
    return by_doc(demo_export["quotes"])


# --------------------------------------------------------------------------- matching
def names_for(file: str, expected: str) -> set[str]:
    """The expected canonical plus the article's surface forms FACTS.md gives that canonical."""
    exp = strip_note(expected)
    out = {exp}
    for e in BY_FILE[file]["entities"]:
        if e.get("canonical") == exp:
            out.add(e["text"])
    return out


def is_named(file: str, expected: str) -> bool:
    exp = strip_note(expected)
    return any(e.get("canonical") == exp for e in BY_FILE[file]["entities"]) or exp in COUNTRIES


def entity_names(ents, entity_id) -> set[str]:
    if not entity_id or entity_id not in ents:
        return set()
    e = ents[entity_id]
    return {e["name"].lower(), *(a.lower() for a in e.get("aliases") or [])}


def _contains(haystack: str, needle: str) -> bool:
    return bool(re.search(r"(?<!\w)" + re.escape(needle.lower()) + r"(?!\w)", haystack.lower()))


def refers_to(ents, file: str, expected: str, entity_id, text: str | None) -> bool:
    """Does a participant / attribution (entity id + text) refer to what FACTS.md expects?"""
    names = names_for(file, expected)
    if entity_names(ents, entity_id) & {n.lower() for n in names}:
        return True
    text = text or ""
    if text.lower() in PRONOUNS:
        return False  # a pronoun counts only through the entity it was resolved to
    if any(_contains(text, n) for n in names):
        return True
    if len(text.split()) > 1 and any(_contains(n, text) for n in names):
        return True
    if not is_named(file, expected):  # a descriptive phrase: inside it, or share a content word
        return (bool(text) and _contains(strip_note(expected), text)) or bool(words(strip_note(expected)) & words(text))
    return False


def place_is(ents, file: str, expected: str, entity_id) -> bool:
    if not entity_id:
        return False
    got, names = entity_names(ents, entity_id), {n.lower() for n in names_for(file, expected)}
    if got & names or any(g.startswith(n + " ") and g.split()[-1] in ("governorate", "province", "region") for g in got for n in names):
        return True
    country = (ents.get(entity_id, {}).get("geo") or {}).get("country")
    return expected in COUNTRIES and country == COUNTRIES[expected]


def date_ok(value: str | None, accepted: set) -> bool:
    if value in accepted:
        return True
    return value is not None and any(a and re.fullmatch(re.escape(a) + r"-(SP|SU|FA|WI)", value) for a in accepted)


def describe(ev: dict, ents: dict) -> dict:
    """A short readable form of an exported event for assertion messages."""
    def name(i):
        return ents[i]["name"] if i and i in ents else None
    return {
        "type": ev["type"], "trigger": ev["trigger"]["text"], "modality": ev["modality"],
        "date": (ev.get("date") or {}).get("value"), "place": name(ev.get("place")),
        "attributed_to": ev.get("attributed_to"),
        "participants": [(p["role"], p["text"], name(p["entity"])) for p in ev["participants"]],
    }


# --------------------------------------------------------------------------- event items
def _event_items():
    for a in ARTICLES:
        seen = Counter()
        for e in a["events"]:
            k = (e["type"], e["trigger"])
            idx = seen[k]
            seen[k] += 1
            if not is_optional(e):
                fix = CORRECTIONS.get((a["file"], e["type"], e["trigger"], idx), {})
                yield a["file"], idx, {**e, **fix}


EVENT_ITEMS = list(_event_items())


def _event_aspects(e: dict) -> list[str]:
    out = ["found", "modality"]
    if e.get("who"):
        out.append("who")
    for k in ("agent", "org", "where", "from", "attributed_to"):
        if e.get(k):
            out.append(k)
    if "when" in e:
        out.append("when")
    return out


EVENT_PARAMS = [
    _param(("event", short, e["type"], e["trigger"], idx, aspect), file, idx, e, aspect)
    for file, idx, e in EVENT_ITEMS
    for short in [file.split("_")[0] + (("#" + file.split("#")[1]) if "#" in file else "")]
    for aspect in _event_aspects(e)
]


def anchor_of(doc: dict, item: dict, idx: int) -> int:
    phrase = ANCHORS.get((d_file(doc), item["type"], item["trigger"], idx))
    if phrase:
        return occurrences(doc["text"], phrase)[0][0]
    spans = occurrences(doc["text"], item["trigger"])
    assert len(spans) > idx, f"trigger {item['trigger']!r} #{idx} not in the text"
    return spans[idx][0]


def event_candidates(doc: dict, doc_events: list[dict], item: dict, idx: int) -> list[dict]:
    anchor = anchor_of(doc, item, idx)
    return [
        ev for ev in doc_events
        if ev["type"] == item["type"] and ev["sentence"]["start"] <= anchor < ev["sentence"]["end"]
    ]


@pytest.mark.parametrize("file,idx,item,aspect", EVENT_PARAMS)
def test_event_item(docs, ents, events, file, idx, item, aspect):
    d = docs[file]
    cands = event_candidates(d, events[d["id"]], item, idx)
    assert cands, f"no {item['type']} event in the sentence of {item['trigger']!r} #{idx}: " + str(
        [describe(ev, ents) for ev in events[d["id"]]
         if ev["sentence"]["start"] <= anchor_of(d, item, idx) < ev["sentence"]["end"]])
    got = [describe(ev, ents) for ev in cands]
    key = (file, item["type"], item["trigger"])
    if aspect == "found":
        return
    if aspect == "modality":
        ok = ALT_MODALITY.get(key, {item["modality"]})
        assert any(ev["modality"] in ok for ev in cands), got
    elif aspect in ("who", "agent", "org"):
        roles = {"who": WHO_ROLES[item["type"]], "agent": AGENT_ROLES.get(item["type"], {"agent"}), "org": ORG_ROLES}[aspect]
        expected = item["who"] if aspect == "who" else [item[aspect]]
        missing = [
            x for x in expected
            if not any(p["role"] in roles and refers_to(ents, file, x, p["entity"], p["text"])
                       for ev in cands for p in ev["participants"])
        ]
        assert not missing, (missing, sorted(roles), got)
    elif aspect == "where":
        ok = any(
            place_is(ents, file, item["where"], ev.get("place"))
            or any(p["role"] == "destination" and place_is(ents, file, item["where"], p["entity"]) for p in ev["participants"])
            for ev in cands
        )
        assert ok, (item["where"], got)
    elif aspect == "from":
        ok = any(
            p["role"] == "origin" and (place_is(ents, file, item["from"], p["entity"]) or refers_to(ents, file, item["from"], p["entity"], p["text"]))
            for ev in cands for p in ev["participants"]
        )
        assert ok, (item["from"], got)
    elif aspect == "when":
        accepted = ALT_WHEN.get(key, {item["when"]})
        assert any(date_ok((ev.get("date") or {}).get("value"), accepted) for ev in cands), (sorted(accepted, key=str), got)
    elif aspect == "attributed_to":
        ok = any(
            ev.get("attributed_to") and refers_to(ents, file, x, ev["attributed_to"].get("entity"), ev["attributed_to"].get("text"))
            for ev in cands for x in ALT_ATTRIBUTION.get(key, [item["attributed_to"]])
        )
        assert ok, (item["attributed_to"], got)


# --------------------------------------------------------------------------- figure items
def _figure_items():
    for a in ARTICLES:
        for f in a["figures"]:
            if not is_optional(f):
                yield a["file"], {**f, **FIGURE_CORRECTIONS.get((a["file"], f["text"]), {})}


FIGURE_ITEMS = list(_figure_items())


def is_range(f: dict) -> bool:
    return f.get("lower") is not None and f.get("upper") is not None


def _figure_aspects(f: dict) -> list[str]:
    out = ["found"]
    if "lower" in f or "upper" in f:
        out.append("bounds")
    if "approximate" in f:
        out.append("approximate")
    if f.get("unit"):
        out.append("unit")
    if f.get("source"):
        out.append("source")
    if f.get("as_of"):
        out.append("as_of")
    return out


FIGURE_PARAMS = [
    _param(("figure", file.split("_")[0] + (("#" + file.split("#")[1]) if "#" in file else ""), f["text"], aspect), file, f, aspect)
    for file, f in FIGURE_ITEMS
    for aspect in _figure_aspects(f)
]


def claim_candidates(doc: dict, doc_claims: list[dict], phrase: str) -> list[dict]:
    """Claims whose stated number lies inside (or covers) an occurrence of `phrase`."""
    spans = occurrences(doc["text"], phrase)
    assert spans, f"{phrase!r} not in the text"
    out = []
    for s, e in spans:
        for c in doc_claims:
            sp = c.get("span") or c["sentence"]
            if sp["start"] < e and s < sp["end"]:
                out.append(c)
    return out


def claim_brief(c: dict) -> dict:
    return {k: c.get(k) for k in ("text", "value", "lower", "upper", "approximate", "unit", "what", "source", "as_of")}


def _value_ok(c: dict, f: dict) -> bool:
    if is_range(f):
        return (c["lower"], c["upper"]) == (f["lower"], f["upper"])
    if f["value"] is None:
        return True
    return c["value"] == f["value"]


@pytest.mark.parametrize("file,item,aspect", FIGURE_PARAMS)
def test_figure_item(docs, ents, claims, file, item, aspect):
    d = docs[file]
    cands = claim_candidates(d, claims[d["id"]], item["text"])
    assert cands, f"no claim at {item['text']!r}"
    hits = [c for c in cands if _value_ok(c, item)]
    assert hits, ("value", item.get("value"), item.get("lower"), item.get("upper"), [claim_brief(c) for c in cands])
    got = [claim_brief(c) for c in hits]
    if aspect == "bounds":
        exp = (item.get("lower"), item.get("upper"))
        assert any((c["lower"], c["upper"]) == exp for c in hits), (exp, got)
    elif aspect == "approximate":
        assert any(bool(c["approximate"]) == item["approximate"] for c in hits), got
    elif aspect == "unit":
        assert any(c.get("unit") == item["unit"] for c in hits), (item["unit"], got)
    elif aspect == "source":
        ok = any(c.get("source") and refers_to(ents, file, item["source"], c["source"].get("entity"), c["source"].get("text")) for c in hits)
        assert ok, (item["source"], got)
    elif aspect == "as_of":
        assert any(date_ok((c.get("as_of") or {}).get("value"), {item["as_of"]}) for c in hits), (item["as_of"], got)


# --------------------------------------------------------------------------- not_figures
_SIMPLE_NUMS = re.compile(r"^'?(\d[\d,]*)(?:-year-old)?'?((?:(?:, | and )\d[\d,]*)*)\s*\(")


def _not_figure_items():
    for a in ARTICLES:
        expected = {f.get("value") for f in a["figures"]} | {f.get(k) for f in a["figures"] for k in ("lower", "upper")}
        for nf in a["not_figures"]:
            m = _SIMPLE_NUMS.match(nf)
            if not m:
                continue
            for n in re.findall(r"\d[\d,]*", nf[: nf.index("(")]):
                v = int(n.replace(",", ""))
                if v not in expected:
                    yield a["file"], v, nf


NOT_FIGURE_ITEMS = list(_not_figure_items())


@pytest.mark.parametrize(
    "file,value,note",
    [_param(("not_figure", f.split("_")[0] + (("#" + f.split("#")[1]) if "#" in f else ""), v), f, v, n) for f, v, n in NOT_FIGURE_ITEMS],
)
def test_not_a_figure(docs, claims, file, value, note):
    d = docs[file]
    assert not stated_as(claims[d["id"]], value), note


def stated_as(doc_claims, value: int) -> list[dict]:
    """Claims whose value is `value`, or whose stated number is written as it ("1,200", "34")."""
    digits = {str(value), f"{value:,}"}
    return [claim_brief(c) for c in doc_claims
            if c["value"] == value or any(re.search(rf"(?<![\d,]){re.escape(x)}(?![\d,])", c.get("text") or "") for x in digits)]


# --------------------------------------------------------------------------- named traps
def _sentence_events(d, doc_events, phrase, type_=None):
    spans = occurrences(d["text"], phrase)
    assert spans, f"{phrase!r} not in the text"
    s = spans[0][0]
    return [ev for ev in doc_events if ev["sentence"]["start"] <= s < ev["sentence"]["end"] and (type_ is None or ev["type"] == type_)]


def _trigger_in(d, ev, phrase) -> bool:
    return any(s <= ev["trigger"]["start"] < e for s, e in occurrences(d["text"], phrase))


def test_trap_passive_04_detained_by_fsb_officers_patient_the_man_agent_fsb(docs, ents, events):
    d = docs["04_dagestan_today_undated.txt"]
    evs = [ev for ev in _sentence_events(d, events[d["id"]], "was detained by FSB officers", "ARREST")
           if _trigger_in(d, ev, "was detained by FSB officers")]
    assert evs, "no ARREST at 'was detained by FSB officers'"
    got = [describe(ev, ents) for ev in evs]
    fsb = "Federal Security Service"
    for ev in evs:
        agents = [p for p in ev["participants"] if p["role"] == "agent"]
        patients = [p for p in ev["participants"] if p["role"] == "patient"]
        assert any(refers_to(ents, d_file(d), fsb, p["entity"], p["text"]) for p in agents), got
        assert patients, got
        assert all(not refers_to(ents, d_file(d), fsb, p["entity"], p["text"]) for p in patients), got
        assert any(_contains(p["text"], "man") or refers_to(ents, d_file(d), "Shamil Gasanov", p["entity"], p["text"]) for p in patients), got


def d_file(d: dict) -> str:
    (file,) = [f for f in BY_FILE if source_matches(d["source"], f)]
    return file


@pytest.mark.parametrize(
    "file,phrase,person",
    [
        ("04_dagestan_today_undated.txt", "He was detained at a car repair shop", "Shamil Gasanov"),
        ("10_caspian_aliyev_sentenced.html", "He was detained by Turkish police", "Ruslan Aliyev"),
    ],
    ids=["04-Gasanov", "10-Aliyev"],
)
def test_trap_pronoun_he_was_detained_resolved_to_person_named_before(docs, ents, events, file, phrase, person):
    d = docs[file]
    evs = [ev for ev in _sentence_events(d, events[d["id"]], phrase, "ARREST") if _trigger_in(d, ev, phrase)]
    assert evs, f"no ARREST at {phrase!r}"
    pats = [p for ev in evs for p in ev["participants"] if p["role"] == "patient"]
    assert any(p["text"] == "He" and p["entity"] and ents[p["entity"]]["name"] == person for p in pats), \
        [describe(ev, ents) for ev in evs]


def test_trap_reported_16_4_released_attributed_to_her_lawyer(docs, ents, events):
    d = docs["16_feed_mixed.jsonl#4"]
    evs = _sentence_events(d, events[d["id"]], "was released by the prosecutor's office", "RELEASE")
    assert evs, "no RELEASE at 'was released by the prosecutor's office'"
    got = [describe(ev, ents) for ev in evs]
    assert any(ev["modality"] == "reported" and ev["attributed_to"] and _contains(ev["attributed_to"]["text"] or "", "lawyer")
               for ev in evs), got


@pytest.mark.parametrize(
    "file,phrase,type_",
    [
        pytest.param("13_moscowledger_recruiter_trial.html", "allegedly sending 60,000 roubles", "FUND", id="13-allegedly-sending"),
        pytest.param("03_kartli_pankisi_detention.txt", "helping at least four men travel to Syria", "TRAVEL", id="03-accused-of-helping-travel"),
        pytest.param("04_dagestan_today_undated.txt", "persuading at least three young men from the Kizlyar district to travel", "TRAVEL",
                     id="04-suspected-of-persuading-travel"),
        pytest.param("16_feed_mixed.jsonl#1", "suspected of recruiting", "JOIN", id="16#1-suspected-of-recruiting"),
    ],
)
def test_trap_alleged_event_modality_alleged(docs, ents, events, file, phrase, type_):
    d = docs[file]
    evs = [ev for ev in _sentence_events(d, events[d["id"]], phrase, type_) if _trigger_in(d, ev, phrase)]
    assert evs, (f"no {type_} event at {phrase!r}", [describe(ev, ents) for ev in _sentence_events(d, events[d["id"]], phrase)])
    assert all(ev["modality"] == "alleged" for ev in evs), [describe(ev, ents) for ev in evs]


def test_trap_negated_02_never_joined_islamic_state(docs, ents, events):
    d = docs["02_caspian_sokolova_return.txt"]
    evs = _sentence_events(d, events[d["id"]], "she never joined Islamic State", "JOIN")
    assert evs, "no JOIN at 'never joined'"
    got = [describe(ev, ents) for ev in evs]
    assert all(ev["modality"] == "negated" for ev in evs), got
    assert any(refers_to(ents, "02_caspian_sokolova_return.txt", "Zarema Sokolova", p["entity"], p["text"])
               for ev in evs for p in ev["participants"] if p["role"] == "agent"), got


@pytest.mark.xfail(strict=True, reason=(
    "events: 08 'but denies having fought' gives no event at all: 'fight'/'fought' is no trigger in data/events.tsv "
    "(FACTS.md: ATTACK 'fought' negated, JOIN 'fought for' alleged)"))
def test_trap_negated_08_denies_having_fought(docs, ents, events):
    """'he admits to having lived in the territory of the militia, but denies having fought':
    the fighting is stated only as denied, so it must be an event with modality negated."""
    d = docs["08_kaukasus_magomedow_charged.txt"]
    evs = [ev for ev in _sentence_events(d, events[d["id"]], "denies having fought") if _trigger_in(d, ev, "denies having fought")]
    assert evs, ("no event at 'denies having fought'",
                 [describe(ev, ents) for ev in _sentence_events(d, events[d["id"]], "denies having fought")])
    assert all(ev["modality"] == "negated" for ev in evs), [describe(ev, ents) for ev in evs]


def test_trap_negated_03_he_never_recruited_anyone(docs, ents, events):
    d = docs["03_kartli_pankisi_detention.txt"]
    evs = [ev for ev in _sentence_events(d, events[d["id"]], "he never recruited anyone", "JOIN")
           if _trigger_in(d, ev, "never recruited")]
    assert evs, "no JOIN at 'he never recruited anyone'"
    assert all(ev["modality"] == "negated" for ev in evs), [describe(ev, ents) for ev in evs]


def test_trap_negated_denied_never_asserted_08(docs, ents, events):
    """No event in the 'denies having fought' sentence is asserted as fact."""
    d = docs["08_kaukasus_magomedow_charged.txt"]
    evs = _sentence_events(d, events[d["id"]], "denies having fought")
    assert all(ev["modality"] != "asserted" for ev in evs), [describe(ev, ents) for ev in evs]


def test_trap_hypothetical_03_if_convicted_could_face_up_to_15_years(docs, ents, events, claims):
    d = docs["03_kartli_pankisi_detention.txt"]
    evs = _sentence_events(d, events[d["id"]], "If convicted, he could face up to 15 years", "SENTENCE")
    assert evs, "no SENTENCE at 'If convicted'"
    assert all(ev["modality"] == "hypothetical" for ev in evs), [describe(ev, ents) for ev in evs]


@pytest.mark.xfail(strict=True, reason=(
    "events: 02 CHARGE 'charged' in 'women who return ... can be charged ... and could face up to 10 years' "
    "has modality asserted, expected hypothetical (the modal 'can' is not read)"))
def test_trap_hypothetical_02_can_be_charged_could_face_up_to_10_years(docs, ents, events):
    d = docs["02_caspian_sokolova_return.txt"]
    evs = _sentence_events(d, events[d["id"]], "can be charged", "CHARGE")
    assert evs, "no CHARGE at 'can be charged'"
    assert all(ev["modality"] == "hypothetical" for ev in evs), [describe(ev, ents) for ev in evs]


QUOTE_CASES = [
    ("07_terek_magomedov_surrender.txt", "We recognised him straight away", "He is not a commander", "Rustam",
     "Rustam, the detainee's younger brother"),
    ("13_moscowledger_recruiter_trial.html", "My brother sold tickets", "IS is a sickness", "Ibragim",
     "Ibragim, the defendant's younger brother"),
]


def _quote_at(d, doc_quotes, fragment):
    qs = [q for q in doc_quotes if fragment in q["text"]]
    assert qs, (fragment, [q["text"] for q in doc_quotes])
    for q in qs:
        assert d["text"][q["start"]:q["end"]] == q["text"]
    return qs


@pytest.mark.parametrize("file,first,_cont,name,speaker", [
    pytest.param(*QUOTE_CASES[0], id="07-Rustam"),
    pytest.param(*QUOTE_CASES[1], id="13-Ibragim", marks=pytest.mark.xfail(strict=True, reason=(
        "entities: 13 quote speaker 'Ibragim, the defendant's younger brother' is linked to an entity "
        "'Ibragim' of type PLACE, not PERSON"))),
])
def test_trap_quote_speaker_in_quotes_jsonl(docs, ents, quotes, file, first, _cont, name, speaker):
    d = docs[file]
    for q in _quote_at(d, quotes[d["id"]], first):
        sp = q["speaker"]
        assert sp and speaker in (sp.get("text") or ""), sp
        assert sp["entity"] and ents[sp["entity"]]["type"] == "PERSON" and name in ents[sp["entity"]]["name"], sp


@pytest.mark.parametrize(
    "file,_first,cont,name,_speaker",
    [pytest.param(*c, id=i) for c, i in zip(QUOTE_CASES, ["07-Rustam", "13-Ibragim"])],
)
def test_trap_quote_continuation_keeps_speaker(docs, ents, quotes, file, _first, cont, name, _speaker):
    """'"A," said X. "B."': B is X's too."""
    d = docs[file]
    for q in _quote_at(d, quotes[d["id"]], cont):
        sp = q["speaker"]
        assert sp and sp.get("entity") and name in ents[sp["entity"]]["name"], sp


def test_trap_reliability_01_could_not_independently_verify_on_held_event(docs, ents, events):
    d = docs["01_ncm_aliyev_brothers.txt"]
    evs = _sentence_events(d, events[d["id"]], "could not independently verify")
    assert evs, "no event in the unverified voice-message sentence"
    assert all(ev.get("reliability") and "independently verify" in ev["reliability"] for ev in evs), \
        [(ev["type"], ev.get("reliability")) for ev in evs]


def test_trap_reliability_not_on_unhedged_sentence_01(docs, events):
    d = docs["01_ncm_aliyev_brothers.txt"]
    evs = _sentence_events(d, events[d["id"]], "Local police say at least 12 men")
    assert evs
    assert all(not ev.get("reliability") for ev in evs), [(ev["type"], ev.get("reliability")) for ev in evs]


def _claims_at(d, doc_claims, phrase):
    return [claim_brief(c) for c in claim_candidates(d, doc_claims, phrase)]


def test_trap_bounded_02_more_than_300_lower_300_upper_null(docs, claims):
    d = docs["02_caspian_sokolova_return.txt"]
    got = _claims_at(d, claims[d["id"]], "more than 300 children")
    assert any(c["lower"] == 300 and c["upper"] is None and c["value"] == 300 for c in got), got


def test_trap_worded_11_thirty_women_is_30(docs, claims):
    d = docs["11_levantwire_kazakh_return.html"]
    got = _claims_at(d, claims[d["id"]], "Thirty women")
    assert any(c["value"] == 30 for c in got), got


def test_trap_worded_02_several_thousand_is_approximate(docs, claims):
    d = docs["02_caspian_sokolova_return.txt"]
    got = _claims_at(d, claims[d["id"]], "several thousand")
    assert got and all(c["approximate"] is True for c in got), got


@pytest.mark.parametrize("file", ["16_feed_mixed.jsonl#1", "08_kaukasus_magomedow_charged.txt"])
def test_trap_range_five_to_ten_years_lower_5_upper_10(docs, claims, file):
    d = docs[file]
    got = _claims_at(d, claims[d["id"]], "five to ten years")
    assert any(c["lower"] == 5 and c["upper"] == 10 and c["unit"] == "years" for c in got), got


@pytest.mark.parametrize(
    "file,phrase,value,unit",
    [
        ("03_kartli_pankisi_detention.txt", "$4,500", 4500, "USD"),
        ("13_moscowledger_recruiter_trial.html", "60,000 roubles", 60000, "RUB"),
        ("09_pamir_rahimov_sentence.txt", "200,000 roubles", 200000, "RUB"),
    ],
)
def test_trap_money_with_unit(docs, claims, file, phrase, value, unit):
    d = docs[file]
    got = _claims_at(d, claims[d["id"]], phrase)
    assert any(c["value"] == value and c["unit"] == unit for c in got), got


def test_trap_age_01_aliyev_34_is_not_a_figure(docs, claims):
    d = docs["01_ncm_aliyev_brothers.txt"]
    (age,) = occurrences(d["text"], "Ruslan Aliyev, 34,")
    bad = stated_as(claims[d["id"]], 34) + [
        claim_brief(c) for c in claims[d["id"]] if c.get("span") and age[0] <= c["span"]["start"] < age[1]]
    assert not bad


def test_trap_link_list_01_read_more_1200_is_no_claim(docs, claims):
    d = docs["01_ncm_aliyev_brothers.txt"]
    assert "1,200" not in d["text"]
    assert not stated_as(claims[d["id"]], 1200)
