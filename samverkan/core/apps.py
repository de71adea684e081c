from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samverkan.core"
    label = "core"
    verbose_name = _("Grund")

    def ready(self) -> None:
        # Each app's declarations (mergers, retention, documents, listeners) and its
        # start-page panels and menu entries, in the order of INSTALLED_APPS: that order
        # decides which of two panels or menu entries with the same `order` comes first.
        autodiscover_modules("declarations", "panels")
