from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefectorsConfig(AppConfig):
    name = "samverkan.defectors"
    label = "defectors"
    verbose_name = _("Avhoppare")
