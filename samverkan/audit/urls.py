from django.urls import path

from samverkan.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.search, name="search"),
    path("export.<str:export_format>", views.export, name="export"),
]
