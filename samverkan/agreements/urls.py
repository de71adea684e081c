from django.urls import path

from samverkan.agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("nytt/", views.agreement_create, name="create"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/beslut/", views.record_decision, name="decision"),
    path("<int:pk>/uppsagning/", views.give_notice, name="notice"),
    path("<int:pk>/tillagg/", views.add_amendment, name="amendment"),
    path("<int:pk>/pub-avtal/", views.attach_dpa, name="dpa"),
    path("underrattelse/<int:pk>/", views.notification_detail, name="notification"),
    path(
        "underrattelse/<int:pk>/kvittera/",
        views.notification_acknowledge,
        name="acknowledge",
    ),
    path("<int:pk>/avtal.pdf", views.agreement_pdf, name="pdf"),
    path("<int:pk>/part/<int:party_pk>/", views.party_edit, name="party"),
]
