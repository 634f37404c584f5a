from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from references.models import ImportBatch, ImportItem
from references.pipeline.pages import LocalFile, import_sources

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
        files = [LocalFile(path) for path in self._collect(paths)]
        batch = import_sources(
            files, user=self._user(user), origin=ImportBatch.Origin.COMMAND, on_item=self._report
        )
        written = batch.items.filter(outcome__in=[ImportItem.Outcome.CREATED, ImportItem.Outcome.UPDATED])
        if settings.ENRICH_AFTER_IMPORT and written.exists():
            self.stdout.write("Enrichment of the imported works and the works they cite is queued.")
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

    def _report(self, source: LocalFile, item: ImportItem) -> None:
        path = source.path
        style = getattr(self.style, STYLES[item.outcome])
        work = f" work #{item.work_id}" if item.work_id else ""
        detail = f": {item.message}" if item.message else ""
        self.stdout.write(f"{path}: {style(item.outcome)}{work}{detail}")
