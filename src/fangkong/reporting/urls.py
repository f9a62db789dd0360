from django.urls import path

from fangkong.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.home, name="home"),
    path("overview/", views.overview, name="overview"),
    path("missing/", views.missing, name="missing"),
    path("remind/<str:code>/", views.remind, name="remind"),
    path("unit/<str:code>/", views.unit_form, name="unit_form"),
    path("unit/<str:code>/zero/", views.unit_zero, name="unit_zero"),
    path("due/<str:pk>/", views.due, name="due"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/return/", views.report_return, name="report_return"),
    path("reports/<int:pk>/accept/", views.report_accept, name="report_accept"),
    path("town/<str:code>/", views.review, name="review"),
    path("town/<str:code>/summary/", views.summary, name="summary"),
]
