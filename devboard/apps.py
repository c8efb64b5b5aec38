from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DevboardConfig(AppConfig):
    name = "devboard"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import pagecache
        from .cache import create_cache_table

        pagecache.connect()

        post_migrate.connect(create_cache_table, sender=self)
