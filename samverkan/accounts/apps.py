from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samverkan.accounts"
    label = "accounts"
    verbose_name = _("Konton")

    def ready(self) -> None:
        from django.contrib import admin

        from samverkan.accounts import declarations  # noqa: F401  (mergers, retention)
        from samverkan.accounts.access import ADMINISTRATORS
        from samverkan.accounts.startpage import accounts_panel
        from samverkan.accounts.views import admin_login_redirect
        from samverkan.core.navigation import register_nav
        from samverkan.core.startpage import register_panel

        register_panel(accounts_panel)
        register_nav(_("Administration"), "admin:index", set(ADMINISTRATORS), order=900)
        # The admin's own log-in form knows no second factor: send it to ours.
        admin.site.login = admin_login_redirect  # type: ignore[method-assign]
