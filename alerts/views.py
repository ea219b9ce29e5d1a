"""Subscribing by email and watching one recommendation or report. Thin: forms in, services out.

Every form that sends an email answers the same whether or not the address is known, and is rate
limited per address (quietly: the answer is the same) and per client (a 429 saying so). A bad or
expired link is a 400 with what to do, never a 500."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from recommendations.models import Recommendation, Report
from responses.services import preferences_url
from tracker import clock
from tracker.client_ip import client_ip

from . import ratelimit, services
from .forms import EmailForm, SubscribeForm


def _too_many(request) -> bool:
    return not ratelimit.allow("client", client_ip(request) or "unknown", limit=settings.ALERTS_REQUESTS_PER_CLIENT_PER_HOUR)


def _address_allowed(email: str) -> bool:
    return ratelimit.allow("address", email.strip().lower(), limit=settings.ALERTS_REQUESTS_PER_ADDRESS_PER_HOUR)


def _refused(request):
    return render(request, "alerts/too_many.html", status=429)


def _link_problem(request, problem: services.LinkProblem):
    return render(request, "alerts/link_problem.html", {"problem": str(problem)}, status=400)


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        if _too_many(request):
            return _refused(request)
        if form.is_valid():
            data = form.cleaned_data
            if _address_allowed(data["email"]):
                services.subscription_request_send(email=data["email"], organisations=data["organisations"], reports=data["reports"])
            return render(
                request, "alerts/check_email.html", {"email": data["email"], "what": "subscribe to the weekly digest", "hours": settings.ALERTS_CONFIRM_HOURS}
            )
    return render(request, "alerts/subscribe.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def subscribe_confirm(request, token: str):
    try:
        if request.method == "GET":
            wanted = services.subscription_request_read(token=token)
            return render(request, "alerts/subscribe_confirm.html", {"wanted": wanted})
        subscription = services.subscription_confirm(token=token)
    except services.LinkProblem as problem:
        return _link_problem(request, problem)
    context = {"subscription": subscription, "preferences_url": preferences_url(subscription.user)}
    return render(request, "alerts/subscribed.html", context)


def _watch_page(request, target):
    form = EmailForm(request.POST or None, initial={"email": getattr(request.user, "email", "")})
    if request.method == "POST":
        if _too_many(request):
            return _refused(request)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if request.user.is_authenticated and request.user.email and email.lower() == request.user.email.lower():
                # The address is the signed-in account's own: nothing to confirm.
                services.watch_start(email=email, target=target, today=clock.today())
                return render(request, "alerts/watching.html", {"target": target})
            if _address_allowed(email):
                services.watch_request_send(email=email, target=target)
            return render(
                request, "alerts/check_email.html", {"email": email, "what": f"get an email when {target} changes", "hours": settings.ALERTS_CONFIRM_HOURS}
            )
    return render(request, "alerts/watch.html", {"form": form, "target": target}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def watch_recommendation(request, pk: int):
    return _watch_page(request, get_object_or_404(Recommendation.objects.select_related("report"), pk=pk))


@require_http_methods(["GET", "POST"])
def watch_report(request, slug: str):
    return _watch_page(request, get_object_or_404(Report, slug=slug))


@require_http_methods(["GET", "POST"])
def watch_confirm(request, token: str):
    try:
        if request.method == "GET":
            email, target = services.watch_request_read(token=token)
            return render(request, "alerts/watch_confirm.html", {"email": email, "target": target})
        watch = services.watch_confirm(token=token, today=clock.today())
    except services.LinkProblem as problem:
        return _link_problem(request, problem)
    return render(request, "alerts/watching.html", {"target": watch.target})


@require_http_methods(["GET", "POST"])
def watch_stop(request, token: str):
    try:
        if request.method == "GET":
            services.unwatch_read(token=token)
            return render(request, "alerts/watch_stop.html")
        target = services.watch_stop(token=token)
    except services.LinkProblem as problem:
        return _link_problem(request, problem)
    return render(request, "alerts/watch_stop.html", {"done": True, "target": target})
