"""Recommendations read from documents of every common layout (our own short documents)."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from importer.parsing.addressees import actors_of, canonical_name
from importer.parsing.deadlines import find_relative_deadline, resolve_relative_deadline
from importer.parsing.items import extract_items


def _numbers_and_starts(text, **kwargs):
    return [(item.number, item.text.split()[0]) for item in extract_items(text, **kwargs).occurrences]


def test_recommendation_headings_and_inline_labels():
    text = (
        "Our findings\n\nThe parks are poorly lit.\n\n## Recommendation 1\n\nThe Council should light every park path.\n\n"
        "The report asks for:\n- Recommendation 2: Park authorities should patrol after dark.\n"
    )
    result = extract_items(text)
    assert [item.number for item in result.occurrences] == [1, 2]
    assert result.occurrences[0].text == "The Council should light every park path."
    assert result.occurrences[1].addressees == ["Park authorities"]


def test_a_restated_recommendation_label_wins_over_the_paragraph_number():
    text = '7. Recommendation 3: "The Agency should publish its audits." (Paragraphs 12 and 14)\n\n8. Agency response: we agree.\n'
    [item] = extract_items(text).occurrences
    assert item.number == 3 and "(Paragraphs" not in item.text


def test_numbered_conclusions_skip_findings_and_paragraph_references():
    text = (
        "Conclusions and recommendations\n\nFunding\n\n"
        "1.We thank everyone who gave evidence. (Paragraph 4)\n"
        "2.Waiting lists have grown. We recommend that the Department for Parks publish a plan. (Paragraph 9)\n"
        "3) The regulator must review fees within three months of publication. (Paragraph 15)\n"
    )
    result = extract_items(text)
    assert [item.number for item in result.occurrences] == [2, 3]
    assert result.occurrences[0].addressees == ["Department for Parks"]
    assert not any("Paragraph" in item.text for item in result.occurrences)
    assert result.occurrences[1].relative_deadline.months == 3


def test_lettered_items_after_a_lead_in_inherit_its_addressee():
    text = "The panel makes two recommendations to the Harbour Board:\n(a) Publish the tide tables.\n(b) Repair the north jetty.\n"
    result = extract_items(text)
    assert [item.text for item in result.occurrences] == ["Publish the tide tables.", "Repair the north jetty."]
    assert all(item.addressees == ["Harbour Board"] for item in result.occurrences)
    assert result.stated_count == 2


def test_bullets_before_the_lead_in_are_not_recommendations():
    text = (
        "- Nine in ten stations have no lift.\n- Fares rose by 5 per cent.\n"
        "The report makes a number of recommendations to the Mayor of London, including:\n"
        "\u2022 Fund lifts at every station.\n\u2022 Freeze fares for a year.\n"
    )
    result = extract_items(text)
    assert _numbers_and_starts(text) == [(1, "Fund"), (2, "Freeze")]
    assert all(item.addressees == ["Mayor"] and not item.numbered for item in result.occurrences)


def test_a_lead_in_with_its_own_deadline_is_one_recommendation_with_sub_actions():
    text = (
        "Recommendations\nBy 30 June 2025, the trust should produce a plan to:\n"
        "- reduce waiting times;\n- hire more nurses; and\n- publish progress.\nWe found good progress.\n"
    )
    [item] = extract_items(text).occurrences
    assert item.deadline.date == datetime.date(2025, 6, 30) and item.deadline_words == "By 30 June 2025"
    assert "hire more nurses" in item.text and "good progress" not in item.text
    assert item.addressees == ["trust"]


def test_mixed_findings_and_recommendations_list_keeps_only_asks():
    text = (
        "Key Findings & Recommendations\n"
        "\u2022 There is room to improve advice for tenants.\n"
        "\u2022 Schemes like HomeStart work well - the Mayor needs to fund more of them.\n"
        "\u2022 The housing workstream should involve tenants in design.\n"
    )
    result = extract_items(text)
    assert [item.addressees for item in result.occurrences] == [["Mayor"], ["housing workstream"]]


def test_areas_for_improvement_and_matters_of_concern_headings():
    inspection = (
        "Each service should assess every risk.\nAreas for improvement\n"
        "- The service should update its risk plan.\nWe set out our findings below.\nData use needs to improve\n"
    )
    assert [item.text for item in extract_items(inspection).occurrences] == ["The service should update its risk plan."]
    coroner = "MATTERS OF CONCERN\n\n(1) The ward had no night-time checks.\n(2) Staff were not trained in the new alarm.\n"
    assert len(extract_items(coroner).occurrences) == 2


def test_verb_first_paragraphs_after_a_colon_lead_in():
    text = (
        "Before the Mayor adopts the final strategy the Committee recommends that it is improved to:\n\n"
        "Include targets for every borough.\n\nClearly explain how progress will be measured.\n\n"
        "After the strategy was published the Committee received an update.\n"
    )
    result = extract_items(text)
    assert [item.text.split()[0] for item in result.occurrences] == ["Include", "Clearly"]
    assert all(item.addressees == ["Mayor"] for item in result.occurrences)
    assert result.occurrences[0].deadline_words == "Before the Mayor adopts the final strategy"


def test_prose_asks_split_by_sentence_and_a_referring_sentence_continues():
    text = (
        "Our report says the market is struggling.\n\n"
        "The report calls on the Mayor to work with Camden Council to widen pavements. "
        "Longer-term options should also be assessed.\n\n"
        "The Committee is calling on the Government to fund the scheme promptly.\n\nThis should be done with care.\n"
    )
    result = extract_items(text)
    assert [item.addressees for item in result.occurrences] == [["Mayor"], [], ["Government"]]
    assert result.occurrences[2].text.endswith("This should be done with care.")
    assert result.occurrences[2].deadline_words == "promptly"


def test_promises_by_the_writer_are_not_asks():
    text = "The Inquiry will write to each body asking it to publish a reply.\nThe Inquiry will request that the body explains.\n"
    assert extract_items(text).occurrences == []


def test_addressees_are_an_open_set_and_partners_are_not_addressees():
    assert actors_of("The Ministry of Justice should amend the Act.") == ["Ministry of Justice"]
    assert actors_of("NHS England London should work with local councils to act.") == ["NHS England London"]
    assert actors_of("The Mayor, employers and providers should act.") == ["Mayor", "employers", "providers"]
    assert actors_of("Newly appointed committees should be invited to meet.") == []
    assert actors_of("Where the Board declines, it should say so.") == ["Board"]


def test_aliases_are_data_passed_in():
    aliases = {"the Yard": "Metropolitan Police Service", "MPS": "Metropolitan Police Service"}
    [item] = extract_items("- Recommendation 1: The Yard should publish its figures.", aliases=aliases).occurrences
    assert item.addressees == ["Metropolitan Police Service"]
    assert canonical_name("the brigade", {"the brigade": "London Fire Brigade"}) == "London Fire Brigade"


def test_absolute_relative_and_vague_deadlines():
    text = (
        "1. The Office should report not later than 31 March 2015.\n"
        "2. The Office should consult by the end of November 2022.\n"
        "3. The Office should respond within two months of publication.\n"
        "4. The Office should act immediately and report annually.\n"
    )
    items = extract_items(text).occurrences
    assert [item.deadline.date if item.deadline else None for item in items] == [
        datetime.date(2015, 3, 31), datetime.date(2022, 11, 30), None, None,
    ]
    assert items[2].relative_deadline.months == 2 and items[2].deadline_words == "within two months of publication"
    assert items[3].deadline_words == "immediately; annually"


def test_a_relative_deadline_is_resolved_with_its_working():
    duty = find_relative_deadline("must respond within 56 days of the date of this report")
    deadline, working = resolve_relative_deadline(duty, datetime.date(2024, 1, 10))
    assert deadline.date == datetime.date(2024, 3, 6)
    assert working == "56 days after the report of 10 January 2024"
    six = find_relative_deadline("within six months of the recommendation being published")
    assert resolve_relative_deadline(six, datetime.date(2024, 8, 31))[0].date == datetime.date(2025, 2, 28)


def test_nothing_recognisable_says_what_was_looked_for():
    result = extract_items("A quiet page about the history of the town hall.")
    assert result.occurrences == [] and "Recommendation N" in result.looked_for


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcRS .:;,-\u2022()\n12345\u201c\u201dshouldrecommendthat:#*")), max_size=400) | st.text(max_size=300))
def test_extract_items_never_raises(text):
    result = extract_items(text)
    assert all(item.text for item in result.occurrences)
