from django.urls import path

from madoguchi.organisation import edit_views, views

app_name = "organisation"

DISTRICT = "districts/<slug:region>/<slug:code>/"

urlpatterns = [
    path("", views.overview, name="overview"),
    path(DISTRICT, views.district_detail, name="district"),
    path("sections/", views.sections, name="sections"),
    path("calendar/", views.calendar, name="calendar"),
    # Ward administrators only.
    path("regions/new/", edit_views.region_create, name="region_create"),
    path("regions/<slug:code>/edit/", edit_views.region_edit, name="region_edit"),
    path("districts/new/", edit_views.district_create, name="district_create"),
    path(DISTRICT + "edit/", edit_views.district_edit, name="district_edit"),
    path(DISTRICT + "centre/", edit_views.centre_edit, name="centre_edit"),
    path(DISTRICT + "booths/new/", edit_views.booth_create, name="booth_create"),
    path("booths/<int:pk>/edit/", edit_views.booth_edit, name="booth_edit"),
    path("kinds/new/", edit_views.kind_create, name="kind_create"),
    path("kinds/<slug:code>/edit/", edit_views.kind_edit, name="kind_edit"),
    path("sections/new/", edit_views.section_create, name="section_create"),
    path("sections/<int:pk>/edit/", edit_views.section_edit, name="section_edit"),
    path("calendar/new/", edit_views.calendar_create, name="calendar_create"),
    path("calendar/<int:pk>/edit/", edit_views.calendar_edit, name="calendar_edit"),
    path("calendar/<int:pk>/delete/", edit_views.calendar_delete, name="calendar_delete"),
]
