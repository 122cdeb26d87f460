"""Absolute dates from date lines, container metadata and URLs; never from the clock."""

import pytest

from newsgraph.ingest.pubdate import find_date, normalise_date, parse_date_line, url_date


@pytest.mark.parametrize("line,value,kind", [
    ("Published 14 March 2019", "2019-03-14", "published"),
    ("March 14, 2019 10:32 GMT", "2019-03-14", "plain"),
    ("Updated: 2019-03-14T10:32:00Z", "2019-03-14", "updated"),
    ("Monday, Sept. 5, 2016", "2016-09-05", "plain"),
    ("14.03.2019", "2019-03-14", "plain"),
    ("Posted on 3rd of May 2018 at 9 am", "2018-05-03", "published"),
    ("14 марта 2019 г.", "2019-03-14", "plain"),
    ("March 2019", "2019-03", "plain"),
])
def test_date_lines(line, value, kind):
    found = parse_date_line(line)
    assert (found.value, found.kind, found.leftover) == (value, kind, "")


def test_masthead_leftover_and_prose_is_no_date_line():
    assert parse_date_line("Monday, 23 November 2026 | The Caspian Herald").leftover == "Caspian Herald"
    assert parse_date_line("The army said on 3 September 2016 that more than 5,000 people had left.") is None


def test_ambiguous_day_month_keeps_the_year():
    found = find_date("03.04.2019")
    assert (found.value, found.note) == ("2019", "day and month order ambiguous: kept the year")


@pytest.mark.parametrize("text", ["2 hours ago", "yesterday", "on Tuesday", "March 14", "31 February 2019"])
def test_no_year_no_date(text):
    assert find_date(text) is None


@pytest.mark.parametrize("value,iso", [
    ("2019-03-15T08:00:00Z", "2019-03-15"), ("2019-03", "2019-03"), ("2019", "2019"),
    ("20190315", "2019-03-15"), ("15 March 2019", "2019-03-15"), ("soon", None), (None, None), (2019, None),
])
def test_normalise_container_dates(value, iso):
    assert normalise_date(value) == iso


@pytest.mark.parametrize("url,found", [
    ("https://x.example/2019/03/14/story/", ("2019-03-14", "/2019/03/14/")),
    ("https://x.example/news/20190314-story", ("2019-03-14", "20190314")),
    ("https://x.example/2019/03/story", ("2019-03", "/2019/03/")),
    ("https://x.example/c/20796200/story.html", None),
    ("https://x.example/news/story?id=2019", None),
    (None, None),
])
def test_url_dates(url, found):
    assert url_date(url) == found
