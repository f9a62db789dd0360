"""/api/v1/ routes of the checkpoints module."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
