from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutinesConfig(AppConfig):
    name = "samverkan.routines"
    label = "routines"
    verbose_name = _("Rutiner och stödmaterial")
