"""Django for a benchmark: its own database, created if missing and migrated."""

import os
import subprocess


def setup_django(database: str, **environment: str) -> None:
    """Point Django at `database` (with any further settings from the environment), then migrate it."""
    os.environ.update(DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}", **environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", database], capture_output=True, check=False
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
