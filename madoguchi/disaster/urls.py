from django.urls import path

from madoguchi.disaster import views

app_name = "disaster"

urlpatterns = [
    path("shelters/", views.open_shelters, name="open_shelters"),
    path("shelters/open.json", views.open_shelters_json, name="open_shelters_json"),
    path("staff/shelters/", views.shelter_list, name="shelter_list"),
    path("staff/shelters/<slug:code>/", views.shelter_operate, name="shelter_operate"),
]
