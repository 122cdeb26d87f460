"""Vocabulary and compiled patterns for English time expressions (module-level, built once).

Each pattern names its parts with groups; `timex.py` turns a match into a `Timex`. Month and
weekday names are matched case-sensitively (capitalised) so that "may", "march" or "sun" as
ordinary words are not taken for dates.
"""

from __future__ import annotations

import re

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "a hundred": 100, "one hundred": 100, "a dozen": 12,
    "dozen": 12, "half a": 0.5, "a half": 0.5, "one and a half": 1.5, "a couple of": 2,
    "couple of": 2, "a couple": 2,
}
VAGUE_NUMBERS = {"several", "few", "a few", "many", "some", "the past few", "the last few",
                 "the next few", "recent", "numerous", "a number of", "dozens of", "hundreds of",
                 "the past several", "the last several", "the next several"}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
            "4th": 4, "final": 4, "last": 4}
CENTURY_WORDS = {"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21}

_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ANY = rf"(?:{_MONTH_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_WEEKDAY = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_NUM_WORD = (rf"(?:{_TENS})(?:-(?:{_ONES}))?|one and a half|half an?|a half|a couple(?: of)?|"
             r"couple of|a dozen|dozen|a hundred|one hundred|eleven|twelve|thirteen|fourteen|"
             r"fifteen|sixteen|seventeen|eighteen|nineteen|ten|" + _ONES + "|an?")
_VAGUE = (r"the (?:past|last|next) (?:few|several)|a few|several|few|many|numerous|"
          r"a number of|dozens of|hundreds of|recent")
_NUM = rf"(?:(?<![\d,.])(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)|(?i:{_NUM_WORD})(?: and a half)?|(?i:{_VAGUE}))"
_UNIT = r"(?:second|minute|hour|day|night|week|fortnight|month|year|decade|centur(?:y|ie))"
_TZ = r"(?:GMT|UTC|BST|CET|CEST|EET|EST|EDT|CST|CDT|MST|MDT|PST|PDT|MSK|IST|JST|AEST|AEDT|Z)"
_YEAR = r"(?:1[5-9]|20)\d\d"
# A 24-hour clock time, not a year: "AT 1800 BY 200 GUERRILLAS", "at 1600 hours", "at 2030 GMT"
# (wire copy); "at 1990 levels" stays a year.
_CLOCK_AT = (r"(?<=[Aa][Tt] )(?:[01]\d|2[0-3])[0-5]\d(?:\s*(?:hours|hrs|GMT|UTC|local|LOCAL|HOURS|HRS)\b"
             r"|(?=[,.;:]|\s+(?:by|on|in|when|and|as|after|BY|ON|IN|WHEN|AND|AS|AFTER)\b|\s*$))")
_PREP = r"(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Tt]ill|[Ff]rom|[Dd]uring|[Tt]hrough|[Oo]f|[Oo]n|[Tt]o|[Bb]efore|[Aa]fter|[Aa]nd|[Oo]r|[Bb]etween|[Ee]nd|[Ss]tart|[Oo]ver)"
_EDGE = r"(?:(?:[Tt]he\s+)?(?P<edge>end|beginning|start|middle)\s+of\s+)"
_POS = r"(?P<pos>[Ee]arly|[Mm]id|[Ll]ate|[Ee]arlier|[Ll]ater)"

# Absolute calendar dates -------------------------------------------------------------------
ISO_DATE = re.compile(r"\b(?P<y>\d{4})-(?P<mo>[01]\d)-(?P<d>[0-3]\d)(?:[T ](?P<h>[0-2]\d):(?P<mi>[0-5]\d))?\b")
SLASH_DATE = re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])")
MONTH_DAY = re.compile(
    rf"(?:\b(?P<wd>{_WEEKDAY}),?[ \t]+)?\b(?P<mon>{_MONTH_ANY})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b"
    rf"(?![:.]\d|,\d|\s*(?:%|percent|per cent|GMT|UTC|[ap]\.?m\b))(?:,?\s+(?P<y>{_YEAR})\b)?")
DAY_MONTH = re.compile(
    rf"(?:\b(?P<wd>{_WEEKDAY}),?[ \t]+)?(?:\bthe\s+)?\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"(?P<mon>{_MONTH_ANY})(?![a-z])(?:,?\s+(?P<y>{_YEAR})\b)?")
MONTH_YEAR = re.compile(
    rf"\b(?:{_EDGE}|{_POS}[\s-]+)?(?P<mon>{_MONTH_ANY}),?\s+(?:of\s+)?(?P<y>{_YEAR})\b(?!,\d|\.\d)")
MONTH_ALONE = re.compile(
    rf"(?:\b(?P<prep>{_PREP})\s+)?(?P<core>(?:{_EDGE}|(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+|{_POS}[\s-]+"
    rf"(?:(?P<rel2>last|next|this)\s+)?|(?P<mid>[Mm]id)-)?(?P<mon>{_MONTH_FULL})\b"
    r"(?:\s+of\s+(?P<ofrel>next|last|this)\s+year\b)?)")
WEEKDAY = re.compile(
    rf"(?:\b(?P<pre>[A-Z][a-z]+|[Ll]ast|[Nn]ext|[Tt]his|[Cc]oming|[Ee]arly|[Ll]ate)\s+)?"
    rf"(?P<wd>{_WEEKDAY})\b(?:\s+(?P<pod>morning|afternoon|evening|night))?")
YEAR = re.compile(
    rf"(?:\b{_EDGE}|\b(?P<pos>[Ee]arly|[Mm]id|[Ll]ate)[\s-]+|(?P<mid>\b[Mm]id)-|(?<![\d,.$£€#-]))"
    rf"\b(?!{_CLOCK_AT})(?P<y>{_YEAR})"
    r"(?P<y2>\s*[-–—/]\s*(?:(?:1[5-9]|20)\d\d|\d\d)(?!\d|,\d))?\b(?![,.]\d|s\b|'(?!s\b))")
DECADE = re.compile(
    rf"\b(?:(?P<the>[Tt]he)\s+)?(?:{_POS}[\s-]+)?(?:(?P<c>1[5-9]|20)(?P<d>\d)0s|(?:(?<=the )|(?<=and )|(?<=or )|(?<=-))'?(?P<d2>[2-9])0s|'(?P<d3>\d)0s)\b")
CENTURY = re.compile(
    r"\b(?:(?P<the>[Tt]he)\s+)?(?:(?P<pos>early|mid|late)[\s-]+)?(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|"
    r"(?P<w>eighteenth|nineteenth|twentieth|twenty-first))[\s-]+[Cc]entury\b")
SEASON = re.compile(
    rf"(?:\b(?P<prep>{_PREP})\s+)?(?P<core>(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Tt]he|[Ee]arly|[Ll]ate|[Mm]id)"
    r"[\s-]+)?(?P<s>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)(?:\s+(?:of\s+)?(?P<y>"
    + _YEAR + r")\b|\s+of\s+(?P<rel2>this|last|next)\s+year\b)?)\b")
QUARTER = re.compile(
    r"\b(?:[Tt]he\s+)?(?P<ord>first|second|third|fourth|final|last|1st|2nd|3rd|4th)[\s-]+"
    r"(?P<unit>quarter|half)\b(?:\s+(?:of\s+)?(?:(?P<y>" + _YEAR + r")\b|(?P<rel>this|last|next|the)\s+"
    r"(?:(?:fiscal|financial)\s+)?year\b))?")
QUARTER_CODE = re.compile(r"\b(?P<q>Q[1-4]|H[12])(?:\s+|-|/)?(?P<y>" + _YEAR + r"|'\d\d)?\b")

# Expressions relative to the publication date ----------------------------------------------
REL_UNIT = re.compile(
    rf"\b(?:{_POS}[\s-]+)?(?:(?:the\s+)?(?P<edge>end|beginning|start|middle|rest)\s+of\s+)?"
    r"(?P<rel>[Tt]his|[Ll]ast|[Nn]ext|[Tt]he\s+(?:past|previous|coming|last|next|current|following)|"
    r"[Tt]he|[Cc]urrent|[Pp]ast|[Pp]revious|[Cc]oming)\s+(?:(?P<fiscal>fiscal|financial|calendar)\s+)?"
    r"(?P<unit>year|month|week|weekend|decade|century|quarter)\b")
DEICTIC = re.compile(
    r"\b(?:(?P<rel>[Ee]arlier|[Ll]ater)\s+)?(?:(?P<day>[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]his|[Ll]ast)\s+(?P<pod>morning|afternoon|evening|night)"
    r"|(?P<w>[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight|[Oo]vernight))\b")
AGO = re.compile(rf"(?:\b(?P<approx>[Jj]ust|[Aa]bout|[Aa]lmost|[Nn]early|[Ss]ome|[Mm]ore than|[Oo]ver|[Ll]ess than|[Rr]oughly|[Aa]round|[Oo]nly)\s+)?\b(?P<num>{_NUM})[\s-]+(?P<unit>{_UNIT})s?\s+(?P<dir>ago|from now|hence)\b")
GENERIC = re.compile(
    r"\b(?:(?P<prep>[Ii]n|[Ii]nto|[Ff]or)\s+)?(?P<core>[Nn]ow|[Cc]urrently|[Aa]t present|[Nn]owadays|"
    r"[Rr]ecently|[Ll]ately|the past|the future|the present day|the time being|the (?:long|near|short) term)\b"
    r"(?!\s+(?:few|several|\d|one|two|three|four|five|six|seven|eight|nine|ten|year|month|week|decade|day))")

# Durations, sets, clock times ---------------------------------------------------------------
DURATION = re.compile(
    r"\b(?:(?P<approx>[Aa]bout|[Aa]round|[Aa]lmost|[Nn]early|[Mm]ore than|[Oo]ver|[Uu]nder|[Ll]ess than|"
    r"[Aa]t least|[Rr]oughly|[Aa]pproximately|[Uu]p to|[Aa]t most|[Jj]ust)\s+)?"
    r"(?:(?P<det>[Tt]he(?:\s+(?:past|last|next|first|coming|previous|following|final|remaining|"
    r"entire|whole))?|[Pp]ast|[Nn]ext|[Ff]irst)\s+)?"
    rf"(?P<num>{_NUM})(?:\s+|-)(?:(?:straight|consecutive|successive|trading|business|working|full|"
    rf"calendar|more|additional|further|long|short)\s+)?(?P<unit>{_UNIT}|quarter)(?:s\b|\b)(?P<poss>')?"
    r"(?![\s-]*old\b|\s+of\s+age|\s+ago\b)")
BARE_UNITS = re.compile(
    r"\b(?P<prep>[Ff]or|[Oo]ver|[Ii]n|[Ww]ithin|[Tt]ook|[Tt]akes?|[Ll]asted|[Ll]ast)\s+(?:the\s+)?"
    r"(?P<unit>years|decades|months|weeks|days|hours|minutes|centuries)\b(?!\s+(?:ago|old|of age))")
SET = re.compile(
    rf"\b(?:(?P<every>[Ee]very|[Ee]ach)\s+(?:(?P<other>other)\s+)?(?P<unit>day|week|month|year|quarter|"
    rf"morning|afternoon|evening|night|weekend|{_WEEKDAY}|spring|summer|autumn|winter)"
    r"|(?P<adv>daily|weekly|monthly|annually|yearly|hourly|quarterly|annual|nightly)"
    r"|(?P<freq>once|twice|three times|four times|\d+ times)\s+(?:an?|per|every|each)\s+"
    r"(?P<unit2>day|week|month|year|hour|minute|decade))\b")
CLOCK = re.compile(
    r"(?<![\d:.,])\b(?P<h>[0-2]?\d)(?::(?P<mi>[0-5]\d)|[.](?P<mi2>[0-5]\d)(?=\s*[ap]\.?m))(?!:\d|[.,]\d)"
    r"(?:\s*(?P<ampm>[ap]\.m\.|[ap]m\b|[AP]M\b|[AP]\.M\.))?"
    rf"(?:\s*\(?(?P<tz>{_TZ}|local time)\b\)?)?"
    rf"(?:\s+(?:on\s+)?(?P<day>today|yesterday|tomorrow|{_WEEKDAY})\b)?")
CLOCK_AMPM = re.compile(
    r"\b(?P<h>1[0-2]|0?[1-9])\s*(?P<ampm>[ap]\.m\.|[ap]m\b|[AP]M\b|[AP]\.M\.)"
    rf"(?:\s*\(?(?P<tz>{_TZ}|local time)\b\)?)?"
    rf"(?:\s+(?:on\s+)?(?P<day>today|yesterday|tomorrow|{_WEEKDAY})\b)?")
CLOCK_MILITARY = re.compile(
    rf"\b(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)\s*(?P<tz>{_TZ}|hours|hrs|local time)\b"
    rf"(?:\s+(?:on\s+)?(?P<day>today|yesterday|tomorrow|{_WEEKDAY})\b)?")
CLOCK_WORD = re.compile(r"\b(?:at\s+)?(?P<w>noon|midday|midnight)\b")

# Context cues -------------------------------------------------------------------------------
FUTURE_CUE = re.compile(
    r"\b(?:will|won't|shall|'ll|going to|is to|are to|expected to|expects? to|scheduled|slated|"
    r"due\b|set to|plans? to|planned for|planning to|intends? to|aims? to|would be held|upcoming|"
    r"until|deadline|forecast|projected|predicts?|hopes? to|promised to|would|should|could|might|"
    r"intended|will be)\b")
FUTURE_PREP = frozenset(["by", "until", "through", "till", "before"])
PAST_CUE = re.compile(
    r"(?:said|told|was|were|had|did|ago|last|(?!expected|scheduled|planned|slated|needed|"
    r"intended|proposed)[a-z]+ed)")
PAST_AUX = re.compile(r"\b(?:was|were|had|did|had been|ago)\b")
SENTENCE_END = re.compile(r"[.!?]\s|\n")
# words that make a following 4-digit number a count, not a year
COUNT_NOUN = re.compile(
    r"\s+(?:[a-z]+s|people|men|women|children|police|staff|personnel|feet|foot|km|kg|m|mm|cc|"
    r"hp|mph|ft|sq|square|acres?|hectares?|tonnes?|tons?|euros?|dollars?|pounds?|yen|yuan|"
    r"rupees?|won|head|strong|-strong|per|times)\b")
COUNT_NOUN_OK = frozenset(
    "was is has as its his this thus plus versus less unless across always whereas hers yours "
    "ours perhaps was's does goes sees says".split())
YEAR_DETERMINERS = frozenset(
    "the a an its his her their our in since last this by from until during before after "
    "'s".split())
NOT_YEAR_BEFORE = re.compile(
    r"(?:\b(?:No|no|Nos|number|Number|Article|article|Section|section|Rule|Route|route|Flight|"
    r"flight|Room|room|page|pages|Resolution|resolution|Chapter|chapter|Highway|highway|Boeing|"
    r"Airbus|model|Model|Windows|Euro|Expo|Vision|Agenda|Horizon|Code|code|Form|form|Title|"
    r"Paragraph|paragraph|Regulation|Directive|Volume|Vol|Issue|Bill|Act|Law|UN|ISO|vote|votes|"
    r"score|scored|about|around|nearly|almost|some|than|total|totalling|only|just|"
    r"least|estimated|approximately|roughly|numbered|numbering)\.?\s*|[$€£#%]\s*)$")
# "Theresa May said", "May's government": the name, not the month
MAY_AS_NAME = re.compile(
    r"'s\b|,?\s+(?:said|says|told|has|had|is|was|will|would|wants|insisted|added|argued|"
    r"announced|warned|and her|herself|who|whose)\b")
NOT_WEEKDAY_BEFORE = frozenset(
    "Black Good Super Cyber Ash Palm Easter Holy Bloody Maundy Shrove Blue Giving Manic".split())

# Triggers: cheap patterns run over the lower-cased text; each starts with a literal so the
# regex engine can skip ahead fast. The full patterns above are then tried (anchored) only at
# the few word starts just before a hit.
TRIGGERS = {
    "iso": re.compile(r"(?:1[5-9]|20)\d\d-[01]\d-[0-3]\d"),
    "slash": re.compile(r"/\d{1,2}/\d"),
    "clock": re.compile(r":[0-5]\d|\.[0-5]\d\s*[ap]\.?m"),
    "ampm": re.compile(r"(?:a|p)\.?m\b"),
    "tz": re.compile(r"gmt|utc|bst|cet|est|edt|cst|cdt|pst|pdt|msk|hours|hrs|local time"),
    "month": re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"),
    "weekday": re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"),
    "year": re.compile(r"(?:1[5-9]|20)\d\d"),
    "decade": re.compile(r"0s\b"),
    "century": re.compile(r"century"),
    "season": re.compile(r"spring|summer|autumn|fall|winter"),
    "quarter": re.compile(r"quarter|half"),
    "qcode": re.compile(r"q[1-4]|h[12]"),
    "ago": re.compile(r"ago\b|from now|hence"),
    "relunit": re.compile(r"year|month|week|decade|century|quarter"),
    "deictic": re.compile(r"yesterday|today|tomorrow|tonight|overnight|morning|afternoon|evening|night"),
    "set": re.compile(r"every|each|daily|weekly|monthly|annual|yearly|hourly|quarterly|nightly|"
                      r"once|twice|times"),
    "unit": re.compile(r"second|minute|hour|day|night|week|fortnight|month|year|decade|centur"),
    "bare": re.compile(r"(?:year|decade|month|week|day|hour|minute)s|centuries"),
    "generic": re.compile(r"now|currently|at present|recently|lately|past|future|present|time being|term\b"),
    "noon": re.compile(r"noon|midday|midnight"),
}
