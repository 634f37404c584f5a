import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from references.enrichment import resumable, resume_batch, stalled, start_enrichment, works_to_enrich
from references.models import EnrichmentBatch, Work

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Queue Crossref enrichment for works; --wait shows progress until the batch ends."

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument(
            "--all", action="store_true", help="Every work not enriched yet, or failed before."
        )
        scope.add_argument("--work", type=int, action="append", metavar="ID", help="This work (repeatable).")
        scope.add_argument(
            "--resume",
            type=int,
            metavar="BATCH",
            help="Resume a paused batch, or send a stalled one's waiting works again.",
        )
        parser.add_argument("--wait", action="store_true", help="Block with a progress bar until done.")

    def handle(self, *args, all: bool, work: list[int] | None, resume: int | None, wait: bool, **options):
        batch = self._resume(resume) if resume else self._start(work)
        if batch is None:
            self.stdout.write("Nothing to enrich: every work has been enriched.")
            return
        self.stdout.write(f"Enrichment batch #{batch.pk}: {batch.items.count()} works queued.")
        if wait:
            self._wait(batch)

    def _start(self, work_ids: list[int] | None) -> EnrichmentBatch | None:
        if work_ids:
            found = Work.objects.active().filter(pk__in=work_ids).values_list("pk", flat=True)
            if missing := set(work_ids) - set(found):  # by the web form's rule: merged works are not enriched
                ids = ", ".join(map(str, sorted(missing)))
                raise CommandError(f"No work with id {ids}, or it was merged into another.")
        works = work_ids or works_to_enrich()
        return start_enrichment(works=works, origin=EnrichmentBatch.Origin.COMMAND)

    def _resume(self, batch_id: int) -> EnrichmentBatch:
        batch = EnrichmentBatch.objects.filter(pk=batch_id).first()
        if batch is None or not (resumable(batch) or stalled(batch)):
            raise CommandError(f"No paused or stalled batch #{batch_id}.")
        resume_batch(batch)
        return batch

    def _wait(self, batch: EnrichmentBatch) -> None:
        while True:
            batch.refresh_from_db()
            progress = batch.progress()
            self._draw(progress)
            if batch.state != EnrichmentBatch.State.RUNNING:
                break
            time.sleep(0.5)
        self.stdout.write("")
        if batch.state == EnrichmentBatch.State.PAUSED:
            reason = batch.pause_reason or f"PubMed is paused: {batch.pubmed_pause_reason}"
            raise CommandError(f"{reason} (python manage.py enrich --resume {batch.pk})")
        if progress["failed"]:
            self.stdout.write(
                self.style.WARNING(f"{progress['failed']} works failed; see {batch.get_absolute_url()}")
            )

    def _draw(self, progress: dict[str, int]) -> None:
        filled = BAR_WIDTH * progress["percent"] // 100
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        line = (
            f"[{bar}] {progress['percent']:3d}%  done {progress['done']}  failed {progress['failed']}  "
            f"remaining {progress['remaining']}"
        )
        self.stdout.write(f"\r{line}", ending="")
        self.stdout.flush()
