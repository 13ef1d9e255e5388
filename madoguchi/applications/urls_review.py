"""URLs of the applications context (namespace `review`)."""

from django.urls import path  # noqa: F401

app_name = "review"

urlpatterns: list = []
