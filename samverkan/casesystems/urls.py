from django.urls import path

from samverkan.casesystems import views

app_name = "casesystems"
urlpatterns = [
    path("anmalan/<int:pk>/skicka/", views.send_report, name="send_report"),
]
