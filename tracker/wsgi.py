"""WSGI entry point (gunicorn ``tracker.wsgi``)."""

import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings.production")

application = get_wsgi_application()

# Import the URLconf (and the views, forms and parsers it imports) as the worker starts, not on its
# first request: about 0.2-0.3 s that the first visitor after a deploy or a worker restart waited.
import_module(settings.ROOT_URLCONF)
