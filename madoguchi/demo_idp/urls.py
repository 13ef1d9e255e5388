from django.urls import include, path

from madoguchi.demo_idp import views

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("login/", views.choose, name="login"),
    path("healthz", views.healthz),
    path("", views.home),
]
