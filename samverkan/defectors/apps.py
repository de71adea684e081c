from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefectorsConfig(AppConfig):
    name = "samverkan.defectors"
    label = "defectors"
    verbose_name = _("Avhoppare")

    def ready(self) -> None:
        from samverkan.agreements.signals import agreement_created
        from samverkan.defectors.services import seed_catalogue_of_new_agreement

        agreement_created.connect(
            seed_catalogue_of_new_agreement, dispatch_uid="defector-catalogue"
        )
