"""The Celery app, configured from Django settings (``CELERY_*``).

With the default ``CELERY_BROKER_URL`` (``filesystem://``) the broker is a folder under ``var/``,
so the worker and beat run with no server; with a ``redis://`` URL the same code uses Redis.
"""

import os
from pathlib import Path

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings.local")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _ensure_filesystem_broker_folders(**_kwargs) -> None:
    """kombu's filesystem transport needs its folders to exist before the first message."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


worker_init.connect(_ensure_filesystem_broker_folders)
beat_init.connect(_ensure_filesystem_broker_folders)
app.on_after_configure.connect(_ensure_filesystem_broker_folders)
