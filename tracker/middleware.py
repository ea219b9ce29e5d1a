"""Site-wide request rules."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

# Always reachable: signing in, the admin (it has its own sign-in), health checks, static files,
# and one-click unsubscribe links in emails (they carry their own signed token).
OPEN_PREFIXES = ("/accounts/", "/admin/", "/healthz", "/livez", "/static/", "/preferences/unsubscribe/")


class ReadPagesLoginMiddleware:
    """When ``READ_PAGES_REQUIRE_LOGIN`` is set, every page asks anonymous visitors to sign in.

    Scrutiny is public by default, so this is off unless a deployment turns it on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.READ_PAGES_REQUIRE_LOGIN
            and not request.user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
