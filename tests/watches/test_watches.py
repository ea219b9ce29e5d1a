"""Watching one recommendation or report: confirmed by an emailed link, then one email per change,
each change emailed once, through a real SMTP server."""

import pytest
from django.urls import reverse

from alerts.models import Watch, WatchNotification
from alerts.tasks import notify_watchers
from responses.models import Assessment, ImplementationStatus
from responses.services import response_assess
from tests.factories import RecommendationFactory, ResponseFactory

from .conftest import link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply(db):
    rec = RecommendationFactory(report__title="Policing the night-time economy", number=4)
    return ResponseFactory(recommendation=rec, text="MOPAC will review licensing.\nIt will report in spring.")


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(username="ed", password="x" * 16, email="ed@example.org")


def _assess(reply, editor, assessment=Assessment.ACCEPTED, status=ImplementationStatus.IN_PROGRESS):
    response_assess(
        response=reply, assessment=assessment, rationale="It agrees.", implementation_status=status, evidence="Published in the annual report.", user=editor
    )


def _watch_by_email(client, smtp, rec, address="wat@example.org"):
    answer = client.post(reverse("watch-recommendation", args=[rec.pk]), {"email": address})
    assert answer.status_code == 200 and "Check your email" in answer.content.decode()
    assert not Watch.objects.exists()
    confirm = link_in(smtp.to(address)[-1], "/watch/confirm/")
    assert client.post(confirm).status_code == 200
    return Watch.objects.get(email=address)


def test_the_recommendation_and_report_pages_offer_to_watch(client, reply):
    rec = reply.recommendation
    assert reverse("watch-recommendation", args=[rec.pk]) in client.get(rec.get_absolute_url()).content.decode()
    assert reverse("watch-report", args=[rec.report.slug]) in client.get(rec.report.get_absolute_url()).content.decode()


def test_a_watcher_is_emailed_each_status_change_once_and_nothing_from_before(client, smtp, reply, editor, django_capture_on_commit_callbacks):
    watch = _watch_by_email(client, smtp, reply.recommendation)
    smtp.received.clear()
    assert WatchNotification.objects.filter(watch=watch, status="baseline").exists()  # the reply that came before

    with django_capture_on_commit_callbacks(execute=True):
        _assess(reply, editor)
    [message] = smtp.to("wat@example.org")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Status changed" in body and "Accepted" in body and "In progress" in body
    assert "MOPAC will review licensing" not in body  # the reply was there before the watch began

    notify_watchers(recommendation_ids=[reply.recommendation_id])  # run again: nothing new
    assert len(smtp.to("wat@example.org")) == 1

    stop = link_in(message, "/watch/stop/")
    assert client.post(stop).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        _assess(reply, editor, status=ImplementationStatus.IMPLEMENTED)
    assert len(smtp.to("wat@example.org")) == 1


def test_a_report_watcher_hears_of_a_new_reply_to_any_of_its_recommendations(client, smtp, editor, django_capture_on_commit_callbacks):
    rec = RecommendationFactory(report__title="Stop and search")
    client.post(reverse("watch-report", args=[rec.report.slug]), {"email": "rep@example.org"})
    client.post(link_in(smtp.to("rep@example.org")[0], "/watch/confirm/"))
    smtp.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ResponseFactory(recommendation=rec, text="The Met accepts this recommendation.")
    [message] = smtp.to("rep@example.org")
    assert "Reply received" in message["Subject"] + message.get_body(preferencelist=("plain",)).get_content()
    assert "The Met accepts this recommendation." in message.get_body(preferencelist=("plain",)).get_content()


def test_a_failed_send_is_retried_and_then_sent_once(client, smtp, reply, editor, django_capture_on_commit_callbacks):
    watch = _watch_by_email(client, smtp, reply.recommendation)
    smtp.received.clear()
    smtp.refuse_next = 1  # the server refuses the first attempt; the task retries
    with django_capture_on_commit_callbacks(execute=True):
        _assess(reply, editor)
    assert smtp.refused == 1
    notify_watchers(recommendation_ids=[reply.recommendation_id])
    assert len(smtp.to("wat@example.org")) == 1
    assert watch.notifications.filter(status="sent").count() == 1


def test_a_signed_in_user_watches_with_their_own_address_at_once(client, smtp, reply, editor):
    client.force_login(editor)
    page = client.get(reverse("watch-recommendation", args=[reply.recommendation_id])).content.decode()
    assert 'value="ed@example.org"' in page
    client.post(reverse("watch-recommendation", args=[reply.recommendation_id]), {"email": "ed@example.org"})
    assert Watch.objects.filter(email="ed@example.org", recommendation=reply.recommendation).exists()
    assert not smtp.received


@pytest.mark.parametrize("name", ["watch-confirm", "watch-stop", "subscribe-confirm"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_damaged_link_is_a_400_with_what_to_do(client, name, method):
    answer = getattr(client, method)(reverse(name, args=["abc:def"]))
    assert answer.status_code == 400 and "This link does not work" in answer.content.decode()


def test_a_bad_address_or_an_unknown_recommendation(client, smtp, reply):
    assert client.post(reverse("watch-recommendation", args=[reply.recommendation_id]), {"email": "nope"}).status_code == 400
    assert client.get(reverse("watch-recommendation", args=[10**6])).status_code == 404
    assert not smtp.received
