"""Import one document (plain text, a saved web page or PDF). A preview unless --commit."""

from pathlib import Path

from django.core.management.base import CommandError

from importer.parsing.detect import KINDS
from importer.services import ImportProblem, ParseError, document_import
from tracker.commands import TrackerCommand

from ._output import print_result


class Command(TrackerCommand):
    help = "Parse a committee report, report page, response letter or consultation response and import it."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--kind", default="auto", choices=["auto", *KINDS])
        parser.add_argument("--report", dest="report_slug", help="Slug of the report a letter answers (overrides matching by title).")
        parser.add_argument("--commit", action="store_true", help="Write to the database (default: preview only).")

    def handle(self, *args, path: Path, kind: str, report_slug: str | None, commit: bool, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = document_import(
                data=path.read_bytes(), source_name=path.name, kind=kind, report_slug=report_slug, commit=commit
            )
        except (ParseError, ImportProblem) as error:
            raise CommandError(f"{path.name}: {error} Nothing was written.") from error
        print_result(self, result, verbose=True)
