from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from references.importers import PageRejected, decode_page
from references.models import ImportBatch
from references.reflists import UnknownWork, find_citing_work, import_reference_list, plan_reference_list
from references.refparse import FORMAT_CHOICES


class Command(BaseCommand):
    help = "Import a reference list (text, BibTeX, RIS, MEDLINE, CSL-JSON or DOI/PMID list) into a work."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--into", required=True, help="The citing work: its id or DOI.")
        parser.add_argument("--format", choices=FORMAT_CHOICES, help="Detected when not given.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and report; write nothing.")

    def handle(self, *args, path: Path, into: str, format: str | None, dry_run: bool, **options) -> None:
        try:
            work = find_citing_work(into)
            text = decode_page(path.read_bytes()).text
        except (UnknownWork, PageRejected, OSError) as error:
            raise CommandError(str(error)) from error
        parsed = plan_reference_list(text, format=format)
        for problem in parsed.problems + [p for ref in parsed.references for p in ref.problems]:
            self.stderr.write(self.style.WARNING(str(problem)))
        self.stdout.write(f"{path}: {parsed.format}, {len(parsed.references)} references")
        if dry_run:
            return
        batch = import_reference_list(
            into=work,
            parsed=parsed,
            text=text,
            file_name=path.name,
            user=None,
            origin=ImportBatch.Origin.COMMAND,
        )
        item = batch.items.get()
        self.stdout.write(self.style.SUCCESS(f"{item.outcome}: work #{work.pk}, {item.message}"))
