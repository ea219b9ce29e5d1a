"""Every list downloads as a CSV a spreadsheet opens as written: a UTF-8 byte order mark, labels a
person reads rather than codes, lists as "A; B" (never JSON), exactly the filtered rows, and each
row's page address beside its stable id, an address that opens the page."""

import csv
import io
from urllib.parse import urlsplit

import pytest

from pages.spreadsheet import LABELS
from recommendations.models import Organisation, Recommendation, Report
from recommendations.querysets import DeadlineStatus
from responses.models import Ask, Commitment, Consultation

pytestmark = pytest.mark.django_db
BOM = "\ufeff"


def _download(client, url: str) -> tuple[str, list[dict]]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith(BOM + "id,url,")  # Excel reads it as UTF-8; the stable id beside the address
    return text, list(csv.DictReader(io.StringIO(text[1:])))


def _assert_pages_open(client, rows: list[dict], expected_path_start: str):
    for address in {row["url"] for row in rows}:
        parts = urlsplit(address)
        assert parts.scheme in ("http", "https") and parts.netloc, address  # absolute (SITE_URL)
        assert parts.path.startswith(expected_path_start), address
        assert client.get(parts.path).status_code == 200, address


def _assert_labels(rows: list[dict], dataset: str):
    """Every coded column holds labels, never the codes (``no_deadline``)."""
    for field, labels in LABELS[dataset].items():
        values = {row[field] for row in rows} - {""}
        assert values <= set(labels.values()), (field, values - set(labels.values()))
        assert not values & (set(labels) - set(labels.values())), field


def test_recommendations_filtered(client, seeds):
    mopac = Organisation.objects.get(short_name="MOPAC")
    text, rows = _download(client, f"/recommendations/?addressee={mopac.slug}&format=csv")
    expected = Recommendation.objects.filter(addressees=mopac).values_list("report__slug", "number")
    assert sorted(row["id"] for row in rows) == sorted(f"{slug}/{number}" for slug, number in expected)
    assert 0 < len(rows) < Recommendation.objects.count()
    _assert_labels(rows, "recommendations")
    assert {"Overdue", "Met"} <= {row["deadline_status"] for row in rows}
    several = [row for row in rows if row["addressees"].count("; ")]
    assert several and all("[" not in row["addressees"] and '"' not in row["addressees"] for row in rows)
    assert all(mopac.name in row["addressees"].split("; ") for row in rows)
    assert any("Metropolitan Police Service" in row["addressees"].split("; ") for row in several)
    conflicted = next(row for row in rows if row["id"] == "domestic-abuse/16")
    assert conflicted["deadline_conflicts"].split("; ")[1].startswith("2020-07-31 “by July 2020”")
    assert "{" not in text  # no JSON anywhere
    _assert_pages_open(client, rows, "/recommendations/")


def test_no_deadline_reads_as_words(client, seeds):
    Recommendation.objects.filter(pk=Recommendation.objects.order_by("pk").first().pk).update(
        deadline=None, deadline_text="", deadline_precision=""
    )
    _, rows = _download(client, "/recommendations/?status=no_deadline&format=csv")
    assert rows and {row["deadline_status"] for row in rows} == {DeadlineStatus.NO_DEADLINE.label}


def test_reports(client, seeds):
    _, rows = _download(client, "/reports/?format=csv")
    assert sorted(row["id"] for row in rows) == sorted(Report.objects.values_list("slug", flat=True))
    da = next(row for row in rows if row["id"] == "domestic-abuse")
    assert int(da["recommendations"]) == Recommendation.objects.filter(report__slug="domestic-abuse").count()
    assert da["reply"]  # the reply's timeliness in words, as the page says it
    _assert_labels(rows, "reports")
    _assert_pages_open(client, rows, "/reports/")


def test_commitments_filtered(client, seeds):
    _, everything = _download(client, "/commitments/?format=csv")
    assert len(everything) == Commitment.objects.count() > 0
    owner = Organisation.objects.filter(commitments__isnull=False).order_by("name").first()
    _, rows = _download(client, f"/commitments/?owner={owner.slug}&format=csv")
    assert 0 < len(rows) == Commitment.objects.filter(owner=owner).count()
    assert {row["owner"] for row in rows} == {owner.name}
    _assert_labels(everything, "commitments")
    assert {row["status"] for row in everything} == {"Open"}
    _assert_pages_open(client, everything, "/")


def test_a_bad_commitments_filter_is_refused_with_the_reason(client, seeds):
    response = client.get("/commitments/?due=whenever&format=csv")
    assert response.status_code == 400 and "due" in response.content.decode()


def test_consultations_and_their_asks(client, seeds):
    _, rows = _download(client, "/consultations/?format=csv")
    assert sorted(row["id"] for row in rows) == sorted(Consultation.objects.values_list("slug", flat=True))
    assert sum(int(row["asks"]) for row in rows) == Ask.objects.count()
    _assert_pages_open(client, rows, "/consultations/")

    _, asks = _download(client, "/consultations/?format=csv&rows=asks")
    assert len(asks) == Ask.objects.count() > 0
    _assert_labels(asks, "asks")
    assert "Charity or voluntary organisation" in {row["respondent_kind"] for row in asks}
    _assert_pages_open(client, asks, "/consultations/")

    consultation = Consultation.objects.order_by("pk").first()
    _, own = _download(client, f"/consultations/{consultation.slug}/?format=csv")
    assert len(own) == Ask.objects.filter(submission__consultation=consultation).count() > 0
    assert {row["consultation"] for row in own} == {consultation.title}
    assert client.get("/consultations/no-such-consultation/?format=csv").status_code == 404


def test_submissions_export_lists_asks_as_words(seeds, capsys):
    from django.core.management import call_command

    call_command("export", "submissions", "--format", "csv")
    text = capsys.readouterr().out
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    refuge = next(row for row in rows if row["organisation"] == "Refuge")
    assert len(refuge["asks"].split("; ")) >= 8 and "{" not in refuge["asks"]


@pytest.mark.parametrize(
    "page, link",
    [
        ("/recommendations/?status=overdue", 'href="?status=overdue&amp;format=csv"'),
        ("/commitments/?due=overdue", 'href="?due=overdue&amp;format=csv"'),
        ("/reports/", 'href="?format=csv"'),
        ("/consultations/", 'href="?format=csv"'),
    ],
)
def test_each_list_offers_its_rows_as_csv_keeping_the_filter(client, seeds, page, link):
    html = client.get(page).content.decode()
    assert link in html
    assert "rows as CSV</a>" in html and "Download these" in html


def test_a_consultation_page_offers_its_asks(client, seeds):
    consultation = Consultation.objects.order_by("pk").first()
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert 'href="?format=csv"' in html and "as CSV</a>" in html
