from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "samverkan.agreements"
    label = "agreements"
    verbose_name = _("Samverkansavtal")

    def ready(self) -> None:
        from samverkan.agreements import access, declarations  # noqa: F401  (mergers, retention)
        from samverkan.agreements.panels import on_behalf_panel, termination_notifications_panel
        from samverkan.agreements.reminders import agreements_panel
        from samverkan.core.navigation import register_nav
        from samverkan.core.startpage import register_panel

        register_panel(agreements_panel)
        register_panel(termination_notifications_panel)
        register_panel(on_behalf_panel)
        register_nav(
            _("Avtal"),
            "agreements:list",
            roles=set(access.MENU_ROLES),
            order=40,
        )
