from django.urls import path

from samverkan.defectors import views

app_name = "defectors"
urlpatterns = [
    path("", views.assignment_list, name="list"),
    path("nytt/", views.assignment_create, name="create"),
    path("<int:pk>/", views.assignment_detail, name="detail"),
    path("<int:pk>/andra/", views.assignment_edit, name="edit"),
    path("<int:pk>/status/<slug:action>/", views.assignment_transition, name="transition"),
    path("<int:pk>/forutsattning/", views.precondition_confirm, name="precondition"),
    path("<int:pk>/hotbild/", views.threat_record, name="threat"),
    path("<int:pk>/barn/", views.children_task_create, name="children"),
    path("barn/<int:pk>/stang/", views.children_task_close, name="children_close"),
    path("<int:pk>/samrad/", views.consultation_record, name="consultation"),
    path("<int:pk>/plan/", views.plan_decide, name="plan"),
    path("<int:pk>/plan/insats/", views.intervention_add, name="intervention_add"),
    path("insats/<int:pk>/avboj/", views.intervention_decline, name="intervention_decline"),
    path("insats/<int:pk>/status/", views.intervention_status, name="intervention_status"),
    path("<int:pk>/kostnad/", views.cost_book, name="cost"),
    path("<int:pk>/uppfoljning/", views.followup_record, name="followup"),
    path("avtal/<int:pk>/", views.agreement_overview, name="agreement"),
    path("avtal/<int:pk>/avstamning/", views.reconciliation_compute, name="reconciliation_compute"),
    path("avtal/<int:pk>/lardomar/", views.lesson_save, name="lesson"),
    path("avtal/<int:pk>/villkor/", views.agreement_terms, name="terms"),
    path("avtal/<int:pk>/villkor/katalog/", views.catalogue_save, name="catalogue"),
    path("avtal/<int:pk>/utvardering.pdf", views.evaluation_report, name="evaluation"),
    path("avstamning/<int:pk>/", views.reconciliation_detail, name="reconciliation"),
    path(
        "avstamning/<int:pk>/godkann/", views.reconciliation_approve, name="reconciliation_approve"
    ),
]
