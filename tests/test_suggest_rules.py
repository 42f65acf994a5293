"""Every suggestion rule on its own, with the non-figures and non-actors the issue names."""

from __future__ import annotations

import pytest

from suggest import KnownEntity, known_entities, suggest
from suggest.actors import actor_suggestions
from suggest.figures import figure_suggestions
from suggest.links import sentence_spans
from vocabulary.labels import DEFAULT_RELATION_DEFS, RelationDef


def figures(text: str) -> list[str]:
    return [s.text for s in figure_suggestions(text)]


def actors(text: str, entities: tuple[KnownEntity, ...] = ()) -> list[str]:
    return [s.text for s in actor_suggestions(text, entities)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("At least 34,535 Palestinians have been killed.", ["At least 34,535 Palestinians"]),
        ("The fund holds $1.5 billion in reserve.", ["$1.5 billion"]),
        ("Support fell to about 15 percent last month.", ["about 15 percent"]),
        ("Police detained a dozen protesters.", ["a dozen protesters"]),
        ("The truce came after 11 days of fighting.", ["11 days of fighting"]),
        ("and 77,704 wounded in the strikes", ["77,704 wounded"]),
        ("the deployment of 3,000 Fatah security officers", ["3,000 Fatah security officers"]),
        ("over a period of 12 months.", ["a period of 12 months"]),
        ("the displacement of nearly two million people", ["nearly two million people"]),
        ("relieving thousands of Hamas members of their jobs", ["thousands of Hamas members"]),
        ("Costs range from $200 to $450 a month.", ["$200 to $450 a month"]),
        ("between 10 and 15 percent of voters", ["between 10 and 15 percent"]),
        ("a 10-15% rise", ["10-15%"]),
        ("It lasted two or three days.", ["two or three days"]),
        ("since the 11-day war", ["11-day war"]),
        ("earning around Taka 8,500 a year", ["around Taka 8,500 a year"]),
        ("produces around 2.5 lakh tonnes of vegetables", ["around 2.5 lakh tonnes of vegetables"]),
        ("revenue of €3bn", ["€3bn"]),
        ("1,200 soldiers and civilians were killed", ["1,200 soldiers and civilians"]),
    ],
)
def test_figures_take_qualifier_scale_unit_and_counted_noun(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A Palestinian source told Al Mayadeen on Wednesday.",  # a weekday stamp
        "Israel says the war began on October 7, 2023, with an attack.",  # a date stamp
        "In 2014, the sides agreed to create a unity government.",  # a year stamp
        "It will be implemented as per international resolutions 181 and 2334.",  # names
        "Resolution 2334 was adopted unanimously.",
        "Cases of COVID-19 rose among the F-16 pilots.",
        "The two leaders met again.",  # points back to a set already named
        "Both sides said the two movements had agreed.",
        "The press conference was held at 10 a.m. local time.",  # a time of day
        "Watch it on Channel 12 tonight.",
        "Since 7 On Your Side's report, the company changed.",  # a number inside a name
        "— Al Arabiya English (@AlArabiya_Eng) April 30, 2024",  # a credit line
        "It was the third time they met, one of many visits.",  # ordinals and "one of"
        "Read more: https://t.co/4TpsDgOons pic.twitter.com/zoSL7iN6e1",
    ],
)
def test_not_figures(text):
    assert figures(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The details will be revealed by March 1.", ["March 1"]),
        ("Elections will be held on June 5, 2025.", ["June 5, 2025"]),
        ("The plant should be running by mid 2027.", ["mid 2027"]),
        ("They must answer by Friday.", ["Friday"]),
    ],
)
def test_a_date_is_a_figure_only_as_a_deadline_or_schedule(text, expected):
    found = figure_suggestions(text)
    assert [s.text for s in found] == expected
    assert {s.rule for s in found} == {"deadline"}


def test_figure_offsets_index_the_exact_text():
    text = "🇨🇳 China: at least 7,000 people are missing.\r\n"
    (found,) = figure_suggestions(text)
    assert text[found.start : found.end] == found.text == "at least 7,000 people"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("President Joe Biden said the deal holds.", ["President Joe Biden"]),
        (
            "China’s Foreign Ministry spokesperson Lin Jian told reporters it was true.",
            ["China’s Foreign Ministry spokesperson Lin Jian"],
        ),
        (
            "According to Gaza's Ministry of Health, 34,535 Palestinians have been killed.",
            ["Gaza's Ministry of Health"],
        ),
        ("The talks failed, the United Nations said.", ["United Nations"]),
        ("Hamas rejected the offer.", ["Hamas"]),
        (
            "a Palestinian source told Al Mayadeen on Wednesday.",
            ["a Palestinian source", "Al Mayadeen"],
        ),
        ("Israeli forces killed three people.", ["Israeli forces"]),
        ("The delegation was headed by Musa Abu Marzouk.", ["Musa Abu Marzouk"]),
        ("Hamas and Fatah held talks in Beijing.", ["Hamas", "Fatah"]),
        ("Ali Hossain, a farmer of the village, cultivated gourds.", ["Ali Hossain"]),
        ("efforts by Egypt, Qatar, and Turkey to mediate.", ["Egypt", "Qatar", "Turkey"]),
    ],
)
def test_actor_rules(text, expected):
    assert actors(text) == expected


def test_a_surname_and_later_mentions_follow_the_first_acting_mention():
    text = (
        "Foreign Ministry spokesman Lin Jian said talks went well. The consultations were held "
        "at the invitation of the Chinese side, Lin said. Hamas rejected it. Critics of Hamas "
        "were silent."
    )
    found = actor_suggestions(text)
    assert [(s.text, s.rule) for s in found] == [
        ("Foreign Ministry spokesman Lin Jian", "title"),
        ("Lin", "speaker"),
        ("Hamas", "org"),
        ("Hamas", "mention"),  # every mention of an entity that acts
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The meetings took place in Cairo on Tuesday.",  # a place that only locates
        "Chinese officials' comments were noted by nobody.",  # "Chinese" is an adjective
        "It was a Chinese idea.",
        "International pressure on Israel may influence the talks.",  # object of a preposition
        "Reuters contributed to this report.",  # a credit
        "Members of Fatah and Hamas in Cairo",  # a caption
        "The head of Hamas' Political Bureau visited Doha.",  # talked about (possessive)
    ],
)
def test_not_actors(text):
    assert actors(text) == []


def test_every_alias_of_a_known_entity_is_an_actor_except_where_it_only_locates():
    entities = known_entities([("Ismail Haniyeh", ["Haniyeh", "Hamas chief"])])
    text = (
        "Haniyeh's visit came early. The Hamas chief met aides in Doha. Crowds in Haniyeh cheered."
    )
    found = actor_suggestions(text, entities)
    assert [(s.text, s.rule) for s in found] == [
        ("Haniyeh", "entity"),
        ("Hamas chief", "entity"),
    ]


def test_sentences_end_at_full_stops_and_line_breaks():
    text = "Lin said it. “Yes,” he added.\nNext line"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Lin said it.",
        "“Yes,” he added.",
        "Next line",
    ]


def test_links_join_a_claim_and_a_figure_to_the_speaker_of_their_sentence():
    text = (
        "According to Gaza's Ministry of Health, 34,535 Palestinians have been killed. "
        "“The two sides highly appreciate China’s firm support,” Lin Jian said."
    )
    found = suggest(text)
    links = {
        (
            found.spans[link.head].label,
            found.spans[link.head].text,
            link.label,
            found.spans[link.child].text,
        )
        for link in found.links
    }
    assert ("figure", "34,535 Palestinians", "source", "Gaza's Ministry of Health") in links
    assert (
        "claim",
        "The two sides highly appreciate China’s firm support",
        "said_by",
        "Lin Jian",
    ) in links


def test_relation_types_and_labels_come_from_the_configuration():
    text = "According to Reuters, 5 people died."
    renamed = (RelationDef("cited_from", ("figure",), ("actor",), "Where from.", "#ffffff"),)
    found = suggest(text, relations=renamed)
    assert [link.label for link in found.links] == ["cited_from"]
    assert suggest(text, relations=()).links == ()
    only_figures = suggest(text, labels=("figure", "outcome"), relations=DEFAULT_RELATION_DEFS)
    assert {s.label for s in only_figures.spans} == {"figure"}
    assert only_figures.links == ()  # no actor to link to


def test_rule_names_fit_the_stored_origin():
    from suggest.model import MAX_RULE_LENGTH

    text = (
        "President Joe Biden said 5 people died, according to Reuters. Hamas rejected it by "
        "Friday. Israeli forces killed 12% of them, costing $3 million. “This is a long quoted "
        "claim,” Lin said. Biden agreed."
    )
    found = suggest(text, entities=known_entities([("Joe Biden", ["Biden"])]))
    rules = {s.rule for s in found.spans} | {link.rule for link in found.links}
    assert len(rules) >= 6
    assert all(0 < len(rule) <= MAX_RULE_LENGTH for rule in rules), rules
