from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and API tokens"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from . import schema  # noqa: F401  (registers the token scheme with drf-spectacular)
        from .permissions import changed, watch

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(watch, dispatch_uid=f"permissions-{id(signal)}")
        # Migrations create permissions in bulk, without signals; a superuser holds every one.
        post_migrate.connect(lambda **kwargs: changed(), weak=False, dispatch_uid="permissions-migrate")
