"""A history baseline: a "created" history record for every report, recommendation, reply and
commitment that has none, so its first change can be reverted like any other.

Records saved through the ORM get one from django-simple-history as they are created; rows written
without signals (``loaddata``'s raw saves, bulk inserts) do not. ``history_baseline_create`` takes
an app registry, so the data migration (with its historical models) and ``load_seed_data`` (with
the live ones) share it. One query per model to find the rows, bulk inserts to write.
"""

from __future__ import annotations

from django.utils import timezone

HISTORY_MODELS = [
    ("recommendations", "Report"),
    ("recommendations", "Recommendation"),
    ("responses", "Response"),
    ("responses", "Commitment"),
]
BATCH = 2000


def _copy(model, historical) -> list[str]:
    """The attribute names a historical record copies from its row."""
    own = {field.attname for field in model._meta.concrete_fields}
    return [
        field.attname
        for field in historical._meta.concrete_fields
        if field.attname in own and not field.attname.startswith("history_")
    ]


def _addressees(apps, versions: list) -> None:
    """The addressees of each new recommendation version, as its history of the many-to-many."""
    model = apps.get_model("recommendations", "Recommendation")
    through = model.addressees.through
    historical_m2m = apps.get_model("recommendations", "HistoricalRecommendation_addressees")
    by_recommendation = {version.id: version for version in versions}
    rows = through.objects.filter(recommendation_id__in=list(by_recommendation)).values_list(
        "pk", "recommendation_id", "organisation_id"
    )
    historical_m2m.objects.bulk_create(
        [
            historical_m2m(id=pk, history=by_recommendation[rec_id], recommendation_id=rec_id, organisation_id=org_id)
            for pk, rec_id, org_id in rows
        ],
        batch_size=BATCH,
    )


def _baseline_for(apps, app_label: str, name: str, *, reason: str, when) -> int:
    model = apps.get_model(app_label, name)
    historical = apps.get_model(app_label, f"Historical{name}")
    names = _copy(model, historical)
    rows = model.objects.exclude(pk__in=historical.objects.values("id")).order_by("pk").values(*names)
    written = 0
    batch: list = []
    for row in rows.iterator(chunk_size=BATCH):
        batch.append(historical(history_date=when, history_type="+", history_change_reason=reason, **row))
        if len(batch) == BATCH:
            written += _write(apps, historical, name, batch, when)
            batch = []
    if batch:
        written += _write(apps, historical, name, batch, when)
    return written


def _write(apps, historical, name: str, batch: list, when) -> int:
    historical.objects.bulk_create(batch)
    if name == "Recommendation":
        # Read the versions back for their history ids (not every database returns them).
        versions = list(historical.objects.filter(id__in=[v.id for v in batch], history_date=when, history_type="+"))
        _addressees(apps, versions)
    return len(batch)


def history_baseline_create(apps, *, reason: str) -> int:
    """Write a "created" history record for every row that has none; returns how many."""
    when = timezone.now()
    return sum(_baseline_for(apps, app_label, name, reason=reason, when=when) for app_label, name in HISTORY_MODELS)
