from django.urls import path

from madoguchi.flyers import views

app_name = "flyers"

DISTRICT = "districts/<slug:region>/<slug:district>/"

urlpatterns = [
    path(DISTRICT + "welcome/", views.district, name="district"),
    path(DISTRICT + "flyer-<slug:paper>.pdf", views.pdf, name="pdf"),
    path("flyers/", views.index, name="index"),
    path("flyers/print/", views.print_flyer, name="print"),
]
