"""What counts as a contact detail (importer/parsing/privacy.py), and what is left alone:
figures, years, dates and prose in submissions must read as they were written."""

import pytest

from importer.parsing.privacy import redact_contact_details


@pytest.mark.parametrize("written, shown", [
    ("Call +44 20 7983 4000 today.", "Call [phone removed] today."),
    ("Call +44 (0)20 7983 4000 today.", "Call [phone removed] today."),
    ("Call 0044 20 7983 4000 today.", "Call [phone removed] today."),
    ("Call 020 7983 4000 today.", "Call [phone removed] today."),
    ("Call (020) 7946 0000 today.", "Call [phone removed] today."),
    ("Call 07700 900123 or 07700-900-123.", "Call [phone removed] or [phone removed]."),
    ("Call 02079834000 or +1 212 555 0100.", "Call [phone removed] or [phone removed]."),
    ("Tel 020 7934 9999  Fax 020 7934 9991", "Tel [phone removed]  Fax [phone removed]"),
    ("Write to jane.doe@example.org or name [at] example dot org.", "Write to [email removed] or [email removed]."),
    ("Or lee(at)example(dot)com, or info@example.org.", "Or [email removed], or [email removed]."),
    ("I live at 12 Acacia Avenue, London N1 1AA.", "I live at [address removed], London [address removed]."),
    ("Flat 3, 27 Rose Court, London E8 1AB", "[address removed], London [address removed]"),
])
def test_contact_details_are_removed(written, shown):
    assert redact_contact_details(written) == shown


@pytest.mark.parametrize("prose", [
    "In 2013-2017, 1,087 survivors were helped; 20% fewer crimes; 11,500 officers.",
    "Figures of 0.5, 1.2 and 3.4 per 1,000 residents, dated 01/02/2013 and 18 February 2013.",
    "Call 999 in an emergency or 101 otherwise; we looked at London again.",
    "The Mayor of London, City Hall and Camden Town Hall, Judd Street, London.",
    "Section 106 money funds 3 more officers on Oxford Street at night.",
])
def test_figures_years_dates_and_prose_are_left_alone(prose):
    assert redact_contact_details(prose) == prose


def test_a_number_wrapped_over_two_lines_keeps_both_lines():
    assert redact_contact_details("call 020 7974\n5707 now\nthen") == "call [phone removed]\n now\nthen"
