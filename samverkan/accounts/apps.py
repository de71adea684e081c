from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samverkan.accounts"
    label = "accounts"
    verbose_name = _("Konton")

    def ready(self) -> None:
        from django.contrib import admin

        from samverkan.accounts.views import admin_login_redirect

        # The admin's own log-in form knows no second factor: send it to ours.
        admin.site.login = admin_login_redirect  # type: ignore[method-assign]
