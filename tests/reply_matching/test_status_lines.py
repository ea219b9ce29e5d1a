"""A recommendations page where a lone status line ("Accepted:") answers the recommendation above
it: of the paragraphs above the status line, the one that asks is the restated recommendation, not
the background paragraph next to the status. Pinned where mutation testing (bench/MUTATION.md) found
the choice between two paragraphs untested; the pages are written for these tests."""

from importer.parsing.replies import extract_replies


def _replies(text: str) -> list[tuple[int, str, str, str]]:
    return [(r.number, r.recommendation_text, r.text, r.stated_position) for r in extract_replies(text).replies]


def test_a_background_paragraph_between_the_recommendation_and_its_status_is_not_the_recommendation():
    text = """Response to the scrutiny review of winter services

1. The council should publish the grit bin locations before each winter.

Members heard from residents who could not find a bin during the January snow.

Accepted: the map will be published each October.

2. The council should inspect every playground twice a year.

Officers surveyed every playground in the borough last summer.

Accepted: inspections will start in April.
"""

    assert _replies(text) == [
        (1, "The council should publish the grit bin locations before each winter.", "Accepted: the map will be published each October.", "accepted"),
        (2, "The council should inspect every playground twice a year.", "Accepted: inspections will start in April.", "accepted"),
    ]


def test_the_paragraph_that_recommends_is_the_recommendation_not_a_later_one_with_should_in_it():
    text = """Response to the scrutiny review of winter services

1. The panel recommends that the council publish the grit bin locations before each winter.

Members felt that residents should be able to find their nearest bin.

Accepted: the map will be published each October.

2. The panel recommends that the council inspect every playground twice a year.

Members felt that parents should be told when a playground is closed.

Accepted: inspections will start in April.
"""

    assert _replies(text) == [
        (
            1,
            "The panel recommends that the council publish the grit bin locations before each winter.",
            "Accepted: the map will be published each October.",
            "accepted",
        ),
        (2, "The panel recommends that the council inspect every playground twice a year.", "Accepted: inspections will start in April.", "accepted"),
    ]
