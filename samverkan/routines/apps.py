from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutinesConfig(AppConfig):
    name = "samverkan.routines"
    label = "routines"
    verbose_name = _("Rutiner och stödmaterial")

    def ready(self) -> None:
        from samverkan.routines import (
            declarations,  # noqa: F401  (mergers, retention)
            panels,  # noqa: F401  (start-page panel, menu)
        )
