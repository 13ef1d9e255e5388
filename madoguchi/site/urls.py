from django.urls import path

from madoguchi.site import views

app_name = "core"  # the name the templates and other branches use for the front page

urlpatterns = [
    path("", views.index, name="index"),
    path("healthz", views.healthz, name="healthz"),
]
