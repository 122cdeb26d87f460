"""HTML cleaning: the article body without the page around it, metadata from the page."""

import pytest

from newsgraph.errors import InputError
from newsgraph.ingest import clean
from newsgraph.ingest.html import largest_paragraph_block, metadata_date, parse_tree
from newsgraph.model import RawDocument

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Georgian police detain Pankisi recruiter suspect | Kartli Courier</title>
<meta property="og:title" content="Georgian police detain Pankisi recruiter suspect">
<meta property="og:site_name" content="Kartli Courier">
<meta property="article:published_time" content="2019-03-14T10:32:00+04:00">
</head><body>
<div class="topbar">Saturday, 21 November 2026 | <a href="/login">Log in</a></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/georgia">Georgia</a></li>
<li><a href="/world">World</a></li><li><a href="/opinion">Opinion</a></li></ul></nav>
<main><article>
<h1>Georgian police detain Pankisi recruiter suspect</h1>
<p class="byline">By Nino Kapanadze</p>
<p>TBILISI - Georgia's State Security Service said on Thursday it had detained a 31-year-old man in the Pankisi Gorge on suspicion of recruiting young men from the valley to fight in Syria.</p>
<p>The man, identified only as Zurab K., was arrested at his home in the village of Jokolo, close to the border with Chechnya, the agency said in a statement published on its website.</p>
<figure><img src="/img/gorge.jpg"><figcaption>The Pankisi Gorge in 2016. Photo: Kartli Courier</figcaption></figure>
<p>He is accused of helping at least three men travel to Syria through Turkey since 2015 and faces up to 15 years in prison if convicted, the statement said.</p>
<p>Residents of Jokolo said police had surrounded the house before dawn and searched it for several hours before leading the man away.</p>
</article>
<aside class="related"><h3>Related coverage</h3><ul>
<li><a href="/a">Kist elders meet interior minister in Akhmeta</a></li>
<li><a href="/b">Two Pankisi men killed in Syria, relatives say</a></li></ul></aside>
</main>
<footer><p>Copyright 2019 Kartli Courier. All rights reserved.</p>
<p>Subscribe to our newsletter</p><p>We use cookies. By using this site you accept our cookie policy.</p></footer>
</body></html>"""


@pytest.fixture(scope="module")
def page():
    return clean(RawDocument(source="page.html", data=PAGE.encode("utf-8"), html=PAGE))


def test_title_and_metadata_date(page):
    assert page.title == "Georgian police detain Pankisi recruiter suspect"
    assert (page.published, page.published_basis) == ("2019-03-14", "metadata")
    assert page.published_reason == "page metadata <meta article:published_time>"
    assert page.outlet == "Kartli Courier"


def test_body_keeps_the_story(page):
    assert page.text.startswith(
        "TBILISI - Georgia's State Security Service said on Thursday it had detained a 31-year-old man")
    assert "Residents of Jokolo said police had surrounded the house before dawn" in page.text
    assert len(page.text.split("\n\n")) == 4


@pytest.mark.parametrize("furniture", [
    "Home", "Opinion", "Log in", "2026", "Related coverage", "Kist elders", "Two Pankisi men killed",
    "Copyright", "newsletter", "cookie", "Photo: Kartli Courier", "By Nino Kapanadze",
])
def test_page_furniture_is_gone(page, furniture):
    assert furniture not in page.text


def test_jsonld_and_time_fallbacks():
    jsonld = parse_tree('<html><head><script type="application/ld+json">'
                        '{"@graph": [{"@type": "NewsArticle", "datePublished": "2018-10-17T09:00:00Z"}]}'
                        '</script></head><body><p>x</p></body></html>')
    assert metadata_date(jsonld) == ("2018-10-17", "JSON-LD datePublished")
    timed = parse_tree('<html><body><time datetime="2017-04">April</time><p>x</p></body></html>')
    assert metadata_date(timed) == ("2017-04", "first <time datetime>")


def test_date_line_in_page_header_when_no_metadata():
    html = PAGE.replace('<meta property="article:published_time" content="2019-03-14T10:32:00+04:00">', "")
    html = html.replace('<p class="byline">By Nino Kapanadze</p>',
                        '<p class="meta">Georgia &middot; 12 March 2019 &middot; Kartli Courier</p>')
    a = clean(RawDocument(source="p.html", data=html.encode(), html=html))
    assert (a.published, a.published_basis) == ("2019-03-12", "byline")
    assert "12 March 2019" in a.published_reason
    assert "Kartli Courier" not in a.text


def test_largest_paragraph_block_fallback():
    tree = parse_tree("<html><body><div><p>Menu</p></div><div><p>First long paragraph here.</p>"
                      "<p>Second one.</p></div></body></html>")
    assert largest_paragraph_block(tree) == "First long paragraph here.\nSecond one."


@pytest.mark.parametrize("html", ["<html><body></body></html>", "<<<>>>", "<div><script>var a = 1;</script></div>"])
def test_page_without_text_raises(html):
    with pytest.raises(InputError, match="bad.html"):
        clean(RawDocument(source="bad.html", data=html.encode(), html=html))
