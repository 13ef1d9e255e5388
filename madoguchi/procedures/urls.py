"""Residents' pages under /procedures/, the staff catalogue under /catalogue/.

Procedure codes appear in URLs: they are the ward's public identifiers, not personal data.
"""

from django.urls import path

from madoguchi.procedures import edit_views, life_event_views, views

app_name = "procedures"

urlpatterns = [
    path("procedures/", views.public_list, name="public_list"),
    path("procedures/life-events/", life_event_views.public_list, name="life_events"),
    path("procedures/life-events/<slug:code>/", life_event_views.public_detail,
         name="life_event"),
    path("procedures/<slug:code>/", views.public_detail, name="public_detail"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/life-events/", life_event_views.staff_list, name="life_events_staff"),
    path("catalogue/life-events/slip/", life_event_views.staff_slip, name="life_event_slip"),
    path("catalogue/new/", edit_views.create, name="create"),
    path("catalogue/<slug:code>/", views.detail, name="detail"),
    path("catalogue/<slug:code>/v<int:number>/", views.version, name="version"),
    path("catalogue/<slug:code>/v<int:number>/preview/", views.preview, name="preview"),
    path("catalogue/<slug:code>/edit/", edit_views.edit, name="edit"),
    path("catalogue/<slug:code>/publish/", edit_views.publish, name="publish"),
    path("catalogue/<slug:code>/discard/", edit_views.discard, name="discard"),
]
