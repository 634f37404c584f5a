"""Personal API tokens: a member's scripts read the API as that member.

Only a token's SHA-256 digest is stored; the token itself is shown once, when it is made. A token is found by
its digest (an index lookup on a hash, so no comparison of secrets happens in Python), and revoking one
deletes it.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

# A recognisable start lets secret scanners and people tell our tokens from other strings.
TOKEN_PREFIX = "acur_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def issue(self, user, name: str) -> tuple["ApiToken", str]:
        """A new token for the user: the stored row and the token, which nothing keeps."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        return self.create(user=user, name=name, digest=digest(token)), token

    def by_token(self, token: str) -> "ApiToken | None":
        return self.select_related("user").filter(digest=digest(token)).first()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. the script that uses it.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    def mark_used(self) -> None:
        """Written at most once a minute, so a script's many requests do not each write a row."""
        now = timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() >= 60:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
