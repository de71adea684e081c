from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "samverkan.intake"
    label = "intake"
    verbose_name = _("Orosanmälningar")

    def ready(self) -> None:
        self._invalidate_snapshot_on_registry_changes()

    def _invalidate_snapshot_on_registry_changes(self) -> None:
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from samverkan.intake.snapshot import invalidate_registry_snapshot as clear

        for label in (
            "registry.Organisation",
            "registry.Unit",
            "registry.OfficeHours",
            "registry.PhoneLine",
            "agreements.Agreement",
            "agreements.AgreementParty",
        ):
            model = apps.get_model(label)
            post_save.connect(clear, sender=model, dispatch_uid=f"snapshot-save-{label}")
            post_delete.connect(clear, sender=model, dispatch_uid=f"snapshot-delete-{label}")
        covers = apps.get_model("registry.Unit").covers.through
        m2m_changed.connect(clear, sender=covers, dispatch_uid="snapshot-covers")
        # flush (test teardown, a reload of the demo) emits post_migrate
        post_migrate.connect(clear, dispatch_uid="snapshot-migrate")
