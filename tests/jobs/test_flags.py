"""The daily overdue flags: raised once, resolved with when and why, at the day boundaries."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from recommendations.dates import DatePrecision
from responses.models import Commitment, OverdueFlag
from responses.services import flags_refresh
from tests.factories import CommitmentFactory, RecommendationFactory, ReportFactory, ResponseFactory

TRUTH = json.loads((Path(__file__).resolve().parents[1] / "truth_seeds.json").read_text())
D = datetime.date

pytestmark = pytest.mark.django_db


def _by_may_2020(**kwargs):
    return RecommendationFactory(deadline=D(2020, 5, 31), deadline_text="by May 2020", deadline_precision=DatePrecision.MONTH, **kwargs)


def test_seed_data_on_22_november_2026_flags_the_known_overdue_deadlines_and_commitments(seed_data):
    expected = TRUTH["flags_on_2026_11_22_at_least"]
    result = flags_refresh(today=D(2026, 11, 22))

    flags = OverdueFlag.objects.open()
    assert flags.filter(kind=OverdueFlag.Kind.RECOMMENDATION).count() >= expected["recommendation_deadlines_passed_without_reply"]
    reply_commitments = flags.filter(kind=OverdueFlag.Kind.COMMITMENT, commitment__response__isnull=False)
    assert reply_commitments.count() >= expected["reply_commitments_past_due"]
    assert result.raised == result.open == flags.count()
    assert set(flags.values_list("raised_on", flat=True)) == {D(2026, 11, 22)}
    # Domestic abuse recommendation 4 asked for a report back "by May 2020" and got none.
    assert flags.filter(recommendation__report__slug="domestic-abuse", recommendation__number=4, due_date=D(2020, 5, 31)).exists()


def test_command_prints_counts_and_a_second_run_raises_nothing(seed_data, capsys):
    call_command("flag_overdue", "--commit", "--today", "2026-11-22")
    first = capsys.readouterr().out.strip()
    open_count = OverdueFlag.objects.open().count()
    assert first == f"raised {open_count}, resolved 0, open {open_count}"

    call_command("flag_overdue", "--commit", "--today", "2026-11-22")
    assert capsys.readouterr().out.strip() == f"raised 0, resolved 0, open {open_count}"
    assert OverdueFlag.objects.count() == open_count


def test_without_commit_it_previews_and_writes_nothing(seed_data, capsys):
    call_command("flag_overdue", "--today", "2026-11-22")
    assert capsys.readouterr().out.startswith("preview, nothing written (--commit to write): raised ")
    assert not OverdueFlag.objects.exists()


def test_a_deadline_is_flagged_from_the_day_after_it_not_on_it():
    rec = _by_may_2020()
    assert flags_refresh(today=D(2020, 5, 31)).raised == 0

    assert flags_refresh(today=D(2020, 6, 1)).raised == 1
    flag = OverdueFlag.objects.get(recommendation=rec)
    assert (flag.kind, flag.due_date, flag.raised_on, flag.is_open) == (OverdueFlag.Kind.RECOMMENDATION, D(2020, 5, 31), D(2020, 6, 1), True)


def test_a_reply_resolves_the_flag_with_when_and_why_and_the_history_stays():
    rec = _by_may_2020()
    flags_refresh(today=D(2020, 6, 1))
    ResponseFactory(recommendation=rec, date_received=D(2020, 6, 10))

    # The reply is dated 10 June: on 9 June it has not arrived yet.
    assert flags_refresh(today=D(2020, 6, 9)).resolved == 0
    result = flags_refresh(today=D(2020, 6, 10))

    assert (result.raised, result.resolved, result.open) == (0, 1, 0)
    flag = OverdueFlag.objects.get(recommendation=rec)
    assert (flag.resolved_on, flag.resolution, flag.raised_on) == (D(2020, 6, 10), OverdueFlag.Resolution.REPLY_RECEIVED, D(2020, 6, 1))
    assert flag.resolved_at is not None


def test_a_commitment_past_due_is_flagged_until_it_is_done():
    commitment = CommitmentFactory(due_date=D(2022, 12, 31), due_text="later this year", due_precision=DatePrecision.YEAR)
    assert flags_refresh(today=D(2022, 12, 31)).raised == 0
    assert flags_refresh(today=D(2023, 1, 1)).raised == 1

    Commitment.objects.filter(pk=commitment.pk).update(status=Commitment.Status.DONE)
    assert flags_refresh(today=D(2023, 1, 2)).resolved == 1
    flag = OverdueFlag.objects.get(commitment=commitment)
    assert (flag.resolved_on, flag.resolution) == (D(2023, 1, 2), OverdueFlag.Resolution.COMMITMENT_CLOSED)


def test_a_report_whose_reply_is_overdue_is_flagged_and_resolved_by_the_first_reply(settings):
    settings.RESPONSE_DUE_MONTHS = 2
    report = ReportFactory(published=D(2022, 3, 22))  # reply due 22 May 2022
    rec = RecommendationFactory(report=report)

    assert flags_refresh(today=D(2022, 5, 22)).raised == 0
    assert flags_refresh(today=D(2022, 5, 23)).raised == 1
    flag = OverdueFlag.objects.get(report=report)
    assert (flag.kind, flag.due_date) == (OverdueFlag.Kind.REPORT_REPLY, D(2022, 5, 22))

    ResponseFactory(recommendation=rec, date_received=D(2022, 8, 18))
    assert flags_refresh(today=D(2022, 8, 18)).resolved == 1
    assert OverdueFlag.objects.get(report=report).resolution == OverdueFlag.Resolution.REPLY_RECEIVED


def test_a_moved_deadline_resolves_the_flag_and_going_overdue_again_raises_a_new_one():
    rec = _by_may_2020()
    flags_refresh(today=D(2020, 6, 1))
    rec.deadline = D(2020, 9, 30)
    rec.save()

    assert flags_refresh(today=D(2020, 6, 2)).resolved == 1
    assert OverdueFlag.objects.get(recommendation=rec).resolution == OverdueFlag.Resolution.DATE_CHANGED

    assert flags_refresh(today=D(2020, 10, 1)).raised == 1
    assert list(OverdueFlag.objects.filter(recommendation=rec).order_by("raised_on").values_list("due_date", "resolved_on")) == [
        (D(2020, 5, 31), D(2020, 6, 2)),
        (D(2020, 9, 30), None),
    ]


def test_the_database_refuses_a_second_open_flag_for_the_same_item():
    from django.db import IntegrityError, transaction

    rec = _by_may_2020()
    flags_refresh(today=D(2020, 6, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        OverdueFlag.objects.create(kind=OverdueFlag.Kind.RECOMMENDATION, recommendation=rec, due_date=rec.deadline, raised_on=D(2020, 6, 2))


def test_the_recommendation_page_shows_its_overdue_record(client):
    rec = _by_may_2020()
    flags_refresh(today=D(2020, 6, 1))
    ResponseFactory(recommendation=rec, date_received=D(2020, 6, 10))
    flags_refresh(today=D(2020, 6, 10))

    page = client.get(rec.get_absolute_url()).content.decode()
    assert "Overdue record" in page
    assert "flagged 1 June 2020" in page and "resolved 10 June 2020 (reply received)" in page
