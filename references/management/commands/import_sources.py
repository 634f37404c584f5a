from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from references.enrichment import enrich_after_import
from references.models import ImportBatch, ImportItem
from references.services import LocalFile, import_source_file

STYLES = {
    ImportItem.Outcome.CREATED: "SUCCESS",
    ImportItem.Outcome.UPDATED: "SUCCESS",
    ImportItem.Outcome.UNCHANGED: "NOTICE",
    ImportItem.Outcome.FAILED: "ERROR",
}


class Command(BaseCommand):
    help = (
        "Import saved source pages (text or HTML): files, or folders of them. Files of bibliographic records "
        "(RIS, MEDLINE, BibTeX, ...) and bare reference lists are refused: use import_references for those."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--user", help="Username to record as the importer.")

    def handle(self, *args, paths: list[Path], user: str | None, **options) -> None:
        files = self._collect(paths)
        batch = ImportBatch.objects.create(created_by=self._user(user), origin=ImportBatch.Origin.COMMAND)
        for path in files:
            item = import_source_file(batch=batch, source=LocalFile(path))
            self._report(path, item)
        batch.mark_finished()
        if enrichment := enrich_after_import(batch):
            self.stdout.write(
                f"Crossref enrichment of {enrichment.items.count()} works queued: batch #{enrichment.pk}."
            )
        failed = batch.outcome_counts()[ImportItem.Outcome.FAILED]
        if failed:
            raise CommandError(f"{failed} of {len(files)} files failed; nothing of them was written.")

    def _collect(self, paths: list[Path]) -> list[Path]:
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}")
        files = []
        for path in paths:
            children = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            files.extend(children if path.is_dir() else [path])
        return files

    def _user(self, username: str | None):
        if username is None:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as missing:
            raise CommandError(f"No user named {username!r}.") from missing

    def _report(self, path: Path, item: ImportItem) -> None:
        style = getattr(self.style, STYLES[item.outcome])
        work = f" work #{item.work_id}" if item.work_id else ""
        detail = f": {item.message}" if item.message else ""
        self.stdout.write(f"{path}: {style(item.outcome)}{work}{detail}")
