"""The digest preferences page and the one-click unsubscribe link. Thin: forms in, services out."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import DigestSubscription
from .services import PREFERENCES_SALT, UNSUBSCRIBE_SALT, digest_subscription_update, digest_unsubscribe
from .subscription_forms import DigestPreferencesForm


def _preferences_page(request, user, *, done_url: str):
    """The preferences form for ``user`` (signed in, or named by a signed link)."""
    subscription = DigestSubscription.objects.filter(user=user).prefetch_related("organisations", "reports").first()
    if request.method == "POST":
        form = DigestPreferencesForm(request.POST)
        if form.is_valid():
            wants = form.cleaned_data["subscribed"]
            if wants and not user.email:
                form.add_error("subscribed", "Your account has no email address, so the digest has nowhere to go.")
            else:
                digest_subscription_update(user=user, subscribed=wants, organisations=form.cleaned_data["organisations"], reports=form.cleaned_data["reports"])
                messages.success(request, f"You will get the weekly digest at {user.email}." if wants else "You will not get the weekly digest.")
                return redirect(done_url)
    else:
        form = DigestPreferencesForm(
            initial={
                "subscribed": bool(subscription and subscription.subscribed),
                "organisations": list(subscription.organisations.all()) if subscription else [],
                "reports": list(subscription.reports.all()) if subscription else [],
            }
        )
    return render(request, "responses/preferences.html", {"form": form, "subscription": subscription, "address": user.email})


@login_required(login_url=settings.DIGEST_LOGIN_URL)
@require_http_methods(["GET", "POST"])
def preferences(request):
    return _preferences_page(request, request.user, done_url=reverse("digest-preferences"))


@require_http_methods(["GET", "POST"])
def preferences_by_link(request, token: str):
    """The same page for whoever the digest's signed link names: subscribers who gave only an email
    address have no password to sign in with."""
    try:
        user_id = signing.loads(token, salt=PREFERENCES_SALT)["user"]
        user = get_user_model().objects.get(pk=user_id, is_active=True)
    except (signing.BadSignature, TypeError, KeyError, ValueError, ObjectDoesNotExist):
        return render(request, "responses/preferences_unsubscribe.html", {"invalid": True, "preferences_link": True}, status=400)
    return _preferences_page(request, user, done_url=reverse("digest-preferences-link", args=[token]))


# No CSRF token: mail clients POST here for RFC 8058 one-click unsubscribe, and the signed token
# is the authority. A GET only shows the button, because link scanners fetch every link in an
# email and must not unsubscribe anyone.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return render(request, "responses/preferences_unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "GET":
        return render(request, "responses/preferences_unsubscribe.html", {"token": token})
    try:
        digest_unsubscribe(token=token)
    except DigestSubscription.DoesNotExist:
        pass  # nothing to stop: say it is done all the same
    return render(request, "responses/preferences_unsubscribe.html", {"done": True})
