"""A recommendation beside the Mayor's reply, report pages with the reply's timeliness, the
dashboard's counts and links, documents with line anchors, commitments and consultations."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from recommendations.dates import DatePrecision
from recommendations.models import Document
from tests.factories import (
    AppearanceFactory,
    AskFactory,
    CommitmentFactory,
    DocumentFactory,
    OrganisationFactory,
    RecommendationFactory,
    ReportFactory,
    ResponseFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def _text(html: str) -> str:
    """Visible words, tags dropped and whitespace folded, as a reader meets them."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def conflicting(today):
    """Domestic abuse recommendation 16: May 2020 in the summary, July 2020 in chapter 4."""
    report = ReportFactory(slug="domestic-abuse", title="Domestic abuse", published=D(2020, 2, 12))
    mopac = OrganisationFactory(name="Mayor's Office for Policing and Crime", short_name="MOPAC", slug="mopac")
    rec = RecommendationFactory(
        report=report, number=16, text="MOPAC should report back by May 2020 on the pilot.",
        deadline=D(2020, 5, 31), deadline_text="by May 2020", deadline_precision=DatePrecision.MONTH,
    )
    rec.addressees.add(mopac)
    report_doc = DocumentFactory(kind=Document.Kind.COMMITTEE_REPORT, title="Domestic abuse (report)",
                                 text="\n".join(f"line {n}" for n in range(1, 400)))
    AppearanceFactory(recommendation=rec, document=report_doc, section="summary", line=40,
                      deadline=D(2020, 5, 31), deadline_text="by May 2020", deadline_precision="month")
    AppearanceFactory(recommendation=rec, document=report_doc, section="chapter", line=310,
                      deadline=D(2020, 7, 31), deadline_text="by July 2020", deadline_precision="month")
    return rec


class TestRecommendationDetail:
    def test_recommendation_and_reply_side_by_side_with_status(self, client, today):
        rec = RecommendationFactory(text="MOPAC must improve VAWG data.", deadline=D(2022, 10, 31),
                                    deadline_text="by October 2022", deadline_precision="month")
        letter = DocumentFactory(title="Mayor's response (MGLA230322-7616)")
        ResponseFactory(recommendation=rec, letter=letter, line=32, text="MOPAC accepts this.",
                        date_received=D(2022, 8, 18), assessment="partially_accepted")
        html = client.get(rec.get_absolute_url()).content.decode()
        recommended = html.index("The committee recommended")
        replied = html.index("The Mayor replied")
        assert recommended < html.index("MOPAC must improve VAWG data.") < replied < html.index("MOPAC accepts this.")
        assert "govuk-grid-column-one-half" in html  # side by side from tablet width, stacked on phones
        text = _text(html)
        assert "Met" in text and "replied 2 months 1 week before the deadline" in text
        assert "Partially accepted" in text
        assert f'href="{letter.get_absolute_url()}#line-32"' in html

    def test_unanswered_shows_days_overdue_and_no_reply(self, client, conflicting):
        text = _text(client.get(conflicting.get_absolute_url()).content.decode())
        assert "Overdue 2 years 3 months overdue" in text
        assert "No reply yet." in text

    def test_copies_that_disagree_on_the_deadline_are_a_visible_warning(self, client, conflicting):
        html = client.get(conflicting.get_absolute_url()).content.decode()
        warning = _text(html[html.index('id="deadline-conflict"'):html.index('id="status"')])
        assert "disagree on the deadline" in warning
        assert "31 May 2020 (“by May 2020”)" in warning and "31 July 2020 (“by July 2020”)" in warning
        assert "summary list, line 40" in warning and "chapter, line 310" in warning

    def test_timeline_explains_the_response_due_date(self, client, conflicting):
        html = client.get(conflicting.get_absolute_url()).content.decode()
        timeline = _text(html[html.index('id="timeline"'):])
        order = ["12 February 2020 Report published", "12 April 2020 Mayor's reply to the report due",
                 "31 May 2020 Deadline: “by May 2020”", "31 July 2020 Deadline: “by July 2020”", "1 September 2022 Today"]
        positions = [timeline.index(item) for item in order]
        assert positions == sorted(positions)
        assert "2 calendar months after publication on 12 February 2020" in timeline

    def test_commitments_arising_from_the_reply(self, client, today):
        commitment = CommitmentFactory(text="The review will be published later this year.")
        html = _text(client.get(commitment.response.recommendation.get_absolute_url()).content.decode())
        assert "The review will be published later this year." in html
        assert "31 December 2022 (“later this year”)" in html and "3 months 4 weeks left" in html

    def test_links_to_each_place_in_the_sources(self, client, conflicting):
        html = client.get(conflicting.get_absolute_url()).content.decode()
        sources = html[html.index('id="sources"'):]
        document = conflicting.appearances.first().document
        assert f"{document.get_absolute_url()}#line-40" in sources and f"{document.get_absolute_url()}#line-310" in sources

    def test_unknown_ids_are_404(self, client, today):
        assert client.get("/recommendations/999999/").status_code == 404
        assert client.get("/recommendations/abc/").status_code == 404


class TestReports:
    def test_received_days_after_publication(self, client, today):
        report = ReportFactory(slug="vawg", title="VAWG", published=D(2022, 3, 22))
        rec = RecommendationFactory(report=report, number=1)
        ResponseFactory(recommendation=rec, date_received=D(2022, 8, 17))
        RecommendationFactory(report=report, number=2)
        text = _text(client.get(report.get_absolute_url()).content.decode())
        assert "Reply received 4 months 3 weeks after publication, 2 months 3 weeks after it was due." in text
        assert "1 of 2 recommendations answered" in text
        assert "No reply yet" in text

    def test_awaiting_a_reply_days_overdue(self, client, today):
        report = ReportFactory(slug="late", published=D(2022, 5, 29))  # due 29 July, 34 days before 1 September
        RecommendationFactory(report=report)
        assert "Awaiting a reply, 1 month overdue." in _text(client.get(report.get_absolute_url()).content.decode())
        assert "Awaiting a reply, 1 month overdue." in _text(client.get(reverse("report-list")).content.decode())

    def test_awaiting_not_yet_due_and_override_explained(self, client, today):
        report = ReportFactory(slug="recent", published=D(2022, 8, 1), response_due_override=D(2022, 12, 1),
                               response_due_override_reason="The committee agreed an extension")
        text = _text(client.get(report.get_absolute_url()).content.decode())
        assert "Awaiting a reply, due in 3 months." in text
        assert "Set by an editor to 1 December 2022: The committee agreed an extension" in text

    def test_unknown_report_is_404(self, client, today):
        assert client.get("/reports/no-such-report/").status_code == 404


class TestDashboard:
    def test_counts_link_to_lists_showing_the_same_number(self, client, conflicting):
        RecommendationFactory(deadline=D(2022, 9, 10), deadline_text="by 10 September 2022", deadline_precision="day")
        ResponseFactory(date_received=D(2022, 8, 1))
        html = client.get("/").content.decode()
        links = dict(re.findall(r'href="(/recommendations/\?[^"]+)"><span class="tracker-count__number">(\d+)</span>', html))
        assert set(links) == {"/recommendations/?status=overdue", "/recommendations/?status=due_soon",
                              "/recommendations/?response=awaiting", "/recommendations/?response=answered"}
        for url, count in links.items():
            assert client.get(url).context["paginator"].count == int(count), url
        assert links["/recommendations/?status=overdue"] == "1"

    def test_most_overdue_addressees_and_reports(self, client, conflicting):
        html = client.get("/").content.decode()
        assert f'href="{conflicting.get_absolute_url()}"' in html
        assert 'href="/recommendations/?addressee=mopac&amp;status=overdue"' in html
        assert 'href="/recommendations/?report=domestic-abuse"' in html

    def test_timeliness_chart_is_drawn_server_side(self, client, today):
        replied = ReportFactory(title="Replied report", published=D(2022, 3, 22))
        ResponseFactory(recommendation=RecommendationFactory(report=replied), date_received=D(2022, 8, 17))
        waiting = ReportFactory(title="Waiting report", published=D(2022, 5, 29))
        RecommendationFactory(report=waiting)
        html = client.get("/").content.decode()
        chart = html[html.index("<svg role=\"img\""):html.index("</svg>")]
        assert chart.count("<rect") == 2 and chart.count("tracker-chart__due") == 2
        assert "4 months 3 weeks" in chart and "3 months+" in chart
        assert "<title id=\"chart-title\">" in chart


class TestDocuments:
    def test_every_line_is_an_anchor_and_recommendations_and_replies_are_marked(self, client, today):
        letter = DocumentFactory(text="Dear Chair,\nRecommendation 3\nWe accept it.\nYours")
        rec = RecommendationFactory(number=3)
        ResponseFactory(recommendation=rec, letter=letter, line=3)
        AppearanceFactory(recommendation=rec, document=letter, section="letter", line=2)
        html = client.get(letter.get_absolute_url()).content.decode()
        assert all(f'id="line-{n}"' in html for n in range(1, 5))
        assert 'id="recommendation-3"' in html and 'id="reply-3"' in html
        assert html.index('id="recommendation-3"') < html.index('id="line-3"') < html.index('id="reply-3"')
        assert f'href="{rec.get_absolute_url()}"' in html

    def test_consultation_text_says_contact_details_were_removed(self, client, today):
        # removed at import (tests/privacy/ imports documents full of them and scans every output)
        document = DocumentFactory(kind=Document.Kind.CONSULTATION_COMPILATION,
                                   text="From: Pat Example <[email removed]>\nTel: [phone removed]\nPlease act.")
        html = _text(client.get(document.get_absolute_url()).content.decode())
        assert "Email addresses, phone numbers and postal addresses were removed" in html
        assert "Tel: [phone removed]" in html and "Please act." in html
        letter = DocumentFactory(text="Dear Chair,\nWe accept it.")
        assert "were removed" not in _text(client.get(letter.get_absolute_url()).content.decode())

    def test_unknown_document_is_404(self, client, today):
        assert client.get("/documents/999999/").status_code == 404


class TestCommitments:
    def test_filter_by_due_status_and_owner(self, client, today):
        mopac = OrganisationFactory(short_name="MOPAC", slug="mopac")
        overdue = CommitmentFactory(owner=mopac, text="Publish the audit.", due_date=D(2022, 6, 30), due_text="by June 2022", due_precision="month")
        later = CommitmentFactory(text="Review the pilot.", due_date=D(2023, 3, 31), due_text="this financial year (2022-23)", due_precision="financial_year")
        done = CommitmentFactory(text="Done already.", due_date=D(2022, 1, 31), status="done")
        page = client.get("/commitments/?due=overdue")
        assert [c.pk for c in page.context["object_list"]] == [overdue.pk]
        assert "2 months overdue" in _text(page.content.decode())
        assert [c.pk for c in client.get("/commitments/?due=closed").context["object_list"]] == [done.pk]
        assert [c.pk for c in client.get("/commitments/?owner=mopac").context["object_list"]] == [overdue.pk]
        assert [c.pk for c in client.get("/commitments/").context["object_list"]] == [done.pk, overdue.pk, later.pk]
        bad = client.get("/commitments/?due=whenever")
        assert bad.status_code == 400 and "There is a problem with the filter" in bad.content.decode()


class TestConsultations:
    def test_submissions_with_asks(self, client, today):
        # contact details never get this far: tests/privacy/ checks the import removes them
        charity = OrganisationFactory(name="Refuge", short_name="", slug="refuge", kind="charity")
        person = SubmissionFactory(respondent="Pat Example", label="Pat Example",
                                   text="Email me at [email removed] or call [phone removed].", subject="Views")
        AskFactory(submission=person, text="Call me on [phone removed] about more PCSOs.")
        SubmissionFactory(consultation=person.consultation, respondent="", organisation=charity, respondent_kind="charity",
                          label="Refuge", date=D(2013, 2, 21))
        html = client.get(person.consultation.get_absolute_url()).content.decode()
        text = _text(html)
        assert "Pat Example" in text and "Refuge" in text and "21 February 2013" in text
        assert "about more PCSOs" in text
        listing = _text(client.get("/consultations/").content.decode())
        assert person.consultation.title in listing

    def test_unknown_consultation_is_404(self, client, today):
        assert client.get("/consultations/nothing-here/").status_code == 404
