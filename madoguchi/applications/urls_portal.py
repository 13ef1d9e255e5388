"""URLs of the applications context (namespace `apply`)."""

from django.urls import path  # noqa: F401

app_name = "apply"

urlpatterns: list = []
