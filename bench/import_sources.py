"""Benchmark: parse and import all five source documents (target: under 2 seconds on this machine).

    .venv/bin/python bench/import_sources.py [--repeat 5]

Imports into a throwaway SQLite database under a temporary folder (never the developer's), best of
N runs, and prints parse-only and parse-and-save figures. Not part of the test suite.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="tracker-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings.local")
    os.environ["TRACKER_VAR_DIR"] = var
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{var}/bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    from importer.parsing.detect import parse_document
    from importer.services import sources_import

    call_command("migrate", verbosity=0)
    manifest = ROOT / "fixtures" / "sources" / "manifest.json"
    entries = json.loads(manifest.read_text())["sources"]
    texts = [((manifest.parent / e["file"]).read_text(), e["kind"]) for e in entries]

    parse_times, import_times = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for text, kind in texts:
            parse_document(text, kind)
        parse_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        sources_import(manifest=manifest, commit=False)  # full import, rolled back: same work every run
        import_times.append(time.perf_counter() - start)
    print(f"documents: {len(texts)}, runs: {args.repeat}")
    print(f"parse only:        best {min(parse_times):.3f} s, worst {max(parse_times):.3f} s")
    print(f"parse and import:  best {min(import_times):.3f} s, worst {max(import_times):.3f} s (target < 2 s)")


if __name__ == "__main__":
    main()
