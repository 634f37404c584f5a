from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from references.importers import PageRejected, decode_page
from references.models import ImportBatch
from references.pipeline.reflists import (
    ListRefused,
    UnknownWork,
    check_losses,
    find_citing_work,
    import_reference_list,
    plan_reference_list,
    summary,
)
from references.refparse import FORMAT_CHOICES, Unreadable


class Command(BaseCommand):
    help = "Import a reference list (text, BibTeX, RIS, MEDLINE, CSL-JSON or DOI/PMID list) into a work."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--into", required=True, help="The citing work: its id or DOI.")
        parser.add_argument("--format", choices=FORMAT_CHOICES, help="Detected when not given.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and report; write nothing.")
        parser.add_argument(
            "--skip-unreadable",
            action="store_true",
            help="Import the readable entries of a list some of whose entries cannot be read (they are listed).",
        )

    def handle(self, *args, path: Path, into: str, format: str | None, dry_run: bool, **options) -> None:
        try:
            work = find_citing_work(into)
            text = decode_page(path.read_bytes()).text
            parsed = plan_reference_list(text, format=format)
        except (UnknownWork, PageRejected, Unreadable, OSError) as error:
            raise CommandError(f"{path}: {error}") from error
        for problem in parsed.problems:
            self.stderr.write(self.style.WARNING(f"left out: {problem}"))
        for problem in (p for ref in parsed.references for p in ref.problems):
            self.stderr.write(self.style.WARNING(str(problem)))
        self.stdout.write(f"{path}: {summary(parsed)}")
        try:
            check_losses(parsed, accept_losses=options["skip_unreadable"])
            if dry_run:
                return
            batch = import_reference_list(
                into=work,
                parsed=parsed,
                text=text,
                file_name=path.name,
                user=None,
                origin=ImportBatch.Origin.COMMAND,
                accept_losses=options["skip_unreadable"],
            )
        except ListRefused as refusal:
            hint = " (--skip-unreadable)" if parsed.references else ""
            raise CommandError(f"{path}: {refusal}{hint}") from refusal
        item = batch.items.get()
        self.stdout.write(self.style.SUCCESS(f"{item.outcome}: work #{work.pk}, {item.message}"))
