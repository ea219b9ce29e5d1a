"""Replies as "N: text" items whose text runs over several lines: the lines after an item belong
to it until the next item, heading or short title line. Pinned where mutation testing
(bench/MUTATION.md) found the continuation untested; the items are written for these tests."""

from importer.parsing.replies import extract_replies

ITEMS = """Recommendations made

1: The council should publish the grit bin locations
on its website before each winter,
and keep the list up to date.

What we committed to doing

1: We will publish a map of every grit bin
each October; officers will check it monthly,
updating it when a bin moves.
Playground inspections
Playgrounds will be inspected twice a year from April.
"""


def test_an_item_that_runs_over_several_lines_is_read_whole_and_stops_at_the_next_title():
    result = extract_replies(ITEMS)

    assert [(r.number, r.recommendation_text, r.text) for r in result.replies] == [
        (
            1,
            "The council should publish the grit bin locations on its website before each winter, and keep the list up to date.",
            "We will publish a map of every grit bin each October; officers will check it monthly, updating it when a bin moves.",
        ),
    ]


def test_two_long_items_on_consecutive_lines_are_two_replies_not_one():
    text = """Recommendations made

1: The council should publish the grit bin locations before each winter.
2: The council should inspect every playground twice a year.

What we committed to doing

1: We will publish a map of every grit bin each October.
2: We will inspect each playground in April and in October.
"""
    result = extract_replies(text)

    assert [(r.number, r.recommendation_text, r.text) for r in result.replies] == [
        (1, "The council should publish the grit bin locations before each winter.", "We will publish a map of every grit bin each October."),
        (2, "The council should inspect every playground twice a year.", "We will inspect each playground in April and in October."),
    ]
