"""Unknown or absurd ids and slugs are 404s on every page, never server errors."""

import pytest

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.mark.parametrize(
    "url",
    [
        f"/recommendations/{HUGE}/",
        f"/documents/{HUGE}/",
        "/recommendations/0/",
        "/reports/x/",
        "/reports/x/calendar.ics",
        "/addressees/x/calendar.ics",
        "/consultations/x/",
        "/api/x/",
        "/api/recommendations/?page=-1",
        "/commitments/?page=99",
    ],
)
def test_unknown_is_404(client, url):
    assert client.get(url).status_code == 404
