"""URLs of the applications context (namespace `assist`)."""

from django.urls import path  # noqa: F401

app_name = "assist"

urlpatterns: list = []
