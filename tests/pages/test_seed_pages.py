"""The pages on the real seed documents, imported as `make run` loads them: the domestic abuse
report's recommendation 16 with its conflicting deadlines, the VAWG reply beside its
recommendation, and the consultation without anyone's email address, phone number or postcode."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.core.management import call_command

from recommendations.models import Recommendation
from responses.models import Consultation, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(today):
    call_command("import_sources", "--commit", verbosity=0)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_recommendation_16_warns_that_its_copies_disagree(client, seeded):
    rec = Recommendation.objects.get(report__slug="domestic-abuse", number=16)
    text = _text(client.get(rec.get_absolute_url()).content.decode())
    assert "Copies of this recommendation disagree on the deadline" in text
    assert "31 May 2020" in text and "31 July 2020" in text


def test_vawg_reply_beside_its_recommendation(client, seeded):
    rec = Recommendation.objects.get(report__slug="violence-against-women-and-girls", number=1)
    html = client.get(rec.get_absolute_url()).content.decode()
    reply = rec.responses.get()
    assert html.index("The committee recommended") < html.index("The Mayor replied") < html.index(reply.text[:40].replace("'", "&#x27;"))
    assert f"#line-{reply.line}" in html


def test_no_email_address_phone_number_or_postcode_of_the_consultation_is_shown(client, seeded):
    compilation = Submission.objects.filter(organisation__isnull=True).first().document
    source = (settings.BASE_DIR / "fixtures" / "sources" / compilation.source_file).read_text()
    assert "sarah.hayward@camden.gov.uk" in source and "020 7934 9999" in source, "the seed has details to hide"
    consultation = Consultation.objects.filter(submissions__document=compilation).distinct().get()
    pages = {url: client.get(url).content.decode() for url in
             [consultation.get_absolute_url(), compilation.get_absolute_url(), "/api/submissions/"]}
    for url, body in pages.items():
        assert "sarah.hayward@camden.gov.uk" not in body and "info@londoncouncils.gov.uk" not in body, url
        assert "020 7934 9999" not in body and "020 7974 5707" not in body and "WC1H 9JE" not in body, url
    assert "Tel [phone removed]" in pages[compilation.get_absolute_url()]


def test_every_page_answers(client, seeded):
    for url in ["/", "/recommendations/", "/reports/", "/documents/", "/commitments/", "/consultations/",
                "/reports/domestic-abuse/", "/calendar.ics", "/api/recommendations/"]:
        assert client.get(url).status_code == 200, url
