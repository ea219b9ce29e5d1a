"""Replies read from a status table ("| No. | Recommendation | Update | Status |"): which cell
restates the recommendation, which is the reply, and the position stated. Pinned where mutation
testing (bench/MUTATION.md) found the row reading untested; the tables are written for these tests."""

from importer.parsing.replies import extract_replies

HEADER = "Response to the scrutiny review of neighbourhood services\n\n| No. | Recommendation | Update | Status |\n|---|---|---|---|\n"


def _rows(*rows: str) -> list[tuple[int, str, str, str, str]]:
    result = extract_replies(HEADER + "\n".join(rows) + "\n")
    return [(r.number, r.recommendation_text, r.text, r.stated_position, r.stated_position_text) for r in result.replies]


def test_an_update_without_a_full_stop_is_still_the_reply():
    rows = _rows("| 1 | The council should publish the grit bin locations before each winter. | Map of grit bins published in October | Accepted |")

    assert rows == [
        (1, "The council should publish the grit bin locations before each winter.", "Map of grit bins published in October", "accepted", "Accepted")
    ]


def test_a_status_cell_ending_in_a_full_stop_does_not_join_the_reply():
    rows = _rows("| 1 | The council should publish the grit bin locations before each winter. | Map of grit bins published in October | Accepted. |")

    assert rows == [
        (1, "The council should publish the grit bin locations before each winter.", "Map of grit bins published in October", "accepted", "Accepted")
    ]


def test_a_short_update_is_the_reply_and_a_short_label_cell_is_not():
    rows = _rows("| 3 | The council should answer noise complaints within five working days. | Done in May. | Head of Parks Services | Accepted |")

    assert rows == [(3, "The council should answer noise complaints within five working days.", "Done in May.", "accepted", "Accepted")]


def test_a_reply_that_opens_with_the_position_keeps_the_restatement_apart():
    rows = _rows("| 2 | The council should inspect every playground twice a year. | We accept this recommendation. Inspections start in April. | Accepted |")

    assert rows == [
        (2, "The council should inspect every playground twice a year.", "We accept this recommendation. Inspections start in April.", "accepted", "Accepted")
    ]


def test_two_update_cells_are_one_reply_and_a_long_position_cell_states_the_position():
    rows = _rows(
        "| 4 | The council should plant street trees. | Survey of all sites underway | The council accepts this recommendation and has begun planting. |"
    )

    assert rows == [
        (
            4,
            "The council should plant street trees.",
            "Survey of all sites underway The council accepts this recommendation and has begun planting.",
            "accepted",
            "accepts",
        )
    ]


def test_a_status_with_a_few_words_after_it_is_still_the_position():
    rows = _rows("| 5 | The council should light the canal path. | Lamps ordered from the supplier | Accepted; work will be finished by next spring |")

    assert [(number, position, words) for number, _, _, position, words in rows] == [(5, "accepted", "Accepted")]


def test_a_table_with_only_an_update_column_keeps_each_update_as_the_reply():
    table = "Response to the scrutiny review\n\n| No. | Update | Status |\n|---|---|---|\n"
    result = extract_replies(table + "| 1 | The council will publish the map each October. | Accepted |\n| 2 | Survey of all sites underway | In progress |\n")

    assert [(r.number, r.recommendation_text, r.text, r.stated_position, r.stated_position_text) for r in result.replies] == [
        (1, "", "The council will publish the map each October.", "accepted", "Accepted"),
        (2, "", "Survey of all sites underway", "", ""),
    ]


def test_a_table_that_gives_only_a_status_never_records_the_recommendation_as_the_reply():
    """| No. | Recommendation | Status |: the middle cell is the committee's words, whatever its verb;
    the reply is the status the table gives, not the recommendation attributed to the council."""
    letter = (
        "Response to the scrutiny review of winter services\n\n| No. | Recommendation | Status |\n|---|---|---|\n"
        "| 1 | The council should publish the grit bin map each October. | Accepted |\n"
        "| 2 | The council will be asked to hold a public meeting every spring. | Not accepted |\n"
    )
    rows = [(r.number, r.recommendation_text, r.text, r.stated_position) for r in extract_replies(letter).replies]

    assert rows == [
        (1, "The council should publish the grit bin map each October.", "Accepted", "accepted"),
        (2, "The council will be asked to hold a public meeting every spring.", "Not accepted", "not_accepted"),
    ]


def test_the_header_names_which_cell_is_the_recommendation_when_the_update_comes_first():
    letter = (
        "Progress on the review of parks\n\n| No. | Update | Recommendation | Status |\n|---|---|---|---|\n"
        "| 5 | Funding for new benches agreed in June. | The council should replace broken benches within a month. | Accepted |\n"
    )
    [reply] = extract_replies(letter).replies

    assert (reply.recommendation_text, reply.text) == (
        "The council should replace broken benches within a month.",
        "Funding for new benches agreed in June.",
    )
