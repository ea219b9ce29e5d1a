"""Import every source document listed in fixtures/sources/manifest.json. A preview unless --commit."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from importer.services import ImportProblem, ParseError, sources_import
from tracker.commands import TrackerCommand

from ._output import print_result


class Command(TrackerCommand):
    help = "Import all the source documents in the manifest, in order, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("--manifest", type=Path, default=Path(settings.BASE_DIR) / "fixtures" / "sources" / "manifest.json")
        parser.add_argument("--commit", action="store_true", help="Write to the database (default: preview only).")
        parser.add_argument("--verbose-items", action="store_true", help="Print every item, not only the summaries.")

    def handle(self, *args, manifest: Path, commit: bool, verbose_items: bool, **options):
        try:
            results = sources_import(manifest=manifest, commit=commit)
        except (ParseError, ImportProblem) as error:
            raise CommandError(f"{error} Nothing was written.") from error
        for result in results:
            print_result(self, result, verbose=verbose_items)
