from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomecomingConfig(AppConfig):
    name = "samverkan.homecoming"
    label = "homecoming"
    verbose_name = _("Hemtagning från SiS")
