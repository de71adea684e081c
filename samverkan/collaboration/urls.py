from django.urls import path

from samverkan.collaboration import views

app_name = "collaboration"
urlpatterns = [
    path("", views.index, name="index"),
    path("samlokalisering/", views.colocation, name="colocation"),
    path("samlokalisering/ny/", views.colocation_new, name="colocation_new"),
    path(
        "samlokalisering/<int:colocation_id>/andra/", views.colocation_edit, name="colocation_edit"
    ),
    path("samlokalisering/konsultation/ny/", views.consultation_new, name="consultation_new"),
    path("samlokalisering/utbildning/ny/", views.training_new, name="training_new"),
    path("forum/", views.forum_list, name="forum_list"),
    path("forum/nytt/", views.forum_new, name="forum_new"),
    path("forum/<int:forum_id>/", views.forum_detail, name="forum_detail"),
    path("forum/<int:forum_id>/andra/", views.forum_edit, name="forum_edit"),
    path("forum/<int:forum_id>/moten/nytt/", views.meeting_new, name="meeting_new"),
    path("moten/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("moten/<int:meeting_id>/andra/", views.meeting_edit, name="meeting_edit"),
    path("allvarssamtal/", views.serious_talks, name="serious_talks"),
    path("lagesbild/", views.picture_list, name="picture_list"),
    path("lagesbild/<int:picture_id>/", views.picture_detail, name="picture_detail"),
    path("atgardsplaner/ny/", views.plan_new, name="plan_new"),
    path("atgardsplaner/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("aktiviteter/<int:activity_id>/", views.activity_update, name="activity_update"),
    path("skolor/", views.schools, name="schools"),
    path("skolor/orosanmalan/", views.school_report, name="school_report"),
    path(
        "skolor/orosanmalan/<str:public_id>/",
        views.school_report_receipt,
        name="school_report_receipt",
    ),
    path("indikatorer/", views.indicators, name="indicators"),
    path("indikatorer/ny/", views.indicator_new, name="indicator_new"),
    path("indikatorer/<int:indicator_id>/varde/", views.indicator_value, name="indicator_value"),
]
