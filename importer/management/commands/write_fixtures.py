"""Write fixtures/*.json from the database (after `import_sources --commit` into an empty one)."""

import json
from pathlib import Path

from importer.seed import fixtures_folder, serialize_fixtures
from tracker.commands import TrackerCommand


class Command(TrackerCommand):
    help = "Write the seed fixtures deterministically from the imported data."

    def add_arguments(self, parser):
        parser.add_argument("--folder", type=Path, default=None)

    def handle(self, *args, folder: Path | None, **options):
        folder = folder or fixtures_folder()
        for name, content in serialize_fixtures().items():
            path = folder / f"{name}.json"
            path.write_text(content, encoding="utf-8")
            self.stdout.write(f"wrote {path} ({len(json.loads(content))} records)")
