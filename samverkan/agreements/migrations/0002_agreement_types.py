"""Reference data: the four agreement types of SPEC §3 with their rules."""

from django.db import migrations

TYPES = [
    {
        "code": "single_entry",
        "name": "Samverkansavtal – en ingång till socialtjänsten i Stockholms län",
        "min_parties": 2,
        "max_parties": 2,
        "initial_term_months": None,
        "renewal_months": 12,
        "max_renewals": None,
        "notice_months": 3,
        "notice_must_be_written": True,
        "notify_on_termination": "polisen-roc",
        "cost_rule": "own_costs",
        "reconciliation_months": None,
        "has_pilot_caps": False,
        "document_template": "agreements/documents/single_entry.html",
    },
    {
        "code": "defector_services",
        "name": "Avtal om samverkan för insatser till avhoppare",
        "min_parties": 2,
        "max_parties": None,
        "initial_term_months": 12,
        "renewal_months": 12,
        "max_renewals": None,
        "notice_months": 6,
        "notice_must_be_written": True,
        "notify_on_termination": "",
        "cost_rule": "reconciled",
        "reconciliation_months": 6,
        "has_pilot_caps": True,
        "document_template": "agreements/documents/defector_services.html",
    },
    {
        "code": "school_collaboration",
        "name": "Samverkan mellan skola och socialtjänst",
        "min_parties": 2,
        "max_parties": None,
        "initial_term_months": 12,
        "renewal_months": 12,
        "max_renewals": None,
        "notice_months": 3,
        "notice_must_be_written": True,
        "notify_on_termination": "",
        "cost_rule": "own_costs",
        "reconciliation_months": None,
        "has_pilot_caps": False,
        "document_template": "agreements/documents/generic.html",
    },
    {
        "code": "local_police_collaboration",
        "name": "Lokal samverkan mellan stadsdelsområde och polisen",
        "min_parties": 2,
        "max_parties": None,
        "initial_term_months": 12,
        "renewal_months": 12,
        "max_renewals": None,
        "notice_months": 3,
        "notice_must_be_written": True,
        "notify_on_termination": "",
        "cost_rule": "own_costs",
        "reconciliation_months": None,
        "has_pilot_caps": False,
        "document_template": "agreements/documents/generic.html",
    },
]


def load(apps, schema_editor):
    AgreementType = apps.get_model("agreements", "AgreementType")
    for data in TYPES:
        values = dict(data)
        AgreementType.objects.update_or_create(code=values.pop("code"), defaults=values)


def unload(apps, schema_editor):
    apps.get_model("agreements", "AgreementType").objects.filter(
        code__in=[t["code"] for t in TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
