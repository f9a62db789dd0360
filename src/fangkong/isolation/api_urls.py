"""/api/v1/ routes of the isolation module."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
