"""Load the seed fixtures (written by the importer from fixtures/sources/) into an empty database.

Runs at every start of the run command, so it must never overwrite what admins entered: when the
database already holds documents it leaves everything alone.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from recommendations.models import Document

FIXTURE_ORDER = ["organisations", "documents", "recommendations", "responses", "consultations"]


def seed_fixture_paths() -> list[Path]:
    folder = Path(settings.BASE_DIR) / "fixtures"
    return [folder / f"{name}.json" for name in FIXTURE_ORDER if (folder / f"{name}.json").exists()]


class Command(BaseCommand):
    help = "Load fixtures/*.json into an empty database (does nothing when data is already there)."

    def handle(self, *args, **options):
        if Document.objects.exists():
            self.stdout.write("Seed data already loaded; leaving the database as it is.")
            return
        paths = seed_fixture_paths()
        if not paths:
            self.stdout.write("No seed fixtures yet (fixtures/*.json); starting with an empty database.")
            return
        call_command("loaddata", *[str(path) for path in paths], verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Loaded seed data from {len(paths)} fixture files."))
