"""The digest's choices (bodies, reports) are one form: the subscribe page (email only) and the
signed-in preferences page accept and refuse them alike, and show a refusal the same way."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from responses.models import DigestSubscription
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

# Past a 64-bit integer, an id no row has, not a number, negative.
HOSTILE = ["99999999999999999999", "123456", "x", "-1"]


def _refusal(page: str, field: str) -> list[str]:
    """The messages beside ``field``'s checkboxes, after checking that the error summary links to
    its first checkbox and that the checkbox is on the page."""
    assert f'href="#id_{field}_0"' in page and f'id="id_{field}_0"' in page
    group = re.search(
        rf'<div class="govuk-form-group govuk-form-group--error">\s*<fieldset class="govuk-fieldset" aria-describedby="{field}-hint">(.*?)</fieldset>',
        page,
        re.S,
    )
    assert group, f"no error beside {field}"
    return re.findall(r'<p class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> (.*?)</p>', group.group(1))


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.create_user(username="officer", email="officer@example.org", password="x" * 16)
    client.force_login(user)
    return user


@pytest.mark.parametrize("field", ["organisations", "reports"])
@pytest.mark.parametrize("value", HOSTILE)
def test_subscribe_and_preferences_refuse_a_choice_no_row_has_alike(client, officer, actors, field, value):
    ReportFactory(title="Stop and search")
    subscribe = client.post(reverse("subscribe"), {"email": "ann@example.org", field: [value]})
    preferences = client.post(reverse("digest-preferences"), {"subscribed": "on", field: [value]})

    assert subscribe.status_code == 400 and preferences.status_code == 200  # the preferences page shows its form again
    said = _refusal(subscribe.content.decode(), field)
    assert said == [f"Select a valid choice. {value} is not one of the available choices."]
    assert _refusal(preferences.content.decode(), field) == said
    assert not mail.outbox and not DigestSubscription.objects.exists()
