"""/samverkan/: the overview and each feature's pages. School concern reports are an
intake channel (`samverkan.intake.school_reports`) that keeps its address here."""

from django.urls import path

from samverkan.collaboration import views
from samverkan.collaboration.colocation import views as colocation
from samverkan.collaboration.forums import views as forums
from samverkan.collaboration.indicators import views as indicators
from samverkan.collaboration.plans import views as plans
from samverkan.collaboration.schools import views as schools
from samverkan.intake.school_reports.urls import urlpatterns as school_report_urls

app_name = "collaboration"
urlpatterns = [
    path("", views.index, name="index"),
    path("samlokalisering/", colocation.colocation, name="colocation"),
    path("samlokalisering/ny/", colocation.colocation_new, name="colocation_new"),
    path(
        "samlokalisering/<int:colocation_id>/andra/",
        colocation.colocation_edit,
        name="colocation_edit",
    ),
    path("samlokalisering/konsultation/ny/", colocation.consultation_new, name="consultation_new"),
    path("samlokalisering/utbildning/ny/", colocation.training_new, name="training_new"),
    path("forum/", forums.forum_list, name="forum_list"),
    path("forum/nytt/", forums.forum_new, name="forum_new"),
    path("forum/<int:forum_id>/", forums.forum_detail, name="forum_detail"),
    path("forum/<int:forum_id>/andra/", forums.forum_edit, name="forum_edit"),
    path("forum/<int:forum_id>/moten/nytt/", forums.meeting_new, name="meeting_new"),
    path("moten/<int:meeting_id>/", forums.meeting_detail, name="meeting_detail"),
    path("moten/<int:meeting_id>/andra/", forums.meeting_edit, name="meeting_edit"),
    path("allvarssamtal/", colocation.serious_talks, name="serious_talks"),
    path("lagesbild/", plans.picture_list, name="picture_list"),
    path("lagesbild/<int:picture_id>/", plans.picture_detail, name="picture_detail"),
    path("atgardsplaner/ny/", plans.plan_new, name="plan_new"),
    path("atgardsplaner/<int:plan_id>/", plans.plan_detail, name="plan_detail"),
    path("aktiviteter/<int:activity_id>/", plans.activity_update, name="activity_update"),
    path("skolor/", schools.schools, name="schools"),
    *school_report_urls,
    path("indikatorer/", indicators.indicators, name="indicators"),
    path("indikatorer/ny/", indicators.indicator_new, name="indicator_new"),
    path(
        "indikatorer/<int:indicator_id>/varde/", indicators.indicator_value, name="indicator_value"
    ),
]
