from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "samverkan.followup"
    label = "followup"
    verbose_name = _("Uppföljning")

    def ready(self) -> None:
        from samverkan.core.navigation import register_nav
        from samverkan.followup import summaries
        from samverkan.followup.access import MENU_ROLES

        summaries.connect()

        register_nav(_("Uppföljning"), "followup:dashboard", set(MENU_ROLES), order=80)
