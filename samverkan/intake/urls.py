from django.urls import path

from samverkan.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.index, name="index"),
    # the hub (Socialjouren Stockholm)
    path("socialjouren/", views.hub_queue, name="hub_queue"),
    path("socialjouren/larm/", views.hub_alarm, name="hub_alarm"),
    path("socialjouren/version/", views.hub_version, name="hub_version"),
    path("socialjouren/ny/", views.hub_register, name="hub_register"),
    path("socialjouren/ny/beslut/", views.hub_decide, name="hub_decide"),
    path("socialjouren/utanfor/<str:public_id>/", views.hub_not_eligible, name="hub_not_eligible"),
    path("socialjouren/<int:pk>/", views.hub_report, name="hub_report"),
    path("socialjouren/<int:pk>/samtal/", views.hub_attempt, name="hub_attempt"),
    path(
        "socialjouren/<int:pk>/mottagen-per-telefon/",
        views.hub_accept_by_phone,
        name="hub_accept_by_phone",
    ),
    path("socialjouren/<int:pk>/fortydligande/", views.hub_clarify, name="hub_clarify"),
    path("socialjouren/<int:pk>/dirigera-om/", views.hub_reroute, name="hub_reroute"),
    # the receiving municipality
    path("mottagning/", views.inbox, name="inbox"),
    path("mottagning/version/", views.inbox_version, name="inbox_version"),
    path("mottagning/<int:pk>/", views.receiver_report, name="receiver_report"),
    path("mottagning/<int:pk>/ta-emot/", views.receiver_accept, name="receiver_accept"),
    path("mottagning/<int:pk>/avvisa/", views.receiver_reject, name="receiver_reject"),
    path(
        "mottagning/<int:pk>/skyddsbedomning/",
        views.receiver_protection,
        name="receiver_protection",
    ),
    path(
        "mottagning/<int:pk>/forhandsbedomning/",
        views.receiver_preliminary,
        name="receiver_preliminary",
    ),
    path(
        "mottagning/<int:pk>/informationsbegaran/",
        views.receiver_information_request,
        name="receiver_information_request",
    ),
    path("mottagning/<int:pk>/aterkoppling/", views.receiver_feedback, name="receiver_feedback"),
    # the police (ROC)
    path("polisen/", views.police_status, name="police_status"),
    path("polisen/informationsbegaran/", views.police_requests, name="police_requests"),
    path("polisen/informationsbegaran/<int:pk>/svar/", views.police_answer, name="police_answer"),
]
