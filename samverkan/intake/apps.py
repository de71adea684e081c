from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "samverkan.intake"
    label = "intake"
    verbose_name = _("Orosanmälningar")

    def ready(self) -> None:
        from samverkan.intake import panels  # noqa: F401  (start-page panels, menu entries)
