from django.urls import path

from samverkan.registry import views

app_name = "registry"
urlpatterns = [
    path("organisationsforandringar/", views.change_list, name="changes"),
    path("organisationsforandringar/ny/", views.change_create, name="change_create"),
    path("organisationsforandringar/<int:pk>/", views.change_detail, name="change_detail"),
    path(
        "organisationsforandringar/<int:pk>/rattelse/", views.change_correct, name="change_correct"
    ),
    path(
        "organisationsforandringar/<int:pk>/aterkalla/",
        views.change_withdraw,
        name="change_withdraw",
    ),
]
