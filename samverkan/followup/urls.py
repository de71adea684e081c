from django.urls import path

from samverkan.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("oppen/", views.open_data_page, name="open_data"),
    path(
        "oppen/statistik.<str:export_format>", views.open_data_download, name="open_data_download"
    ),
    path("<slug:board>/", views.dashboard, name="board"),
    path("<slug:board>/export.<str:export_format>", views.export_dashboard, name="export"),
    path(
        "<slug:board>/tabell/<slug:slug>.<str:export_format>",
        views.export_table,
        name="export_table",
    ),
]
