"""/api/v1/ routes of the command."""

from django.urls import path

from fangkong.command.api import StatsView

urlpatterns = [path("stats/", StatsView.as_view(), name="api-stats")]
