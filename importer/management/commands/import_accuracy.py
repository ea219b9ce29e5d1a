"""How well the importer reads a folder of labelled documents: ``import_accuracy FOLDER [--labels FILE]``.

Reads every labelled document as an import would (nothing is written) and prints, per document and
in total: the kind detected beside the label's, recommendations found / missed / spurious,
addressees and deadlines right, replies matched (and their stated positions), commitments found.
"""

import json
from pathlib import Path

from django.core.management.base import CommandError

from importer import accuracy
from importer.selectors import organisation_aliases
from tracker.commands import TrackerCommand


class Command(TrackerCommand):
    help = "Measure the importer against a folder of documents and a labels file (corpus schema). Writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--labels", type=Path, help="The labels file (default: FOLDER/labels.json or FOLDER/../labels.json).")
        parser.add_argument("--details", action="store_true", help="Also list what was missed, spurious or wrong per document.")
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON instead.")

    def handle(self, *args, folder: Path, labels: Path | None, details: bool, json: bool, **options):
        if not folder.is_dir():
            raise CommandError(f"No such folder: {folder}")
        try:
            path = accuracy.labels_path(folder, labels)
            labelled = accuracy.load_labels(path)
        except (OSError, ValueError) as error:
            raise CommandError(f"The labels could not be read: {error}") from error
        scores = accuracy.measure(folder, labelled, aliases=organisation_aliases())
        if not scores:
            raise CommandError(f"None of the documents {path.name} labels is in {folder}.")
        if json:
            self.stdout.write(_json({"documents": accuracy.as_json(scores), "total": accuracy.totals(scores)}))
            return
        for score in scores:
            self.stdout.write(_line(score))
            if details:
                for note in ([score.problem] if score.problem else []) + score.notes:
                    self.stdout.write(f"      {note}")
        self.stdout.write("")
        for line in summary(accuracy.totals(scores)):
            self.stdout.write(line)


def _json(value) -> str:
    return json.dumps(value, indent=1, ensure_ascii=False)


def _line(score: accuracy.DocumentScore) -> str:
    c = score.counts
    kind = score.kind_found if score.kind_found == score.kind_label else f"{score.kind_found} (label {score.kind_label})"
    parts = [
        f"{score.name}: {kind}",
        f"recommendations {c['found']}/{c['recommendations']} found, {c['missed']} missed, {c['spurious']} spurious",
        f"addressees {c['addressees_right']}/{c['found']}",
        f"deadlines {c['deadline_texts_right']}/{c['deadline_texts']} words, {c['deadline_dates_right']}/{c['deadline_dates']} dates",
    ]
    if c["replies"]:
        parts.append(f"replies {c['replies_matched']}/{c['replies']} matched, positions {c['positions_right']}/{c['positions']}")
    if c["commitments"]:
        parts.append(f"commitments {c['commitments_found']}/{c['commitments']}")
    return "; ".join(parts)


def summary(total: dict[str, int]) -> list[str]:
    """The totals, each as found/labelled and a percentage."""
    p = accuracy.percent
    spurious = total["spurious"] / max(total["found"] + total["spurious"], 1)
    return [
        f"Documents: {total['documents']}; kind right {p(total['kind_right'], total['documents'])}",
        f"Recommendations found: {p(total['found'], total['recommendations'])}; missed {total['missed']}; "
        f"spurious {total['spurious']} ({spurious:.0%} of items found)",
        f"Addressees right: {p(total['addressees_right'], total['found'])} of those found",
        f"Deadline words right: {p(total['deadline_texts_right'], total['deadline_texts'])}; "
        f"deadline dates right: {p(total['deadline_dates_right'], total['deadline_dates'])}",
        f"Replies matched: {p(total['replies_matched'], total['replies'])}; stated positions right: "
        f"{p(total['positions_right'], total['positions'])}",
        f"Commitments found: {p(total['commitments_found'], total['commitments'])}",
    ]
