"""``django.contrib.admin`` with the tracker's admin site (``tracker.admin_site``) as ``admin.site``.
Its own module: an app config is imported before any model is ready, the site's forms need them."""

from django.contrib.admin.apps import AdminConfig


class TrackerAdminConfig(AdminConfig):
    default_site = "tracker.admin_site.TrackerAdminSite"
