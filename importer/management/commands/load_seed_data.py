"""Load the seed fixtures (written by the importer from fixtures/sources/) into an empty database.

Runs at every start of the run command, so it must never overwrite what admins entered: when the
database already holds documents it leaves everything alone.
"""

from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from importer.seed import fixture_paths
from recommendations.models import Document
from responses.services.baseline import history_baseline_create
from tracker.commands import TrackerCommand


class Command(TrackerCommand):
    help = "Load fixtures/*.json into an empty database (does nothing when data is already there)."

    def handle(self, *args, **options):
        if Document.objects.exists():
            self.stdout.write("Seed data already loaded; leaving the database as it is.")
            return
        paths = [path for path in fixture_paths() if path.exists()]
        if not paths:
            self.stdout.write("No seed fixtures yet (fixtures/*.json); starting with an empty database.")
            return
        with transaction.atomic():
            # Raw saves write no history, but setting a recommendation's addressees would write a
            # "changed" version: history is off while loading, then each record gets its first
            # version ("created", with the reason below), so its first change can be reverted.
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", *[str(path) for path in paths], verbosity=0)
            history_baseline_create(apps, reason="Loaded from the seed data")
        self.stdout.write(self.style.SUCCESS(f"Loaded seed data from {len(paths)} fixture files."))
