"""Plain-text cleaning: headline, byline and date lines, mastheads, furniture, hard wraps.

All texts are invented for these tests (invented people, real places).
"""

import re

import pytest

from newsgraph.errors import InputError
from newsgraph.ingest import clean, detect_language, document_id
from newsgraph.model import RawDocument

SAVED_PAGE = """\
THE CASPIAN HERALD
Monday, 23 November 2026 | The Caspian Herald
Home | World | Caucasus | Central Asia | Opinion

Court in Baku jails two men over smuggling of fighters

By Anna Petrova
Published 14 March 2019

BAKU - A court in Baku on Wednesday sentenced two men to eight years
in prison for helping at least nine people travel to Syria, prosecutors
said, in the latest of a series of cases against alleged recruiters.

Photo: Relatives wait outside the court in Baku on 13 March 2019. (AFP Photo / Farid Mammadov)

The men, Elnur Gasimov, 41, and Ramil Huseynli, 37, were detain-
ed in Sumgait in June 2018 after police found forged passports in a
rented garage near the port, the prosecutor's office said in a
statement issued on Wednesday evening.
Gasimov told the court that he had only driven the men to the airport.
"I did not know where they were going," he said.

Read more:
Azerbaijan brings home 89 children from Iraq
Mother of Ganja fighter speaks out

Related article: Georgia detains recruiter in Pankisi Gorge

Human rights groups said the trial had been rushed and that the
defendants had not been given access to lawyers of their choice for
the first three weeks of their detention in Baku.

Share this article: Facebook | Twitter | Telegram
We use cookies to improve your experience. By continuing you accept our cookie policy.
Copyright 2019 The Caspian Herald. All rights reserved.
"""


def article(text, **meta):
    return clean(RawDocument(source="test.txt", data=text.encode("utf-8"), text=text, **meta))


@pytest.fixture(scope="module")
def saved():
    return article(SAVED_PAGE)


def test_headline_skips_masthead_and_nav(saved):
    assert saved.title == "Court in Baku jails two men over smuggling of fighters"


def test_date_line_wins_and_masthead_is_explained(saved):
    assert saved.published == "2019-03-14"
    assert saved.published_basis == "byline"
    assert "date line 'Published 14 March 2019'" in saved.published_reason
    assert "masthead date 23 Nov 2026 ignored: shows the day the page was saved" in saved.published_reason


def test_byline_lifted_into_metadata(saved):
    assert saved.byline == "Anna Petrova"


def test_body_is_unwrapped_into_paragraphs(saved):
    assert saved.text.split("\n\n") == [
        "BAKU - A court in Baku on Wednesday sentenced two men to eight years in prison for helping "
        "at least nine people travel to Syria, prosecutors said, in the latest of a series of cases "
        "against alleged recruiters.",
        "The men, Elnur Gasimov, 41, and Ramil Huseynli, 37, were detained in Sumgait in June 2018 "
        "after police found forged passports in a rented garage near the port, the prosecutor's "
        "office said in a statement issued on Wednesday evening.",
        # a full-width line ending in a full stop may be mid-paragraph: joined
        'Gasimov told the court that he had only driven the men to the airport. '
        '"I did not know where they were going," he said.',
        "Human rights groups said the trial had been rushed and that the defendants had not been "
        "given access to lawyers of their choice for the first three weeks of their detention in Baku.",
    ]


@pytest.mark.parametrize("furniture", [
    "CASPIAN HERALD", "Monday", "Home |", "Anna Petrova", "Published", "Court in Baku jails",
    "Photo", "AFP", "Relatives wait", "Read more", "Azerbaijan brings home", "Mother of Ganja",
    "Related article", "Pankisi", "Share", "cookie", "Copyright", "All rights reserved",
])
def test_furniture_is_gone(saved, furniture):
    assert furniture not in saved.text


def test_id_language_and_whitespace(saved):
    assert re.fullmatch(r"d[0-9a-f]{16}", saved.id)
    assert saved.id == document_id(SAVED_PAGE.encode("utf-8"))
    assert saved.language == "en"
    assert "\n\n\n" not in saved.text and not re.search(r" +\n| $", saved.text)


def test_caption_date_and_credit_never_become_metadata():
    text = (
        "Image caption Protesters in Tbilisi on 2 May 2017. Getty Images\n\n"
        "Georgian police detain protest organiser\n\n"
        "Photo: Reuters\n\n"
        "TBILISI - Georgian police on Monday detained the organiser of a protest outside parliament,\n"
        "his lawyer said, after two days of demonstrations in the centre of the capital.\n"
    )
    a = article(text)
    assert a.title == "Georgian police detain protest organiser"
    assert a.published is None and a.published_basis is None
    assert a.byline is None
    assert a.text == (
        "TBILISI - Georgian police on Monday detained the organiser of a protest outside parliament, "
        "his lawyer said, after two days of demonstrations in the centre of the capital."
    )


def test_lone_date_above_headline_is_kept_unless_years_after_the_story():
    body = (
        "ASTANA - Kazakhstan's interior ministry said on Monday that it had detained three men\n"
        "suspected of planning to travel to Syria, the third such case since 2018 in the capital.\n"
    )
    kept = article("Tuesday, 26 March 2019\n\nKazakh police detain three men\n\n" + body)
    assert (kept.published, kept.published_basis) == ("2019-03-26", "byline")
    saved_later = article("Tuesday, 24 March 2026\n\nKazakh police detain three men\n\n" + body)
    assert saved_later.published is None
    assert "masthead date 24 Mar 2026 ignored" in saved_later.published_reason


def test_today_is_masthead_and_updated_line():
    text = (
        "Today is Friday, 20 November 2026\n\n"
        "Armenian court frees journalist\n\n"
        "Updated: March 14, 2019 10:32 GMT\n\n"
        "YEREVAN - A court in Yerevan on Thursday freed a journalist held for two weeks over a post\n"
        "about the border, his employer said, saying the case against him had collapsed in court.\n"
    )
    a = article(text)
    assert a.title == "Armenian court frees journalist"
    assert a.published == "2019-03-14"
    assert a.published_reason.startswith("only an update date is given")
    assert "Today" not in a.text and "Updated" not in a.text


def test_no_headline_no_date_and_indented_paragraphs():
    text = (
        "   SAN SALVADOR, 18 FEB 90 (DPA) -- HEAVY RAIN CUT OFF THREE VILLAGES IN THE\n"
        "NORTH OF THE COUNTRY LAST NIGHT, THE CIVIL DEFENCE COMMITTEE SAID TODAY IN A\n"
        "STATEMENT READ ON THE RADIO.\n"
        "   THE COMMITTEE SAID THAT TEAMS HAD BEEN SENT TO THE AREA BY ROAD AND THAT NO\n"
        "DEATHS HAD BEEN REPORTED SO FAR IN ANY OF THE VILLAGES CUT OFF BY THE RAIN.\n"
    )
    a = article(text)
    assert a.title is None
    assert (a.published, a.published_reason) == ("1990-02-18", "dateline 'SAN SALVADOR, 18 FEB 90'")
    assert len(a.text.split("\n\n")) == 2
    assert "IN A STATEMENT READ ON THE RADIO." in a.text


def test_paragraph_per_line_text_is_not_joined():
    text = (
        "Moldovan police arrest two over fake passports\n"
        "CHISINAU - Police in Moldova have arrested two men accused of selling forged passports to people trying to travel to Turkey, the interior ministry said on Friday.\n"
        "The men face up to seven years in prison if convicted.\n"
    )
    a = article(text)
    assert a.title == "Moldovan police arrest two over fake passports"
    assert a.text.count("\n\n") == 1


def test_container_title_and_url_date():
    text = "Border guards in Batumi turned back a bus of 40 people on Sunday, officials said.\n"
    a = article(text, title="Batumi border", url="https://example.org/news/2019/03/14/batumi-border/")
    assert a.title == "Batumi border"
    assert (a.published, a.published_basis, a.published_reason) == ("2019-03-14", "url", "URL path /2019/03/14/")


def test_cyrillic_text_is_russian_and_russian_date_line_is_read():
    text = (
        "Суд в Махачкале арестовал двух жителей Дагестана\n\n"
        "14 марта 2019 г.\n\n"
        "МАХАЧКАЛА - Суд в Махачкале в среду арестовал двух местных жителей, которых\n"
        "следствие подозревает в финансировании боевиков, сообщили в прокуратуре республики.\n"
    )
    a = article(text)
    assert a.language == "ru"
    assert a.published == "2019-03-14"
    assert a.title == "Суд в Махачкале арестовал двух жителей Дагестана"
    assert detect_language("Hello world") == "en"


def test_nothing_left_raises_input_error():
    with pytest.raises(InputError, match="no article text left"):
        article("Advertisement\n\nShare on Facebook\n\nCopyright 2019 The Herald. All rights reserved.\n")
