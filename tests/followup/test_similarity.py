"""The same ask across documents, on the seed data: Solace's asks beside the VAWG recommendations."""

from __future__ import annotations

import pytest

from followup.models import SimilarityLink
from recommendations.models import Recommendation
from responses.models import Ask

pytestmark = pytest.mark.django_db

CLOSEST = 5  # "among the closest": in the first five suggestions


def _vawg(number):
    return Recommendation.objects.get(report__slug="violence-against-women-and-girls", number=number)


def _ranked_asks(client, number):
    rec = _vawg(number)
    page = client.get(f"/similar/recommendation/{rec.pk}/")
    assert page.status_code == 200
    return [(row.kind, row.text) for row in page.context["rows"]]


def test_solaces_ask_for_led_by_and_for_services_is_among_the_closest_to_vawg_recommendation_10(client, seeded):
    rows = _ranked_asks(client, 10)[:CLOSEST]
    assert any(kind == "ask" and text.startswith("Commission community-based services from specialist and ‘led by and for’") for kind, text in rows)


def test_solaces_ask_about_immigration_status_is_among_the_closest_to_vawg_recommendation_11(client, seeded):
    rows = _ranked_asks(client, 11)[:CLOSEST]
    assert any(kind == "ask" and "immigration status" in text for kind, text in rows)


def test_an_ask_shows_the_recommendations_like_it(client, seeded):
    ask = Ask.objects.get(text__startswith="Commission community-based services from specialist")
    rows = client.get(f"/similar/ask/{ask.pk}/").context["rows"]
    assert ("recommendation", _vawg(10).pk) in [(row.kind, row.id) for row in rows[:CLOSEST]]


def test_an_editor_confirms_a_link_which_comes_first_and_is_exported(client_for, seeded):
    rec = _vawg(11)
    ask = Ask.objects.get(text__contains="immigration status")
    editor = client_for("editor")
    answer = editor.post(f"/similar/recommendation/{rec.pk}/", {"other_kind": "ask", "other_id": ask.pk, "verdict": "confirmed", "score": "0.08"})
    assert answer.status_code == 302
    rows = editor.get(f"/similar/recommendation/{rec.pk}/").context["rows"]
    assert (rows[0].kind, rows[0].id, rows[0].verdict) == ("ask", ask.pk, "confirmed")
    # The same link seen from the ask's side.
    assert editor.get(f"/similar/ask/{ask.pk}/").context["rows"][0].id == rec.pk
    exported = editor.get("/api/links/").json()["results"]
    assert exported == [{**exported[0], "a_kind": "ask", "a_id": ask.pk, "b_kind": "recommendation", "b_id": rec.pk}]
    assert f"ask,{ask.pk},recommendation,{rec.pk}" in b"".join(editor.get("/api/links/?format=csv").streaming_content).decode()
    # Undo: withdrawing the verdict leaves a plain suggestion again.
    editor.post(f"/similar/recommendation/{rec.pk}/", {"other_kind": "ask", "other_id": ask.pk, "verdict": ""})
    assert not SimilarityLink.objects.exists()


def test_a_rejected_link_is_no_longer_suggested(client_for, seeded):
    rec = _vawg(10)
    editor = client_for("editor")
    first = editor.get(f"/similar/recommendation/{rec.pk}/").context["rows"][0]
    editor.post(f"/similar/recommendation/{rec.pk}/", {"other_kind": first.kind, "other_id": first.id, "verdict": "rejected"})
    rows = editor.get(f"/similar/recommendation/{rec.pk}/").context["rows"]
    assert (first.kind, first.id) not in [(row.kind, row.id) for row in rows]


def test_only_editors_judge_links(client_for, seeded):
    rec = _vawg(10)
    data = {"other_kind": "ask", "other_id": Ask.objects.first().pk, "verdict": "confirmed"}
    assert client_for("officer").post(f"/similar/recommendation/{rec.pk}/", data).status_code == 403
    assert client_for("anonymous").post(f"/similar/recommendation/{rec.pk}/", data).status_code == 302
    assert not SimilarityLink.objects.exists()


def test_an_unknown_item_is_not_found(client, seeded):
    assert client.get("/similar/recommendation/999999/").status_code == 404
    assert client.get("/similar/nonsense/1/").status_code == 404


def test_an_item_older_than_the_compared_newest_still_has_its_page(client, seeded, settings):
    """The page compares an item with the newest ``SIMILARITY_MAX_ITEMS`` of each kind; an older
    item (every recommendation page links to its "items like this") still gets its page and its
    suggestions rather than "not found"."""
    settings.SIMILARITY_MAX_ITEMS = 5
    oldest = Recommendation.objects.order_by("pk").first()
    assert oldest.pk not in Recommendation.objects.order_by("-pk").values_list("pk", flat=True)[:5]

    page = client.get(f"/similar/recommendation/{oldest.pk}/")

    assert page.status_code == 200
    assert page.context["target"].id == oldest.pk and oldest.text[:40] in page.content.decode()
    assert page.context["rows"] and all((row.kind, row.id) != ("recommendation", oldest.pk) for row in page.context["rows"])
