from django.urls import path

from fangkong.command import views

app_name = "command"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/data/", views.dashboard_data, name="dashboard_data"),
]
