"""Issue 16: the list's rows and filter form are written in Python (recommendations/templatetags/
list_rows.py) instead of a template loop and an include per field. What a reader sees is the same:
escaped text, the snippet cut at 30 words, who it is addressed to, the deadline and the reply, and
the filter fields exactly as ``includes/field.html`` (still used by the commitments list) draws them.
"""

import datetime

import pytest
from django.http import QueryDict
from django.template import engines
from django.utils.text import Truncator

from pages.filters import RecommendationFilter
from pages.templatetags.list_rows import _snippet, filter_fields
from recommendations.models import Recommendation
from responses.models import Assessment, ImplementationStatus
from tests.factories import OrganisationFactory, RecommendationFactory, ReportFactory, ResponseFactory
from tracker.clock import today as london_today

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["", "q=%3Cscript%3E%22x", "due_within=abc", "status=answered&year=1700", "addressee=nobody&sort=zzz", "report=nope"])
def test_filter_fields_are_the_field_include_markup(query):
    RecommendationFactory(chapter='Chapter <1> & "more"', report=ReportFactory(title="Knife crime & <youth>"))
    Recommendation.objects.get().addressees.add(OrganisationFactory(name="Mayor's Office", short_name="MOPAC"))
    filterset = RecommendationFilter(QueryDict(query), queryset=Recommendation.objects.all(), today=london_today())
    filterset.is_valid()
    include = engines["django"].from_string('{% for field in filter.form %}{% include "includes/field.html" %}{% endfor %}')
    assert filter_fields(filterset.form) == include.render({"filter": filterset})


@pytest.mark.parametrize(
    "text",
    ["", "One sentence.", " ".join(["word"] * 30), " ".join(["word"] * 31), "a\n\nb\tc  d", " ".join(["w"] * 29 + ["ends …"]), " ".join(["w"] * 40 + ["…"])],
)
def test_a_rows_snippet_has_the_words_django_s_truncator_gives(text):
    assert _snippet(text) == Truncator(text).words(30, truncate=" …")


def test_rows_show_escaped_text_addressees_deadline_and_reply(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    today = london_today()
    words = " ".join(f"word{n}" for n in range(40))
    report = ReportFactory(title='Knife crime & <b>"youth"</b>')
    answered = RecommendationFactory(report=report, number=1, short_text=words, chapter="Policing", deadline=today - datetime.timedelta(days=30))
    answered.addressees.add(OrganisationFactory(name="Mayor's Office for Policing and Crime", short_name="MOPAC"), OrganisationFactory(short_name="LFB"))
    ResponseFactory(
        recommendation=answered,
        date_received=today - datetime.timedelta(days=40),
        assessment=Assessment.ACCEPTED,
        implementation_status=ImplementationStatus.IN_PROGRESS,
    )
    RecommendationFactory(report=report, number=2, text="<script>alert(1)</script>")

    page = client.get("/recommendations/").content.decode()

    assert f'href="/recommendations/{answered.pk}/">Knife crime &amp; &lt;b&gt;&quot;youth&quot;&lt;/b&gt;, recommendation 1</a>' in page
    assert " ".join(f"word{n}" for n in range(30)) + " …</p>" in page and "word30" not in page
    assert "To MOPAC, LFB · Policing</p>" in page
    assert "To no one named</p>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert (today - datetime.timedelta(days=30)).strftime("%-d %B %Y") + "<br>replied " in page
    assert ">Accepted</strong>" in page and ">In progress</strong>" in page
    assert "No reply yet" in page


def test_kept_option_markup_follows_each_pages_choice_and_safety():
    """The options' markup is kept between pages (the same choices come back on every page): each
    page still shows its own selection, and a label already marked safe is not confused with the
    same text given as plain (which must be escaped)."""
    from django import forms
    from django.utils.safestring import mark_safe

    from pages.templatetags.tracker import option_tags

    def drawn(choices, value):
        form = type("F", (forms.Form,), {"pick": forms.ChoiceField(choices=choices)})({"pick": value})
        return option_tags(form["pick"])

    plain = [("a", "<b>A</b>"), ("b", "B & C")]
    assert drawn(plain, "a") == '<option value="a" selected>&lt;b&gt;A&lt;/b&gt;</option><option value="b">B &amp; C</option>'
    assert drawn(plain, "b") == '<option value="a">&lt;b&gt;A&lt;/b&gt;</option><option value="b" selected>B &amp; C</option>'
    assert drawn([("a", mark_safe("<b>A</b>")), ("b", "B & C")], "a").startswith('<option value="a" selected><b>A</b></option>')
    assert drawn(plain, "a").startswith('<option value="a" selected>&lt;b&gt;')


def test_the_header_and_footer_links_are_the_reversed_addresses(client, settings):
    """The header's and footer's links (``site_url``, reversed once per process) are the pages'
    addresses, also under a script prefix (a deployment below a path)."""
    from django.urls import reverse, set_script_prefix

    settings.PAGE_CACHE_SECONDS = 0
    page = client.get("/recommendations/").content.decode()
    for name in ("dashboard", "recommendation-list", "report-list", "search", "changes", "changes-feed", "calendar", "subscribe"):
        assert f'href="{reverse(name)}"' in page or f'action="{reverse(name)}"' in page, name
    set_script_prefix("/scrutiny/")  # as the WSGI handler sets it from SCRIPT_NAME
    try:
        prefixed = client.get("/recommendations/").content.decode()
    finally:
        set_script_prefix("/")
    assert 'href="/scrutiny/reports/"' in prefixed and 'href="/reports/"' not in prefixed


@pytest.mark.parametrize("prefix", ["/", "/scrutiny/"])
def test_a_records_address_is_the_reversed_address(prefix):
    """``get_absolute_url`` (``tracker.links``, reversed once per process) gives what ``reverse``
    gives, under a script prefix too; an argument a path cannot take as it is goes to ``reverse``."""
    from django.urls import NoReverseMatch, reverse, set_script_prefix

    from tracker import links

    report = ReportFactory(slug="knife-crime_2024")
    rec = RecommendationFactory(report=report)
    set_script_prefix(prefix)
    try:
        assert report.get_absolute_url() == reverse("report-detail", args=[report.slug]) == f"{prefix}reports/knife-crime_2024/"
        assert rec.get_absolute_url() == reverse("recommendation-detail", args=[rec.pk]) == f"{prefix}recommendations/{rec.pk}/"
        with pytest.raises(NoReverseMatch):  # as reverse refuses it, not a path with a space in it
            links.path("report-detail", "knife crime")
    finally:
        set_script_prefix("/")
