from django.urls import path

from samverkan.homecoming import views

app_name = "homecoming"
urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.plan_new, name="new"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/andra/", views.plan_edit, name="edit"),
    path("<int:plan_id>/grund/", views.plan_basis, name="basis"),
    path("<int:plan_id>/atgarder/ny/", views.action_new, name="action_new"),
    path("<int:plan_id>/atgarder/<int:action_id>/", views.action_update, name="action_update"),
    path("<int:plan_id>/kontakter/ny/", views.contact_new, name="contact_new"),
    path("<int:plan_id>/hemkomst/", views.plan_return, name="return"),
    path("<int:plan_id>/uppfoljning/ny/", views.follow_up_new, name="follow_up_new"),
    path("<int:plan_id>/avsluta/", views.plan_close, name="close"),
]
