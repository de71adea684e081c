from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomecomingConfig(AppConfig):
    name = "samverkan.homecoming"
    label = "homecoming"
    verbose_name = _("Hemtagning från SiS")

    def ready(self) -> None:
        from samverkan.homecoming import (
            declarations,  # noqa: F401  (mergers, retention)
            panels,  # noqa: F401  (start-page panel, menu)
        )
