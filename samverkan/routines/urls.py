from django.urls import path

from samverkan.routines import views

app_name = "routines"
urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.routine_new, name="new"),
    path("<int:routine_id>/", views.routine_detail, name="detail"),
    path("<int:routine_id>/version/<int:number>/", views.version_detail, name="version"),
    path("<int:routine_id>/ny-version/", views.routine_revise, name="revise"),
    path("<int:routine_id>/oversyn/", views.routine_review, name="review"),
    path("<int:routine_id>/kopplingar/", views.routine_links, name="links"),
]
