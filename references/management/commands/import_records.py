import datetime
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from references.models import ImportBatch
from references.pipeline.records import (
    RecordsRefused,
    SearchDetails,
    import_file,
    plan_records,
)
from references.refparse import FORMAT_CHOICES


class Command(BaseCommand):
    help = "Import exports of database searches into the library: one work per record, deduplicated."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--format", choices=[f for f in FORMAT_CHOICES if f != "text"])
        parser.add_argument(
            "--search-label", default="", help="How the search is named; the file name if not."
        )
        parser.add_argument("--database", default="", help="PubMed, Embase (Ovid), Scopus, Web of Science, …")
        parser.add_argument("--query", default="", help="The query as it was run.")
        parser.add_argument("--run-on", type=datetime.date.fromisoformat, help="The day the search ran.")
        parser.add_argument("--reported", type=int, help="How many records the database reported.")
        parser.add_argument("--dry-run", action="store_true", help="Plan and report; write nothing.")
        parser.add_argument(
            "--json", action="store_true", help="One JSON object per file on standard output."
        )
        parser.add_argument(
            "--skip-unreadable",
            action="store_true",
            help="Import a file's readable records when some are not.",
        )

    def handle(self, *args, paths: list[Path], **options) -> None:
        details = SearchDetails(
            options["search_label"],
            options["database"],
            options["query"],
            options["run_on"],
            options["reported"],
        )
        failed = [path for path in paths if not self._import(path, details, options)]
        if failed:
            raise CommandError(f"{len(failed)} of {len(paths)} files were not imported.")

    def _import(self, path: Path, details: SearchDetails, options: dict) -> bool:
        try:
            if options["dry_run"]:
                return self._report(
                    plan_records(path, file_name=path.name, format=options["format"]).summary(), options
                )
            plan, search = import_file(
                path,
                file_name=path.name,
                format=options["format"],
                details=details,
                user=None,
                origin=ImportBatch.Origin.COMMAND,
                accept_losses=options["skip_unreadable"],
                progress=self._progress_bar() if sys.stderr.isatty() and not options["json"] else None,
            )
        except (RecordsRefused, OSError) as refusal:
            return self._report({"file": path.name, "outcome": "refused", "reason": str(refusal)}, options)
        outcome = "unchanged" if plan.imported_as else "imported"
        return self._report({**plan.summary(), "outcome": outcome, "search": search.pk}, options)

    def _report(self, summary: dict, options: dict) -> bool:
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        elif summary["outcome"] == "refused":
            self.stderr.write(self.style.ERROR(summary["reason"]))
        else:
            self.stdout.write(_sentence(summary))
            for problem in summary["problems"] if options["verbosity"] > 1 else summary["problems"][:20]:
                self.stderr.write(self.style.WARNING(problem))
        return summary["outcome"] != "refused"

    def _progress_bar(self):
        def draw(stage: str, done: int, total: int) -> None:
            if stage != "write":  # a file is read and written a batch at a time: one bar says both
                return
            filled = int(30 * done / total) if total else 30
            sys.stderr.write(f"\rimport [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} records")
            if done >= total:
                sys.stderr.write("\n")

        return draw


def _sentence(summary: dict) -> str:
    what = {"planned": "would import", "imported": "imported", "unchanged": "unchanged (imported before)"}
    return (
        f"{summary['file']}: {what[summary['outcome']]}: {summary['format']}, {summary['records']} records, "
        f"{summary['new']} new, {summary['merged']} merged, {summary['duplicates_in_file']} duplicates within "
        f"the file, {summary['possible_duplicates']} possible duplicates, {summary['skipped']} left out"
    )
