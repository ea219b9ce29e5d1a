"""The synthetic dataset the benchmarks run on: deterministic for a seed, and shaped like the real
documents (reports of 5 to 25 recommendations, a third with deadlines, 70% answered, ...)."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from importer.synthetic import synthetic_dataset_generate
from pages.exports import commitment_records, recommendation_records, submission_records
from recommendations.models import Organisation, Recommendation, Report
from responses.models import Commitment, DigestSubscription, Response, Submission

pytestmark = pytest.mark.django_db

ANCHOR = datetime.date(2024, 6, 1)
N = 1500


@pytest.fixture
def dataset():
    return synthetic_dataset_generate(recommendations=N, seed=7, anchor=ANCHOR, subscribers=1000)


def _snapshot() -> tuple:
    """Everything the open-data export says (stable ids, no database ids), plus subscribers."""
    recs = list(recommendation_records(Recommendation.objects.all(), today=ANCHOR))
    commitments = list(commitment_records(Commitment.objects.all(), today=ANCHOR))
    submissions = list(submission_records(Submission.objects.all(), today=ANCHOR))
    subscribers = sorted(
        (s.user.username, s.user.email, s.subscribed, tuple(sorted(o.slug for o in s.organisations.all())))
        for s in DigestSubscription.objects.select_related("user").prefetch_related("organisations")
    )
    return recs, commitments, submissions, subscribers


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not():
    snapshots = []
    for seed in (3, 3, 4):
        with transaction.atomic():
            synthetic_dataset_generate(recommendations=300, seed=seed, anchor=ANCHOR, subscribers=20)
            snapshots.append(_snapshot())
            transaction.set_rollback(True)
    assert snapshots[0] == snapshots[1]
    assert len(snapshots[0][0]) == 300
    assert [r["text"] for r in snapshots[0][0]] != [r["text"] for r in snapshots[2][0]]


def test_reports_hold_5_to_25_recommendations_numbered_from_1(dataset):
    assert Recommendation.objects.count() == N
    sizes = Counter(Recommendation.objects.values_list("report_id", flat=True))
    assert min(sizes.values()) >= 5 and max(sizes.values()) <= 25
    assert len(set(sizes.values())) > 10  # varied, not one size
    for report in Report.objects.all()[:20]:
        assert sorted(report.recommendations.values_list("number", flat=True)) == list(range(1, sizes[report.pk] + 1))


def test_proportions_are_realistic(dataset):
    recs = Recommendation.objects.all()
    with_deadline = recs.filter(deadline__isnull=False).count() / N
    answered = recs.filter(responses__isnull=False).distinct().count() / N
    assert 0.28 < with_deadline < 0.39  # a third
    assert 0.62 < answered < 0.78  # about 70%
    # Varied addressees, mostly MOPAC, the Met and the Mayor; some addressed to two or three.
    addressees = Counter(
        Recommendation.addressees.through.objects.values_list("organisation__short_name", flat=True)
    )
    assert addressees.most_common(1)[0][0] == "MOPAC"
    assert len(addressees) >= 10
    per_rec = Counter(Recommendation.addressees.through.objects.values_list("recommendation_id", flat=True))
    assert len(per_rec) == N and max(per_rec.values()) >= 2
    assert recs.exclude(chapter="").values("chapter").distinct().count() >= 20
    # Every deadline has its words and precision, as the model requires.
    assert not recs.filter(deadline__isnull=False, deadline_precision="").exists()
    assert not recs.filter(deadline__isnull=False, deadline_text="").exists()


def test_replies_commitments_conflicts_and_submissions(dataset):
    responses = Response.objects.all()
    assert set(responses.values_list("assessment", flat=True)) >= {"accepted", "partially_accepted", "not_accepted", "noted"}
    closed = responses.filter(implementation_status__in=["implemented", "not_implemented", "superseded"])
    assert closed.exists() and not closed.filter(implementation_evidence="").exists()
    assert not responses.filter(date_received__gt=ANCHOR).exists()
    commitments = Commitment.objects.all()
    assert 0.15 < commitments.count() / responses.count() < 0.35
    assert not commitments.filter(owner__isnull=True).exists()
    assert all(c.response.letter_id == c.document_id for c in commitments.select_related("response")[:50])
    conflicted = [r for r in Recommendation.objects.filter(deadline__isnull=False).prefetch_related("appearances") if r.deadline_conflicts()]
    assert conflicted
    for rec in conflicted:
        assert rec.deadline == min(a.deadline for a in rec.appearances.all() if a.deadline)
    assert Submission.objects.count() == N // 250
    assert all(s.asks.exists() for s in Submission.objects.all())


def test_one_thousand_subscribers(dataset):
    subscriptions = DigestSubscription.objects.select_related("user")
    assert subscriptions.count() == 1000
    assert len({s.user.email for s in subscriptions}) == 1000
    assert 0.9 < subscriptions.filter(subscribed=True).count() / 1000 < 1
    assert subscriptions.filter(organisations__isnull=False).distinct().count() > 100
    assert not any(s.user.has_usable_password() for s in subscriptions[:10])


def test_adds_to_imported_bodies_rather_than_duplicating_them():
    mopac = Organisation.objects.create(name="Mayor's Office for Policing and Crime", short_name="MOPAC",
                                        slug="mayors-office-for-policing-and-crime", kind="mopac")
    synthetic_dataset_generate(recommendations=50, seed=1, anchor=ANCHOR, subscribers=5)
    assert Organisation.objects.filter(short_name="MOPAC").get() == mopac
    with pytest.raises(ValueError, match="seed 1"):
        synthetic_dataset_generate(recommendations=50, seed=1, anchor=ANCHOR, subscribers=5)


def test_command_previews_unless_told_to_commit(capsys):
    call_command("generate_synthetic", "--recommendations", "40", "--subscribers", "3")
    assert "nothing written" in capsys.readouterr().out
    assert not Recommendation.objects.exists()
    call_command("generate_synthetic", "--recommendations", "40", "--subscribers", "3", "--commit")
    assert "Generated" in capsys.readouterr().out
    assert Recommendation.objects.count() == 40
    # Ids continue after the rows written (sequences reset): the ORM can add more.
    Recommendation.objects.create(report=Report.objects.first(), number=999, text="Added afterwards.")
