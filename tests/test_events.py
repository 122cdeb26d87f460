"""Events, modality, attribution and quotes, with the real spaCy model (loaded once here).

One test per trap named in the issue; the sentences are written for these tests.
"""

from __future__ import annotations

import pytest

from newsgraph.extract.event_schema import SchemaError, load_event_schema, parse_event_schema
from newsgraph.extract.events import extract_events, extract_quotes
from newsgraph.extract.nlp import load_nlp
from newsgraph.extract.pipeline import analyse_parsed
from newsgraph.extract.entities import load_aliases
from newsgraph.model import Article


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def aliases():
    return load_aliases()


def analyse(nlp, aliases, text, published="2019-03-14"):
    """Entities (places resolved) and time expressions as the pipeline finds them, then events."""
    doc = nlp(text)
    ex = analyse_parsed(Article(id="t", source="t", text=text, published=published), doc, aliases)
    names = {e.key: e.name for e in ex.entities}
    events = extract_events(doc, ex.entities, ex.timexes, load_event_schema())
    return doc, ex, events, names


def only(events, type_):
    found = [e for e in events if e.type == type_]
    assert len(found) == 1, [(e.type, e.trigger_text) for e in events]
    return found[0]


def role(ev, name, names):
    return [(p.text, names.get(p.entity)) for p in ev.participants if p.role == name]


def test_passive_arrest_patient_agent_place_date(nlp, aliases):
    text = "Khasan Umarov was detained by FSB officers in Makhachkala on Tuesday."
    _, _, events, names = analyse(nlp, aliases, text)
    ev = only(events, "ARREST")
    assert ev.trigger_text == "detained"
    assert ev.plover == "COERCE"
    assert role(ev, "patient", names) == [("Khasan Umarov", "Khasan Umarov")]
    assert [t for t, _ in role(ev, "agent", names)] == ["FSB officers"]
    assert names[ev.place] == "Makhachkala"
    assert ev.date is not None and ev.date.value == "2019-03-12"
    assert ev.modality == "asserted" and ev.attributed_text is None


def test_pronoun_resolved_to_previous_sentence_person(nlp, aliases):
    text = "Ruslan Aliyev left for Syria in 2014. He was arrested in Istanbul in 2016."
    _, _, events, names = analyse(nlp, aliases, text)
    travel = only(events, "TRAVEL")
    assert travel.date.value == "2014" and names[travel.place] == "Syria"
    ev = only(events, "ARREST")
    assert role(ev, "patient", names) == [("He", "Ruslan Aliyev")]
    assert "resolved to Ruslan Aliyev" in ev.participants[0].reason
    assert names[ev.place] == "Istanbul" and ev.date.value == "2016"


def test_pronoun_left_open_when_ambiguous(nlp, aliases):
    text = "Ruslan Aliyev met Ahmed Umarov in Grozny. He was arrested a week later."
    _, _, events, _ = analyse(nlp, aliases, text)
    ev = only(events, "ARREST")
    assert ev.participants[0].entity is None
    assert "ambiguous" in ev.participants[0].reason


def test_reported_event_attributed_to_the_ministry(nlp, aliases):
    text = "Twelve children were repatriated from Iraq to Russia, the foreign ministry said."
    _, _, events, names = analyse(nlp, aliases, text)
    ev = only(events, "RETURN")
    assert ev.modality == "reported"
    assert ev.attributed_text == "the foreign ministry"
    assert [t for t, _ in role(ev, "patient", names)] == ["Twelve children"]
    assert role(ev, "origin", names) == [("Iraq", "Iraq")]
    assert role(ev, "destination", names) == [("Russia", "Russia")]


def test_according_to_is_reported(nlp, aliases):
    text = "According to prosecutors, Timur Bekov financed the cell."
    _, _, events, _ = analyse(nlp, aliases, text)
    ev = only(events, "FUND")
    assert ev.modality == "reported" and ev.attributed_text == "prosecutors"


def test_alleged_events(nlp, aliases):
    text = ("Magomed Isayev allegedly recruited young men in Kazan. "
            "His cousin is suspected of joining the Islamic State.")
    _, _, events, names = analyse(nlp, aliases, text)
    recruit, join = [e for e in events if e.type == "JOIN"]
    assert recruit.trigger_text == "recruited" and recruit.modality == "alleged"
    assert role(recruit, "agent", names) == [("Magomed Isayev", "Magomed Isayev")]
    assert join.trigger_text == "joining" and join.modality == "alleged"


def test_negated_event(nlp, aliases):
    text = "Zarema Bagaeva denies joining the group."
    _, _, events, names = analyse(nlp, aliases, text)
    ev = only(events, "JOIN")
    assert ev.modality == "negated"
    assert names[ev.attributed_entity] == "Zarema Bagaeva"


def test_did_not_is_negated(nlp, aliases):
    _, _, events, _ = analyse(nlp, aliases, "Her husband did not travel to Syria.")
    assert only(events, "TRAVEL").modality == "negated"


def test_hypothetical_event(nlp, aliases):
    text = "Nurlan Abenov was charged on Monday. If convicted, he could face up to 20 years in prison."
    _, _, events, names = analyse(nlp, aliases, text)
    charge = only(events, "CHARGE")
    assert charge.modality == "asserted"
    assert role(charge, "patient", names) == [("Nurlan Abenov", "Nurlan Abenov")]
    ev = only(events, "SENTENCE")
    assert ev.modality == "hypothetical"
    assert role(ev, "patient", names) == [("he", "Nurlan Abenov")]


def test_plans_to_is_hypothetical(nlp, aliases):
    _, _, events, _ = analyse(nlp, aliases, "The government plans to repatriate the women next year.")
    assert only(events, "RETURN").modality == "hypothetical"


def test_quote_with_speaker_after(nlp, aliases):
    text = ("Aslan Dzhabrailov was detained in March. \"We did not know where he was for two weeks. "
            "Nobody told us anything,\" said Rustam, the detainee's younger brother.")
    doc, ex, _, names = analyse(nlp, aliases, text)
    quotes = extract_quotes(doc, ex.entities)
    assert len(quotes) == 1
    q = quotes[0]
    assert q.text.startswith("We did not know") and q.text.endswith("anything,")
    assert q.speaker_text == "Rustam, the detainee's younger brother"
    assert names[q.speaker_entity] == "Rustam"


def test_quote_speaker_pronoun_and_colon(nlp, aliases):
    text = ("Madina Aliyeva was flown back to Moscow last year. “I just wanted to come home,” she said. "
            "Her lawyer said: \"She was a victim of recruiters, not a member of any group.\"")
    doc, ex, _, names = analyse(nlp, aliases, text)
    quotes = extract_quotes(doc, ex.entities)
    assert [q.speaker_text for q in quotes] == ["she", "Her lawyer"]
    assert names[quotes[0].speaker_entity] == "Madina Aliyeva"


def test_scare_quotes_are_not_quotations(nlp, aliases):
    doc, ex, _, _ = analyse(nlp, aliases, 'He called the camp a "prison".')
    assert extract_quotes(doc, ex.entities) == []


def test_reliability_cue_in_next_sentence(nlp, aliases):
    text = ("Madina Aliyeva said she was held in a camp near Hasakah for two years. "
            "Her story could not be independently verified.")
    _, _, events, names = analyse(nlp, aliases, text)
    ev = only(events, "ARREST")
    assert ev.modality == "reported" and names[ev.attributed_entity] == "Madina Aliyeva"
    assert ev.reliability == "could not be independently verified"
    assert role(ev, "patient", names) == [("she", "Madina Aliyeva")]


def test_no_reliability_without_cue(nlp, aliases):
    _, _, events, _ = analyse(nlp, aliases, "Police arrested two men in Bishkek.")
    assert only(events, "ARREST").reliability is None


def test_publication_date_is_not_the_event_date(nlp, aliases):
    _, _, events, _ = analyse(nlp, aliases, "Police arrested two men in Bishkek.")
    assert only(events, "ARREST").date is None


def test_sense_guards(nlp, aliases):
    text = "Apple released a new iPhone. She tried to leave. They settled the dispute."
    _, _, events, _ = analyse(nlp, aliases, text)
    assert events == []


def test_user_schema_and_errors(tmp_path):
    path = tmp_path / "ev.tsv"
    path.write_text("DEFECT\t-\tagent=subj\tdefect\tdefection\tswitch side\n", encoding="utf-8")
    schema = load_event_schema(path)
    assert list(schema.types) == ["DEFECT"] and schema.types["DEFECT"].plover is None
    with pytest.raises(SchemaError, match="unknown slot"):
        parse_event_schema("X\tY\tagent=subject\tx\n")
    with pytest.raises(SchemaError, match="unknown flag"):
        parse_event_schema("X\tY\tagent=subj\tx{humans}\n")


def test_coordinated_triggers_share_place_and_date(nlp, aliases):
    text = "Gunmen ambushed and killed three soldiers near Grozny on Monday."
    _, _, events, names = analyse(nlp, aliases, text)
    attack, kill = only(events, "ATTACK"), only(events, "KILL")
    assert names[attack.place] == names[kill.place] == "Grozny"
    assert attack.date.value == kill.date.value == "2019-03-11"
    assert [t for t, _ in role(kill, "patient", names)] == ["three soldiers"]


def test_definite_event_noun_completes_its_antecedent(nlp, aliases):
    text = "A bomb exploded outside a police station in Nalchik. The attack took place on 5 May."
    _, _, events, names = analyse(nlp, aliases, text)
    first, second = [e for e in events if e.type == "ATTACK"]
    assert first.trigger_text == "exploded" and second.trigger_text == "attack"
    assert names[first.place] == names[second.place] == "Nalchik"
    assert first.date is second.date and first.date.value.endswith("-05-05")
    assert "refers back" in second.reason and "refers back" in first.reason


def test_weapon_guard(nlp, aliases):
    _, _, events, _ = analyse(nlp, aliases, "Volunteers planted trees in the park. The tyre exploded.")
    assert events == []


def test_nested_clauses_keep_their_own_date_and_place(nlp, aliases):
    text = ("Aminat Gasanova travelled to Syria in 2015 with her husband, who was later killed "
            "in an airstrike near Raqqa. A court in Makhachkala sentenced her to eight years for joining IS.")
    _, _, events, names = analyse(nlp, aliases, text)
    travel, kill = only(events, "TRAVEL"), only(events, "KILL")
    assert names[travel.place] == "Syria" and travel.date.value == "2015"
    assert names[kill.place] == "Raqqa" and kill.date is None
    join = only(events, "JOIN")
    assert role(join, "agent", names) == [("her", "Aminat Gasanova")]
    assert only(events, "SENTENCE").place is not None


def test_reliability_stays_with_its_own_clause(nlp, aliases):
    text = ("Police have not arrested anyone. "
            "Reuters could not independently confirm the report that ten fighters surrendered.")
    _, _, events, _ = analyse(nlp, aliases, text)
    arrest, surrender = only(events, "ARREST"), only(events, "SURRENDER")
    assert arrest.modality == "negated" and arrest.reliability is None
    assert surrender.reliability == "could not independently confirm"
    assert surrender.modality == "reported" and surrender.attributed_text is None


def test_quote_running_over_two_paragraphs(nlp, aliases):
    text = ('Madina Aliyeva spoke slowly: "We left in 2015 and lived in Raqqa for a year.\n\n'
            '"Then they took us to the camp," she said. A guard called it "home".')
    doc, ex, _, names = analyse(nlp, aliases, text)
    quotes = extract_quotes(doc, ex.entities)
    assert [q.text for q in quotes] == ["We left in 2015 and lived in Raqqa for a year.",
                                        "Then they took us to the camp,"]
    assert {names[q.speaker_entity] for q in quotes} == {"Madina Aliyeva"}


def test_event_takes_place_and_date_from_the_previous_sentence_about_it(nlp, aliases):
    text = ("A bomb exploded at a market in Nalchik on 5 May. Three people were killed.\n\n"
            "Two soldiers were killed in Grozny on 7 May. Residents said one more was killed.")
    _, _, events, names = analyse(nlp, aliases, text)
    kills = [e for e in events if e.type == "KILL"]
    assert names[kills[0].place] == "Nalchik" and kills[0].date.value.endswith("-05-05")
    assert "previous sentence about the same attack" in kills[0].reason
    # the next paragraph is another incident; its own place and date are kept
    assert names[kills[1].place] == "Grozny" and kills[1].date.value.endswith("-05-07")
    assert names[kills[2].place] == "Grozny"


def test_no_carry_over_from_an_event_told_long_before(nlp, aliases):
    text = ("A bomb exploded in Nalchik on 5 May. The market was busy. Police closed the road. "
            "The mayor spoke to reporters. Three people were killed.")
    _, _, events, _ = analyse(nlp, aliases, text)
    kill = only(events, "KILL")
    assert kill.place is None and kill.date is None


def _place(ex, name):
    return next(e for e in ex.entities if e.name == name)


def test_toponyms_written_as_places_become_places(nlp, aliases):
    text = ("Rancagua -- A bomb exploded in the small town of Pallanchacra, Pasco Department, on Monday. "
            "Residents of Estanzuelas, Usulutan Department, said the Justice Department sent no one.")
    _, ex, events, names = analyse(nlp, aliases, text)
    assert _place(ex, "Rancagua").label == "PLACE" and "dateline" in _place(ex, "Rancagua").label_reason
    assert _place(ex, "Pasco Department").label == "PLACE" and _place(ex, "Estanzuelas").label == "PLACE"
    assert all(e.label != "PLACE" for e in ex.entities if "Justice" in e.name)
    attack = only(events, "ATTACK")
    assert names[attack.place] == "Pallanchacra"


def test_place_missing_from_gazetteer_put_at_the_division_the_text_names():
    from newsgraph.extract.toponyms import place_by_container
    from newsgraph.model import LocalEntity, Mention, PlaceResolution

    text = "killed in El Tomate, Cordoba Department, on Tuesday"
    town = LocalEntity("e0", "PLACE", "El Tomate", mentions=[Mention(10, 19, "El Tomate", "PLACE", "El Tomate")])
    dept = LocalEntity("e1", "PLACE", "Cordoba Department",
                       mentions=[Mention(21, 39, "Cordoba Department", "PLACE", "Cordoba Department")],
                       place=PlaceResolution(None, "Cordoba", 8.7, -75.7, "CO", "region", "region of Colombia"))
    place_by_container([town, dept], text)
    assert town.place.country == "CO" and town.place.precision == "region" and town.place.name == "El Tomate"
    assert "not in the gazetteer" in town.place.reason and "El Tomate, Cordoba Department" in town.place.reason


def test_placed_a_bomb_stabbed_and_shot_are_attacks_placed_a_call_is_not(nlp, aliases):
    text = ("Rebels placed a bomb at the town hall. Gunmen stabbed the mayor. He was apparently shot. "
            "The minister placed a call to the governor and shot a video.")
    _, _, events, _ = analyse(nlp, aliases, text)
    assert [e.trigger_text for e in events if e.type == "ATTACK"] == ["placed", "stabbed", "shot"]


def test_date_of_the_report_is_not_the_date_of_the_event(nlp, aliases):
    text = "The local press today reported that the police have attributed the attack to rebels."
    _, _, events, _ = analyse(nlp, aliases, text)
    assert only(events, "ATTACK").date is None


def test_town_and_division_read_as_one_name_is_put_at_the_division(nlp, aliases):
    from newsgraph.extract.toponyms import place_by_container
    from newsgraph.model import LocalEntity, Mention

    name = "Cano Colorada, Arauca Department"
    text = f"Fishermen were killed in {name}, Colombia."
    e = LocalEntity("e0", "PLACE", name, mentions=[Mention(25, 25 + len(name), name, "PLACE", name)])
    place_by_container([e], text)
    assert e.place.country == "CO" and "'Arauca Department', the division it is written with" in e.place.reason


# --- departures, flights home, money sent, cases opened (leave, fly, send, open a case) -------


def test_leaving_a_place_is_travel_with_its_origin(nlp, aliases):
    text = "Islam Dadashev left Dagestan for Turkey in the spring of 2015."
    _, _, events, names = analyse(nlp, aliases, text)
    ev = only(events, "TRAVEL")
    assert ev.trigger_text == "left"
    assert role(ev, "agent", names) == [("Islam Dadashev", "Islam Dadashev")]
    assert [n for _, n in role(ev, "origin", names)] == ["Dagestan"]
    assert [n for _, n in role(ev, "destination", names)] == ["Turkey"]


@pytest.mark.parametrize("text", [
    "The blast left five people dead in Nalchik on Friday.",  # the subject is no traveller
    "Amir Kuliev leaves behind a wife and three children in Derbent.",  # "leave behind"
    "Amir Kuliev will leave with great pride in what his team built in Kazan.",  # no direction
    "Amir Kuliev left the meeting early.",  # no place
    "Amir Kuliev left his wife in Derbent.",  # he left a person, not a place
])
def test_leaving_that_is_no_journey_is_no_travel(nlp, aliases, text):
    _, _, events, _ = analyse(nlp, aliases, text)
    assert [e for e in events if e.type == "TRAVEL"] == []


def test_flying_to_a_place_is_travel_and_being_flown_home_is_a_return(nlp, aliases):
    _, _, events, names = analyse(nlp, aliases, "Said Temirov flew to Istanbul in May 2014.")
    ev = only(events, "TRAVEL")
    assert [n for _, n in role(ev, "destination", names)] == ["Istanbul"]
    assert [e.type for e in events] == ["TRAVEL"]
    # a place the model tags as an organisation still counts once the gazetteer resolves it
    text = "Leila Bekova was flown from Qamishli to Grozny on a government plane, officials said."
    _, _, events, names = analyse(nlp, aliases, text)
    ev = only(events, "RETURN")
    assert ev.trigger_text == "flown"
    assert role(ev, "patient", names) == [("Leila Bekova", "Leila Bekova")]
    assert [n for _, n in role(ev, "origin", names)] == ["Qamishli"]
    assert [n for _, n in role(ev, "destination", names)] == ["Grozny"]
    assert [e for e in events if e.type == "TRAVEL"] == []


def test_a_participle_joined_to_a_passive_shares_it(nlp, aliases):
    text = "Hasan Ilyasov was handed over to Russian officials last month and flown from Erbil to Makhachkala."
    _, _, events, names = analyse(nlp, aliases, text)
    assert [(e.type, e.trigger_text) for e in events] == [("RETURN", "handed over"), ("RETURN", "flown")]
    for ev in events:
        assert role(ev, "patient", names) == [("Hasan Ilyasov", "Hasan Ilyasov")]
    # the same verb in the active, with a country as its subject, is no passive return
    _, _, events, _ = analyse(nlp, aliases, "The pilots flew from Erbil to Makhachkala and landed at noon.")
    assert [e for e in events if e.type == "RETURN"] == []


def test_sending_money_is_funding_and_sending_people_is_not(nlp, aliases):
    text = "Rustam Gadzhiev is accused of sending 80,000 roubles to a fighter in Raqqa."
    _, _, events, _ = analyse(nlp, aliases, text)
    ev = only(events, "FUND")
    assert ev.trigger_text == "sending"
    assert [p.text for p in ev.participants if p.role == "patient"] == ["80,000 roubles"]
    _, _, events, _ = analyse(nlp, aliases, "Rustam Gadzhiev is accused of sending four young men to Syria.")
    assert [e for e in events if e.type == "FUND"] == []


def test_opening_a_criminal_case_against_someone_is_a_charge(nlp, aliases):
    text = "Investigators opened a criminal case against Murad Khasiev in 2016."
    _, _, events, names = analyse(nlp, aliases, text)
    ev = only(events, "CHARGE")
    assert role(ev, "patient", names) == [("Murad Khasiev", "Murad Khasiev")]
    # a case opened into an attack names no one charged
    _, _, events, _ = analyse(nlp, aliases, "Investigators opened a criminal case into the attack.")
    assert [e for e in events if e.type == "CHARGE"] == []


def test_the_object_may_stand_inside_a_phrase(nlp, aliases):
    text = "Tajikistan flew 84 children home from Iraq on Thursday."
    _, _, events, names = analyse(nlp, aliases, text)
    ev = only(events, "RETURN")
    assert ev.trigger_text.startswith("flew") and ev.trigger_text.endswith("home")
    assert [n for _, n in role(ev, "agent", names)] == ["Tajikistan"]
    assert [t for t, _ in role(ev, "patient", names)] == ["84 children"]
    assert [n for _, n in role(ev, "origin", names)] == ["Iraq"]
    assert [e.type for e in events] == ["RETURN"]  # a country flying children is no traveller
    # not before a preposition: the phrase "leave for" does not swallow the place left
    _, _, events, _ = analyse(nlp, aliases, "Adam Kurbanov left Grozny for Istanbul.")
    assert [e.trigger_text for e in events if e.type == "TRAVEL"] == ["left"]


def test_some_of_a_group_and_a_bare_ordinal_are_people(nlp, aliases):
    text = "Uzbekistan brought home 96 of its citizens from camps in Syria."
    _, _, events, _ = analyse(nlp, aliases, text)
    ev = only(events, "RETURN")
    assert [p.text for p in ev.participants if p.role == "patient"] == ["96 of its citizens"]
    text = "Two of the students are still in Syria. A third returned to Russia in May."
    _, _, events, names = analyse(nlp, aliases, text)
    ev = only(events, "RETURN")
    assert [t for t, _ in role(ev, "patient", names)] == ["A third"]
    # a number standing for no people is no one returned
    text = "Two of the trucks are still in Syria. A third returned to Russia in May."
    _, _, events, _ = analyse(nlp, aliases, text)
    assert [e for e in events if e.type == "RETURN"] == []


def test_handed_over_is_a_return_and_handed_himself_over_a_surrender(nlp, aliases):
    _, _, events, names = analyse(nlp, aliases, "If Umar Saidov is handed over to Russia, he faces ten years.")
    assert [e.type for e in events] == ["RETURN"]
    assert [n for _, n in role(events[0], "destination", names)] == ["Russia"]
    _, _, events, _ = analyse(nlp, aliases, "Umar Saidov handed himself over to Kurdish forces in 2019.")
    assert [e.type for e in events] == ["SURRENDER"]


def test_a_quotation_that_goes_on_after_its_speaker_keeps_the_speaker(nlp, aliases):
    text = ('"He sold tickets to anyone," said Ruslan Bagirov, the defendant\'s cousin. '
            '"He hates them as much as we do."\n\n"Nobody knew," a neighbour said.')
    _, ex, _, _ = analyse(nlp, aliases, text)
    cousin = "Ruslan Bagirov, the defendant's cousin"
    assert [(q.text[:12], q.speaker_text) for q in ex.quotes] == [
        ("He sold tick", cousin), ("He hates the", cousin), ("Nobody knew,", "a neighbour")]
    assert ex.quotes[1].speaker_entity == ex.quotes[0].speaker_entity is not None
    # after a sentence of the reporter's own, a quotation is not taken to go on: speaker unknown
    text = ('"He sold tickets to anyone," said Ruslan Bagirov. Police searched his flat in Kazan on '
            'Monday and found nothing. "It was a mistake."')
    _, ex, _, _ = analyse(nlp, aliases, text)
    assert [q.speaker_text for q in ex.quotes] == ["Ruslan Bagirov", None]
    # one sentence of the reporter's own between them is not the speaker's attribution either
    text = '"It was a mistake," said Ruslan Bagirov. Police in Kazan searched the flat. "Nobody saw it coming."'
    _, ex, _, _ = analyse(nlp, aliases, text)
    assert [q.speaker_text for q in ex.quotes] == ["Ruslan Bagirov", None]


def test_a_return_takes_place_where_they_are_brought_not_where_they_came_from(nlp, aliases):
    text = "The authorities brought home 96 women from camps in Syria on a flight to Tashkent."
    _, _, events, names = analyse(nlp, aliases, text)
    ev = only(events, "RETURN")
    assert [t for t, _ in role(ev, "origin", names)] == ["camps"]  # "camps in Syria"
    assert names[ev.place] == "Tashkent"


def test_a_city_in_the_country_named_before_is_the_same_return(nlp, aliases):
    text = ("Kazakhstan brought home 158 of its citizens to Kazakhstan on Wednesday, the ministry said. "
            "Thirty women were flown from Erbil to Almaty on a government plane.")
    _, _, events, names = analyse(nlp, aliases, text, published="2019-05-30")
    flown = next(e for e in events if e.trigger_text == "flown")
    assert names[flown.place] == "Almaty"
    assert flown.date is not None and flown.date.value == "2019-05-29"
    assert "previous sentence about the same return" in flown.reason
    # another country is another happening: no date carried over
    text = ("Kazakhstan brought home 158 of its citizens to Kazakhstan on Wednesday, the ministry said. "
            "Thirty women were flown from Erbil to Tashkent on a government plane.")
    _, _, events, names = analyse(nlp, aliases, text, published="2019-05-30")
    flown = next(e for e in events if e.trigger_text == "flown")
    assert names[flown.place] == "Tashkent" and flown.date is None


def test_a_count_of_people_an_event_happened_to_takes_the_event_date(nlp, aliases):
    text = ("Kazakhstan brought home 158 of its citizens to Kazakhstan on Wednesday, the ministry said. "
            "Thirty women were flown from Erbil to Almaty on a government plane.")
    _, ex, _, _ = analyse(nlp, aliases, text, published="2019-05-30")
    thirty = next(c for c in ex.claims if c.text.startswith("Thirty"))
    assert thirty.as_of is not None and thirty.as_of.value == "2019-05-29"
    assert thirty.as_of.reason.startswith("the date of the return 'flown' whose patient it counts")
    # a present perfect counts up to the day of writing: no date from its clause
    text = "The programme, which began in 2017, has brought back more than 300 children."
    _, ex, _, _ = analyse(nlp, aliases, text)
    assert [c.as_of for c in ex.claims if c.text.startswith("more than 300")] == [None]
