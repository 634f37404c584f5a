from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from references.exports import bibtex_stream, export_selection
from references.forms import WorkFilterForm
from references.models import Work


class Command(BaseCommand):
    help = "Export works as BibTeX, selected by the same rules as the web list and /export.bib."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--finding", action="append", default=[], metavar="LABEL", help="Repeat for several."
        )
        parser.add_argument("--q", default="", metavar="TEXT", help="Full-text search, as on the list page.")
        parser.add_argument("--year", type=int)
        parser.add_argument("--type", default="", help="A work type, e.g. case-report.")
        parser.add_argument(
            "--scope", choices=["sources", "all"], default="all", help="Imported sources only, or every work."
        )
        parser.add_argument("--ascii", action="store_true", help="LaTeX escapes instead of UTF-8.")
        parser.add_argument("--abstract", action="store_true", help="Include abstracts.")
        parser.add_argument("-o", "--output", type=Path, help="File to write; standard output if omitted.")

    def handle(self, *args, output: Path | None, ascii: bool, abstract: bool, **options) -> None:
        filters = WorkFilterForm(
            {
                "finding": options["finding"],
                "q": options["q"],
                "year": options["year"] or "",
                "type": options["type"],
                "scope": options["scope"],
            }
        )
        if not filters.is_valid():
            raise CommandError(
                "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filters.errors.items())
            )
        works = export_selection(filters.filter(Work.objects.all()))
        stream = bibtex_stream(works, ascii=ascii, abstract=abstract)
        if output is None:
            for piece in stream:
                self.stdout.write(piece, ending="")
            return
        with output.open("w", encoding="utf-8") as file:
            file.writelines(stream)
        count = works.count()
        self.stderr.write(f"Wrote {count} {'entry' if count == 1 else 'entries'} to {output}.")
