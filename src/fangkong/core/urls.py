from django.urls import include, path, re_path

from fangkong.core import views

core_patterns = [
    path("areas/", views.area_list, name="area_list"),
    re_path(r"^areas/(?P<code>[0-9]{2,15})/$", views.area_detail, name="area_detail"),
    path("audit/", views.accesslog_list, name="accesslog_list"),
]

urlpatterns = [
    # Settings name the landing page "home" (LOGIN_REDIRECT_URL), outside any namespace.
    path("", views.home, name="home"),
    path("", include((core_patterns, "core"))),
]
