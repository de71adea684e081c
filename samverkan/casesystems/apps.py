from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesystemsConfig(AppConfig):
    name = "samverkan.casesystems"
    label = "casesystems"
    verbose_name = _("Kommunernas verksamhetssystem")
