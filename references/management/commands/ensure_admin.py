import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the admin user if missing; its password comes from ADMIN_PASSWORD or is generated and printed."

    def handle(self, *args, **options) -> None:
        username = os.environ.get("ADMIN_USERNAME", "admin")
        password = os.environ.get("ADMIN_PASSWORD", "")
        users = get_user_model().objects
        user = users.filter(username=username).first()
        if user and not password:
            self.stdout.write(f"Admin user {username!r} exists; set ADMIN_PASSWORD to reset its password.")
            return
        password = password or secrets.token_urlsafe(12)
        user = user or users.create_superuser(username=username, email="", password=password)
        user.set_password(password)
        user.save(update_fields=["password"])
        self.stdout.write(self.style.SUCCESS(f"Admin user: {username}  password: {password}"))
