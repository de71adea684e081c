from django.urls import path

from samverkan.core import views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
    path("tillganglighet/", views.accessibility_statement, name="accessibility"),
]
