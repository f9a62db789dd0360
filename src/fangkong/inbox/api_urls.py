"""/api/v1/ routes of the inbox module."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
