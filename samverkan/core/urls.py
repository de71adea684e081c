from django.urls import path

from samverkan.core import views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
    path("tillganglighet/", views.accessibility_statement, name="accessibility"),
    # Every uploaded document, and only here (core/documents.py).
    path("dokument/<slug:kind>/<int:pk>/", views.document, name="document"),
]
