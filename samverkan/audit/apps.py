from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "samverkan.audit"
    label = "audit"
    verbose_name = _("Loggning")

    def ready(self) -> None:
        from samverkan.audit import access, declarations  # noqa: F401  (mergers, retention)
        from samverkan.core.navigation import register_nav

        register_nav(_("Logg"), "audit:search", roles=set(access.AUDITORS), order=900)
