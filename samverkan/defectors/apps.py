from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefectorsConfig(AppConfig):
    name = "samverkan.defectors"
    label = "defectors"
    verbose_name = _("Avhoppare")

    def ready(self) -> None:
        from samverkan.agreements.signals import agreement_created
        from samverkan.core.navigation import register_nav
        from samverkan.core.startpage import register_panel
        from samverkan.defectors import access, declarations  # noqa: F401  (mergers, retention)
        from samverkan.defectors.panels import defector_panel
        from samverkan.defectors.services import seed_catalogue_of_new_agreement

        register_nav(_("Avhoppare"), "defectors:list", set(access.MENU_ROLES), order=50)
        register_panel(defector_panel)
        agreement_created.connect(
            seed_catalogue_of_new_agreement, dispatch_uid="defector-catalogue"
        )
