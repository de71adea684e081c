from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "samverkan.registry"
    label = "registry"
    verbose_name = _("Register")

    def ready(self) -> None:
        from samverkan.core.navigation import register_nav
        from samverkan.core.startpage import register_panel
        from samverkan.registry import access, declarations  # noqa: F401  (mergers, retention)
        from samverkan.registry.panels import organisation_changed_panel, planned_changes_panel

        register_panel(organisation_changed_panel)
        register_panel(planned_changes_panel)
        register_nav(
            _("Organisationsförändringar"),
            "registry:changes",
            roles=set(access.ADMINISTRATORS),
            order=850,
        )
