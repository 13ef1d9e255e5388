"""URLs of the residents' online applications (namespace `apply`, under
/portal/applications/)."""

from django.urls import path

from madoguchi.applications import portal_views as views

app_name = "apply"

urlpatterns = [
    path("", views.applications, name="list"),
    path("new/<slug:code>/", views.start, name="start"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/confirm/", views.confirm, name="confirm"),
    path("<uuid:public_id>/done/", views.done, name="done"),
    path("<uuid:public_id>/discard/", views.discard, name="discard"),
    path("<uuid:public_id>/answer/", views.answer, name="answer"),
    path("<uuid:public_id>/action/<slug:name>/", views.act, name="act"),
]
