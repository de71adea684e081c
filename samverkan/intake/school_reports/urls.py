"""The school channel's pages, mounted by the collaboration URLconf so that they keep
their address (/samverkan/skolor/orosanmalan/) and names (collaboration:school_report…)."""

from django.urls import path

from samverkan.intake.school_reports import views

urlpatterns = [
    path("skolor/orosanmalan/", views.school_report, name="school_report"),
    path(
        "skolor/orosanmalan/<str:public_id>/",
        views.school_report_receipt,
        name="school_report_receipt",
    ),
]
