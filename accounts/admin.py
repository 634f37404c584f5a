from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Admins may see and revoke anyone's tokens; nobody can read a token back (only its digest is kept)."""

    list_display = ["name", "user", "created_at", "last_used_at"]
    list_filter = ["created_at"]
    search_fields = ["name", "user__username"]
    fields = ["name", "user", "created_at", "last_used_at"]
    readonly_fields = ["name", "user", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False
