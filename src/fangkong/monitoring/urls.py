from django.urls import path

from fangkong.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("logs/", views.log_today, name="log_today"),
    path("logs/<int:pk>/", views.log_save, name="log_save"),
    path("missing/", views.missing, name="missing"),
    path("persons/<int:pk>/", views.keyperson_monitoring, name="keyperson"),
    path("persons/<int:pk>/follow-ups/new/", views.followup_create, name="followup_create"),
    path("persons/<int:pk>/samples/new/", views.sample_create, name="sample_create"),
    path("persons/<int:pk>/release/", views.release_confirm, name="release_confirm"),
    path("persons/<int:pk>/release-notice/", views.release_notice, name="release_notice"),
    path("samples/", views.sample_list, name="sample_list"),
    path("samples/<int:pk>/result/", views.sample_result, name="sample_result"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/refer/", views.alert_refer, name="alert_refer"),
    path("alerts/<int:pk>/outcome/", views.alert_outcome, name="alert_outcome"),
    path("alerts/<int:pk>/close/", views.alert_close, name="alert_close"),
    path("release/", views.release_list, name="release_list"),
    # The personal link: public, the signed token is the only credential.
    path("h/<str:token>/", views.health_link, name="health_link"),
]
