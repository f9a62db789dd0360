from django.urls import path

from fangkong.briefings import views

app_name = "briefings"

urlpatterns = [
    path("", views.briefing_list, name="list"),
    path("generate/", views.briefing_generate, name="generate"),
    path("<int:pk>/", views.briefing_detail, name="detail"),
    path("<int:pk>/edit/", views.briefing_edit, name="edit"),
    path("<int:pk>/regenerate/", views.briefing_regenerate, name="regenerate"),
    path("<int:pk>/approve/", views.briefing_approve, name="approve"),
    path("<int:pk>/publish/", views.briefing_publish, name="publish"),
    path("<int:pk>/download/", views.briefing_download, name="download"),
]
