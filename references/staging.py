"""What an admin uploaded, held in the database between the preview and the confirmation, claimed once."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .models import StagedFile, StagedImport


@dataclass(frozen=True)
class Staged:
    files: list[ContentFile]
    details: dict


def stage(user_id: int, files: list[tuple[str, bytes]], details: dict | None = None) -> str:
    """Keep the files (name, bytes) and the preview's choices; the token names them for the confirmation."""
    now = timezone.now()
    with transaction.atomic():
        StagedImport.objects.filter(expires_at__lte=now).delete()
        staged = StagedImport.objects.create(
            token=secrets.token_urlsafe(24),
            user_id=user_id,
            details=details or {},
            expires_at=now + timedelta(seconds=settings.IMPORT_STAGING_SECONDS),
        )
        StagedFile.objects.bulk_create(
            StagedFile(staged=staged, position=position, name=name, data=data)
            for position, (name, data) in enumerate(files)
        )
    return staged.token


@contextmanager
def claimed(user_id: int, token: str) -> Iterator[Staged | None]:
    """The staged files and choices, to exactly one caller: a second confirmation of the same preview, even
    one arriving at the same moment, finds None. The claim is part of the caller's transaction: when the
    body raises, the preview is still there to confirm again."""
    with transaction.atomic():
        live = StagedImport.objects.filter(token=token, user_id=user_id, expires_at__gt=timezone.now())
        staged = live.filter(claimed_at=None).first()
        # The conditional update is the claim: a concurrent one waits for this transaction, then finds none.
        if staged is None or not live.filter(pk=staged.pk, claimed_at=None).update(claimed_at=timezone.now()):
            yield None
            return
        yield Staged(
            [ContentFile(bytes(row.data), name=row.name) for row in staged.files.all()], staged.details
        )
        staged.delete()
