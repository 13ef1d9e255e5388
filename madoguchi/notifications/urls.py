from django.urls import path

from madoguchi.notifications import views

app_name = "notifications"

urlpatterns = [
    path("stop/<str:token>/", views.stop, name="stop"),
]
