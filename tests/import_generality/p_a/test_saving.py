"""The general families saved: a report with its recommendations (addressees as the text names
them, through the aliases editors keep; relative and vague deadlines), a reply with its respondent
as data and its own stated position kept apart from the officer's assessment."""

import pytest
from django.core.exceptions import ValidationError

from importer import services
from importer.services import ImportProblem, ParseError, document_import
from recommendations.models import Document, Organisation, OrganisationAlias, Recommendation, Report
from responses.models import Assessment, Response

from .documents import GOVERNMENT_RESPONSE, MISNUMBERED_RESPONSE, NOTHING_ASKED, PAGE_WITH_AN_ALIAS, REPORT_PAGE

pytestmark = pytest.mark.django_db


def _import(text: str, name: str, **kwargs):
    return document_import(data=text.encode(), source_name=name, commit=True, **kwargs)


def _addressees(number: int) -> list[str]:
    return sorted(Recommendation.objects.get(number=number).addressees.values_list("name", flat=True))


def test_a_report_page_is_saved_with_each_recommendation_its_addressees_and_deadlines():
    result = _import(REPORT_PAGE, "riverside.txt")
    report = Report.objects.get()
    assert result.kind == "recommendations_document" and report.title.startswith("Keeping Riverside Safe")
    assert report.committee.name == "Fire Safety Committee" and str(report.published) == "2024-03-04"
    assert _addressees(1) == ["London Fire Brigade"]  # "the brigade", through a seeded alias
    assert _addressees(2) == ["Ministry of Housing"]  # named as written, a new organisation
    assert _addressees(3) == ["Mayor of London"]
    first, second, third = Recommendation.objects.order_by("number")
    assert str(first.deadline) == "2024-09-30"
    # "within six months" of publication, dated with its working
    assert str(second.deadline) == "2024-09-04" and "after publication of 4 March 2024" in second.deadline_text
    assert third.deadline is None and third.deadline_text == "annually"  # vague: words, no date


def test_an_alias_an_editor_adds_is_used_by_the_next_import():
    OrganisationAlias.objects.create(alias="the Night Office", stands_for="Night-Time Economy Office")
    _import(PAGE_WITH_AN_ALIAS, "quiet.txt")
    assert _addressees(1) == ["Night-Time Economy Office"]


def test_a_government_response_is_saved_with_its_respondent_and_stated_positions():
    _import(REPORT_PAGE, "riverside.txt")
    result = _import(GOVERNMENT_RESPONSE, "response.txt", report_slug=Report.objects.get().slug)
    reply_document = Document.objects.get(kind="reply_document")
    assert reply_document.author_organisation.name == "HM Government"  # not assumed to be the Mayor
    assert "HM Government" in result.title and "Mayor" not in result.title
    positions = {response.recommendation.number: (response.stated_position, response.assessment) for response in Response.objects.all()}
    assert positions == {1: ("accepted", Assessment.NOT_ASSESSED), 2: ("not_accepted", Assessment.NOT_ASSESSED)}
    assert Response.objects.get(recommendation__number=2).stated_position_text.startswith("The Government does not accept")
    assert _addressees(1) == ["London Fire Brigade"]  # the restatement did not wipe the report's addressees


def test_a_reply_whose_number_and_words_disagree_is_named_with_the_recommendation_its_words_match():
    _import(REPORT_PAGE, "riverside.txt")
    result = document_import(data=MISNUMBERED_RESPONSE.encode(), source_name="odd.txt", report_slug=Report.objects.get().slug)
    assert any("Reply 2" in warning and "match recommendation 3" in warning for warning in result.warnings)
    assert not Response.objects.exists()  # a preview


def test_a_document_with_nothing_asked_is_refused_and_nothing_is_written():
    with pytest.raises(ParseError, match="Looked for"):
        _import(NOTHING_ASKED, "summary.txt")
    assert not Document.objects.exists() and not Report.objects.exists()


def test_a_failure_the_importer_did_not_foresee_is_a_clear_message_and_writes_nothing(monkeypatch):
    def breaks(*args, **kwargs):
        raise ValidationError({"title": "Ensure this value has at most 500 characters."})

    monkeypatch.setattr(services, "_upsert_recommendations", breaks)
    with pytest.raises(ImportProblem, match="could not be saved .*at most 500 characters.*Nothing was written"):
        _import(REPORT_PAGE, "riverside.txt")
    assert not Report.objects.exists() and not Organisation.objects.filter(name="Fire Safety Committee").exists()


def test_the_recommendation_page_shows_the_replys_own_position_apart_from_the_assessment(client):
    _import(REPORT_PAGE, "riverside.txt")
    _import(GOVERNMENT_RESPONSE, "response.txt", report_slug=Report.objects.get().slug)
    page = client.get(Recommendation.objects.get(number=2).get_absolute_url()).content.decode()
    assert "The reply itself says: <strong>Not accepted</strong>" in page
    assert "The Government does not accept this recommendation." in page and "Not yet assessed" in page


def test_an_editor_imports_a_new_layout_on_the_import_page(client, django_user_model):
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.manage_import.test_import_pages import _preview_form

    editor = django_user_model.objects.create_user("edna", "edna@example.org", "a long enough password 42")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    upload = SimpleUploadedFile("riverside.txt", REPORT_PAGE.encode())
    uploaded = client.post("/manage/import/", {"file": upload, "kind": "auto", "report": ""})
    assert uploaded.status_code == 302
    preview = client.get(uploaded["Location"])
    assert preview.status_code == 200 and "The brigade should publish a plan" in preview.content.decode()
    done = client.post(uploaded["Location"], {**_preview_form(preview.content.decode()), "confirm": "1"})
    assert done.status_code == 302 and Recommendation.objects.count() == 3
